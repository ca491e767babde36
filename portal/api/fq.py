"""CKAN's ``fq`` filter syntax, read into the facet filters the search module understands.

CKAN hands ``fq`` to Solr. We accept the part of that syntax people actually send to a catalogue::

    organization:ddc
    data_category:"ข้อมูลสาธารณะ" AND res_format:CSV
    +tags:"COVID-19" +license_id:"Open Data Common"
    res_format:(CSV OR XLSX)        (res_format:CSV OR res_format:XLSX)

Clauses side by side are ANDed (a ``+`` in a URL often arrives as a space, so a Solr-style
implicit OR would silently widen ``+a:x+b:y``). OR may join values of one field only, because a
search filter is "any of these values" per field and "all of these fields"; a cross-field OR, an AND
of two values of one field, and negation are refused with a clear message rather than approximated.
"""
from __future__ import annotations

from dataclasses import dataclass

# Clauses every dataset satisfies: CKAN clients add them out of habit.
ALWAYS_TRUE = {("dataset_type", "dataset"), ("type", "dataset"), ("state", "active"), ("*", "*")}


class FqError(ValueError):
    """The ``fq`` string cannot be read or asks for something a filter cannot express."""


@dataclass(frozen=True)
class _Clause:
    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class _Node:
    op: str  # "AND" | "OR"
    children: tuple


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    # -- lexing helpers -------------------------------------------------------------------------
    def _skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def _peek(self) -> str:
        self._skip_space()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _operator(self) -> str | None:
        self._skip_space()
        for word, op in (("AND", "AND"), ("&&", "AND"), ("OR", "OR"), ("||", "OR"), ("NOT", "NOT")):
            end = self.pos + len(word)
            bounded = end >= len(self.text) or not _word_char(self.text[end]) or not word.isalpha()
            if self.text.startswith(word, self.pos) and bounded:
                self.pos = end
                return op
        return None

    def _quoted(self) -> str:
        self.pos += 1  # opening quote
        out: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                out.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            if char == '"':
                self.pos += 1
                return "".join(out)
            out.append(char)
            self.pos += 1
        raise FqError("unterminated quoted value")

    def _bare(self) -> str:
        start = self.pos
        text = self.text
        while self.pos < len(text) and not text[self.pos].isspace() and text[self.pos] not in '()"':
            if self.text[self.pos] == "\\" and self.pos + 1 < len(self.text):
                self.pos += 1
            self.pos += 1
        return self.text[start:self.pos].replace("\\", "")

    def _value(self) -> str:
        char = self._peek()
        if char == '"':
            return self._quoted()
        if not char or char in "()":
            raise FqError(f"a value is expected at position {self.pos + 1}")
        return self._bare()

    # -- grammar ---------------------------------------------------------------------------------
    def parse(self):
        node = self._expression()
        if self._peek():
            raise FqError(f"unexpected {self._peek()!r} at position {self.pos + 1}")
        return node

    def _expression(self):
        parts = [self._term()]
        ops: list[str] = []
        while self._peek() and self._peek() != ")":
            op = self._operator() or "AND"
            if op == "NOT":
                raise FqError("negation (NOT, -field:value) is not supported")
            ops.append(op)
            parts.append(self._term())
        return _combine(parts, ops)

    def _term(self):
        char = self._peek()
        if char == "-":
            raise FqError("negation (NOT, -field:value) is not supported")
        if char == "+":
            self.pos += 1
            char = self._peek()
        if char == "(":
            self.pos += 1
            node = self._expression()
            if self._peek() != ")":
                raise FqError("missing closing parenthesis")
            self.pos += 1
            return node
        if not char:
            raise FqError("a field:value clause is expected")
        return self._clause()

    def _clause(self) -> _Clause:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in ':()" \t\r\n':
            self.pos += 1
        field = self.text[start:self.pos]
        if not field or self.pos >= len(self.text) or self.text[self.pos] != ":":
            raise FqError(f"expected field:value at position {start + 1}")
        self.pos += 1
        if self.pos < len(self.text) and self.text[self.pos].isspace():
            raise FqError(f"a value is expected right after {field}:")
        if self._peek() == "(":
            self.pos += 1
            values = [self._value()]
            while self._peek() != ")":
                if not self._peek():
                    raise FqError("missing closing parenthesis")
                op = self._operator() or "OR"
                if op != "OR":
                    raise FqError(f"values of {field} may only be joined with OR")
                values.append(self._value())
            self.pos += 1
            return _Clause(field, tuple(values))
        return _Clause(field, (self._value(),))


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _combine(parts: list, ops: list[str]):
    """AND binds tighter than OR, as in Lucene's boolean syntax."""
    groups: list[list] = [[parts[0]]]
    for op, part in zip(ops, parts[1:]):
        if op == "AND":
            groups[-1].append(part)
        else:
            groups.append([part])
    ands = [g[0] if len(g) == 1 else _Node("AND", tuple(g)) for g in groups]
    return ands[0] if len(ands) == 1 else _Node("OR", tuple(ands))


def _reduce(node) -> dict[str, list[str]]:
    """The AST as ``{field: [values]}`` (OR within a field, AND across fields), or ``FqError``."""
    if isinstance(node, _Clause):
        if (node.field, node.values[0]) in ALWAYS_TRUE and len(node.values) == 1:
            return {}
        return {node.field: list(dict.fromkeys(node.values))}
    children = [_reduce(child) for child in node.children]
    if node.op == "OR":
        if any(not child for child in children):
            return {}  # OR with an always-true clause
        fields = {field for child in children for field in child}
        if len(fields) != 1 or any(len(child) != 1 for child in children):
            raise FqError("OR may only join values of the same field")
        field = fields.pop()
        return {field: list(dict.fromkeys(v for child in children for v in child[field]))}
    merged: dict[str, list[str]] = {}
    for child in children:
        for field, values in child.items():
            if field in merged and set(merged[field]) != set(values):
                if len(values) == 1 and len(merged[field]) == 1:
                    raise FqError(f"{field} cannot be two values at once (use OR)")
                merged[field] = [v for v in merged[field] if v in values]
                if not merged[field]:
                    raise FqError(f"{field} cannot be two values at once (use OR)")
            else:
                merged[field] = values
    return merged


def parse_fq(text: str | None) -> dict[str, list[str]]:
    """``fq`` → ``{ckan_field: [values]}``; an empty or blank string filters nothing.

    >>> parse_fq('organization:ddc AND res_format:(CSV OR XLSX)')
    {'organization': ['ddc'], 'res_format': ['CSV', 'XLSX']}
    """
    if text is None or not text.strip():
        return {}
    return _reduce(_Parser(text).parse())

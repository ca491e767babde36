"""The agency directory: ministry → department → unit from ``indexer/agencies.json``, with counts.

Counts come from ``queries.organizations`` (visible records only: name-tier principals count what they
may see). An agency, ministry or group appears only when something under it has a visible record, so
the directory says nothing about records the visitor cannot see; an organization of the records that
the file does not place is listed under "not yet placed", never dropped.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from indexer import agencies
from indexer.agencies import Agency


@dataclass
class Node:
    agency: Agency
    own: int = 0                                   # visible records filed under the agency itself
    slugs: list[str] = field(default_factory=list)  # organization slugs of those records
    children: list["Node"] = field(default_factory=list)
    total: int = 0

    def all_slugs(self) -> list[str]:
        return [*self.slugs, *(s for c in self.children for s in c.all_slugs())]

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Directory:
    roots: list[Node]
    unplaced: list[dict]          # organization rows ({slug, title, title_en, count}) not in the file
    by_id: dict[str, Node]

    @property
    def total(self) -> int:
        return sum(r.total for r in self.roots) + sum(o["count"] for o in self.unplaced)


def place(row: dict) -> Agency | None:
    """The agency an organization row (slug and Thai title from the records) belongs to."""
    return agencies.find(row["slug"]) or agencies.find(row.get("title"))


def build(rows: list[dict]) -> Directory:
    """The tree of agencies with visible records under them, and the organizations not placed."""
    nodes = {a.id: Node(a) for a in agencies.all_agencies()}
    unplaced = []
    for row in rows:
        agency = place(row)
        if agency is None:
            unplaced.append(row)
            continue
        node = nodes[agency.id]
        node.own += row["count"]
        node.slugs.append(row["slug"])
    for node in nodes.values():
        if node.agency.parent:
            nodes[node.agency.parent].children.append(node)
    roots = [n for n in nodes.values() if not n.agency.parent]
    for root in roots:
        _total(root)
    kept = [_prune(r) for r in roots]
    kept = [r for r in kept if r is not None]
    by_id = {n.agency.id: n for r in kept for n in r.walk()}
    unplaced.sort(key=lambda r: -r["count"])
    return Directory(roots=kept, unplaced=unplaced, by_id=by_id)


def _total(node: Node) -> int:
    node.total = node.own + sum(_total(c) for c in node.children)
    return node.total


def _prune(node: Node) -> Node | None:
    if node.total == 0:
        return None
    node.children = [c for c in (_prune(c) for c in node.children) if c is not None]
    node.children.sort(key=lambda c: -c.total)
    return node


def narrow(directory: Directory, q: str) -> Directory:
    """Only the agencies matching ``q`` (Thai or English name, abbreviation), with their ancestors and
    everything below them; unplaced organizations matching by title or slug."""
    q = (q or "").strip()
    if not q:
        return directory
    everything = [n.agency for n in directory.by_id.values()]
    hit = {a.id for a in agencies.matches(q, everything)}

    def keep(node: Node) -> Node | None:
        if node.agency.id in hit:
            return node
        children = [c for c in (keep(c) for c in node.children) if c is not None]
        if not children:
            return None
        return Node(node.agency, node.own, node.slugs, children, node.total)

    roots = [r for r in (keep(r) for r in directory.roots) if r is not None]
    wanted = agencies.key(q)
    unplaced = [o for o in directory.unplaced
                if wanted in agencies.key(o.get("title") or "") or wanted in agencies.key(o.get("title_en") or "")
                or wanted in agencies.key(o["slug"])]
    return Directory(roots=roots, unplaced=unplaced, by_id=directory.by_id)

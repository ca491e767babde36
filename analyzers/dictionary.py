"""The custom segmentation dictionary as the segmenter reads it: pythainlp's words + government
vocabulary + the catalogue's words, and the abbreviation and synonym lists.

The built dictionary is a file in the repository (``data/thai_dictionary.txt``), so the index is built
with exactly the words it was built with, whatever pythainlp version is installed; ``version()`` goes
into the index metadata. ``analyzers.dictionary_build`` writes it (``gdc-dict build [catalogue.jsonl ...]``);
this module reads it and imports no other analysis module, so everything can import it.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Iterator

DATA_DIR = Path(__file__).resolve().parent / "data"
DICTIONARY_FILE = DATA_DIR / "thai_dictionary.txt"
CUSTOM_FILE = DATA_DIR / "custom_words.txt"
COMPOUNDS_FILE = DATA_DIR / "compounds.txt"
GOV_WORDS_FILE = DATA_DIR / "gov_words.txt"
ABBREVIATIONS_FILE = DATA_DIR / "abbreviations.tsv"
ABBREVIATIONS_ONE_WAY_FILE = DATA_DIR / "abbreviations_one_way.tsv"
SYNONYMS_FILE = DATA_DIR / "synonyms.tsv"
LETTER_NAMES_FILE = DATA_DIR / "letter_names.tsv"

# Prefixes that make a noun of the word after them: การเลือกตั้ง, ความปลอดภัย, นักท่องเที่ยว, ผู้ป่วย.
# The word after them is indexed too, and a match may start right after them.
NOMINAL_PREFIXES = ("การ", "ความ", "นัก", "ผู้")


def version() -> str:
    """Short content hash of the built dictionary; stored with the index so a change forces a rebuild."""
    return hashlib.sha256(DICTIONARY_FILE.read_bytes()).hexdigest()[:12]


@lru_cache(maxsize=1)
def words() -> frozenset[str]:
    return frozenset(read_lines(DICTIONARY_FILE))


@lru_cache(maxsize=1)
def custom_words() -> frozenset[str]:
    return frozenset(read_lines(CUSTOM_FILE))


@lru_cache(maxsize=1)
def compounds() -> frozenset[str]:
    return frozenset(read_lines(COMPOUNDS_FILE))


@lru_cache(maxsize=1)
def nlpo3_name() -> str:
    """Load the dictionary into nlpo3 once and return the name it is registered under."""
    import nlpo3

    name = f"gdc-{version()}"
    message, ok = nlpo3.load_dict(str(DICTIONARY_FILE), name)
    if not ok and "already" not in message.lower():
        raise RuntimeError(f"nlpo3 could not load {DICTIONARY_FILE}: {message}")
    return name


@lru_cache(maxsize=1)
def trie():
    """The dictionary as a pythainlp Trie for the ``newmm`` engine."""
    from pythainlp.util import dict_trie

    return dict_trie(words())


@lru_cache(maxsize=1)
def _base_trie():
    from pythainlp.util import dict_trie

    return dict_trie(words() - compounds())


@lru_cache(maxsize=65536)
def parts(token: str) -> tuple[str, ...]:
    """Words inside a compound the custom dictionary keeps whole, so a search for a part still finds it.

    The pieces come from segmenting ``token`` without the custom words, plus custom words inside it.

    >>> parts("กรมการขนส่งทางบก")
    ('กรม', 'การขนส่ง', 'ทางบก', 'ขนส่งทางบก')

    Ordinary dictionary words ("จักรยานยนต์") are not split: that would make "จักรยาน" match them.
    """
    if token not in compounds():
        return ()
    from pythainlp.tokenize.newmm import segment as newmm_segment

    pieces = [p for p in newmm_segment(token, custom_dict=_base_trie()) if p.strip()]
    if len(pieces) < 2:
        return ()
    inner = [w for w in _custom_by_length() if w != token and w in token and w not in pieces
             and _on_boundaries(w, token, pieces)]
    return tuple(pieces + inner)


def _on_boundaries(word: str, token: str, pieces: list[str]) -> bool:
    """``word`` occurs in ``token`` starting and ending where pieces do (a nominal prefix may be
    skipped at the start), so "ไฟฟ้า" is not a part of "โครงการรถไฟฟ้า" but "ขนส่งทางบก" is one of
    "กรมการขนส่งทางบก" (กรม|การขนส่ง|ทางบก)."""
    starts, ends, at = set(), set(), 0
    for piece in pieces:
        starts.add(at)
        starts.update(at + len(p) for p in NOMINAL_PREFIXES if piece.startswith(p))
        at += len(piece)
        ends.add(at)
    found = token.find(word)
    while found >= 0:
        if found in starts and found + len(word) in ends:
            return True
        found = token.find(word, found + 1)
    return False


@lru_cache(maxsize=1)
def _custom_by_length() -> tuple[str, ...]:
    return tuple(sorted((w for w in custom_words() if len(w) >= 4), key=len, reverse=True))


MIN_SPLIT_PIECE = 3


@lru_cache(maxsize=16384)
def two_word_splits(word: str) -> tuple[tuple[str, str], ...]:
    """Ways to read a long dictionary word as two dictionary words of three letters or more, the most
    balanced first: ``"ขยะมูลฝอย"`` → ``(("ขยะ", "มูลฝอย"),)``."""
    known = words()
    splits = [(word[:i], word[i:]) for i in range(MIN_SPLIT_PIECE, len(word) - MIN_SPLIT_PIECE + 1)
              if word[:i] in known and word[i:] in known]
    return tuple(sorted(splits, key=lambda pair: abs(len(pair[0]) - len(pair[1]))))


@lru_cache(maxsize=2)  # the two lists
def abbreviations(path: Path = ABBREVIATIONS_FILE) -> tuple[tuple[str, str], ...]:
    """(abbreviation, full name) pairs as written in ``abbreviations.tsv`` (or ``path``)."""
    pairs = []
    for line in read_lines(path):
        short, _, full = line.partition("\t")
        if short and full:
            pairs.append((short.strip(), full.strip()))
    return tuple(pairs)


def one_way_abbreviations() -> tuple[tuple[str, str], ...]:
    """(abbreviation, full name) pairs a query reads from the abbreviation to the full name only
    (``abbreviations_one_way.tsv``: the letters stand for something else too)."""
    return abbreviations(ABBREVIATIONS_ONE_WAY_FILE)


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """Groups of equivalent words as written in ``synonyms.tsv``."""
    lines = read_lines(SYNONYMS_FILE)
    return tuple(tuple(m.strip() for m in line.split("\t") if m.strip()) for line in lines)


@lru_cache(maxsize=1)
def letter_names() -> dict[str, str]:
    """Each Thai name of an English letter (จี, ดับเบิลยู, เฮช) → the letter, from ``letter_names.tsv``."""
    names = {}
    for line in read_lines(LETTER_NAMES_FILE):
        letter, *spellings = line.split("\t")
        names |= {spelling.strip(): letter.strip() for spelling in spellings if spelling.strip()}
    return names


def read_lines(path: Path) -> Iterator[str]:
    """The lines of a word-list file, blank lines and ``#`` comments left out."""
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if line.strip() and not line.startswith("#"):
                yield line


def clear_caches() -> None:
    """Forget every word list and trie read so far (after the files are rewritten)."""
    for cached in (words, custom_words, compounds, trie, _base_trie, parts, _custom_by_length, nlpo3_name):
        cached.cache_clear()

"""Building the custom segmentation dictionary, and ``gdc-dict``: pythainlp's words + government vocabulary
+ the catalogue's words → ``analyzers/data/thai_dictionary.txt`` (with ``custom_words.txt`` and
``compounds.txt``).

Only the build needs ``analyzers.thai`` (every entry is normalised the way texts are); the dictionary
the segmenter reads (``analyzers.dictionary``) needs nothing of it, so the two import one way only.

Sources, all normalised with ``analyzers.thai.normalise``:
- ``data/gov_words.txt``: provinces, Bangkok districts, ministries, agencies and the parts of their names;
- ``data/abbreviations.tsv`` and ``data/synonyms.tsv``: both sides, so "สพฐ" and the name it stands for
  stay one token each;
- the catalogue: organization titles, and Thai tags that at least two datasets share.

    gdc-dict build [catalogue.jsonl ...]    # rewrite the dictionary files
    gdc-dict version                        # the version stored with the index
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

import click

from analyzers import dictionary, spelling
from analyzers.dictionary import (COMPOUNDS_FILE, CUSTOM_FILE, DICTIONARY_FILE, GOV_WORDS_FILE, abbreviations,
                                  read_lines, synonym_groups, version)
from analyzers.script import THAI_LETTERS
from analyzers.thai import normalise

__all__ = ["MIN_TAG_DATASETS", "MIN_COMPOUND_CHARS", "AGENCY_PREFIXES", "MAX_WORD_CHARS", "catalogue_words",
           "vocabulary_words", "is_compound", "build", "cli", "main"]

MIN_TAG_DATASETS = 2
MIN_COMPOUND_CHARS = 9
# Names that start like this are multi-word agency names even when pythainlp lists them as one word.
AGENCY_PREFIXES = ("กรม", "กระทรวง", "สำนักงาน", "สำนัก", "การไฟฟ้า", "การรถไฟ", "องค์การ", "องค์กร",
                   "สถาบัน", "ศูนย์", "ธนาคาร", "การท่าเรือ", "การประปา", "การยาง", "โรงพยาบาล")
MAX_WORD_CHARS = 60
_THAI_WORD = re.compile(f"^[{THAI_LETTERS}]{{2,}}$")
# Legal-form wrappers around agency names: "บริษัท วิทยุการบินแห่งประเทศไทย จำกัด (มหาชน)".
_LEGAL_FORM = re.compile(r"^บริษัท\s*|\s*จำกัด|\s*\((องค์การมหาชน|มหาชน)\)")


def catalogue_words(records: Iterable[dict], min_tag_datasets: int = MIN_TAG_DATASETS) -> set[str]:
    """Organization titles and shared Thai tags of catalogue records (canonical or data.go.th shape)."""
    found: set[str] = set()
    tag_datasets: Counter[str] = Counter()
    for record in records:
        organization = record.get("organization")
        title = organization.get("title") if isinstance(organization, dict) else record.get("org")
        name = normalise(_LEGAL_FORM.sub("", title or ""))
        found.update(w for w in name.split(" ") if _THAI_WORD.match(w))
        tag_datasets.update({normalise(t) for t in record.get("tags") or [] if isinstance(t, str)})
    found.update(t for t, n in tag_datasets.items() if n >= min_tag_datasets and _THAI_WORD.match(t))
    return {w for w in found if len(w) <= MAX_WORD_CHARS}


def vocabulary_words() -> set[str]:
    """Government vocabulary from the curated data files, normalised, one-word entries only."""
    entries = list(read_lines(GOV_WORDS_FILE))
    entries += [w for pair in abbreviations() for w in pair]
    entries += [w for group in synonym_groups() for w in group]
    normalised = (normalise(_LEGAL_FORM.sub("", e)) for e in entries)
    return {w for w in normalised if _THAI_WORD.match(w) and len(w) <= MAX_WORD_CHARS}


def is_compound(word: str, base: set[str]) -> bool:
    """A long custom word pythainlp does not know, or an agency name: indexed whole *and* in parts."""
    return len(word) >= MIN_COMPOUND_CHARS and (word not in base or word.startswith(AGENCY_PREFIXES))


def build(catalogues: Iterable[Path]) -> tuple[int, int]:
    """Write the dictionary files from pythainlp's words, the vocabulary and ``catalogues`` (JSON lines);
    the number of words and of custom words."""
    from pythainlp.corpus import thai_words

    base = set(thai_words())
    custom = vocabulary_words()
    for path in catalogues:
        custom |= catalogue_words(_read_jsonl(path))
    DICTIONARY_FILE.write_text("\n".join(sorted(base | custom)) + "\n", encoding="utf-8")
    CUSTOM_FILE.write_text("\n".join(sorted(custom)) + "\n", encoding="utf-8")
    compound = sorted(w for w in custom if is_compound(w, base))
    COMPOUNDS_FILE.write_text("\n".join(compound) + "\n", encoding="utf-8")
    dictionary.clear_caches()
    spelling.clear_caches()
    return len(base | custom), len(custom)


def _read_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Thai segmentation dictionary"""


@cli.command("build", short_help="rebuild analyzers/data/thai_dictionary.txt")
@click.argument("catalogues", nargs=-1, type=click.Path(path_type=Path))
def build_command(catalogues: tuple[Path, ...]) -> None:
    """Rebuild analyzers/data/thai_dictionary.txt from pythainlp's words, the vocabulary files and
    CATALOGUES (JSON-lines files of dataset records)."""
    total, custom = build(catalogues)
    click.echo(f"{DICTIONARY_FILE}: {total} words ({custom} custom), version {version()}")


@cli.command("version", short_help="print the dictionary version stored with the index")
def version_command() -> None:
    """Print the dictionary version stored with the index."""
    click.echo(version())


def main(argv: list[str] | None = None) -> int:
    """``gdc-dict build [catalogue.jsonl ...]`` rebuilds the dictionary; ``gdc-dict version`` prints it.

    The exit code: 0, or 2 for a usage error (click prints the usage and the problem)."""
    try:
        cli.main(args=argv, prog_name="gdc-dict")  # standalone: always ends in SystemExit
    except SystemExit as done:
        return int(done.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

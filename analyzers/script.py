"""Facts about the Thai script and calendar that several modules read: one home for each.

Character classes are given both as the characters (for ``str.translate`` and membership) and, where
a module builds its own regular expression, as a range for a character class.

>>> "๒๕๖๓".translate(TO_ARABIC_DIGITS)
'2563'
>>> 2563 - BE_OFFSET
2020
>>> is_thai("ข้อมูล"), is_thai("data")
(True, False)
"""
from __future__ import annotations

import re

__all__ = ["THAI_DIGITS", "TO_ARABIC_DIGITS", "TO_THAI_DIGITS", "THAI_DIGIT", "BE_OFFSET", "FIRST_BE_YEAR",
           "THAI_BLOCK", "THAI_LETTERS", "THAI_CONSONANTS", "THAI_CHAR", "RUN", "LATIN_WORD", "is_thai",
           "DROPPED_MARKS", "TYPO_MARKS", "SORT_SECONDARY", "LIGHT_VOWELS", "INVISIBLE"]

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
TO_ARABIC_DIGITS = str.maketrans(THAI_DIGITS, "0123456789")
TO_THAI_DIGITS = str.maketrans("0123456789", THAI_DIGITS)
THAI_DIGIT = re.compile("[๐-๙]")

# The Buddhist era counts from 543 BCE: BE 2563 is CE 2020.
BE_OFFSET = 543
# A four-digit year from here on is Buddhist era (BE 2400 = CE 1857, long before any dataset).
FIRST_BE_YEAR = 2400

# Ranges for a regular-expression character class: the whole Thai Unicode block (letters, marks, digits,
# signs); ก (U+0E01) to ๎ (U+0E4E), every Thai letter, vowel sign and mark (the digits and ๏ ๚ ๛ come
# after); ก to ฮ, the consonants.
THAI_BLOCK = "\u0e00-\u0e7f"
THAI_LETTERS = "\u0e01-\u0e4e"
THAI_CONSONANTS = "\u0e01-\u0e2e"
THAI_CHAR = re.compile(f"[{THAI_LETTERS}]")
# Runs of one script: Thai letters, or numbers (with inner dots and commas, "1,250.5"), or letters of
# another script (with inner apostrophes, "don't"). The baht sign, ๏ and the Thai digits are no part of
# a Thai run (normalised text has Arabic digits only).
RUN = re.compile(r"[\u0e01-\u0e3a\u0e40-\u0e4e]+|[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+(?:['’][^\W\d_]+)*")
# A Latin word written in pieces joined by hyphens (o-net, wi-fi, e-service) in normalised text; not a
# piece of a link, a file's name or a longer hyphenated run with digits (co2-emission, covid-19).
HYPHENATED = re.compile(r"(?<![\w./-])[a-z]+(?:-[a-z]+)+(?![\w/-])")
# A normalised, stemmed Latin word token.
LATIN_WORD = re.compile(r"^[a-z][a-z']*$")


def is_thai(text: str) -> bool:
    """True when ``text`` starts with a Thai letter or mark: a run of ``RUN`` is then all Thai."""
    return bool(THAI_CHAR.match(text))


# Marks people most often drop or misplace when typing: maitaikhu, the four tone marks, thanthakhat.
DROPPED_MARKS = "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c"
# ... and nikhahit: what the subword field and the highlighter's typo match ignore.
TYPO_MARKS = DROPPED_MARKS + "\u0e4d"
# ... and yamakkan: marks that only break ties in Thai dictionary order.
SORT_SECONDARY = TYPO_MARKS + "\u0e4e"
# Vowel signs a typist slips on as easily as a tone mark (sara a, mai han-akat, sara aa, sara i … sara uu).
LIGHT_VOWELS = "\u0e30\u0e31\u0e32\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39"

# Invisible in a spreadsheet or web form but break equality: zero-width space and (non-)joiner, word
# joiner, byte-order mark, soft hyphen.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

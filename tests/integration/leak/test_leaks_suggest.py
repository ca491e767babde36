"""Autocomplete on every prefix of every canary word, and "did you mean" on misspelt canaries:
nothing that exists only in records the principal cannot see may come back."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.canary import BY_LETTER, THAI, all_canaries, canary_words, get, leaked, normalised, truth

pytestmark = pytest.mark.integration

SUGGEST_URLS = ["/search/suggest?q={}", "/api/v1/suggest?q={}"]


def prefixes() -> list[str]:
    out: dict[str, None] = {}
    for word in all_canaries():
        for end in range(1, len(word) + 1):
            out[word[:end]] = None
    return list(out)


@pytest.mark.parametrize("template", SUGGEST_URLS)
def test_autocomplete_on_every_prefix_of_every_canary(full, open_only, template):
    problems = []
    for prefix in prefixes():
        url = template.format(quote(prefix))
        for who in ("anonymous", "nearmiss"):
            seen = get(full, who, url)
            if (seen.status_code, normalised(seen)) != truth(open_only, url)[:2]:
                problems.append(f"{who} {url}: {seen.get_data(as_text=True)[:300]}")
            elif words := leaked(seen, url):
                problems.append(f"{who} {url}: {words}")
    assert not problems, "\n".join(problems[:20])


def misspellings(word: str) -> list[str]:
    """One edit away: a changed letter near the end, a swapped pair in the middle."""
    mid = len(word) // 2
    return [word[:-2] + ("x" if word[-2] != "x" else "y") + word[-1],
            word[:mid] + word[mid + 1] + word[mid] + word[mid + 2:]]


@pytest.mark.parametrize("who", ["anonymous", "nearmiss", "somchai"])
def test_did_you_mean_never_offers_an_unseen_word(full, open_only, who):
    """``somchai`` sees alpha by name only: its title may be suggested, its tags and notes never. A search
    that finds nothing shows its correction's results (the page, the widget): corrected from seen words
    only, and kept as typed with ``as_typed=1``."""
    problems = []
    for letter in BY_LETTER:
        words = list(canary_words(letter).values()) + ([THAI[letter]] if letter in THAI else [])
        if who == "somchai" and letter == "alpha":
            words = [w for w in words if "tag" in w or "notes" in w or "res" in w or "maint" in w]
        for word in words:
            for typo in misspellings(word):
                for url in (f"/search?q={quote(typo)}", f"/api/v1/search?q={quote(typo)}",
                            f"/search?q={quote(typo)}&as_typed=1", f"/widget?q={quote(typo)}"):
                    seen = get(full, who, url)
                    if found := leaked(seen, url, words):
                        problems.append(f"{who} {url}: {found}")
                    if who != "somchai":
                        if normalised(seen) != truth(open_only, url)[1]:
                            problems.append(f"{who} {url}: differs from the open-only corpus")
    assert not problems, "\n".join(problems[:20])

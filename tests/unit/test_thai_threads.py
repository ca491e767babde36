"""Thai/English segmentation is safe under the threads of a web server."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from analyzers import thai

WORDS = [f"{stem}{ending}" for stem in ("statistic", "population", "hospital", "budgeting", "school", "reporting")
         for ending in ("s", "es", "ing", "ed", "ation", "ly", "ness", "ers")]


def test_english_stemming_from_many_threads_matches_one_thread():
    expected = {word: thai._stemmer().stemWord(word) for word in WORDS}
    thai.stem.cache_clear()  # make every thread really stem, not read the cache

    def stem_all(offset: int) -> dict[str, str]:
        words = WORDS[offset:] + WORDS[:offset]
        return {word: thai._stemmer().stemWord(word) for _ in range(200) for word in words}

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(stem_all, range(8)))
    assert all(result == expected for result in results)

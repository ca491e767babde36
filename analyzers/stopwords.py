"""Words that carry no topic: a query need not find them, and they make no concept of their own.

>>> "ใน" in function_words() and "the" in function_words()
True
"""
from __future__ import annotations

from functools import lru_cache

from analyzers import thai

__all__ = ["ENGLISH_FUNCTION_WORDS", "QUESTION_WORDS_TH", "QUESTION_WORDS_EN", "CATALOGUE_FUNCTION_WORDS",
           "ASKING_WORDS_TH", "function_words", "describing_words"]

# Lucene's English stop set (EnglishAnalyzer's) but "it" (IT, information technology, in a data catalogue),
# and the prepositions of place and time a catalogue query carries ("flights at Suvarnabhumi", "hotels near
# Bangkok"), which pythainlp's Thai list holds in Thai (ระหว่าง between, ก่อน before, หลัง after).
ENGLISH_FUNCTION_WORDS = frozenset(
    "a an and are as at be but by for if in into is no not of on or such that the their then there these "
    "they this to was will with "
    "about across after before between during from near over per under via within".split())
# In a data catalogue "data" says nothing ("ข้อมูลวัดในจังหวัดเชียงใหม่" is about temples in Chiang Mai),
# and year markers only announce the number that follows ("ปี 2563", "พ.ศ. 2562").
# Questions ("มีโรงแรมกี่แห่งในกรุงเทพ", "how many registered vehicles are there"): the question words say
# what kind of answer is wanted, never what it is about (most Thai ones are pythainlp stop words already).
# ใด (which), คนใด (who), ชื่อว่า (is named), มีความหมาย (means): "…มีชื่อว่าอะไร", "นักวิจัยคนใด…" — a
# question's frame, never its topic (fourth session: found on XQuAD-th's dev half, bench/xquad/split.tsv).
QUESTION_WORDS_TH = frozenset({"กี่", "ไหม", "ทำ", "คน", "ที่ไหนบ้าง", "หรือเปล่า", "เหรอ", "ขอทราบ",
                               "ใด", "คนใด", "ชื่อว่า", "มีชื่อว่า", "มีความหมาย"})
QUESTION_WORDS_EN = frozenset(
    "how many much what where which who whom whose when why is are was were there does do did can could "
    "i we you find get show me list any about".split())
# A question particle that is also a word: ไหม ends a question ("มีข้อมูลไหม") and is silk elsewhere
# ("ราคาไหมพื้นบ้าน", "ไหมไทย"). Polite particles may follow it.
END_PARTICLES = frozenset({"ไหม"})
POLITE_PARTICLES = frozenset({"ครับ", "คะ", "ค่ะ", "คับ", "จ้ะ", "จ๊ะ", "นะ"})
CATALOGUE_FUNCTION_WORDS = frozenset({"ข้อมูล", "ชุดข้อมูล", "data", "dataset", "ปี", "พศ", "คศ"})
# The words that ask (what, where, how, who, when, why, whether; "is"/"that" before the answer): they say
# what kind of answer is wanted. The other function words of pythainlp's stop list often describe (แรก
# first, ใหม่ new, ใต้ south, เกิด born, ได้รับ received, ระหว่าง between) and weigh a little.
ASKING_WORDS_TH = QUESTION_WORDS_TH | frozenset({
    "อะไร", "ไหน", "ที่ไหน", "อย่างไร", "ยังไง", "เท่าไร", "เท่าไหร่", "ใคร", "เมื่อไร", "เมื่อไหร่", "ทำไม",
    "หรือไม่", "บ้าง", "คือ", "ว่า"})


def particle_is_a_word(tokens: tuple[str, ...], i: int) -> bool:
    """True when ``tokens[i]`` is an end particle (ไหม) that something other than polite particles follows:
    there it is a word (silk), not the question's end."""
    return tokens[i] in END_PARTICLES and any(t not in POLITE_PARTICLES for t in tokens[i + 1:])


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Words that carry no topic (ใน, ของ, การ, เพื่อ, of, the): a query need not find all of them."""
    from pythainlp.corpus import thai_stopwords

    return (frozenset(thai_stopwords()) | _as_read(ENGLISH_FUNCTION_WORDS) | CATALOGUE_FUNCTION_WORDS
            | QUESTION_WORDS_TH | _english_question_words())


def describing_words(words: tuple[str, ...] | list[str]) -> list[str]:
    """The function words of ``words`` that do not ask, once each, in order: "เป็น", "แรก", "ของ" of
    "ใครเป็นผู้ว่าการรัฐคนแรกของภาคใต้", not "ใคร"; "the", not "what" or "is".

    >>> describing_words(("ใคร", "เป็น", "ผู้ว่าการ", "รัฐ", "คน", "แรก", "ของ", "ภาคใต้"))
    ['เป็น', 'แรก', 'ของ']
    """
    stop, asking = function_words(), _asking_words()
    return [w for w in dict.fromkeys(words) if w in stop and w not in asking]


@lru_cache(maxsize=1)
def _asking_words() -> frozenset[str]:
    return ASKING_WORDS_TH | _english_question_words()


@lru_cache(maxsize=1)
def _english_question_words() -> frozenset[str]:
    """``QUESTION_WORDS_EN`` as queries are read (``_as_read``)."""
    return _as_read(QUESTION_WORDS_EN)


def _as_read(words: frozenset[str]) -> frozenset[str]:
    """English words as written and as the segmenter gives them ("many" → "mani", "during" → "dure"), as
    queries are read."""
    return words | frozenset(t for w in words for t in thai.segment(w))

"""analyzers.highlight.mark: <mark> on the original text, everything else escaped."""
from __future__ import annotations

from markupsafe import Markup

from analyzers.highlight import mark
from analyzers.query import understand


def html(text, q, **kw):
    return str(mark(text, understand(q), **kw))


def test_marks_word_inside_unspaced_text_without_inserting_spaces():
    assert html("ที่ตั้งโรงเรียนในสังกัด", "โรงเรียน") == "ที่ตั้ง<mark>โรงเรียน</mark>ในสังกัด"


def test_everything_is_escaped():
    out = html('<script>alert("x")</script> โรงเรียน & วัด', "โรงเรียน")
    assert out == "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; <mark>โรงเรียน</mark> &amp; วัด"
    assert isinstance(mark("a", understand("a")), Markup)


def test_query_markup_is_not_injected():
    assert "<b>" not in html("<b>bold</b>", "<b>")


def test_abbreviation_marks_full_name_and_back():
    assert html("ข้อมูลของการไฟฟ้าส่วนภูมิภาค", "กฟภ.") == "ข้อมูลของ<mark>การไฟฟ้าส่วนภูมิภาค</mark>"
    assert html("ภาพรวม กฟภ. ปี 2557", "การไฟฟ้าส่วนภูมิภาค") == "ภาพรวม <mark>กฟภ</mark>. ปี 2557"


def test_thai_digits_in_text_match_arabic_query():
    assert html("พ.ร.บ. พ.ศ.๒๕๖๒", "2562") == "พ.ร.บ. พ.ศ.<mark>๒๕๖๒</mark>"


def test_part_of_agency_name():
    assert html("กรมการขนส่งทางบก", "ขนส่งทางบก") == "กรมการ<mark>ขนส่งทางบก</mark>"


def test_trap_compound_not_marked():
    assert "<mark>" not in html("สถิติรถจักรยานยนต์", "จักรยาน")


def test_typo_marks_intended_word():
    assert html("สถิติการท่องเที่ยว", "ท่องเทียว") == "สถิติการ<mark>ท่องเที่ยว</mark>"


def test_latin_stem_and_case():
    assert html("Electricity Consumption", "electricity") == "<mark>Electricity</mark> Consumption"


def test_snippet_window_around_first_match():
    text = "ข้อมูลทั่วไป " * 40 + "สถานีรถไฟ กรุงเทพ " + "รายละเอียด " * 40
    out = html(text, "สถานีรถไฟ", max_len=80)
    assert out.startswith("…") and out.endswith("…")
    assert "<mark>สถานีรถไฟ</mark>" in out
    assert len(out.replace("<mark>", "").replace("</mark>", "")) <= 82


def test_no_match_and_empty_inputs():
    assert html("ข้อความ", "ไม่มีทาง") == "ข้อความ"
    assert html("", "โรงเรียน") == ""
    assert str(mark(None, understand("x"))) == ""
    assert html("<i>", "") == "&lt;i&gt;"


def test_match_after_a_nominal_prefix():
    assert html("จำนวนนักท่องเที่ยว", "ท่องเที่ยว") == "จำนวนนัก<mark>ท่องเที่ยว</mark>"
    assert html("จำนวนนักท่องเที่ยว", "ท่องเทียว") == "จำนวนนัก<mark>ท่องเที่ยว</mark>"


def test_word_inside_a_plain_dictionary_compound():
    # ปริมาณน้ำฝน is one pythainlp word, ปริมาณ + น้ำฝน: the query word is marked where it stands
    assert html("ปริมาณน้ำฝนรายเดือน", "น้ำฝน") == "ปริมาณ<mark>น้ำฝน</mark>รายเดือน"
    assert html("ที่ตั้งสถานีรถไฟ", "รถไฟ") == "ที่ตั้งสถานี<mark>รถไฟ</mark>"


def test_words_kept_whole_on_purpose_are_not_split_by_marks():
    assert "<mark>" not in html("จำนวนผู้โดยสารรถไฟฟ้า", "ไฟฟ้า")  # รถไฟฟ้า is a custom word
    assert "<mark>" not in html("ราคาทุเรียน", "เรียน")  # ทุ is no word of its own
    assert "<mark>" not in html("ที่ตั้งโรงเรียน", "เรียน")
    assert "<mark>" not in html("ปริมาณน้ำฝน", "ฝน")  # too short to stand out inside another word


def test_invisible_characters_and_thai_full_stops_keep_marks_in_place():
    text = "สถิติ\u200bการท่องเที่ยว พ.ศ. 2565 ท่องเที่ยว"
    assert html(text, "ท่องเทียว") == "สถิติ\u200bการ<mark>ท่องเที่ยว</mark> พ.ศ. 2565 <mark>ท่องเที่ยว</mark>"


def test_letters_that_lower_to_two_or_by_context_keep_marks_in_place():
    # İ lowers to two characters and a final Σ to ς: the view still maps one character to one.
    assert html("ΟΔΟΣ ISTANBUL İSTANBUL istanbul", "istanbul") == \
        "ΟΔΟΣ <mark>ISTANBUL</mark> <mark>İSTANBUL</mark> <mark>istanbul</mark>"


def test_typo_match_spans_at_most_four_words():
    assert html("การท่อง เที่ยว", "ท่องเทียว") == "การ<mark>ท่อง เที่ยว</mark>"
    assert html("xx ท่อง a b เที่ยว", "ท่องเทียว") == "xx <mark>ท่อง</mark> a b เที่ยว"


def test_a_word_written_with_hyphens_is_marked_whole_when_the_query_joins_it():
    assert html("ผลสอบ O-NET ชั้น ม.6", "onet") == "ผลสอบ <mark>O-NET</mark> ชั้น ม.6"
    assert html("ผลสอบ O-NET ชั้น ม.6", "O-NET") == "ผลสอบ <mark>O-NET</mark> ชั้น ม.6"
    assert html("จุด Wi-Fi ฟรี", "wifi") == "จุด <mark>Wi-Fi</mark> ฟรี"
    assert html("ความพึงพอใจ WiFi", "wi-fi") == "ความพึงพอใจ <mark>WiFi</mark>"
    assert html("ดาวน์โหลด https://x.org/wi-fi.csv", "wifi") == "ดาวน์โหลด https://x.org/wi-fi.csv"

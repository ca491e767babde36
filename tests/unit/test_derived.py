"""indexer.derived: the derived block of a record, never overriding what it declares, and its findings."""
from __future__ import annotations

from indexer import derived
from indexer.documents import to_document
from tests.support import dataset


def record(**fields):
    """A record that declares neither coverage nor frequency (like the 836 data.go.th records)."""
    return dataset(**{"geo_coverage": None, "update_frequency_unit": None, "update_frequency_interval": None,
                      "tags": [], **fields})


def test_places_coverage_frequency_and_years_from_the_title():
    block = derived.derive(record(title="รายงานทะเบียนวัดจังหวัดเชียงใหม่ รายเดือน ปี 2562"))
    assert block["places"] == {"value": ["50"], "from": ["title"]}
    assert block["geo_coverage"]["value"] == "06" and block["geo_coverage"]["from"] == ["title"]
    assert block["update_frequency_unit"] == {"value": "M", "from": ["title"], "evidence": "รายเดือน"}
    assert block["years"] == {"value": [2562, 2562], "from": ["title"]}


def test_declared_values_are_never_overridden():
    block = derived.derive(record(title="ข้อมูลจังหวัดเชียงใหม่ รายเดือน", geo_coverage="04",
                                  update_frequency_unit="A"))
    assert "geo_coverage" not in block and "update_frequency_unit" not in block
    assert block["places"]["value"] == ["50"]


def test_coverage_levels():
    assert derived.derive(record(title="ข้อมูล อำเภอฝาง จังหวัดเชียงใหม่"))["geo_coverage"]["value"] == "07"
    assert derived.derive(record(title="ผลผลิตข้าวภาคเหนือ"))["geo_coverage"]["value"] == "05"
    assert derived.derive(record(title="สถิติคดีทั่วประเทศ"))["geo_coverage"]["value"] == "04"


def test_ambiguous_coverage_is_not_stated():
    for title in ("ข้อมูลจังหวัดเชียงใหม่และจังหวัดลำปาง",      # two provinces
                  "สถิติทั่วประเทศ จังหวัดเชียงใหม่",             # the country and a province
                  "จำนวนรถจดทะเบียนใหม่ (รายจังหวัด) จังหวัดตาก",  # a table of every province
                  "แผนที่องค์การบริหารส่วนตำบลรังนก อำเภอสามง่าม จังหวัดพิจิตร"):  # finer than a district
        assert "geo_coverage" not in derived.derive(record(title=title)), title


def test_frequency_from_a_dated_sequence_of_resources():
    months = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน"]
    block = derived.derive(record(title="การใช้ไฟฟ้า ปี 2555",
                                  resources=[{"name": f"ใช้ไฟ {m} 2555", "url": "http://x"} for m in months]))
    assert block["update_frequency_unit"] == {"value": "M", "from": ["resources"]}


def test_one_months_edition_has_no_frequency_of_its_own():
    block = derived.derive(record(title="จำนวนเรื่องร้องทุกข์ ประจำเดือนกันยายน 2561",
                                  notes="สรุปเป็นรายเดือน"))
    assert "update_frequency_unit" not in block


def test_two_frequencies_are_not_stated():
    block = derived.derive(record(title="ฐานะการคลัง", resources=[
        {"name": "ฐานะการคลัง รายเดือน", "url": "http://x"}, {"name": "ฐานะการคลัง รายปี", "url": "http://y"}]))
    assert "update_frequency_unit" not in block


def test_findings_tell_the_agency_what_it_could_declare():
    found = derived.findings(derived.derive(record(title="รายงาน GPS รายเดือน จังหวัดตรัง")))
    by_field = {f.field: f for f in found}
    assert by_field["update_frequency_unit"].rule == "derivable"
    assert by_field["update_frequency_unit"].message_en == (
        "the title says “รายเดือน”; update_frequency_unit is not stated (it could be “Month”)")
    assert "ชื่อชุดข้อมูลระบุ “รายเดือน”" in by_field["update_frequency_unit"].message_th
    assert by_field["geo_coverage"].value == "06"


def test_the_index_document_carries_places_with_their_ancestors_and_years():
    rec = record(title="ข้อมูล อำเภอฝาง จังหวัดเชียงใหม่ ปีงบประมาณ 2560-2562")
    rec["derived"] = derived.derive(rec)
    doc = to_document(rec)
    assert doc["place"] == ["north", "50", "5009"]
    assert doc["years"] == ["2560", "2561", "2562"]
    assert doc["geo_coverage"] == "07"
    assert doc["record"]["geo_coverage"] is None          # the record itself is untouched


def test_a_sensitive_records_frequency_reaches_the_name_tier_facet_only_from_its_title():
    sensitive = record(title="ข้อมูลผู้ป่วย", notes="ปรับปรุงรายเดือน", data_category="personal",
                       allow_harvest=True, data_classification="03")
    sensitive["derived"] = derived.derive(sensitive)
    assert sensitive["derived"]["update_frequency_unit"]["from"] == ["notes"]
    assert to_document(sensitive)["update_frequency_unit"] is None
    titled = record(title="ข้อมูลผู้ป่วย รายเดือน", data_category="personal", allow_harvest=True,
                    data_classification="03")
    titled["derived"] = derived.derive(titled)
    assert to_document(titled)["update_frequency_unit"] == "M"


def test_the_data_format_is_what_the_records_files_are():
    """Item 12 is declared by none of the sample's records: read from what the resources declare and link
    (an .xls file declared "XSL" is XLS); ZIP and MAP name no entry of the code list."""
    files = [{"name": "a", "format": "XSL", "url": "https://x.go.th/a.xls"},
             {"name": "b", "format": "PDF", "url": "https://x.go.th/b"},
             {"name": "c", "format": "ZIP", "url": "https://x.go.th/c.zip"},
             {"name": "d", "format": "MAP", "url": "https://x.go.th/d.gml"}]
    block = derived.derive(record(data_format=None, resources=files))
    assert block["data_format"] == {"value": ["xls", "pdf", "gml"], "from": ["resource_formats"],
                                    "evidence": "XLS, PDF, GML"}
    assert "data_format" not in derived.derive(record(data_format=["csv"], resources=files))
    assert "data_format" not in derived.derive(record(data_format=None, resources=files[2:3]))
    [found] = [f for f in derived.findings(block) if f.field == "data_format"]
    assert found.message_en == ("the resource list says “XLS, PDF, GML”; data_format is not stated "
                                "(it could be “XLS/XLSX, PDF, GML”)")
    rec = record(data_format=None, resources=files)
    rec["derived"] = block
    assert to_document(rec)["data_format"] == ["xls", "pdf", "gml"]
    assert to_document(rec)["record"]["data_format"] is None          # the record itself is untouched


def test_a_record_whose_files_hold_geometry_is_geospatial_data():
    """Item 1 is declared by none of the sample's records: a data format that holds geometry (GML, SHP,
    GeoTIFF, Arc/Info) makes it geospatial (2). Statistics and records are never told apart by files."""
    layer = [{"name": "a", "format": "MAP", "url": "https://x.go.th/a.gml"},
             {"name": "b", "format": "XLS", "url": "https://x.go.th/b.xls"}]
    table = layer[1:]
    block = derived.derive(record(data_type=None, data_format=None, resources=layer))
    assert block["data_type"] == {"value": "2", "from": ["resource_formats"], "evidence": "GML"}
    assert "data_type" not in derived.derive(record(data_type=None, data_format=None, resources=table))
    assert "data_type" not in derived.derive(record(data_type="3", data_format=None, resources=layer))
    declared = derived.derive(record(data_type=None, data_format=["shapefile", "csv"], resources=table))
    assert declared["data_type"] == {"value": "2", "from": ["data_format"], "evidence": "Shapefile"}
    assert "data_type" not in derived.derive(record(data_type=None, data_format=["csv"], resources=layer))
    [found] = [f for f in derived.findings(block) if f.field == "data_type"]
    assert found.message_en == ("the resource list says “GML”; data_type is not stated "
                                "(it could be “Geospatial data”)")
    rec = record(data_type=None, data_format=None, resources=layer)
    rec["derived"] = block
    assert to_document(rec)["data_type"] == "2" and to_document(rec)["record"]["data_type"] is None

"""XLSX workbooks: the national bulk-import template (``Temp2_Meta_*`` sheets with ``Temp3_Resource*``
resources), or a plain sheet with its header on row 1."""
from __future__ import annotations

from typing import Any, Iterator

from .base import RawRecord, SourceError, open_binary

TEMPLATE_SHEETS = {
    "Temp2_Meta_Record": "ข้อมูลระเบียน",
    "Temp2_Meta_Stat": "ข้อมูลสถิติ",
    "Temp2_Meta_GIS": "ข้อมูลภูมิสารสนเทศเชิงพื้นที่",
    "Temp2_Meta_Multi": "ข้อมูลหลากหลายประเภท",
    "Temp2_Meta_Other": "ข้อมูลประเภทอื่นๆ",
}
TEMPLATE_HEADER_ROW = 4
# The template's row 5 explains each column; records start on row 6 (as the national importer reads it).
TEMPLATE_FIRST_ROW = 6


# Column orders of the national importer (ckanext-thai_gdc), which reads these sheets by position. The
# 2.2.x templates added data_classification after data_category; the 2.1 ones lack it. The layout is
# chosen by the width of the header row; a sheet of another width is read by its header labels.
# ``d_type`` is the template's own type column, which the importer ignores: the sheet gives the type.
_COMMON = ("title", "owner_org", "maintainer", "maintainer_email", "tag_string", "notes", "objective",
           "update_frequency_unit", "update_frequency_interval", "geo_coverage", "data_source", "data_format",
           "data_category", "data_classification", "license_id", "accessible_condition")
_RECORD_TAIL = ("created_date", "last_updated_date", "url", "data_support", "data_collect", "data_language",
                "high_value_dataset", "reference_data")
TEMPLATE_COLUMNS = {
    "Temp2_Meta_Record": ("name", "d_type") + _COMMON + _RECORD_TAIL,
    "Temp2_Meta_Multi": ("name", "d_type") + _COMMON + _RECORD_TAIL,
    "Temp2_Meta_Other": ("name", "data_type_other") + _COMMON + _RECORD_TAIL,
    "Temp2_Meta_Stat": ("name", "d_type") + _COMMON + (
        "first_year_of_data", "last_year_of_data", "data_release_calendar", "last_updated_date",
        "disaggregate", "unit_of_measure", "unit_of_multiplier", "calculation_method", "standard", "url",
        "data_language", "official_statistics"),
    "Temp2_Meta_GIS": ("name", "d_type") + _COMMON + (
        "geographic_data_set", "equivalent_scale", "west_bound_longitude", "east_bound_longitude",
        "north_bound_longitude", "south_bound_longitude", "positional_accuracy", "reference_period",
        "last_updated_date", "data_release_calendar", "data_release_date", "url", "data_language"),
}


def template_layout(sheet_name: str, header: tuple[Any, ...]) -> tuple[str, ...] | None:
    """The column order of a template sheet, chosen by its header width (2.2.x or 2.1), or None."""
    columns = TEMPLATE_COLUMNS.get(sheet_name)
    if columns is None:
        return None
    width = max((i + 1 for i, cell in enumerate(header) if cell not in (None, "")), default=0)
    for layout in (columns, tuple(c for c in columns if c != "data_classification")):
        if width == len(layout):
            return layout
    return None


RESOURCE_SHEET_PREFIX = "Temp3_Resource"
RESOURCE_COLUMNS = ("dataset_name", "name", "url", "description", "resource_accessible_condition",
                    "resource_last_updated_date", "format", "resource_created_date", "resource_data_collect",
                    "resource_cdp")


def read_xlsx(path: str) -> Iterator[RawRecord]:
    """Records of the template's metadata sheets (with their resources), or of a plain first sheet."""
    import openpyxl
    from zipfile import BadZipFile

    with open_binary(path):
        pass
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SourceError(path, f"ไม่ใช่ไฟล์ XLSX ที่อ่านได้ ({exc})",
                          f"not a readable XLSX workbook ({exc})") from exc
    try:
        template = [name for name in book.sheetnames if name in TEMPLATE_SHEETS]
        if not template:
            sheet = book[book.sheetnames[0]]
            yield from _sheet_records(path, sheet, 1, 2, "", None, {})
            return
        resources = _template_resources(book)
        for name in template:
            yield from _sheet_records(path, book[name], TEMPLATE_HEADER_ROW, TEMPLATE_FIRST_ROW,
                                      name, TEMPLATE_SHEETS[name], resources)
    finally:
        book.close()


def _cell(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _sheet_records(path: str, sheet: Any, header_row: int, first_row: int, template: str,
                   data_type: str | None, resources: dict[str, list[dict[str, Any]]]) -> Iterator[RawRecord]:
    from indexer.schemas.shapes import header_map

    mapping = header_map()
    keys: list[str] | None = None
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number == header_row:
            keys = _row_keys(row, template_layout(template, row), mapping)
        if number < first_row or keys is None:
            continue
        values = [_cell(v) for v in row]
        if not any(v not in (None, "") for v in values):
            continue
        data: dict[str, Any] = {}
        for key, value in zip(keys, values):
            if key and (key not in data or data[key] in (None, "")):
                data[key] = value
        if data_type and not data.get("data_type"):
            data["data_type"] = data_type
        attached = resources.get(str(data.get("name") or "").strip())
        if attached:
            data["resources"] = attached
        yield RawRecord(path, f"sheet {sheet.title} row {number}", data)


def _row_keys(row: tuple[Any, ...], positional: tuple[str, ...] | None, mapping: dict[str, str]) -> list[str]:
    from indexer.codelists import normalise_key

    keys = []
    for index, header in enumerate(row):
        text = "" if header is None else str(header).strip()
        if positional and index < len(positional):
            keys.append(positional[index])  # the national importer reads these sheets by position
            continue
        field_name = mapping.get(normalise_key(text)) if text else None
        keys.append(field_name or text)
    return keys


def _template_resources(book: Any) -> dict[str, list[dict[str, Any]]]:
    """Resources of every ``Temp3_Resource*`` sheet, by the dataset name in their first column."""
    found: dict[str, list[dict[str, Any]]] = {}
    for name in book.sheetnames:
        if not name.startswith(RESOURCE_SHEET_PREFIX):
            continue
        for number, row in enumerate(book[name].iter_rows(values_only=True), start=1):
            if number < TEMPLATE_FIRST_ROW:
                continue
            resource = {k: _cell(v) for k, v in zip(RESOURCE_COLUMNS, row) if v not in (None, "")}
            owner = str(resource.pop("dataset_name", "") or "").strip()
            if owner and resource:
                found.setdefault(owner, []).append(resource)
    return found

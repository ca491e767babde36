"""The statistics block (data type ข้อมูลสถิติ): years, unit of measure and multiplier, disaggregation."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, post_load

from .fields import Code, Codes, Date, Text, Year
from .problems import note

FIELDS = (
    "first_year_of_data", "last_year_of_data", "data_release_calendar", "disaggregate", "unit_of_measure",
    "unit_of_multiplier", "calculation_method", "standard",
)


class StatisticsSchema(Schema):
    first_year_of_data = Year(allow_none=True)
    last_year_of_data = Year(allow_none=True)
    data_release_calendar = Date(allow_none=True)
    disaggregate = Codes("disaggregate")
    unit_of_measure = Text(allow_none=True)
    unit_of_multiplier = Code("unit_of_multiplier")
    calculation_method = Text(allow_none=True)
    standard = Text(allow_none=True)

    @post_load
    def check_years(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        first, last = data.get("first_year_of_data"), data.get("last_year_of_data")
        if first is not None and last is not None and first > last:
            note("year_range", "first_year_of_data", first, detail=str(last))
        return {key: value for key, value in data.items() if value not in (None, [], "")}

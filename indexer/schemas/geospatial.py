"""The geospatial block (data type ข้อมูลภูมิสารสนเทศเชิงพื้นที่): bounding box, scale, accuracy, period.

The national schema calls the latitude bounds ``north_bound_longitude`` / ``south_bound_longitude``;
the names are kept as the standard spells them.
"""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, post_load

from .fields import Code, Date, Number, Text
from .problems import note

FIELDS = (
    "geographic_data_set", "equivalent_scale", "west_bound_longitude", "east_bound_longitude",
    "north_bound_longitude", "south_bound_longitude", "positional_accuracy", "reference_period",
    "data_release_date", "data_release_calendar",
)
_LIMITS = {"west_bound_longitude": 180, "east_bound_longitude": 180,
           "north_bound_longitude": 90, "south_bound_longitude": 90}


class GeospatialSchema(Schema):
    geographic_data_set = Code("geographic_data_set")
    equivalent_scale = Code("equivalent_scale")
    west_bound_longitude = Number(allow_none=True)
    east_bound_longitude = Number(allow_none=True)
    north_bound_longitude = Number(allow_none=True)
    south_bound_longitude = Number(allow_none=True)
    positional_accuracy = Text(allow_none=True)
    reference_period = Text(allow_none=True)
    data_release_date = Date(allow_none=True)
    data_release_calendar = Date(allow_none=True)

    @post_load
    def check_box(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        for name, limit in _LIMITS.items():
            value = data.get(name)
            if value is not None and not -limit <= value <= limit:
                note("bbox_invalid", name, value, detail=f"ต้องอยู่ระหว่าง / must be within ±{limit}")
                data[name] = None
        south, north = data.get("south_bound_longitude"), data.get("north_bound_longitude")
        if south is not None and north is not None and south > north:
            note("bbox_invalid", "south_bound_longitude", south,
                 detail=f"อยู่เหนือขอบบน / north of the northern bound {north}")
        return {key: value for key, value in data.items() if value not in (None, [], "")}

"""Geospatial block: bounding box ranges and order, scale and fundamental dataset code lists."""
import pytest
from marshmallow import ValidationError

from indexer.schemas.geospatial import GeospatialSchema
from indexer.schemas.problems import collecting


def load(values):
    with collecting() as notes:
        data = GeospatialSchema().load(values)
    return data, [(n.rule, n.field) for n in notes]


def test_geospatial_block_normalised():
    data, notes = load({"geographic_data_set": "ชั้นข้อมูลขอบเขตการปกครอง", "equivalent_scale": "1:50,000",
                        "west_bound_longitude": "97.3", "east_bound_longitude": "105.6",
                        "north_bound_longitude": "20.5", "south_bound_longitude": "๕.๖",
                        "positional_accuracy": "±5 m", "data_release_date": "2566-10-01"})
    assert data == {"geographic_data_set": "admin_boundary", "equivalent_scale": "50000",
                    "west_bound_longitude": 97.3, "east_bound_longitude": 105.6,
                    "north_bound_longitude": 20.5, "south_bound_longitude": 5.6,
                    "positional_accuracy": "±5 m", "data_release_date": "2023-10-01"}
    assert notes == []


def test_out_of_range_coordinate_is_dropped_and_noted():
    data, notes = load({"west_bound_longitude": "197.3", "north_bound_longitude": "20"})
    assert "west_bound_longitude" not in data and data["north_bound_longitude"] == 20
    assert notes == [("bbox_invalid", "west_bound_longitude")]


def test_south_north_of_north_is_noted():
    _data, notes = load({"north_bound_longitude": "5", "south_bound_longitude": "20"})
    assert notes == [("bbox_invalid", "south_bound_longitude")]


def test_non_numeric_coordinate_is_noted():
    _data, notes = load({"east_bound_longitude": "ตะวันออก"})
    assert notes == [("number_invalid", "east_bound_longitude")]


def test_unknown_scale_rejects():
    with pytest.raises(ValidationError):
        load({"equivalent_scale": "1:3"})

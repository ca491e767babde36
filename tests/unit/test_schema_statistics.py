"""Statistics block: Buddhist-era years, year order, multiplier and disaggregation code lists."""
import pytest
from marshmallow import ValidationError

from indexer.schemas.problems import collecting
from indexer.schemas.statistics import StatisticsSchema


def load(values):
    with collecting() as notes:
        data = StatisticsSchema().load(values)
    return data, [(n.rule, n.field) for n in notes]


def test_statistics_block_normalised():
    data, notes = load({"first_year_of_data": "2553", "last_year_of_data": "๒๕๖๖", "unit_of_measure": " คน ",
                        "unit_of_multiplier": "พัน", "disaggregate": ["เพศ", "อายุ/กลุ่มอายุ"],
                        "data_release_calendar": "2567-01-31", "standard": ""})
    assert data == {"first_year_of_data": 2010, "last_year_of_data": 2023, "unit_of_measure": "คน",
                    "unit_of_multiplier": "3", "disaggregate": ["sex", "age"],
                    "data_release_calendar": "2024-01-31"}
    assert notes == []


def test_first_year_after_last_is_a_quality_note():
    _data, notes = load({"first_year_of_data": "2566", "last_year_of_data": "2553"})
    assert notes == [("year_range", "first_year_of_data")]


def test_unknown_multiplier_rejects():
    with pytest.raises(ValidationError) as exc:
        load({"unit_of_multiplier": "โหล"})
    assert exc.value.messages["unit_of_multiplier"][0].finding.rule == "code_unknown"


def test_unknown_disaggregation_rejects():
    with pytest.raises(ValidationError):
        load({"disaggregate": ["เพศ", "สีผม"]})

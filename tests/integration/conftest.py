"""Fixtures of the integration tier."""
from __future__ import annotations

import uuid

import pytest

from tests.esutil import drop_indices
from tests.support import load_sample


@pytest.fixture(scope="session")
def sample_alias(es):
    """The bundled 836-record sample (what ``make run`` loads), indexed once per run and only read."""
    alias = f"test_sample_{uuid.uuid4().hex[:10]}"
    load_sample(es, alias)
    yield alias
    drop_indices(es, alias)

"""schemathesis against ``/api/v1/openapi.json``: every operation, generated inputs, every check.

Each generated case is sent to the real portal (WSGI) over the API corpus on a real node and
checked by all of schemathesis's checks (no server error, status codes, content types, headers and
bodies as the document describes, invalid input rejected, undeclared methods refused properly).
The run must cover at least ``MIN_CASES`` cases; the number run is printed.

One check is left out where the API rightly answers 400 to a request its schema cannot rule out:
"schema-valid data accepted" on ``/api/v1/search`` (page × size beyond the 10,000-result window,
a rule across two parameters) and on CKAN ``package_search`` (CKAN's "Search Query Error" for
``q``/``fq``/``sort`` that are strings but not valid query syntax). Every other check runs there too.
"""
from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from portal import create_app
from tests.esutil import drop_indices
from tests.integration.api_corpus import corpus
from tests.support import load_records

pytestmark = pytest.mark.integration

MIN_CASES = 1000
# Operations with rules across parameters that a schema cannot state (page × size window, query syntax, the
# year span of year_from/year_to shared by the search page's feeds): a schema-valid 400 there is correct.
SEMANTIC_400 = ("/api/v1/search", "/api/3/action/package_search", "/search.atom", "/search.csv")
EXAMPLES_PER_OPERATION = 100
RUN = {"cases": 0, "operations": set()}


# Built at collection (schemathesis parametrizes from the document); nothing connects until a case runs.
ALIAS = f"test_st_{uuid.uuid4().hex[:10]}"
_TMP = Path(tempfile.mkdtemp(prefix="gdc-st-"))
APP = create_app({"TESTING": True, "GDC_INDEX": ALIAS, "SECRET_KEY": "test",
                  "GDC_AUTH_DB": str(_TMP / "auth.sqlite3"), "GDC_AUDIT_LOG": str(_TMP / "audit.jsonl"),
                  "GDC_RATE_LIMIT_ANONYMOUS": 0, "GDC_RATE_LIMIT_SIGNED_IN": 0})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def corpus_loaded(es):
    load_records(es, ALIAS, corpus())
    yield
    drop_indices(es, ALIAS)


@pytest.fixture(scope="module", autouse=True)
def enough_cases(request):
    yield
    if request.session.testsfailed == 0 and RUN["cases"]:
        print(f"\nschemathesis: {RUN['cases']} generated cases over {len(RUN['operations'])} operations")
        assert RUN["cases"] >= MIN_CASES, f"only {RUN['cases']} generated cases ran"


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_every_operation_conforms_to_its_description(case):
    RUN["cases"] += 1
    RUN["operations"].add(case.operation.label)
    semantic_400 = case.path in SEMANTIC_400
    case.call_and_validate(excluded_checks=[positive_data_acceptance] if semantic_400 else None)

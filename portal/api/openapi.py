"""The OpenAPI 3.1 description of the JSON API v1 (and the CKAN actions), served at ``/api/v1/openapi.json``.

Built from the same tables the views use (the facet table, the sorts, the limits), so a new facet
appears here without a second edit. ``tests/integration/test_api_v1.py`` checks every recorded
response against these schemas with ``jsonschema`` (OpenAPI 3.1 schemas are JSON Schema 2020-12).
"""
from __future__ import annotations

from typing import Any

from indexer.mapping import MAX_RESULT_WINDOW
from portal.api.args import CKAN_MAX_ROWS, PACKAGE_SEARCH_KNOWN, V1_MAX_SIZE, V1_SORTS
from portal.search.facets import FACETS
from portal.search.params import MAX_QUERY_LENGTH, MAX_VALUE_LENGTH, MAX_VALUES_PER_FACET, YEAR_MAX, YEAR_MIN
from portal.search.queries import DEFAULT_PAGE_SIZE

_STR = {"type": "string"}
_NULLABLE_STR = {"type": ["string", "null"]}
_LABELS = {"type": "object", "required": ["th", "en"], "properties": {"th": _STR, "en": _STR}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _problem(description: str) -> dict:
    return {"description": description, "content": {"application/problem+json": {"schema": _ref("Problem")}}}


SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object", "required": ["type", "title", "status"],
        "properties": {"type": _STR, "title": _STR, "status": {"type": "integer"}, "detail": _STR,
                       "errors": {"type": "object",
                                  "additionalProperties": {"type": "array", "items": _STR}}},
    },
    "Organization": {
        "type": "object", "required": ["name"],
        "properties": {"name": _STR, "title": _STR, "title_en": _NULLABLE_STR, "id": _NULLABLE_STR},
    },
    "Resource": {
        "type": "object",
        "properties": {"name": _NULLABLE_STR, "format": _NULLABLE_STR, "url": _NULLABLE_STR,
                       "description": _NULLABLE_STR},
    },
    "Dataset": {
        "description": "The canonical record (codes, not labels). A name-tier record carries only "
                       "the name-tier fields and \"tier\": \"name\".",
        "type": "object", "required": ["id", "title"],
        "properties": {
            "id": _STR, "name": _STR, "title": _STR, "title_en": _NULLABLE_STR, "notes": _NULLABLE_STR,
            "organization": _ref("Organization"), "tags": {"type": "array", "items": _STR},
            "resources": {"type": "array", "items": _ref("Resource")},
            "data_category": _NULLABLE_STR, "data_classification": _NULLABLE_STR, "data_type": _NULLABLE_STR,
            "update_frequency_unit": _NULLABLE_STR, "geo_coverage": _NULLABLE_STR,
            "license_id": _NULLABLE_STR,
            "data_format": {"type": ["array", "null"], "items": _STR},
            "metadata_modified": _NULLABLE_STR, "tier": {"enum": ["name"]},
            "derived": {
                "description": "Values read from the record's text, never declared by the agency: "
                               "places (region slug, DOPA province/district codes), geo_coverage and "
                               "update_frequency_unit (only when the record states none), years "
                               "(first and last Buddhist-era year), data_format (codes, from the resources' "
                               "formats and links, only when the record states none), data_type (\"2\", "
                               "geospatial, when a data format holds geometry — GML, Shapefile, GeoTIFF, "
                               "Arc/Info — only when the record states none); each with \"from\" (title, "
                               "notes, tags, organization, resources, resource_formats, data_format). "
                               "Absent for "
                               "a name-tier record.",
                "type": "object",
                "additionalProperties": {"type": "object", "required": ["value", "from"],
                                         "properties": {"value": {}, "from": {"type": "array", "items": _STR},
                                                        "evidence": _STR}},
            },
        },
    },
    "FacetValue": {
        "type": "object", "required": ["value", "count", "label"],
        "properties": {"value": _STR, "count": {"type": "integer", "minimum": 0}, "label": _LABELS},
    },
    "SearchHit": {
        "type": "object", "required": ["tier", "dataset"],
        "properties": {"tier": {"enum": ["full", "name"]}, "dataset": _ref("Dataset"),
                       "highlights": {"type": "object", "additionalProperties": _STR},
                       "missing": {"type": "array", "items": _STR,
                                   "description": "words of `q` this dataset lacks, as written in `q` "
                                                  "(O-NET, พ.ร.บ.)"}},
    },
    "SearchResponse": {
        "type": "object", "required": ["q", "sort", "page", "size", "pages", "total", "results", "facets"],
        "properties": {
            "q": _STR, "sort": {"enum": list(V1_SORTS)}, "page": {"type": "integer", "minimum": 1},
            "size": {"type": "integer", "minimum": 0, "maximum": V1_MAX_SIZE},
            "pages": {"type": "integer"}, "total": {"type": "integer", "minimum": 0},
            "all_words": {"type": "boolean", "description": (
                "true: `total` and `results` are the datasets holding every word of `q`; false: none "
                "does, and the results hold some of them (each says which it lacks in `missing`)")},
            "filters": {"type": "object", "additionalProperties": {"type": "array", "items": _STR}},
            "results": {"type": "array", "items": _ref("SearchHit")},
            "related": {"type": "array", "description": (
                "With the semantic layer on (GDC_SEMANTIC) and on the last page: up to 10 datasets no "
                "word of `q` finds whose meaning is close to it, nearest first; never counted in `total` "
                "or the facets. Empty otherwise"), "items": {
                "type": "object", "required": ["tier", "dataset"],
                "properties": {"tier": {"enum": ["full"]}, "dataset": _ref("Dataset"),
                               "highlights": {"type": "object", "additionalProperties": _STR}}}},
            "facets": {"type": "object", "propertyNames": {"enum": [f.name for f in FACETS]},
                       "additionalProperties": {"type": "array", "items": _ref("FacetValue")}},
            "partial": {"type": "array", "description": (
                "With partial=true: on the last page of a search of several words whose results hold every "
                "word, the best datasets holding some words but not all (enough to fill the page, at least "
                "10), each with the words it lacks; never counted in `total` or the facets. Empty otherwise"),
                "items": _ref("SearchHit")},
            "partial_total": {"type": "integer", "minimum": 0, "description": (
                "With partial=true: how many datasets hold some words of `q` but not all (0 when `partial` "
                "is not computed: not the last page, one word, or no dataset holds every word)")},
            "did_you_mean": {"type": "string", "description": (
                "Only when `q` finds nothing: its spelling correction, built from the words of datasets you "
                "may see, when searching it (the same filters) finds at least two (เชื้อเพลง → เชื้อเพลิง). "
                "`q` itself is never replaced")},
        },
    },
    "DatasetResponse": {
        "type": "object", "required": ["tier", "dataset", "links"],
        "properties": {"tier": {"enum": ["full", "name"]}, "dataset": _ref("Dataset"),
                       "links": {"type": "object", "additionalProperties": _STR}},
    },
    "OrganizationSummary": {
        "type": "object", "required": ["slug", "title", "count", "datasets"],
        "properties": {"slug": _STR, "title": _STR, "title_en": _NULLABLE_STR,
                       "count": {"type": "integer", "minimum": 1}, "datasets": _STR},
    },
    "OrganizationsResponse": {
        "type": "object", "required": ["count", "organizations"],
        "properties": {"count": {"type": "integer"},
                       "organizations": {"type": "array", "items": _ref("OrganizationSummary")}},
    },
    "OrganizationResponse": {
        "type": "object", "required": ["organization"],
        "properties": {"organization": _ref("OrganizationSummary")},
    },
    "SuggestResponse": {
        "type": "object", "required": ["q", "suggestions"],
        "properties": {"q": _STR, "suggestions": {"type": "array", "items": {
            "type": "object", "required": ["kind", "text", "value"],
            "properties": {"kind": {"enum": ["dataset", "organization", "tag"]}, "text": _STR, "value": _STR,
                           "count": {"type": "integer"}}}}},
    },
    "CodelistsResponse": {
        "type": "object", "required": ["schema_version", "fields"],
        "properties": {"schema_version": _STR, "fields": {"type": "object", "additionalProperties": {
            "type": "object", "required": ["label", "multiple", "entries"],
            "properties": {"label": _LABELS, "multiple": {"type": "boolean"},
                           "entries": {"type": "array", "items": {
                "type": "object", "required": ["code", "th", "en", "official"],
                "properties": {"code": _STR, "th": _STR, "en": _STR, "official": {"type": "boolean"},
                               "aliases": {"type": "array", "items": _STR}}}}}}}},
    },
    "ChartRow": {
        "type": "object", "required": ["value", "label", "count", "url"],
        "properties": {"value": _STR, "label": _STR, "count": {"type": "integer", "minimum": 0},
                       "url": {"type": "string", "description": "the matching search or records"}},
    },
    "InsightsResponse": {
        "description": "Figures over open records only (the same for every caller); the rows of /insights.",
        "type": "object", "required": ["scope", "total", "schedule", "charts"],
        "properties": {
            "scope": {"const": "open"}, "total": {"type": "integer"},
            "schedule": {"type": "object", "properties": {
                "on_time": {"type": "integer"}, "overdue": {"type": "integer"}, "scheduled": {"type": "integer"}}},
            "charts": {"type": "object", "propertyNames": {"enum": [
                "organization", "data_category", "data_type", "res_format", "update_frequency_unit",
                "created", "modified", "schedule"]},
                "additionalProperties": {"type": "array", "items": {"$ref": "#/components/schemas/ChartRow"}}},
        },
    },
    "QualityResponse": {
        "description": "Over the records the caller sees in full: completeness of the 14 mandatory items per "
                       "organization, most common findings, overdue records, duplicate titles.",
        "type": "object", "required": ["scope", "total", "organizations", "gaps", "findings", "overdue",
                                       "duplicates"],
        "properties": {
            "scope": {"const": "full"}, "total": {"type": "integer"},
            "organizations": {"type": "array", "items": {"type": "object", "required": [
                "slug", "label", "count", "complete", "overdue", "duplicates", "items"], "properties": {
                "slug": _STR, "label": _STR, "count": {"type": "integer"},
                "complete": {"type": "integer", "minimum": 0, "maximum": 100},
                "score": {"type": ["integer", "null"]}, "overdue": {"type": "integer"},
                "scheduled": {"type": "integer"}, "duplicates": {"type": "integer"},
                "items": {"type": "array", "items": {"type": "object", "required": ["item", "missing", "url"],
                          "properties": {"item": _STR, "missing": {"type": "integer"}, "url": _STR}}}}}},
            "gaps": {"type": "array", "items": {"type": "object"}},
            "findings": {"type": "array", "items": {"type": "object"}},
            "overdue": {"type": "object", "properties": {"count": {"type": "integer"},
                                                         "scheduled": {"type": "integer"}, "url": _STR}},
            "duplicates": {"type": "array", "items": {"type": "object"}},
        },
    },
    "DirectoryResponse": {
        "description": "Agencies (ministry or group → department → unit) with visible records under them.",
        "type": "object", "required": ["total", "agencies", "not_yet_placed"],
        "properties": {"total": {"type": "integer"},
                       "agencies": {"type": "array", "items": {"$ref": "#/components/schemas/Agency"}},
                       "not_yet_placed": {"type": "array", "items": _ref("OrganizationSummary")}},
    },
    "Agency": {
        "type": "object", "required": ["id", "th", "count", "children"],
        "properties": {"id": _STR, "th": _STR, "en": _NULLABLE_STR, "abbr": {"type": "array", "items": _STR},
                       "kind": _STR, "count": {"type": "integer"},
                       "organizations": {"type": "array", "items": _STR},
                       "children": {"type": "array", "items": {"$ref": "#/components/schemas/Agency"}}},
    },
    "CkanSuccess": {
        "type": "object", "required": ["help", "success", "result"],
        "properties": {"help": _STR, "success": {"const": True}, "result": {}},
    },
    "CkanError": {
        "type": "object", "required": ["help", "success", "error"],
        "properties": {"help": _STR, "success": {"const": False}, "error": {
            "type": "object", "required": ["__type"], "properties": {"__type": _STR, "message": _STR}}},
    },
}


def _query(name: str, schema: dict, description: str, required: bool = False, **extra) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema,
            **extra}


_PARTIAL = _query("partial", {"type": "boolean", "default": False},
                  "true: on the last page of a search of several words, also `partial` — the best datasets "
                  "holding some of the words but not all, each with the words it lacks — and `partial_total`, "
                  "as the search page shows them apart. Costs one more search; false or absent: neither key")


def _search_parameters() -> list[dict]:
    params = [
        _query("q", {"type": "string", "maxLength": MAX_QUERY_LENGTH},
               "Words to look for, in Thai or English; a file format (csv, Excel, SHP) is held by the "
               "datasets offering it, an update frequency (รายเดือน, monthly, ทุกเดือน, every month) by the "
               "datasets updated that often, a province or region by the datasets located there, a year "
               "(2563, 2020, 2560-2562, 2560-62, ปี 63) by the datasets covering it, a data type (GIS, "
               "ภูมิสารสนเทศ, ข้อมูลภูมิสารสนเทศเชิงพื้นที่) by the datasets of that type, a licence (CC-BY, "
               "Open Government License) by the datasets under it, an acronym spelled in Thai letters' names "
               "(จีดีพี, จีพีเอส) by what the acronym finds, a word written with hyphens (wi-fi, O-NET) also "
               "by the word written joined (WiFi, ONET) and the other way round, a school grade or degree "
               "abbreviated (ม.6, ป.ตรี) also by its full name, a law or local health service abbreviated "
               "(พ.ร.บ., สสจ.) by its full name and back. The words are answered as sent: unlike the "
               "search page, a `q` that finds nothing is never replaced by its spelling correction. "
               "A whole `q` that is a "
               "dataset's id or name (bec_school) or a link to it on any catalogue "
               "(https://data.go.th/dataset/bec_school, this portal's /dataset/<id>) finds that dataset "
               "first, if you may see it; a whole `q` that is a dataset's title (case and spacing aside) "
               "puts the datasets so titled first"),
        _query("sort", {"enum": list(V1_SORTS), "default": "relevance"},
               "relevance, modified (last updated first) or title (Thai dictionary order)"),
        _query("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number"),
        _query("size", {"type": "integer", "minimum": 0, "maximum": V1_MAX_SIZE, "default": DEFAULT_PAGE_SIZE},
               f"Results per page (at most {V1_MAX_SIZE}; page × size at most {MAX_RESULT_WINDOW:,})"),
        _query("facets", {"type": "string"},
               "Comma-separated facets to count (e.g. organization,tags); empty for none; absent: all. "
               "Counting fewer facets answers faster"),
    ]
    for facet in FACETS:
        params.append(_query(facet.name, {"type": "array", "maxItems": MAX_VALUES_PER_FACET,
                                          "items": {"type": "string", "minLength": 1,
                                                    "maxLength": MAX_VALUE_LENGTH}},
                             f"Filter on {facet.name} (a code, or the Thai/English label); "
                             "repeat for OR, combine facets for AND",
                             style="form", explode=True))
    for name, what in (("year_from", "First"), ("year_to", "Last")):
        params.append(_query(name, {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX},
                             f"{what} Buddhist-era year covered (e.g. 2563); the years in between are "
                             f"values of the year facet; year_to from year_from up to "
                             f"{MAX_VALUES_PER_FACET - 1} years later, else 400"))
    return params


def _operation(summary: str, ok: dict, params: list[dict] | None = None, missing: bool = False) -> dict:
    responses = {"200": ok, "400": _problem("Invalid parameters"), "503": _problem("Search unavailable")}
    if missing:
        responses["404"] = _problem("No such record (or not visible to the caller: the same answer)")
    return {"get": {"summary": summary, "parameters": params or [], "responses": responses}}


def _quality_operation() -> dict:
    params = [p for p in _search_parameters() if p["name"] not in ("q", "sort", "page", "size")]
    params.append(_query("sort", {"enum": ["complete", "count", "overdue", "duplicates"], "default": "complete"},
                         "Order of the organizations (least complete first by default)"))
    operation = _operation("Metadata quality within the caller's grants (sign-in or token required)",
                           _json(_ref("QualityResponse"), "Figures"), params)
    operation["get"]["responses"]["401"] = _problem("No token or session: sign in first")
    operation["get"]["security"] = [{"bearerAuth": []}]
    return operation


def _ckan_body(action: str) -> dict:
    """package_search refuses parameters it does not know (CKAN's "Invalid parameter"); the other
    actions ignore extras, as CKAN does."""
    if action != "package_search":
        return {"type": "object"}
    return {"type": "object", "additionalProperties": False,
            "properties": {name: {} for name in sorted(PACKAGE_SEARCH_KNOWN)}}


def _ckan_paths() -> dict:
    paths = {}
    for action, summary in (("package_search", "CKAN package_search (q, fq, facet.field, rows ≤ "
                                               f"{CKAN_MAX_ROWS}, start, sort, include_private)"),
                            ("package_show", "CKAN package_show (id or name)"),
                            ("package_list", "CKAN package_list (limit, offset)"),
                            ("organization_list", "CKAN organization_list (all_fields)"),
                            ("organization_show", "CKAN organization_show (id)"),
                            ("tag_list", "CKAN tag_list"), ("group_list", "CKAN group_list"),
                            ("status_show", "CKAN status_show"), ("help_show", "CKAN help_show (name)")):
        responses = {"200": _json(_ref("CkanSuccess"), "CKAN envelope")}
        for status, what in (("400", "Search Query Error / Bad Request"), ("403", "Authorization Error"),
                             ("404", "Not Found Error"), ("409", "Validation Error"),
                             ("503", "Search Error")):
            responses[status] = _json(_ref("CkanError"), what)
        paths[f"/api/3/action/{action}"] = {"get": {"summary": summary, "responses": responses},
                                           "post": {"summary": summary + " — JSON body",
                                                    "requestBody": {"content": {"application/json": {
                                                        "schema": _ckan_body(action)}}},
                                                    "responses": responses}}
    return paths


def _page_limits(parameter: dict) -> dict:
    """Feeds read the search page's parameters, whose facet values may be up to 512 characters
    (portal/search/params.py), not the JSON API's 300."""
    schema = parameter["schema"]
    if schema.get("type") == "array":
        parameter = {**parameter, "schema": {**schema, "items": {**schema["items"], "maxLength": 512}}}
    return parameter


def _feed_paths() -> dict[str, Any]:
    """A search as an Atom feed and as CSV: the search page's parameters (``page``/``size`` ignored by
    the CSV, which lists the whole result list up to 10,000), through the same visibility filter."""
    parameters = [_page_limits(p) for p in _search_parameters() if p["name"] not in ("page", "size")]
    atom = {"description": "Atom 1.0: the 50 newest and most recently updated matching datasets",
            "content": {"application/atom+xml": {"schema": _STR}}}
    csv = {"description": "UTF-8 CSV with a byte order mark (Excel reads Thai): one row per dataset "
                          "(id, name, title, title_en, organization, organization_title, data_category, "
                          "update_frequency_unit, geo_coverage, res_format, license_id, tags, "
                          "last_updated_date, metadata_modified, url)",
           "content": {"text/csv": {"schema": _STR}}}
    # Feed URLs are pages a reader or a browser opens: their errors are the portal's HTML error page.
    bad = {"description": "Invalid parameters (the portal's error page)", "content": {"text/html": {"schema": _STR}}}
    down = {"description": "Search unavailable (the portal's error page)", "content": {"text/html": {"schema": _STR}}}
    return {
        "/search.atom": {"get": {"summary": "A search as an Atom feed", "parameters": parameters,
                                 "responses": {"200": atom, "400": bad, "503": down}}},
        "/search.csv": {"get": {"summary": "A search's result list as CSV", "parameters": parameters,
                                "responses": {"200": csv, "400": bad, "503": down}}},
    }


def openapi_document(server_url: str) -> dict[str, Any]:
    """The whole document for the server at ``server_url``."""
    slug = [{"name": "id_or_slug", "in": "path", "required": True, "schema": _STR}]
    paths = {
        "/api/v1/search": _operation("Search datasets with facets",
                                     _json(_ref("SearchResponse"), "One page of results"),
                                     [*_search_parameters(), _PARTIAL]),
        "/api/v1/datasets/{id_or_slug}": _operation(
            "One dataset", _json(_ref("DatasetResponse"), "The record"), slug, missing=True),
        "/api/v1/organizations": _operation("Organizations with visible datasets",
                                            _json(_ref("OrganizationsResponse"), "Organizations")),
        "/api/v1/organizations/{slug}": _operation(
            "One organization", _json(_ref("OrganizationResponse"), "The organization"),
            [{"name": "slug", "in": "path", "required": True, "schema": _STR}], missing=True),
        "/api/v1/suggest": _operation(
            "Autocomplete on titles, organizations and tags", _json(_ref("SuggestResponse"), "Suggestions"),
            [_query("q", {"type": "string", "minLength": 1, "maxLength": 100},
                    "What was typed; from three characters on, also a dataset's name or id it begins "
                    "(bec_sch), or a link to a dataset (https://data.go.th/dataset/bec_school)",
                    required=True),
             _query("size", {"type": "integer", "minimum": 1, "maximum": 20, "default": 8}, "How many")]),
        "/api/v1/codelists": _operation("The standard's code lists with Thai and English labels",
                                        _json(_ref("CodelistsResponse"), "Code lists")),
        "/api/v1/insights": _operation(
            "Public insights over open records (per organization, category, type, format, frequency, month)",
            _json(_ref("InsightsResponse"), "Figures"),
            [_query("org_q", {"type": "string"},
                    "Narrow the organization chart (Thai/English name or abbreviation; the first 100 "
                    "characters are used)")]),
        "/api/v1/insights/quality": _quality_operation(),
        "/api/v1/insights/directory": _operation(
            "The agency directory with visible-dataset counts", _json(_ref("DirectoryResponse"), "Directory")),
        **_ckan_paths(),
        **_feed_paths(),
    }
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "GD Catalog Search API",
            "version": "1.0.0",
            "summary": "Search Thailand's government data catalogue (JSON API v1 and CKAN Action API v3)",
            "description": "Open data needs no key. A Bearer token (`Authorization: Bearer <token>`) unlocks "
                           "what its holder's grants allow. Errors are RFC 9457 problem details. "
                           "Facet values are the code lists' codes (see /api/v1/codelists).",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "servers": [{"url": server_url}],
        "security": [{}, {"bearerAuth": []}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "An API token from `gdc-users token`"}},
        },
    }

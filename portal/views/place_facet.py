"""The place and year facets as the pages show them: places as a region → province → district tree,
years newest first with a Buddhist-era range form. Counts and links come from ``facet_panels``."""
from __future__ import annotations

from analyzers import places


def place_tree(values: list[dict]) -> list[dict]:
    """Facet values of every level → regions, each with its provinces, each with its districts.

    A node is ``open`` when it or something below it is selected: its children are shown, so the way
    to every selection stays visible without JavaScript.
    """
    nodes = {v["value"]: {**v, "children": [], "level": getattr(places.get(v["value"]), "level", "")}
             for v in values if places.get(v["value"])}
    roots = []
    for code, node in nodes.items():
        parent = places.get(code).parent
        (nodes[parent]["children"] if parent in nodes else roots).append(node)
    _order(roots)
    return roots


def _order(nodes: list[dict]) -> bool:
    """Most records first; returns whether any node here (or below) is selected."""
    nodes.sort(key=lambda n: (-n["count"], n["label"]))
    any_selected = False
    for node in nodes:
        below = _order(node["children"])
        node["open"] = node["selected"] or below
        any_selected = any_selected or node["open"]
    return any_selected


def newest_first(values: list[dict]) -> list[dict]:
    return sorted(values, key=lambda v: (not v["selected"], -int(v["value"]) if v["value"].isdigit() else 0))


def year_spans(years: list[str]) -> list[tuple[int, int]]:
    """Selected years as runs: ``["2560", "2561", "2562", "2565"]`` → ``[(2560, 2562), (2565, 2565)]``."""
    runs: list[list[int]] = []
    for year in sorted({int(y) for y in years if y.isdigit()}):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return [(a, b) for a, b in runs]


def browse(values: list[tuple[str, int]], provinces_per_region: int = 5) -> list[dict]:
    """The home page's "by place" block: regions with their most-catalogued provinces."""
    counts = dict(values)
    regions = [places.get(c) for c in counts if places.get(c) and places.get(c).level == places.REGION]
    out = []
    for region in sorted(regions, key=lambda r: -counts[r.code]):
        provinces = sorted((c for c in counts if places.get(c) and places.get(c).parent == region.code),
                           key=lambda c: -counts[c])
        out.append({"code": region.code, "count": counts[region.code],
                    "provinces": [(c, counts[c]) for c in provinces[:provinces_per_region]]})
    return out


def drill_down_url(code: str, chosen: list[str], url_for_places) -> str | None:
    """The link of a place inside a chosen area narrows to it (Chiang Mai replaces the North) instead of
    adding it to an OR that would change nothing; ``None`` when no chosen area contains it."""
    place = places.get(code)
    if place is None or code in chosen:
        return None
    ancestors = set(place.lineage()[:-1])
    if not ancestors & set(chosen):
        return None
    return url_for_places([c for c in chosen if c not in ancestors] + [code])

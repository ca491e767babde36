"""Place-aware ranking, measured: queries that name a place, with and without the place bonus.

    GDC_ES_URL=http://127.0.0.1:9200 python bench/place_ranking.py

The 836-record sample goes through the real indexer into a ``test_`` alias (deleted at the end). For each
query the portal's own request (``portal.search.queries.search``) runs twice in the same process: with
``PLACE_BOOST`` as shipped and with it set to 0. A hit is *about the place* when its derived places
(``place`` field: the place and everything inside it) contain the place the query names. Printed per
query and on average: the share of the top 5 and top 10 about the place, and the rank of the first.
"""
from __future__ import annotations

import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from analyzers import places  # noqa: E402
from indexer import rebuild  # noqa: E402
from indexer.client import make_client  # noqa: E402
from indexer.derived import lineage  # noqa: E402
from indexer.settings import Settings  # noqa: E402
from portal.auth.principal import ANONYMOUS  # noqa: E402
from portal.search import queries  # noqa: E402

SAMPLE = ROOT / "data" / "datagoth-sample-836.jsonl"
# A topic many provinces share, plus one place: the place's records should come first.
QUERIES = (
    "ทะเบียนวัด เชียงใหม่", "ทะเบียนวัด ลำปาง", "ทะเบียนวัด ตาก", "วัด ปทุมธานี",
    "หน่วยงานบริการสุขภาพ ตรัง", "หน่วยงานบริการสุขภาพ สุรินทร์", "สุขภาพ นครปฐม",
    "โรงงาน กรุงเทพ", "โรงเรียน กรุงเทพมหานคร", "ท่องเที่ยว เลย",
    "ทะเบียนวัด ภาคเหนือ", "หน่วยงานบริการสุขภาพ ภาคใต้", "temples Chiang Mai",
)


def about(hit: dict, code: str) -> bool:
    derived = (hit["record"].get("derived") or {}).get("places") or {}
    return code in lineage(derived.get("value") or [])


def measure(es, alias: str, q: str) -> tuple[float, float, int | None]:
    code = places.in_query(q)[0]
    hits = queries.search(es, alias, queries.SearchParams(q=q, size=10, facets=()), ANONYMOUS).hits
    flags = [about(h, code) for h in hits]
    first = next((i + 1 for i, f in enumerate(flags) if f), None)
    return sum(flags[:5]) / 5, sum(flags[:10]) / 10, first


def main() -> int:
    es = make_client(Settings.from_env())
    alias = f"test_placebench_{uuid.uuid4().hex[:8]}"
    shipped = queries.PLACE_BOOST
    try:
        rebuild.rebuild(es, alias, [SAMPLE], declarations=["data_category=ข้อมูลสาธารณะ"],
                        options=rebuild.Options(workers=0, lock=False))
        es.indices.refresh(index=alias)
        rows = []
        for q in QUERIES:
            queries.PLACE_BOOST = 0.0
            off = measure(es, alias, q)
            queries.PLACE_BOOST = shipped
            on = measure(es, alias, q)
            rows.append((q, off, on))
        print(f"{'query':<32} {'P@5 off':>7} {'P@5 on':>6} {'P@10 off':>8} {'P@10 on':>7} {'first off':>9} {'first on':>8}")
        for q, off, on in rows:
            print(f"{q:<32} {off[0]:>7.2f} {on[0]:>6.2f} {off[1]:>8.2f} {on[1]:>7.2f} "
                  f"{off[2] or '-':>9} {on[2] or '-':>8}")
        mean = [sum(r[i][j] for r in rows) / len(rows) for i in (1, 2) for j in (0, 1)]
        print(f"{'mean (PLACE_BOOST=' + str(shipped) + ')':<32} {mean[0]:>7.2f} {mean[2]:>6.2f} {mean[1]:>8.2f} {mean[3]:>7.2f}")
        return 0
    finally:
        queries.PLACE_BOOST = shipped
        answer = es.options(ignore_status=404).indices.get_alias(name=alias)
        for name in answer.body if answer.meta.status == 200 else {}:
            es.options(ignore_status=404).indices.delete(index=name)


if __name__ == "__main__":
    raise SystemExit(main())

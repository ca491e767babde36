"""Harvest a remote CKAN catalogue through its Action API (``package_search``), as a pipeline source.

Pages with ``rows``/``start`` in a stable order (oldest first, so records added during the harvest land
on later pages), retries a failing page with exponential back-off (urllib3's ``Retry``, through requests'
adapter, also for an answer that is not a ``package_search`` result), and can resume: after each page
is fully handed over, the next ``start`` is saved in a small JSON state file (written atomically).

The consent rule of the national catalogue: a private or sensitive record (any category other than
public data, or no recognisable category) is taken only when its agency consented with
``allow_harvest = "True"``. Records not taken are counted in :class:`HarvestStats`, never yielded,
so their metadata never reaches the index or the rejects file.
"""
from __future__ import annotations

import json
import os
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from indexer import codelists
from indexer.schemas.fields import clean_text

from .base import NOT_AN_OBJECT, RawRecord

DEFAULT_ROWS = 100
DEFAULT_RETRIES = 5
DEFAULT_BACKOFF = 1.0
SORT = "metadata_created asc, name asc"
RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


class HarvestError(Exception):
    """The remote catalogue could not be read even after retrying (a fatal problem: exit code 2)."""


class NotAPage(Exception):
    """An answer that is not a ``package_search`` result (a proxy's error page, ``success: false``)."""


class PageRetry(Retry):
    """urllib3's ``Retry`` on the harvester's schedule: ``backoff × 2^(n−1)`` seconds before the n-th
    retry (the first one too, uncapped; a ``Retry-After`` header is not waited for), slept through
    ``sleeper`` (a test passes a list's ``append``)."""

    def __init__(self, *args: Any, sleeper: Callable[[float], None] = time.sleep, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sleeper = sleeper

    @classmethod
    def for_page(cls, retries: int, backoff: float, sleeper: Callable[[float], None]) -> "PageRetry":
        """A fresh budget of ``retries`` for one page: connection errors, timeouts, ``RETRY_STATUS``."""
        return cls(total=retries, backoff_factor=backoff, status_forcelist=RETRY_STATUS, raise_on_status=False,
                   respect_retry_after_header=False, sleeper=sleeper)

    def new(self, **kwargs: Any) -> "PageRetry":
        renewed = super().new(**kwargs)
        renewed.sleeper = self.sleeper
        return renewed

    def get_backoff_time(self) -> float:
        return self.backoff_factor * 2 ** (len(self.history) - 1) if self.history else 0.0

    def sleep(self, response: Any = None) -> None:
        self.sleeper(self.get_backoff_time())


@dataclass
class HarvestStats:
    pages: int = 0
    taken: int = 0
    without_consent: int = 0
    retries: int = 0
    count: int | None = None
    not_taken: list[str] = field(default_factory=list)


@dataclass
class HarvestState:
    """What a resumed harvest needs: where to start and what it is harvesting."""

    url: str
    start: int = 0
    rows: int = DEFAULT_ROWS
    done: bool = False

    @classmethod
    def load(cls, path: Path, url: str, rows: int) -> "HarvestState":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None  # no state yet, or a damaged one: harvesting again from the start is safe
        if not isinstance(data, dict) or data.get("url") != url:
            return cls(url=url, rows=rows)
        return cls(url=url, start=int(data.get("start", 0)), rows=int(data.get("rows", rows)),
                   done=bool(data.get("done")))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps(asdict(self)), encoding="utf-8")
        os.replace(temporary, path)


def action_url(base_url: str) -> str:
    """``https://data.go.th`` (or …/api/3/action/package_search) → the package_search URL."""
    base = base_url.rstrip("/")
    if base.endswith("/package_search"):
        return base
    if base.endswith("/api/3/action"):
        return base + "/package_search"
    return urljoin(base + "/", "api/3/action/package_search")


def state_file_for(url: str, state_dir: str | Path) -> Path:
    """The resume state file of one catalogue inside ``state_dir`` (named after its host and path)."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", action_url(url).split("://", 1)[-1]).strip("-")
    return Path(state_dir) / f"harvest-{name}.json"


def consented(package: Mapping[str, Any], declarations: Mapping[str, str] | None = None) -> bool:
    """The consent rule: open records are taken; private/sensitive ones only with ``allow_harvest``."""
    if _truthy(package.get("allow_harvest")) or _truthy(_extra(package, "allow_harvest")):
        return True
    if _truthy(package.get("private")):
        return False
    given = package.get("data_category") or _extra(package, "data_category")
    if clean_text(given) is None:
        # no category: the operator's declaration decides; without one, validation rejects it visibly
        declared = (declarations or {}).get("data_category")
        return declared is None or declared in codelists.open_categories()
    category = codelists.lookup("data_category", given)
    return category is not None and category.code in codelists.open_categories()


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().casefold() in {"true", "1", "yes"} if value is not None else False


def _extra(package: Mapping[str, Any], key: str) -> Any:
    for item in package.get("extras") or []:
        if isinstance(item, dict) and item.get("key") == key:
            return item.get("value")
    return None


def iter_remote(
    url: str, *, rows: int = DEFAULT_ROWS, state_path: str | Path | None = None,
    retries: int = DEFAULT_RETRIES, backoff: float = DEFAULT_BACKOFF, timeout: float = 30.0,
    fq: str | None = None, include_private: bool = False, api_key: str | None = None,
    declarations: Mapping[str, str] | None = None, session: requests.Session | None = None,
    stats: HarvestStats | None = None, sleep: Callable[[float], None] = time.sleep,
) -> Iterator[RawRecord]:
    """Raw records of a remote CKAN catalogue, page by page (``locator`` = ``page N item M``).

    With ``state_path`` the harvest resumes where the last run stopped; a finished harvest starts over.
    Raises :class:`HarvestError` when a page still fails after ``retries`` attempts.
    """
    endpoint = action_url(url)
    state_file = Path(state_path) if state_path else None
    state = HarvestState.load(state_file, endpoint, rows) if state_file else HarvestState(endpoint, rows=rows)
    if state.done:
        state = HarvestState(endpoint, rows=rows)
    stats = stats if stats is not None else HarvestStats()
    http = session or requests.Session()
    adapter = HTTPAdapter()
    http.mount(endpoint, adapter)  # this catalogue's requests only, also on a session passed in
    headers = {"Authorization": api_key} if api_key else {}
    extra = {"fq": fq} if fq else {}
    if include_private:
        extra["include_private"] = "true"
    while True:
        params = {"rows": state.rows, "start": state.start, "sort": SORT, **extra}
        retry = PageRetry.for_page(retries, backoff, sleep)
        result = _fetch_page(http, adapter, endpoint, params, headers, timeout, retry, stats)
        packages = result.get("results") or []
        stats.count = result.get("count", stats.count)
        stats.pages += 1
        yield from _taken(endpoint, state.start // state.rows + 1, packages, declarations, stats)
        state.start += len(packages)
        total = result.get("count")
        state.done = not packages or len(packages) < state.rows or (
            isinstance(total, int) and state.start >= total)
        if state_file:
            state.save(state_file)  # only now: every record of the page has been handed over
        if state.done:
            return


def _taken(endpoint: str, page: int, packages: list[Any], declarations: Mapping[str, str] | None,
           stats: HarvestStats) -> Iterator[RawRecord]:
    """The records of one page that the consent rule lets in; the others are only counted."""
    for index, package in enumerate(packages, start=1):
        locator = f"page {page} item {index}"
        if not isinstance(package, dict):
            yield RawRecord(endpoint, locator, None, NOT_AN_OBJECT, json.dumps(package, ensure_ascii=False))
        elif consented(package, declarations):
            stats.taken += 1
            yield RawRecord(endpoint, locator, package)
        else:
            stats.without_consent += 1
            stats.not_taken.append(str(package.get("id") or package.get("name") or locator))


def _fetch_page(http: requests.Session, adapter: HTTPAdapter, endpoint: str, params: dict[str, Any],
                headers: dict[str, str], timeout: float, retry: PageRetry, stats: HarvestStats) -> dict[str, Any]:
    """One ``package_search`` result. urllib3 retries connection errors, timeouts and ``RETRY_STATUS``
    answers inside the request; an answer that is not a result, or a body cut off, spends the same
    budget here. Other HTTP errors are not retried."""
    where = f"{endpoint} start={params['start']}"
    exhausted = f"อ่านไม่ได้หลังลอง {retry.total + 1} ครั้ง / still failing after {retry.total + 1} attempts"
    while True:
        adapter.max_retries = retry
        try:
            response = http.get(endpoint, params=params, headers=headers, timeout=timeout)
        except requests.RequestException as exc:
            if exc.args and isinstance(exc.args[0], MaxRetryError):  # urllib3 spent the whole budget
                stats.retries += len(retry.history) + retry.total
                raise HarvestError(f"{where}: {exhausted} ({type(exc).__name__}: {exc})") from exc
            problem: Exception = exc  # the answer began but did not arrive whole
        else:
            retry = response.raw.retries or retry
            if response.status_code != 200:
                stats.retries += len(retry.history)
                if response.status_code in RETRY_STATUS:
                    raise HarvestError(f"{where}: {exhausted} (HTTP {response.status_code})")
                raise HarvestError(f"{where}: HTTP {response.status_code} (ไม่ลองซ้ำ / not retried)")
            try:
                result = _result(response)
            except NotAPage as exc:
                problem = exc
            else:
                stats.retries += len(retry.history)
                return result
        try:
            retry = retry.increment("GET", endpoint, error=problem)
        except MaxRetryError:
            stats.retries += len(retry.history)
            raise HarvestError(f"{where}: {exhausted} ({problem})") from problem
        retry.sleep()


def _result(response: requests.Response) -> dict[str, Any]:
    try:
        answer = response.json()
    except ValueError:
        raise NotAPage("คำตอบไม่ใช่ JSON / the answer is not JSON") from None
    result = answer.get("result") if isinstance(answer, dict) and answer.get("success") else None
    if not isinstance(result, dict):
        raise NotAPage("คำตอบไม่ใช่ผลของ package_search / not a package_search answer")
    return result

"""The one Elasticsearch client constructor, shared by the portal, the indexer and the tests.

Two profiles, because a web request and a bulk load want opposite things from a slow cluster:

- ``bulk`` (the indexer, the tests): 30 s per request, three retries, retry on timeout — a load
  should ride out a busy node rather than fail an hour-long rebuild.
- ``request`` (every web request of the portal): ``GDC_ES_TIMEOUT`` seconds per request, at most one
  retry, never on a timeout — a visitor gets a clean 503 quickly, and a hanging node cannot pile
  up the server's threads (a timed-out request retried would only double the wait).

Both read and write JSON with orjson (the client's own ``OrjsonSerializer``, for plain JSON and the
compatibility-mode type Elasticsearch 9 answers with): parsing a search answer was the client's largest
cost in the portal's profile (~0.7 ms of a 30 KiB answer with the standard library, a quarter of that
with orjson).
"""
from __future__ import annotations

from elasticsearch import Elasticsearch
from elasticsearch.serializer import OrjsonSerializer

from indexer.settings import Settings

BULK = "bulk"
REQUEST = "request"


def profile_options(profile: str, settings: Settings) -> dict:
    """Transport options of a profile (timeout and retries), before credentials and overrides."""
    if profile == BULK:
        return {"request_timeout": 30, "retry_on_timeout": True, "max_retries": 3}
    if profile == REQUEST:
        return {"request_timeout": settings.es_timeout, "retry_on_timeout": False, "max_retries": 1}
    raise ValueError(f"unknown Elasticsearch client profile {profile!r} (expected {BULK!r} or {REQUEST!r})")


def make_client(settings: Settings | None = None, profile: str = BULK, **overrides) -> Elasticsearch:
    """Build a client for ``GDC_ES_URL``, with an API key and CA bundle when configured.

    Pointing everything at an existing secured cluster is a matter of setting
    ``GDC_ES_URL``, ``GDC_ES_API_KEY`` and ``GDC_ES_CA_CERTS``. ``profile`` is ``"bulk"`` (default)
    or ``"request"`` (the portal's web requests; see the module docstring).
    """
    settings = settings or Settings.from_env()
    options = profile_options(profile, settings)
    if settings.es_api_key:
        options["api_key"] = settings.es_api_key
    if settings.es_ca_certs:
        options["ca_certs"] = settings.es_ca_certs
    options["serializers"] = {mimetype: OrjsonSerializer() for mimetype in JSON_MIMETYPES}
    options.update(overrides)
    urls = node_urls(settings.es_url)
    plain = [url for url in urls if url.lower().startswith("http://")]
    if options.get("ca_certs") and plain:
        raise ClusterMisconfigured(
            f"GDC_ES_CA_CERTS ตั้งไว้แต่ GDC_ES_URL เป็น http:// / GDC_ES_CA_CERTS is set but GDC_ES_URL "
            f"{', '.join(plain)} is plain http://: a cluster with TLS is reached with https://")
    return Elasticsearch(urls, **options)


# The JSON media types of Elasticsearch's answers: plain, and the compatibility mode the client asks for.
JSON_MIMETYPES = ("application/json", "application/vnd.elasticsearch+json")


def node_urls(es_url: str) -> list[str]:
    """``GDC_ES_URL`` may name several nodes of one cluster, comma-separated; requests go round
    them and a node that stops answering is left out until it is back."""
    urls = [url.strip() for url in es_url.split(",") if url.strip()]
    if not urls:
        raise ValueError("GDC_ES_URL names no Elasticsearch node (GDC_ES_URL ไม่ได้ระบุโหนด Elasticsearch)")
    return urls


class ClusterMisconfigured(RuntimeError):
    """The cluster answered but refused our TLS settings or our API key: a configuration error to
    fix before starting, said in one line (Thai and English)."""


def check_cluster(es: Elasticsearch, settings: Settings) -> str:
    """Contact the cluster once at start-up. A certificate that ``GDC_ES_CA_CERTS`` does not trust
    or a key the cluster refuses raises :class:`ClusterMisconfigured`; an unreachable cluster is
    only reported (the portal answers 503 until it is back, then recovers by itself)."""
    from elastic_transport import TlsError
    from elasticsearch import ApiError, AuthenticationException, AuthorizationException, ConnectionTimeout
    from elasticsearch import ConnectionError as ESConnectionError

    where = settings.es_url
    try:
        info = es.options(request_timeout=settings.es_timeout, max_retries=0).info()
    except TlsError as exc:
        ca = settings.es_ca_certs or "the system's CA bundle"
        raise ClusterMisconfigured(
            f"ใบรับรอง TLS ของ {where} ไม่ผ่านการตรวจด้วย {ca} / the TLS certificate of {where} is not trusted "
            f"by {ca} (GDC_ES_CA_CERTS): {exc.message}") from exc
    except AuthenticationException as exc:
        raise ClusterMisconfigured(
            f"{where} ปฏิเสธ GDC_ES_API_KEY (401) / {where} refused GDC_ES_API_KEY (401): "
            "the key is wrong, expired or invalidated") from exc
    except AuthorizationException:
        return f"Elasticsearch at {where}: reachable (the key may not read cluster info; searches decide)"
    except ConnectionTimeout as exc:
        return f"warning: Elasticsearch at {where} is not reachable yet ({exc.message}); pages answer 503 until it is"
    except ESConnectionError as exc:  # refused, or closed at once: an HTTPS port does that to plain http
        https_only = [url for url in node_urls(where) if url.lower().startswith("http://") and _speaks_tls(url)]
        if https_only:
            raise ClusterMisconfigured(
                f"{', '.join(https_only)} ตอบเฉพาะ HTTPS / {', '.join(https_only)} answers HTTPS only: set "
                "GDC_ES_URL to https://… and GDC_ES_CA_CERTS to the cluster's CA certificate") from exc
        return f"warning: Elasticsearch at {where} is not reachable yet ({exc.message}); pages answer 503 until it is"
    except ApiError as exc:
        if exc.meta.status == 405:  # no GET / without the rest-root module (the integ-test distribution)
            return _health_line(es, settings)
        return f"warning: Elasticsearch at {where} answered {exc.meta.status}; pages answer 503 until it is healthy"
    return f"Elasticsearch {info.get('version', {}).get('number', '?')} at {where}"


def _speaks_tls(url: str, timeout: float = 2.0) -> bool:
    """Whether the port of an ``http://`` URL completes a TLS handshake (certificate not checked: this
    only tells a plain-HTTP mistake from a node that is down)."""
    import socket
    import ssl
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=timeout) as raw:
            with context.wrap_socket(raw, server_hostname=parts.hostname):
                return True
    except (OSError, ValueError):
        return False


def _health_line(es: Elasticsearch, settings: Settings) -> str:
    from elasticsearch import ApiError, TransportError

    try:
        status = es.options(request_timeout=settings.es_timeout, max_retries=0).cluster.health()["status"]
    except (ApiError, TransportError) as exc:
        return (f"warning: Elasticsearch at {settings.es_url} did not answer its health ({exc}); "
                "pages answer 503 until it does")
    return f"Elasticsearch at {settings.es_url}: reachable (cluster health {status})"

"""The portal's public address: every absolute URL comes from ``GDC_PUBLIC_URL``, never from ``Host``.

Sitemaps, ``robots.txt``, the DCAT catalogue, the widget snippet, API links and feeds all build
absolute URLs from the request's root (``request.url_root``, ``url_for(..., _external=True)``). A WSGI
wrapper sets that root once, before Flask sees the request:

- a request whose ``Host`` is not in ``GDC_TRUSTED_HOSTS`` is refused with 400 (as Django's
  ``ALLOWED_HOSTS``), so a forged ``Host`` cannot poison a cache or a generated link;
- with ``GDC_PUBLIC_URL`` set, the request is seen with that scheme, host and path prefix, so every
  absolute URL is the public one whichever trusted name (an internal host name, an address) it came by.

Defaults suit a local portal and the test suite: without ``GDC_PUBLIC_URL`` the trusted hosts are
``localhost``, ``127.0.0.1`` and ``::1``; with it, its host name. The health checks (``/healthz``,
``/readyz``) answer any host: load balancers probe by address and they carry no URL.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from flask import Flask

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
_HOST_SYNTAX = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")
_ANY_HOST_PATHS = ("/healthz", "/readyz")
_REFUSED = ("ชื่อโฮสต์ในคำขอไม่ใช่ชื่อของเว็บไซต์นี้ — "
            "The Host of this request is not one this portal answers to (GDC_TRUSTED_HOSTS).\n").encode()


class ConfigError(ValueError):
    """``GDC_PUBLIC_URL`` or ``GDC_TRUSTED_HOSTS`` cannot be used."""


def public_url(value: str | None) -> tuple[str, str, str] | None:
    """``https://catalog.example.go.th/portal/`` → (scheme, host[:port], path prefix without the last /)."""
    if not value:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"GDC_PUBLIC_URL ต้องเป็น URL แบบ http(s) เช่น https://catalog.example.go.th / "
                          f"GDC_PUBLIC_URL must be an http(s) URL such as https://catalog.example.go.th, "
                          f"not {value!r}")
    return parts.scheme, parts.netloc, parts.path.rstrip("/")


def trusted_hosts(value: str | None, public: tuple[str, str, str] | None) -> list[str]:
    """``GDC_TRUSTED_HOSTS`` (comma-separated; ``.example.go.th`` also allows its subdomains), else the
    public URL's host, else the local names."""
    if value and value.strip():
        return [host.strip().strip("[]") for host in value.split(",") if host.strip()]
    if public:
        return [urlsplit(f"//{public[1]}").hostname or public[1]]
    return list(LOCAL_HOSTS)


class PublicAddress:
    """WSGI wrapper: refuse untrusted hosts, then present the request at the public address."""

    def __init__(self, app: Callable, public: tuple[str, str, str] | None, trusted: list[str]) -> None:
        self.app, self.public, self.trusted = app, public, trusted

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        path = environ.get("PATH_INFO", "")
        if path not in _ANY_HOST_PATHS and not is_trusted(host, self.trusted):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8"),
                                               ("Content-Length", str(len(_REFUSED)))])
            return [_REFUSED]
        if self.public:
            scheme, netloc, prefix = self.public
            environ["wsgi.url_scheme"], environ["HTTP_HOST"] = scheme, netloc
            environ["SERVER_NAME"], _, port = netloc.partition(":")
            environ["SERVER_PORT"] = port or ("443" if scheme == "https" else "80")
            if prefix:
                environ["SCRIPT_NAME"] = prefix
                if path == prefix or path.startswith(prefix + "/"):
                    environ["PATH_INFO"] = path[len(prefix):]
        return self.app(environ, start_response)


def is_trusted(host: str, trusted: list[str]) -> bool:
    """``host`` (a ``Host`` header; ports are not compared) is one of ``trusted``, or a subdomain of an
    entry written with a leading dot (``.example.go.th``)."""
    if not _HOST_SYNTAX.match(host):  # no user info, paths or other tricks in a Host header
        return False
    try:
        name = (urlsplit(f"//{host}").hostname or "").rstrip(".")
    except ValueError:
        return False
    if not name:
        return False
    for entry in trusted:
        entry = entry.lower()
        if name == entry or (entry.startswith(".") and (name.endswith(entry) or name == entry[1:])):
            return True
    return False


def init_app(app: Flask) -> None:
    """Wrap the app with ``GDC_PUBLIC_URL`` and ``GDC_TRUSTED_HOSTS`` from its settings."""
    public = public_url(app.config.get("GDC_PUBLIC_URL"))
    app.wsgi_app = PublicAddress(app.wsgi_app, public,  # type: ignore[method-assign]
                                 trusted_hosts(app.config.get("GDC_TRUSTED_HOSTS"), public))

"""Sign-in, sessions, CSRF, lockout, tokens, proxy sign-in, rate limits, headers and the audit hook.

A small app with the auth area and two probe views keeps these tests free of Elasticsearch.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from flask import Flask, jsonify

from indexer.settings import Settings
from portal import errors, i18n
from portal.auth import context, current_principal, web
from portal.auth.headers import embeddable
from portal.auth.store import AccountStore, LockoutPolicy
from portal.auth.visibility import access_tier

PASSWORD = "correct horse battery"
SECRET_DOC = {"id": "s1", "visibility": "sensitive", "data_category": "personal", "classification_level": 2,
              "organization": "moph"}


TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
STUB_BASE = "<title>{% block title %}{% endblock %}</title><main>{% block content %}{% endblock %}</main>"


def make_app(tmp_path, **config) -> Flask:
    """The auth area on its own: its templates over a stub ``base.html`` (no portal pages needed)."""
    templates = tmp_path / "templates"
    for area in ("auth", "admin"):
        shutil.copytree(TEMPLATES / area, templates / area, dirs_exist_ok=True)
    (templates / "errors").mkdir()
    shutil.copy(TEMPLATES / "errors" / "problem.html", templates / "errors")  # the refusal page (403, 429)
    (templates / "base.html").write_text(STUB_BASE)
    app = Flask("portal", template_folder=str(templates))
    settings = Settings(var_dir=tmp_path).overridden_by(config)  # as create_app does
    app.config.update({"TESTING": True, "SECRET_KEY": "test", **settings.app_config(), **config,
                       "GDC_SETTINGS": settings})
    errors.init_app(app)
    i18n.init_app(app)  # the auth pages speak the visitor's language
    web.init_app(app)

    @app.get("/whoami")
    @app.get("/api/v1/whoami")
    @app.post("/api/3/action/whoami")
    def whoami():
        p = current_principal()
        tier = access_tier(p, SECRET_DOC)  # a view showing one sensitive record when allowed
        return jsonify(kind=p.kind, username=p.username, grants=len(p.grants), tier=tier)

    @app.post("/change")
    def change():
        return jsonify(ok=True)

    @app.get("/widget-probe")
    @embeddable
    def widget_probe():
        return jsonify(kind=current_principal().kind)

    return app


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path, GDC_RATE_LIMIT_ANONYMOUS=0, GDC_RATE_LIMIT_SIGNED_IN=0)
    store: AccountStore = app.extensions["gdc_auth"]["store"]
    store.lockout = LockoutPolicy(3, 6, 900, 900, delay_seconds=0)
    store.add_account("somchai", "analyst", PASSWORD)
    store.add_grant("somchai", {"personal"}, 3, {"moph"})
    store.add_account("root", "admin", PASSWORD)
    return app


@pytest.fixture
def store(app) -> AccountStore:
    return app.extensions["gdc_auth"]["store"]


def audit(app) -> list[dict]:
    return list(app.extensions["gdc_auth"]["audit"].entries())


def csrf_from(response) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def sign_in(client, username="somchai", password=PASSWORD, **extra):
    token = csrf_from(client.get("/signin"))
    form = {"username": username, "password": password, "csrf_token": token, **extra}
    return client.post("/signin", data=form)


def test_anonymous_by_default(app):
    assert app.test_client().get("/whoami").json == {"kind": "anonymous", "username": None, "grants": 0,
                                                     "tier": None}


def test_sign_in_sets_a_safe_cookie_and_the_principal(app):
    client = app.test_client()
    response = sign_in(client, next="/whoami")
    assert response.status_code == 303 and response.headers["Location"] == "/whoami"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert client.get("/whoami").json["username"] == "somchai"


def test_cookie_is_secure_over_https(app):
    client = app.test_client()
    token = csrf_from(client.get("/signin", base_url="https://portal.example"))
    response = client.post("/signin", base_url="https://portal.example",
                           data={"username": "somchai", "password": PASSWORD, "csrf_token": token})
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                    "javascript:x", "/\t/evil.example"])
def test_no_open_redirect_after_sign_in(app, target):
    assert sign_in(app.test_client(), next=target).headers["Location"] == "/"


def test_sign_in_without_csrf_token_is_refused(app):
    client = app.test_client()
    client.get("/signin")
    response = client.post("/signin", data={"username": "somchai", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/whoami").json["kind"] == "anonymous"


def test_session_post_needs_csrf_token(app):
    client = app.test_client()
    sign_in(client)
    assert client.post("/change").status_code == 400
    token = csrf_from(client.get("/signin"))
    assert client.post("/change", data={"csrf_token": token}).status_code == 200
    assert client.post("/change", headers={"X-CSRF-Token": token}).status_code == 200
    assert client.post("/change", data={"csrf_token": token + "x"}).status_code == 400


def test_a_token_from_another_session_is_refused(app):
    mallory = app.test_client()
    sign_in(mallory, username="root")
    foreign = csrf_from(mallory.get("/signin"))  # valid, signed with the same key, but not this session's
    victim = app.test_client()
    sign_in(victim)
    assert victim.post("/change", data={"csrf_token": foreign}).status_code == 400
    assert victim.post("/change", headers={"X-CSRF-Token": foreign}).status_code == 400


def test_wrong_password_and_unknown_user_look_the_same(app):
    client = app.test_client()
    a = sign_in(client, password="wrong password")
    b = sign_in(client, username="nobody")
    assert a.status_code == b.status_code == 401
    strip = lambda r: r.get_data(as_text=True).replace("nobody", "somchai")  # noqa: E731
    assert re.sub(r'value="[^"]{20,}"', "", strip(a)) == re.sub(r'value="[^"]{20,}"', "", strip(b))


def test_brute_force_locks_the_account_temporarily(app, store):
    client = app.test_client()
    for _ in range(3):
        assert sign_in(client, password="guess guess").status_code == 401
    locked = sign_in(client)  # even the right password is refused while locked
    assert locked.status_code == 429
    assert client.get("/whoami").json["kind"] == "anonymous"
    store.unlock("somchai")
    assert sign_in(client).status_code == 303
    events = [e["event"] for e in audit(app)]
    assert events.count("sign_in_failed") == 3 and "sign_in_locked" in events and "sign_in" in events


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_nobody_can_lock_an_administrator_out_from_elsewhere(app):
    """Issue 16, item 6: failures from an address that never signed in to the account lock that
    address out of it — the owner, from an address that succeeded before, still signs in."""
    owner = _from(app, "10.0.0.1")
    assert sign_in(owner, username="root").status_code == 303
    owner.post("/signout", data={"csrf_token": csrf_from(owner.get("/signin"))})
    attacker = _from(app, "203.0.113.5")
    for _ in range(3):
        assert sign_in(attacker, username="root", password="guess guess").status_code == 401
    refused = sign_in(attacker, username="root")  # even the right password, from there
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert sign_in(_from(app, "10.0.0.1"), username="root").status_code == 303
    entries = audit(app)
    failed = [e for e in entries if e["event"] == "sign_in_failed"]
    assert [e.get("locked") for e in failed] == [None, None, ["account_address"]]
    locked = [e for e in entries if e["event"] == "sign_in_locked"]
    assert locked[-1]["scope"] == "account_address" and locked[-1]["ip"] == "203.0.113.5"


def test_a_failure_slows_the_next_attempt_down(app, store):
    store.lockout = LockoutPolicy(3, 6, 900, 900, delay_seconds=30)
    client = _from(app, "198.51.100.7")
    assert sign_in(client, password="guess guess").status_code == 401
    slowed = sign_in(client)
    assert slowed.status_code == 429 and 29 <= int(slowed.headers["Retry-After"]) <= 30
    assert "30" in slowed.get_data(as_text=True) or "29" in slowed.get_data(as_text=True)
    assert audit(app)[-1]["event"] == "sign_in_throttled"


def test_many_accounts_from_one_address_lock_the_address(app):
    client = app.test_client()
    for n in range(6):
        sign_in(client, username=f"guess{n}", password="guess guess")
    assert sign_in(client, username="root").status_code == 429


def test_sign_out_ends_the_server_session_even_for_a_copied_cookie(app):
    client = app.test_client()
    sign_in(client)
    stolen = client.get_cookie("gdc_session").value
    token = csrf_from(client.get("/signin"))
    assert client.post("/signout", data={"csrf_token": token}).status_code == 303
    assert client.get("/whoami").json["kind"] == "anonymous"
    other = app.test_client()
    other.set_cookie("gdc_session", stolen)
    assert other.get("/whoami").json["kind"] == "anonymous"


def test_disabling_an_account_ends_its_session_at_once(app, store):
    client = app.test_client()
    sign_in(client)
    store.set_disabled("somchai", True)
    assert client.get("/whoami").json["kind"] == "anonymous"


def test_revoked_grant_stops_on_the_next_request(app, store):
    client = app.test_client()
    sign_in(client)
    assert client.get("/whoami").json["tier"] == "name"
    store.revoke_grant(store.grants("somchai")[0].id)
    assert client.get("/whoami").json["tier"] is None


def test_expired_session_is_anonymous(app, store, monkeypatch):
    client = app.test_client()
    monkeypatch.setitem(app.config, "GDC_SESSION_HOURS", -1)
    sign_in(client)
    assert client.get("/whoami").json["kind"] == "anonymous"


def test_bearer_token(app, store):
    secret, _ = store.create_token("somchai")
    client = app.test_client()
    body = client.get("/api/v1/whoami", headers={"Authorization": f"Bearer {secret}"}).json
    assert body["username"] == "somchai" and body["tier"] == "name"
    # the CKAN clients' header forms work too
    assert client.get("/api/v1/whoami", headers={"Authorization": secret}).json["username"] == "somchai"
    assert client.get("/api/v1/whoami", headers={"X-CKAN-API-Key": secret}).json["username"] == "somchai"


def test_token_requests_need_no_csrf(app, store):
    secret, _ = store.create_token("somchai")
    response = app.test_client().post("/api/3/action/whoami", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.json["username"] == "somchai"


@pytest.mark.parametrize("how", ["revoked", "expired", "forged"])
def test_bad_tokens_are_refused_not_downgraded(app, store, how):
    secret, row = store.create_token("somchai")
    if how == "revoked":
        store.revoke_token(row.id)
    elif how == "expired":
        import sqlite3
        with sqlite3.connect(store.path) as db:
            db.execute("UPDATE tokens SET expires_at = '2001-01-01T00:00:00+00:00'")
    else:
        secret = secret[:-4] + "AAAA"
    client = app.test_client()
    response = client.get("/api/v1/whoami", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401 and response.headers["Content-Type"] == "application/problem+json"
    assert "invalid_token" in response.headers["WWW-Authenticate"]
    ckan = client.post("/api/3/action/whoami", headers={"Authorization": secret})
    assert ckan.status_code == 403 and ckan.json["success"] is False
    assert ckan.json["error"]["__type"] == "Authorization Error"
    assert any(e["event"] == "token_rejected" for e in audit(app))


def test_session_cookie_does_not_authenticate_api_posts(app):
    client = app.test_client()
    sign_in(client)
    assert client.post("/api/3/action/whoami").json["kind"] == "anonymous"
    assert client.get("/api/v1/whoami").json["kind"] == "analyst"


def test_disclosures_are_audited_with_who_what_and_ids(app, store):
    secret, row = store.create_token("somchai")
    app.test_client().get("/api/v1/whoami?q=ทะเบียน", headers={"Authorization": f"Bearer {secret}"})
    app.test_client().get("/whoami?q=anonymous")  # anonymous sees nothing sensitive: no entry
    entries = [e for e in audit(app) if e["event"] == "disclosure"]
    assert len(entries) == 1
    entry = entries[0]
    assert entry["who"] == "somchai" and entry["via"] == "token" and entry["token"] == row.id
    assert entry["ids"] == ["s1"] and entry["tiers"] == {"s1": "name"}
    assert entry["path"] == "/api/v1/whoami" and entry["query"] == {"q": ["ทะเบียน"]}
    assert entry["status"] == 200
    assert entry["ts"].endswith("+00:00")


def test_audit_log_is_append_only_json_lines(app, store):
    client = app.test_client()
    sign_in(client)
    client.get("/whoami")
    lines = Path(app.config["GDC_AUDIT_LOG"]).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["event"] for line in lines] == ["sign_in", "disclosure"]


def test_audit_page_is_for_administrators_only(app):
    anonymous = app.test_client().get("/admin/audit")
    assert anonymous.status_code == 303 and "/signin" in anonymous.headers["Location"]
    analyst = app.test_client()
    sign_in(analyst)
    assert analyst.get("/admin/audit").status_code == 403
    assert analyst.get("/admin/accounts").status_code == 403
    admin = app.test_client()
    sign_in(admin, username="root")
    page = admin.get("/admin/audit?who=somchai").get_data(as_text=True)
    assert "sign_in" in page and "somchai" in page
    assert "somchai" in admin.get("/admin/accounts").get_data(as_text=True)


def test_administrators_manage_grants_and_accounts_in_the_portal(app, store):
    admin = app.test_client()
    sign_in(admin, username="root")
    token = csrf_from(admin.get("/admin/accounts"))
    no_csrf = admin.post("/admin/grants", data={"username": "somchai", "categories": "secret"})
    assert no_csrf.status_code == 400
    added = admin.post("/admin/grants", data={"csrf_token": token, "username": "somchai",
                                              "categories": ["secret"], "max_level": "4",
                                              "organizations": "nso, moph", "full": "1"})
    assert added.status_code == 303
    newest = store.grants("somchai")[-1]
    assert newest.grant.categories == {"secret"} and newest.grant.organizations == {"nso", "moph"}
    assert newest.grant.full and newest.grant.max_level == 4
    refused = admin.post("/admin/grants", data={"csrf_token": token, "username": "somchai",
                                                "categories": ["public"], "max_level": "4"})
    assert refused.status_code == 400 and "categories must be among" in refused.get_data(as_text=True)
    assert admin.post(f"/admin/grants/{newest.id}/revoke", data={"csrf_token": token}).status_code == 303
    assert newest.id not in [g.id for g in store.grants("somchai")]
    secret, row = store.create_token("somchai")
    assert admin.post(f"/admin/tokens/{row.id}/revoke", data={"csrf_token": token}).status_code == 303
    assert store.authenticate_token(secret) is None
    assert admin.post("/admin/accounts/somchai/disable", data={"csrf_token": token}).status_code == 303
    assert store.principal_for("somchai") is None
    assert admin.post("/admin/accounts/root/disable", data={"csrf_token": token}).status_code == 400
    changes = [e["detail"] for e in audit(app) if e["event"] == "account_change"]
    assert changes[0].startswith("granted somchai") and changes[-1] == "disabled somchai"
    assert all(e["who"] == "root" for e in audit(app) if e["event"] == "account_change")


def test_analysts_cannot_use_the_admin_actions(app, store):
    client = app.test_client()
    sign_in(client)
    token = csrf_from(client.get("/account"))
    grant = store.grants("somchai")[0]
    assert client.post(f"/admin/grants/{grant.id}/revoke", data={"csrf_token": token}).status_code == 403
    assert client.post("/admin/grants", data={"csrf_token": token, "username": "somchai",
                                              "categories": ["secret"], "max_level": "5"}).status_code == 403
    assert store.grants("somchai") == [grant]


def test_account_page_lists_own_grants(app):
    client = app.test_client()
    assert client.get("/account").status_code == 303
    sign_in(client)
    page = client.get("/account").get_data(as_text=True)
    assert "personal" in page and "moph" in page


def test_security_headers_on_every_page(app):
    response = app.test_client().get("/signin")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_only_the_widget_may_be_framed_and_it_is_always_anonymous(app):
    client = app.test_client()
    sign_in(client)
    response = client.get("/widget-probe")
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert response.json["kind"] == "anonymous"


def test_signed_in_responses_are_never_cached_by_shared_caches(app):
    client = app.test_client()
    assert "no-store" not in client.get("/whoami").headers.get("Cache-Control", "")
    sign_in(client)
    response = client.get("/whoami")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert {"Cookie", "Authorization"} <= set(response.vary)


def test_rate_limit_per_principal(tmp_path):
    app = make_app(tmp_path, GDC_RATE_LIMIT_ANONYMOUS=20, GDC_RATE_LIMIT_SIGNED_IN=20)
    store = app.extensions["gdc_auth"]["store"]
    store.add_account("somchai", "analyst", PASSWORD)
    secret, _ = store.create_token("somchai")
    client = app.test_client()
    statuses = [client.get("/whoami").status_code for _ in range(12)]
    assert statuses[:10] == [200] * 10 and statuses[-1] == 429
    limited = client.get("/api/v1/whoami")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    # another principal has its own bucket
    assert client.get("/whoami", headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_proxy_header_is_off_by_default(app):
    response = app.test_client().get("/whoami", headers={"X-Remote-User": "root"})
    assert response.json["kind"] == "anonymous"


def test_proxy_header_only_from_a_trusted_address(tmp_path):
    app = make_app(tmp_path, GDC_PROXY_USER_HEADER="X-Remote-User", GDC_TRUSTED_PROXIES="10.1.0.0/16")
    app.extensions["gdc_auth"]["store"].add_account("somchai", "analyst", None)
    client = app.test_client()
    def ask(user, address):
        return client.get("/whoami", headers={"X-Remote-User": user}, environ_base={"REMOTE_ADDR": address})

    trusted = ask("somchai", "10.1.2.3")
    assert trusted.json["username"] == "somchai"
    spoofed = ask("somchai", "192.0.2.9")
    assert spoofed.json["kind"] == "anonymous"
    unknown = ask("mallory", "10.1.2.3")
    assert unknown.json["kind"] == "anonymous"


def test_forwarded_for_is_believed_only_from_trusted_proxies(tmp_path):
    app = make_app(tmp_path, GDC_TRUSTED_PROXIES="10.1.0.1")
    with app.test_request_context(headers={"X-Forwarded-For": "203.0.113.5, 10.1.0.1"},
                                  environ_base={"REMOTE_ADDR": "10.1.0.1"}):
        assert context.client_address() == "203.0.113.5"
    with app.test_request_context(headers={"X-Forwarded-For": "203.0.113.5"},
                                  environ_base={"REMOTE_ADDR": "198.51.100.7"}):
        assert context.client_address() == "198.51.100.7"


def test_rate_limits_default_on_in_production_and_off_in_test_apps(tmp_path, monkeypatch):
    monkeypatch.delenv("GDC_RATE_LIMIT_ANONYMOUS", raising=False)
    monkeypatch.delenv("GDC_RATE_LIMIT_SIGNED_IN", raising=False)
    production = make_app(tmp_path / "p", TESTING=False)
    limits = (production.config["GDC_RATE_LIMIT_ANONYMOUS"], production.config["GDC_RATE_LIMIT_SIGNED_IN"])
    assert limits == (300, 120)
    testing = make_app(tmp_path / "t")
    assert production.extensions["gdc_rate_limits"] == {
        "anonymous": "150 per 30 second", "signed_in": "60 per 30 second"}
    assert testing.extensions["gdc_rate_limits"] == {"anonymous": None, "signed_in": None}
    client = testing.test_client()
    assert {client.get("/whoami").status_code for _ in range(40)} == {200}


def test_token_guessing_is_rate_limited_before_it_is_refused(tmp_path):
    app = make_app(tmp_path, GDC_RATE_LIMIT_ANONYMOUS=20, GDC_RATE_LIMIT_SIGNED_IN=20)
    client = app.test_client()
    statuses = [client.get("/whoami", headers={"Authorization": f"Bearer gdc_guess{n}_x"}).status_code
                for n in range(12)]
    assert statuses[:10] == [401] * 10 and statuses[-1] == 429
    assert sum(e["event"] == "token_rejected" for e in audit(app)) == 10

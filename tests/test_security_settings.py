"""Production refuses unsafe settings; the proxy is trusted exactly as configured; one
account's failures are limited across addresses without locking out a shared school IP."""

from __future__ import annotations

import secrets

import pytest

from app import create_app
from config import (
    ProductionConfig,
    TestingConfig,
    estimated_entropy_bits,
    production_problems,
    secret_key_problem,
)
from tests import factories

GOOD = {
    "SECRET_KEY": secrets.token_hex(32),
    "SITE_URL": "https://cunghocso.example.vn",
    "REDIS_URL": "redis://127.0.0.1:6379/4",
}


@pytest.mark.parametrize(
    "key",
    ["a" * 32, "ab" * 32, "changeme" * 4, "0123456789" * 4, "abcdefghijklmnopqrstuvwxyz" * 2],
)
def test_low_entropy_secret_keys_are_refused(key):
    assert secret_key_problem(key) is not None
    assert production_problems({**GOOD, "SECRET_KEY": key})


def test_random_secret_keys_pass():
    for _ in range(200):
        assert secret_key_problem(secrets.token_hex(16)) is None
        assert secret_key_problem(secrets.token_urlsafe(32)) is None
    assert estimated_entropy_bits("a" * 32) == 0
    assert production_problems(GOOD) == []


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://127.0.0.1:5000",
        "http://localhost",
        "https://[::1]/",
        "http://0.0.0.0:8000",
        "cunghocso.example.vn",
    ],  # fmt: skip
)
def test_loopback_or_missing_site_url_is_refused(url):
    problems = production_problems({**GOOD, "SITE_URL": url})
    assert len(problems) == 1 and "SITE_URL" in problems[0]


def test_production_start_refuses_each_unsafe_setting(monkeypatch):
    for name, bad in (("SECRET_KEY", "a" * 32), ("SITE_URL", "http://127.0.0.1:5000"),
                      ("REDIS_URL", None)):  # fmt: skip
        for key, value in GOOD.items():
            monkeypatch.setattr(ProductionConfig, key, value)
        monkeypatch.setattr(ProductionConfig, name, bad)
        with pytest.raises(SystemExit) as excinfo:
            create_app(ProductionConfig)
        assert name in str(excinfo.value)


def _remote_addr_seen_by(config_class) -> str:
    """A fresh app (no request handled yet) with one route that echoes the address."""
    from flask import request

    fresh = create_app(config_class)

    @fresh.route("/_whoami_test")
    def whoami():
        return request.remote_addr or ""

    whoami.access = "public"
    response = fresh.test_client().get(
        "/_whoami_test", headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.7"}
    )
    return response.get_data(as_text=True)


def test_proxy_fix_trusts_exactly_the_configured_hops():
    class OneProxy(TestingConfig):
        TRUSTED_PROXIES = 1

    class TwoProxies(TestingConfig):
        TRUSTED_PROXIES = 2

    # no trusted proxy: the header is ignored (anyone can send it)
    assert _remote_addr_seen_by(TestingConfig) == "127.0.0.1"
    # one proxy: the address it saw (the last entry), never what the client claimed before
    assert _remote_addr_seen_by(OneProxy) == "198.51.100.7"
    assert _remote_addr_seen_by(TwoProxies) == "203.0.113.9"


def _attempt(client, username, password, address):
    return client.post(
        "/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_guesses_from_many_addresses_on_one_account_are_limited(client, org):
    statuses = [
        _attempt(client, "hs-an", f"guess-{i}", f"10.0.0.{i % 10}").status_code for i in range(50)
    ]
    assert statuses.count(200) == 10  # LOGIN_ACCOUNT_RATE_LIMIT: 10 per 15 minutes
    assert statuses[10:] == [429] * 40
    # A classmate behind the same addresses is not affected.
    assert _attempt(client, "hs-chi", factories.PASSWORD, "10.0.0.1").status_code == 302


def test_the_real_user_gets_back_in_after_the_window(client, org, monkeypatch):
    import limits.storage.memory as memory

    clock = [1_000_000.0]
    monkeypatch.setattr(memory.time, "time", lambda: clock[0])
    for i in range(10):
        _attempt(client, "hs-an", f"guess-{i}", f"10.0.1.{i}")
    assert _attempt(client, "hs-an", factories.PASSWORD, "10.9.9.9").status_code == 429
    clock[0] += 15 * 60 + 1
    assert _attempt(client, "hs-an", factories.PASSWORD, "10.9.9.9").status_code == 302

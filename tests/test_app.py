import pytest

from app import create_app
from app.extensions import db
from config import ProductionConfig, TestingConfig


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_security_headers(client):
    headers = client.get("/login").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_scripts_or_external_assets(client, auth, org):
    auth.login("hs-an")
    html = client.get("/learn/").get_data(as_text=True)
    assert "<script>" not in html and "onclick" not in html
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_404_page_in_vietnamese(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)


def test_500_rolls_back_and_shows_vietnamese_page(app):
    from tests import factories

    broken_app = create_app(TestingConfig)
    broken_app.config["PROPAGATE_EXCEPTIONS"] = False

    @broken_app.route("/__boom")
    def boom():
        user.full_name = "Changed"
        db.session.flush()
        raise RuntimeError("boom")

    boom.access = "public"
    with broken_app.app_context():
        db.create_all()
        user = factories.user(full_name="Trần Minh An")
        response = broken_app.test_client().get("/__boom")
        assert response.status_code == 500
        assert "Đã có lỗi xảy ra" in response.get_data(as_text=True)
        db.session.expire_all()
        assert db.session.get(type(user), user.id).full_name == "Trần Minh An"
        db.session.remove()
        db.engine.dispose()


def test_english_locale_switch(client):
    response = client.post("/preferences/locale", data={"locale": "en", "next": "/login"})
    assert response.status_code == 302
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en"' in html
    assert "Sign in" in html


def test_unknown_locale_falls_back_to_vietnamese(client):
    client.post("/preferences/locale", data={"locale": "xx"})
    assert '<html lang="vi"' in client.get("/login").get_data(as_text=True)


def test_large_text_is_remembered_per_user(client, auth, org):
    auth.login("hs-an")
    client.post("/preferences/large-text", data={"next": "/learn/"})
    auth.logout()
    assert 'class="large-text"' not in client.get("/login").get_data(as_text=True)
    auth.login("hs-an")
    assert 'class="large-text"' in client.get("/learn/").get_data(as_text=True)


def test_large_text_for_visitors_uses_a_cookie(client):
    client.post("/preferences/large-text", data={"next": "/login"})
    assert 'class="large-text"' in client.get("/login").get_data(as_text=True)


def test_production_refuses_missing_or_weak_secret_key(monkeypatch):
    for weak in (None, "", "changeme", "short"):
        monkeypatch.setattr(ProductionConfig, "SECRET_KEY", weak)
        with pytest.raises(SystemExit) as excinfo:
            create_app(ProductionConfig)
        assert "SECRET_KEY" in str(excinfo.value)


def test_unreachable_database_is_reported_clearly(monkeypatch, caplog):
    class Broken(ProductionConfig):
        SECRET_KEY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        SITE_URL = "https://cunghocso.example.vn"
        REDIS_URL = "redis://127.0.0.1:6379/4"
        SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
        SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"connect_timeout": 2}}

    with pytest.raises(SystemExit):
        create_app(Broken)
    assert "DATABASE_URL" in caplog.text
    assert "secret" not in caplog.text


def test_production_cookies_are_secure():
    assert ProductionConfig.SESSION_COOKIE_SECURE is True


def test_csrf_is_enforced_when_enabled():
    class WithCsrf(TestingConfig):
        WTF_CSRF_ENABLED = True

    app = create_app(WithCsrf)
    response = app.test_client().post("/login", data={"username": "a", "password": "b"})
    assert response.status_code == 400

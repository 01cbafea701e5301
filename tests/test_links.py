"""Links that leave the site come from SITE_URL, whatever Host header the request had."""

from __future__ import annotations

from app.links import external_url
from tests.guided_support import register


def test_claim_page_link_ignores_a_forged_host(app, client, org, monkeypatch):
    monkeypatch.setitem(app.config, "SITE_URL", "https://cunghocso.example.vn/")
    with app.test_request_context():
        relative = register(org.student).relative
    evil = {"base_url": "http://evil.example"}  # every request says Host: evil.example
    client.post("/login", data={"username": "hs-an", "password": "correct-horse-battery"}, **evil)
    response = client.post(f"/guided/relatives/{relative.id}/claim-code", **evil)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "https://cunghocso.example.vn/guided/claim" in html
    assert "evil.example" not in html


def test_external_url_works_outside_a_request_and_with_values(app, monkeypatch):
    monkeypatch.setitem(app.config, "SITE_URL", "https://cunghocso.example.vn")
    assert external_url("guided.claim") == "https://cunghocso.example.vn/guided/claim"
    with app.test_request_context("/", headers={"Host": "evil.example"}):
        assert external_url("certificates.verify", code="ABC") == (
            "https://cunghocso.example.vn/verify/ABC"
        )

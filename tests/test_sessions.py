"""The session cookie cannot be read by whoever holds it: names in flash messages stay
sealed; a tampered cookie is a fresh, signed-out session."""

from __future__ import annotations

import base64
import contextlib
import zlib

from tests import factories

NAME = "Nguyễn Thị Lan"


def _decoded_variants(cookie: str) -> str:
    """Everything a curious person could get out of the cookie without the key."""
    texts = [cookie]
    for part in cookie.lstrip(".").split("."):
        padded = part + "=" * (-len(part) % 4)
        try:
            raw = base64.urlsafe_b64decode(padded)
        except ValueError:
            continue
        texts.append(raw.decode("utf-8", "ignore"))
        with contextlib.suppress(zlib.error):
            texts.append(zlib.decompress(raw).decode("utf-8", "ignore"))
    return "\n".join(texts)


def test_a_flash_naming_someone_is_not_readable_in_the_cookie(client, org):
    client.post("/login", data={"username": "gv-ha", "password": factories.PASSWORD})
    with client.session_transaction() as session:
        session["_flashes"] = [("success", f"Đã xác nhận: {NAME}")]
    cookie = client.get_cookie("session").value
    leaked = _decoded_variants(cookie)
    assert NAME not in leaked and "Lan" not in leaked and "_flashes" not in leaked
    assert NAME in client.get("/teach/").get_data(as_text=True)  # the user still sees it


def test_a_tampered_cookie_is_a_new_signed_out_session(app, client, org):
    client.post("/login", data={"username": "gv-ha", "password": factories.PASSWORD})
    cookie = client.get_cookie("session").value
    forged = app.test_client()
    forged.set_cookie("session", cookie[:-4] + ("AAAA" if not cookie.endswith("AAAA") else "BBBB"))
    assert forged.get("/teach/").status_code == 302
    genuine = app.test_client()
    genuine.set_cookie("session", cookie)
    assert genuine.get("/teach/").status_code == 200

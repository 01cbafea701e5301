"""Bad input gets a clear Vietnamese message and a 4xx, never a server error."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "path",
    ["/certificates/99999999999999999999", "/certificates/2147483648/pdf",
     "/certificates/99999999999999999999/credential.json", "/guided/relatives/9223372036854775808"],
)  # fmt: skip
def test_huge_ids_in_urls_are_not_found_not_server_errors(client, auth, org, path):
    auth.login("gv-ha")
    response = client.get(path)
    assert response.status_code == 404
    if response.is_json:
        assert response.get_json()["error"] == "Không tìm thấy trang"
    else:
        assert "Không tìm thấy" in response.get_data(as_text=True)


def test_largest_real_id_still_routes(client, auth, org):
    auth.login("gv-ha")
    assert client.get("/certificates/2147483647").status_code == 404  # reached the view


def test_huge_page_number_on_the_security_log(client, auth, org):
    auth.login("quan-tri")
    response = client.get("/security-log/?page=99999999999999999999999")
    assert response.status_code == 200
    assert "Không có việc nào khớp bộ lọc" in response.get_data(as_text=True)

import re

from app.auth.passwords import OWASP_HASHER
from app.models import Role


def test_login_page_is_vietnamese_with_named_fields(client):
    html = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in html
    assert 'name="username"' in html and 'name="password"' in html
    assert '<html lang="vi"' in html


def test_sign_in_lands_on_role_home_and_sign_out(client, auth, org):
    response = auth.login("hs-an")
    assert response.status_code == 302
    assert client.get("/", follow_redirects=False).headers["Location"].endswith("/learn/")
    page = client.get("/learn/").get_data(as_text=True)
    assert "Trần Minh An" in page
    auth.logout()
    assert client.get("/learn/").status_code == 302


def test_each_role_lands_on_its_own_home(client, auth, org):
    expected = {
        Role.STUDENT: "/learn/",
        Role.STAFF: "/learn/",
        Role.TEACHER: "/teach/",
        Role.SCHOOL_ADMIN: "/school/",
        Role.WARD_OFFICER: "/ward/",
        Role.CITY_OFFICER: "/city/",
        Role.PARENT: "/family/",
        Role.ADMIN: "/admin/",
    }
    for role, user in org.by_role().items():
        auth.login(user.username)
        location = client.get("/").headers["Location"]
        assert location.endswith(expected[role]), role
        assert client.get(expected[role]).status_code == 200, role
        auth.logout()


def test_wrong_password_gives_clear_message(client, auth, org):
    response = auth.login("hs-an", "wrong")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.get_data(as_text=True)


def test_unknown_username_gives_same_message(client, auth, org):
    response = auth.login("nobody-here", "whatever")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.get_data(as_text=True)


def test_username_is_case_and_space_insensitive(client, auth, org):
    assert auth.login("  HS-An ").status_code == 302


def test_overlong_and_empty_fields_are_refused_with_message(client, auth, org):
    response = client.post("/login", data={"username": "x" * 500, "password": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Hãy nhập mật khẩu." in html


def test_repeated_failures_are_slowed_down_per_user_not_per_school(client, auth, org):
    for _ in range(5):
        assert auth.login("hs-an", "wrong").status_code == 200
    blocked = auth.login("hs-an", "wrong")
    assert blocked.status_code == 429
    assert "quá nhiều lần" in blocked.get_data(as_text=True)
    # A classmate on the same school IP can still sign in.
    assert auth.login("hs-chi").status_code == 302


def test_successful_logins_do_not_count_towards_the_limit(client, auth, org):
    for _ in range(8):
        assert auth.login("hs-an").status_code == 302
        auth.logout()


def test_session_is_renewed_at_sign_in(client, auth, org):
    with client.session_transaction() as session:
        session["planted"] = "by-attacker"
    auth.login("hs-an")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_session_cookie_flags(client, auth, org):
    response = auth.login("hs-an")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_open_redirect_after_login_is_refused(client, org):
    response = client.post(
        "/login?next=https://evil.example/x",
        data={"username": "hs-an", "password": "correct-horse-battery"},
    )
    assert response.headers["Location"] == "/"


def test_next_path_on_site_is_followed(client, org):
    response = client.post(
        "/login?next=/learn/", data={"username": "hs-an", "password": "correct-horse-battery"}
    )
    assert response.headers["Location"] == "/learn/"


def test_change_own_password(client, auth, org):
    auth.login("hs-an")
    response = client.post(
        "/account/password",
        data={
            "current_password": "correct-horse-battery",
            "new_password": "mot-cum-tu-moi",
            "confirm": "mot-cum-tu-moi",
        },
    )
    assert response.status_code == 302
    auth.logout()
    assert auth.login("hs-an").status_code == 200  # old password refused
    assert auth.login("hs-an", "mot-cum-tu-moi").status_code == 302


def test_change_password_errors_are_explained(client, auth, org):
    auth.login("hs-an")
    html = client.post(
        "/account/password",
        data={"current_password": "wrong", "new_password": "short", "confirm": "other"},
    ).get_data(as_text=True)
    assert "Mật khẩu mới cần từ 8" in html
    assert "Hai mật khẩu mới không giống nhau." in html


def test_change_password_signs_out_other_sessions(app, client, auth, org):
    other = app.test_client()
    other.post("/login", data={"username": "hs-an", "password": "correct-horse-battery"})
    assert other.get("/learn/").status_code == 200
    auth.login("hs-an")
    client.post(
        "/account/password",
        data={
            "current_password": "correct-horse-battery",
            "new_password": "mot-cum-tu-moi",
            "confirm": "mot-cum-tu-moi",
        },
    )
    assert client.get("/learn/").status_code == 200
    assert other.get("/learn/").status_code == 302


def test_production_hasher_meets_owasp_minimums():
    encoded = OWASP_HASHER.hash("x")
    params = dict(re.findall(r"([mtp])=(\d+)", encoded))
    assert encoded.startswith("$argon2id$")
    assert int(params["m"]) >= 19456 and int(params["t"]) >= 2 and int(params["p"]) >= 1


def test_inactive_user_cannot_sign_in(client, auth, make, org):
    org.student.active = False
    from app.extensions import db

    db.session.commit()
    assert auth.login("hs-an").status_code == 200

from app.extensions import db
from app.models import User


def test_teacher_resets_own_students_password(client, auth, org):
    auth.login("gv-ha")
    response = client.post(f"/teach/students/{org.student.id}/reset-password")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Mật khẩu tạm thời" in html
    assert response.headers["Cache-Control"] == "no-store"
    password = html.split('class="code">')[2].split("<")[0]
    auth.logout()
    assert auth.login("hs-an", password).headers["Location"].endswith("/account/password")
    student = db.session.get(User, org.student.id)
    assert student.must_change_password


def test_teacher_cannot_reset_another_schools_student(client, auth, org):
    auth.login("gv-ha")
    assert client.post(f"/teach/students/{org.other_student.id}/reset-password").status_code == 403


def test_teacher_cannot_reset_a_teacher(client, auth, org):
    auth.login("gv-ha")
    assert client.post(f"/teach/students/{org.other_teacher.id}/reset-password").status_code == 403


def test_school_admin_resets_students_of_own_school_only(client, auth, org):
    auth.login("bgh-hai")
    assert client.post(f"/teach/students/{org.classmate.id}/reset-password").status_code == 200
    assert client.post(f"/teach/students/{org.other_student.id}/reset-password").status_code == 403


def test_teacher_sees_own_class_roster_only(client, auth, org):
    auth.login("gv-ha")
    page = client.get(f"/teach/classes/{org.classroom.id}").get_data(as_text=True)
    assert "Trần Minh An" in page and "Phạm Ngọc Chi" in page
    assert "Đỗ Gia Huy" not in page
    assert client.get(f"/teach/classes/{org.other_classroom.id}").status_code == 403

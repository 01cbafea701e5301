import sqlalchemy as sa

from app.extensions import db
from app.models import Classroom, Role, User

DEMO_USERS = {
    "demo-student": Role.STUDENT,
    "demo-teacher": Role.TEACHER,
    "demo-school-admin": Role.SCHOOL_ADMIN,
    "demo-ward": Role.WARD_OFFICER,
    "demo-city": Role.CITY_OFFICER,
    "demo-parent": Role.PARENT,
    "demo-admin": Role.ADMIN,
}


def _counts():
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_demo_loads_accounts_and_is_idempotent(app, runner, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "demo-student" in result.output and "hocso-demo" in result.output
    first = _counts()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert _counts() == first
    for username, role in DEMO_USERS.items():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        assert user.role == role
        response = client.post("/login", data={"username": username, "password": "hocso-demo"})
        assert response.status_code == 302, username
        client.post("/logout")
    grades = set(db.session.scalars(sa.select(Classroom.grade)))
    assert grades == {6, 7, 8, 9}
    teacher = db.session.scalar(sa.select(User).where(User.username == "demo-teacher"))
    assert len(teacher.homeroom_classes()) == 2

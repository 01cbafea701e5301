"""Two site admins create the same username at the same moment: one account, and the other
gets a message, not an error page. Needs real concurrent connections (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Role, User
from app.models.audit import AuditEvent
from app.org import services
from tests.factories import PASSWORD


def test_two_admins_taking_the_same_username_at_once_make_one_account(app, make, monkeypatch):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("needs real concurrent connections: runs on PostgreSQL (make test-postgres)")
    province = make.province("Hải Phòng")
    ward = make.ward("Phường Thủy Nguyên", province_obj=province)
    clients = []
    for n in (1, 2):
        admin = make.user(Role.ADMIN, username=f"quantri{n}")
        client = app.test_client()
        client.post("/login", data={"username": admin.username, "password": PASSWORD})
        clients.append(client)

    # Make the race certain: both requests find the username free, and only then insert.
    checked = threading.Barrier(2, timeout=20)
    real_generate = services.generate_password

    def generate_then_wait():
        password = real_generate()
        checked.wait()
        return password

    monkeypatch.setattr(services, "generate_password", generate_then_wait)
    responses = []

    def create(client, name):
        with app.app_context():
            response = client.post(
                "/admin/users/new?role=ward",
                data={"place": ward.id, "full_name": name, "username": "phuong.tn"},
            )
            responses.append((response.status_code, response.get_data(as_text=True)))
            db.session.remove()

    threads = [
        threading.Thread(target=create, args=(client, name))
        for client, name in zip(clients, ["Lê Văn Khoa", "Trần Văn Nam"], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    db.session.expire_all()
    assert len(db.session.scalars(sa.select(User).where(User.username == "phuong.tn")).all()) == 1
    assert sorted(status for status, _ in responses) == [200, 400]
    refused = next(body for status, body in responses if status == 400)
    assert "Vừa có người tạo cùng tên này" in refused
    created = sa.select(AuditEvent).where(AuditEvent.action == "org.account_created")
    assert len(db.session.scalars(created).all()) == 1

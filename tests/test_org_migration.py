"""The provinces migration keeps an existing city's data valid and admits the new role."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from config import TestingConfig
from tests.test_migrations import fresh_database_url  # noqa: F401 - fixture

USER = (
    "INSERT INTO users (username, password_hash, full_name, role, large_text, active, "
    "must_change_password, session_nonce, created_at, {extra}) VALUES "
    "(:username, 'x', 'Người Dùng', :role, false, true, false, 'n', '2025-09-05', {values})"
)


def test_existing_wards_and_users_survive_and_city_officers_fit(fresh_database_url):  # noqa: F811
    class MigrationConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = fresh_database_url

    app = create_app(MigrationConfig)
    with app.app_context():
        upgrade(revision="c3d4e5f60701")
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO wards (id, name, code) VALUES (1, 'Phường A', 'a')"))
            conn.execute(
                sa.text(
                    "INSERT INTO schools (id, ward_id, name, level, review_policy, "
                    "review_sample_percent) VALUES (1, 1, 'Trường A', 'thcs', 'confirm_first', 20)"
                )
            )
            conn.execute(
                sa.text(USER.format(extra="ward_id", values="1")),
                {"username": "phuong-a", "role": "ward_officer"},
            )
        upgrade()
        with db.engine.begin() as conn:
            assert conn.execute(sa.text("SELECT province_id FROM wards")).scalar() is None
            assert conn.execute(sa.text("SELECT role FROM users")).scalar() == "ward_officer"
            conn.execute(sa.text("INSERT INTO provinces (id, name) VALUES (1, 'Hải Phòng')"))
            conn.execute(
                sa.text(USER.format(extra="province_id", values="1")),
                {"username": "so-hp", "role": "city_officer"},
            )
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
            conn.execute(
                sa.text(USER.format(extra="province_id", values="1")),
                {"username": "la", "role": "not_a_role"},
            )
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO schools (ward_id, name, level, review_policy, "
                    "review_sample_percent) VALUES (1, 'Trường A', 'thcs', 'confirm_first', 20)"
                )
            )
        db.engine.dispose()

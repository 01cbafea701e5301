"""Provinces above wards; the city officer role (Sở GD&ĐT), tied to a province.

Existing wards keep working: ``wards.province_id`` is nullable, and the site admin attaches
them to a province later (``flask org add-ward --province P W`` or the admin page). The
``user_role`` CHECK constraint is rebuilt with the new role. Ward names are unique within
a province, school names within a ward.

Revision ID: b7c1d2e3f401
Revises: c3d4e5f60701
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "b7c1d2e3f401"
down_revision = "c3d4e5f60701"
branch_labels = None
depends_on = None

OLD_ROLES = ("student", "staff", "teacher", "school_admin", "ward_officer", "parent", "admin")
NEW_ROLES = (*OLD_ROLES, "city_officer")


def _role_check(roles: tuple[str, ...]) -> str:
    return "role IN (" + ", ".join(f"'{r}'" for r in roles) + ")"


def upgrade():
    op.create_table(
        "provinces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provinces")),
        sa.UniqueConstraint("name", name=op.f("uq_provinces_name")),
    )
    with op.batch_alter_table("wards") as batch_op:
        batch_op.add_column(sa.Column("province_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_wards_province_id"), ["province_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_wards_province_id_provinces"), "provinces", ["province_id"], ["id"]
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_wards_province_id_name"), ["province_id", "name"]
        )
    with op.batch_alter_table("schools") as batch_op:
        batch_op.create_unique_constraint(batch_op.f("uq_schools_ward_id_name"), ["ward_id", "name"])
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint(op.f("ck_users_user_role"), type_="check")
        batch_op.create_check_constraint("user_role", _role_check(NEW_ROLES))
        batch_op.add_column(sa.Column("province_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_users_province_id"), ["province_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_users_province_id_provinces"), "provinces", ["province_id"], ["id"]
        )


def downgrade():
    op.execute("DELETE FROM users WHERE role = 'city_officer'")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_users_province_id_provinces"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_users_province_id"))
        batch_op.drop_column("province_id")
        batch_op.drop_constraint(op.f("ck_users_user_role"), type_="check")
        batch_op.create_check_constraint("user_role", _role_check(OLD_ROLES))
    with op.batch_alter_table("schools") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_schools_ward_id_name"), type_="unique")
    with op.batch_alter_table("wards") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_wards_province_id_name"), type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_wards_province_id_provinces"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_wards_province_id"))
        batch_op.drop_column("province_id")
    op.drop_table("provinces")

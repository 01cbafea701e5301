"""Relative link requests; a claim code no longer counts wrong birth years; one account
per relative and one relative per account.

Revision ID: b7f3c2a91d10
Revises: b7e1a2c3d401
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "b7f3c2a91d10"
down_revision = "b7e1a2c3d401"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "relative_link_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("relative_id", sa.Integer(), nullable=False),
        sa.Column("typed_name", sa.String(length=120), nullable=False),
        sa.Column("typed_phone", sa.String(length=20), nullable=True),
        sa.Column("relation", sa.String(length=30), nullable=False),
        sa.Column("consent_on", sa.Date(), nullable=False),
        sa.Column("parent_informed_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "refused",
                name="link_request_status",
                native_enum=False,
                create_constraint=True,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_relative_link_requests_decided_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["relative_id"],
            ["relatives.id"],
            name=op.f("fk_relative_link_requests_relative_id_relatives"),
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["users.id"], name=op.f("fk_relative_link_requests_student_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relative_link_requests")),
        sa.UniqueConstraint(
            "student_id", "relative_id", name=op.f("uq_relative_link_requests_student_id_relative_id")
        ),
    )
    with op.batch_alter_table("relative_link_requests") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_relative_link_requests_relative_id"), ["relative_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_relative_link_requests_student_id"), ["student_id"], unique=False
        )
    with op.batch_alter_table("claim_codes") as batch_op:
        batch_op.drop_column("failed_attempts")
    with op.batch_alter_table("relatives") as batch_op:
        batch_op.drop_index("ix_relatives_account_id")
        batch_op.create_index("ix_relatives_account_id", ["account_id"], unique=True)


def downgrade():
    with op.batch_alter_table("relatives") as batch_op:
        batch_op.drop_index("ix_relatives_account_id")
        batch_op.create_index("ix_relatives_account_id", ["account_id"], unique=False)
    with op.batch_alter_table("claim_codes") as batch_op:
        batch_op.add_column(
            sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("relative_link_requests") as batch_op:
        batch_op.drop_index(batch_op.f("ix_relative_link_requests_student_id"))
        batch_op.drop_index(batch_op.f("ix_relative_link_requests_relative_id"))
    op.drop_table("relative_link_requests")

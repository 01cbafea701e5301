"""Personal data: deletion requests with recorded decisions; a relative can be erased
(erased_at, birth year no longer required).

Revision ID: c4d8e1f2a703
Revises: d4f8a6b2c901
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "c4d8e1f2a703"
down_revision = "d4f8a6b2c901"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "deletion_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "refused",
                name="deletion_status",
                native_enum=False,
                create_constraint=True,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_deletion_requests_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"], ["users.id"], name=op.f("fk_deletion_requests_requester_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_deletion_requests_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deletion_requests")),
    )
    with op.batch_alter_table("deletion_requests") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deletion_requests_requester_id"), ["requester_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_deletion_requests_school_id"), ["school_id"], unique=False
        )
    with op.batch_alter_table("relatives") as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))
        batch_op.alter_column("birth_year", existing_type=sa.Integer(), nullable=True)


def downgrade():
    with op.batch_alter_table("relatives") as batch_op:
        batch_op.alter_column("birth_year", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("erased_at")
    with op.batch_alter_table("deletion_requests") as batch_op:
        batch_op.drop_index(batch_op.f("ix_deletion_requests_school_id"))
        batch_op.drop_index(batch_op.f("ix_deletion_requests_requester_id"))
    op.drop_table("deletion_requests")

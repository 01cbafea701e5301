"""Certificate lifecycle: final revocations, re-enabling, withdrawn sessions, one open
session per student, relative and walkthrough.

- certificates: ``revocation_final`` (a school admin's revocation blocks re-issue),
  ``reenabled_at`` / ``reenabled_by_id`` / ``reenable_reason`` (a school admin lifted it).
  Existing revocations by hand (not the automatic "session rejected" / "part withdrawn"
  ones) become final.
- guided_sessions.review_status gains ``withdrawn`` (CHECK constraint rebuilt).
- a partial unique index: one open (in progress / checking) session per student, relative
  and walkthrough. Older duplicates, if any, are marked abandoned first (the newest stays).

Revision ID: c3d4e5f60701
Revises: b7f3c2a91d10
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "c3d4e5f60701"
down_revision = "b7f3c2a91d10"
branch_labels = None
depends_on = None

AUTOMATIC_REASONS = (
    "Một nhiệm vụ trong chứng nhận đã bị thu hồi.",
    "Buổi hướng dẫn không được giáo viên xác nhận.",
)
OPEN = "status IN ('in_progress', 'checking')"


def _review_status(*members: str) -> sa.Enum:
    return sa.Enum(
        *members, name="review_status", native_enum=False, create_constraint=True, length=13
    )


OLD_REVIEW = _review_status("none", "pending", "confirmed", "rejected")
NEW_REVIEW = _review_status("none", "pending", "confirmed", "rejected", "withdrawn")


def upgrade():
    with op.batch_alter_table("certificates") as batch_op:
        batch_op.add_column(
            sa.Column(
                "revocation_final", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(sa.Column("reenabled_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("reenabled_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reenable_reason", sa.String(length=500), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_certificates_reenabled_by_id_users"), "users", ["reenabled_by_id"], ["id"]
        )
    certificates = sa.table(
        "certificates",
        sa.column("revoked_at", sa.DateTime()),
        sa.column("revoke_reason", sa.String()),
        sa.column("revocation_final", sa.Boolean()),
    )
    op.execute(
        certificates.update()
        .where(
            certificates.c.revoked_at.is_not(None),
            certificates.c.revoke_reason.not_in(AUTOMATIC_REASONS),
        )
        .values(revocation_final=True)
    )

    with op.batch_alter_table("guided_sessions") as batch_op:
        batch_op.alter_column(
            "review_status", existing_type=OLD_REVIEW, type_=NEW_REVIEW, existing_nullable=False
        )
    # Duplicate open sessions (possible before this index): keep the newest open.
    op.execute(
        sa.text(
            "UPDATE guided_sessions SET status = 'abandoned' "
            f"WHERE {OPEN} AND EXISTS (SELECT 1 FROM guided_sessions AS newer "
            "WHERE newer.student_id = guided_sessions.student_id "
            "AND newer.relative_id = guided_sessions.relative_id "
            "AND newer.walkthrough_id = guided_sessions.walkthrough_id "
            "AND newer.status IN ('in_progress', 'checking') "
            "AND newer.id > guided_sessions.id)"
        )
    )
    op.create_index(
        "uq_guided_sessions_open",
        "guided_sessions",
        ["student_id", "relative_id", "walkthrough_id"],
        unique=True,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )


def downgrade():
    op.drop_index("uq_guided_sessions_open", table_name="guided_sessions")
    op.execute(
        sa.text("UPDATE guided_sessions SET review_status = 'rejected' WHERE review_status = 'withdrawn'")
    )
    with op.batch_alter_table("guided_sessions") as batch_op:
        batch_op.alter_column(
            "review_status", existing_type=NEW_REVIEW, type_=OLD_REVIEW, existing_nullable=False
        )
    with op.batch_alter_table("certificates") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_certificates_reenabled_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("reenable_reason")
        batch_op.drop_column("reenabled_by_id")
        batch_op.drop_column("reenabled_at")
        batch_op.drop_column("revocation_final")

"""Enrollment.left_on: the date a student left a class (moved or left the school).

Revision ID: a1b2c3d4e501
Revises: 92f57c5ae359
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "a1b2c3d4e501"
down_revision = "92f57c5ae359"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("enrollments") as batch_op:
        batch_op.add_column(sa.Column("left_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("enrollments") as batch_op:
        batch_op.drop_column("left_on")

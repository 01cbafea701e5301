"""Certificate.status_index: each certificate's bit in the revocation status list.

Existing certificates get indices in issue order (0, 1, 2, …); their stored credentials
gain the matching ``credentialStatus`` when ``flask certificates reissue`` re-signs them.

Revision ID: d4f8a6b2c901
Revises: c7e1d2a90b13
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "d4f8a6b2c901"
down_revision = "c7e1d2a90b13"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("certificates") as batch_op:
        batch_op.add_column(sa.Column("status_index", sa.Integer(), nullable=True))
    certificates = sa.table(
        "certificates", sa.column("id", sa.Integer), sa.column("status_index", sa.Integer)
    )
    bind = op.get_bind()
    ids = bind.execute(sa.select(certificates.c.id).order_by(certificates.c.id)).scalars().all()
    for index, row_id in enumerate(ids):
        bind.execute(
            certificates.update().where(certificates.c.id == row_id).values(status_index=index)
        )
    with op.batch_alter_table("certificates") as batch_op:
        batch_op.create_unique_constraint("uq_certificates_status_index", ["status_index"])


def downgrade():
    with op.batch_alter_table("certificates") as batch_op:
        batch_op.drop_constraint("uq_certificates_status_index", type_="unique")
        batch_op.drop_column("status_index")

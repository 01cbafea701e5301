"""Stored credentials: the eddsa-jcs-2022 proof carries @context, proof is a list.

The signer always hashed the document's ``@context`` into the proof configuration but
did not put it into the emitted proof ("Create Proof", step 2 of W3C Data Integrity EdDSA
Cryptosuites v1.0). Adding ``proof.@context`` (the document's own ``@context``) makes the
existing signature verify under the spec: nothing is re-signed. ``proof`` becomes a list
(a proof set), as 1EdTech's Open Badges 3.0 JSON schema requires.

Revision ID: c7e1d2a90b13
Revises: b7c1d2e3f401
Create Date: 2026-12-03
"""

import copy

import sqlalchemy as sa
from alembic import op

revision = "c7e1d2a90b13"
down_revision = "b7c1d2e3f401"
branch_labels = None
depends_on = None

certificates = sa.table(
    "certificates", sa.column("id", sa.Integer), sa.column("credential", sa.JSON)
)


def repaired(credential):
    """The credential with a spec-conformant proof set; None when nothing changes."""
    if not isinstance(credential, dict) or not isinstance(credential.get("proof"), dict):
        return None
    fixed = copy.deepcopy(credential)
    proof = fixed["proof"]
    if proof.get("cryptosuite") == "eddsa-jcs-2022" and "@context" in fixed:
        proof.setdefault("@context", copy.deepcopy(fixed["@context"]))
    # Keep proofValue last, as a signer writes it (key order does not affect the hash).
    if "proofValue" in proof:
        proof["proofValue"] = proof.pop("proofValue")
    fixed["proof"] = [proof]
    return fixed


def legacy(credential):
    """The inverse, for downgrade: the single eddsa-jcs-2022 proof without @context."""
    if not isinstance(credential, dict) or not isinstance(credential.get("proof"), list):
        return None
    jcs = [p for p in credential["proof"] if isinstance(p, dict)
           and p.get("cryptosuite") == "eddsa-jcs-2022"]  # fmt: skip
    if not jcs:
        return None
    fixed = copy.deepcopy(credential)
    proof = copy.deepcopy(jcs[0])
    proof.pop("@context", None)
    fixed["proof"] = proof
    return fixed


def _rewrite(change):
    bind = op.get_bind()
    rows = bind.execute(sa.select(certificates.c.id, certificates.c.credential)).all()
    for row_id, credential in rows:
        fixed = change(credential)
        if fixed is not None:
            bind.execute(
                certificates.update().where(certificates.c.id == row_id).values(credential=fixed)
            )


def upgrade():
    _rewrite(repaired)


def downgrade():
    _rewrite(legacy)

"""Each certificate as an Open Badges 3.0 ``OpenBadgeCredential``, and its offline check.

The credential follows the W3C Verifiable Credentials Data Model 2.0 and 1EdTech Open
Badges 3.0: the issuer is the platform's Profile (its id is the stable issuer id, where
the controlled identifier document lists the keys; see ``identity``), its revocation
status is an entry in our Bitstring Status List, the subject is identified by name
(``IdentityObject``), the achievement is aligned to the framework competence codes and
carries the level as a rubric level, and the school that assessed it is the subject's
``source``. No birth year, phone, class or guiding pupil's name goes into it: it is made
to be shown to strangers.

``check_credential`` needs no database and no network: the structure, then the
eddsa-jcs-2022 signature against a public key the caller supplies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask_babel import gettext as _

from app.certificates.signing import proofs_of, verify_proof

if TYPE_CHECKING:
    from app.models.certificates import Certificate

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0"
PLATFORM_NAME = "Cùng Học Số"
FRAMEWORK_NAME = "Khung năng lực số cho người học (Thông tư 02/2025/TT-BGDĐT)"

ACHIEVEMENT_TYPES = {
    "task": "Competency",
    "combined": "Certificate",
    "path": "LearningProgram",
    "domain": "Competency",
}


def iso_utc(moment: datetime) -> str:
    """Naive UTC from the database → XML Schema dateTime, to the second."""
    return moment.replace(microsecond=0).isoformat() + "Z"


def achievement_uri(certificate: Certificate) -> str:
    """A stable URN naming what was achieved (the same for every holder of it)."""
    if certificate.kind.value == "combined":
        tasks = "+".join(sorted(part["achievement_id"] for part in certificate.details["parts"]))
        return f"urn:cunghocso:achievement:combined:{tasks}"
    if certificate.kind.value == "domain":
        return f"urn:cunghocso:achievement:domain:{certificate.achievement_id}:{certificate.level}"
    return f"urn:cunghocso:achievement:{certificate.kind.value}:{certificate.achievement_id}"


def _criteria(certificate: Certificate) -> str:
    kind = certificate.kind.value
    if kind == "task":
        return _(
            "Tự tay làm được các bước chính của nhiệm vụ trong một buổi hướng dẫn, trả lời "
            "đúng các câu hỏi kiểm tra, và được giáo viên của nhà trường xác nhận."
        )
    if kind == "combined":
        return _("Được chứng nhận riêng cho từng nhiệm vụ sau: %(tasks)s.", tasks="; ".join(
            part["title"] for part in certificate.details["parts"]
        ))  # fmt: skip
    if kind == "path":
        return _("Hoàn thành mọi bài học của lộ trình và đạt bài kiểm tra của từng bài.")
    return _(
        "Đạt mọi năng lực thành phần của lĩnh vực ở mức %(level)s: đạt bài kiểm tra "
        "của mọi bài học dạy các năng lực đó.",
        level=certificate.level,
    )


def status_entry(status_list_url: str, index: int) -> dict:
    """The credential's ``credentialStatus``: its bit in our revocation status list."""
    return {
        "id": f"{status_list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": status_list_url,
    }


def issuer_profile(issuer_id: str, site_url: str) -> dict:
    return {
        "id": issuer_id,
        "type": ["Profile"],
        "name": PLATFORM_NAME,
        "url": site_url.rstrip("/") + "/",
    }


def build_credential(
    certificate: Certificate,
    *,
    site_url: str,
    framework_url: str,
    issuer_id: str,
    status_list_url: str | None = None,
    image_url: str | None = None,
) -> dict:
    """The unsigned credential for ``certificate`` (its code, snapshot and dates set)."""
    site_url = site_url.rstrip("/")
    issuer = issuer_profile(issuer_id, site_url)
    achievement_id = achievement_uri(certificate)
    level_id = f"urn:cunghocso:level:{certificate.level}"
    names: Mapping[str, str] = certificate.details.get("competence_names", {})
    achievement = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPES[certificate.kind.value],
        "name": certificate.achievement_title,
        "description": certificate.details.get("description") or certificate.achievement_title,
        "criteria": {"narrative": _criteria(certificate)},
        "inLanguage": "vi",
        "creator": issuer,
        "alignment": [
            {
                "type": ["Alignment"],
                "targetCode": code,
                "targetName": f"{code} {names.get(code, '')}".strip(),
                "targetFramework": FRAMEWORK_NAME,
                "targetType": "CFItem",
                "targetUrl": f"{framework_url}#competence-{code}",
            }
            for code in certificate.competences
        ],
        "resultDescription": [
            {
                "id": f"{achievement_id}#muc-do",
                "type": ["ResultDescription"],
                "name": _("Mức độ (Khung năng lực số)"),
                "resultType": "RubricCriterionLevel",
                "rubricCriterionLevel": [
                    {
                        "id": level_id,
                        "type": ["RubricCriterionLevel"],
                        "name": certificate.details.get("level_label", certificate.level),
                        "level": certificate.level,
                    }
                ],
            }
        ],
    }
    verify_url = f"{site_url}/verify/{certificate.code}"
    credential: dict = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.achievement_title,
        "issuer": issuer,
        "validFrom": iso_utc(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                }
            ],
            "achievement": achievement,
            "source": {
                "id": f"urn:cunghocso:school:{certificate.school_id}",
                "type": ["Profile"],
                "name": certificate.school_name,
            },
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": f"{achievement_id}#muc-do",
                    "achievedLevel": level_id,
                }
            ],
        },
    }
    if image_url:
        achievement["image"] = {"id": image_url, "type": "Image", "caption": PLATFORM_NAME}
    if status_list_url is not None and certificate.status_index is not None:
        credential["credentialStatus"] = status_entry(status_list_url, certificate.status_index)
    if certificate.kind.value == "combined":
        credential["evidence"] = [
            {
                "id": f"{site_url}/verify/{part['code']}",
                "type": ["Evidence"],
                "name": part["title"],
            }
            for part in certificate.details["parts"]
        ]
    return credential


@dataclass
class CredentialCheck:
    """The outcome of an offline check: valid only when there is no problem at all."""

    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


def _types(value: object) -> list:
    if isinstance(value, str):
        return [value]
    return value if isinstance(value, list) else []


def structure_problems(credential: object) -> list[str]:
    """What makes this not an Open Badges 3.0 credential as this platform issues them."""
    if not isinstance(credential, dict):
        return [_("Tệp không phải một đối tượng JSON.")]
    problems = []
    contexts = credential.get("@context")
    if not isinstance(contexts, list) or not contexts or contexts[0] != VC_CONTEXT:
        problems.append(_("@context phải bắt đầu bằng %(url)s.", url=VC_CONTEXT))
    elif not any(isinstance(c, str) and c.startswith(OB_CONTEXT_PREFIX) for c in contexts):
        problems.append(_("@context thiếu ngữ cảnh Open Badges 3.0."))
    types = _types(credential.get("type"))
    if "VerifiableCredential" not in types or "OpenBadgeCredential" not in types:
        problems.append(_("type phải gồm VerifiableCredential và OpenBadgeCredential."))
    issuer = credential.get("issuer")
    issuer_ref = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_ref, str) or not issuer_ref:
        problems.append(_("Thiếu issuer (đơn vị cấp)."))
    valid_from = credential.get("validFrom")
    try:
        datetime.fromisoformat(str(valid_from).replace("Z", "+00:00"))
    except ValueError:
        problems.append(_("validFrom không phải ngày giờ hợp lệ."))
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if not isinstance(achievement, dict):
        problems.append(_("credentialSubject thiếu achievement (thành tích)."))
    else:
        if "Achievement" not in _types(achievement.get("type")):
            problems.append(_("achievement.type phải có Achievement."))
        for key in ("id", "name", "criteria"):
            if not achievement.get(key):
                problems.append(_("achievement thiếu trường %(key)s.", key=key))
        for alignment in achievement.get("alignment", []):
            if not isinstance(alignment, dict) or not all(
                alignment.get(key) for key in ("targetName", "targetUrl", "targetCode")
            ):
                problems.append(_("Một alignment thiếu targetName, targetUrl hoặc targetCode."))
                break
    proof = credential.get("proof")
    if proof is not None and not isinstance(proof, dict | list):
        problems.append(_("proof phải là một đối tượng hoặc một danh sách chữ ký."))
    for one in proofs_of(credential) or []:
        if not isinstance(one, dict) or not isinstance(issuer_ref, str):
            continue
        method = one.get("verificationMethod")
        if not isinstance(method, str) or not _belongs_to(method, issuer_ref):
            problems.append(_("Khoá ký (verificationMethod) không thuộc đơn vị cấp (issuer)."))
            break
    return problems


def _belongs_to(method: str, issuer_ref: str) -> bool:
    """A verification method id is the issuer's: ``<issuer>#…`` or ``<issuer>/keys/…``."""
    return method.split("#", 1)[0] == issuer_ref or method.startswith(
        issuer_ref.rstrip("/") + "/keys/"
    )


def check_credential(
    credential: object, public_key: Ed25519PublicKey, method_id: str | None = None
) -> CredentialCheck:
    """Structure, then signature; ``method_id``, when known, must be the signing method."""
    result = CredentialCheck(structure_problems(credential))
    if not isinstance(credential, dict):
        return result
    for proof in proofs_of(credential) or []:
        if method_id and isinstance(proof, dict) and proof.get("verificationMethod") != method_id:
            result.problems.append(
                _("Chứng nhận được ký bằng khoá %(used)s, không phải khoá %(expected)s.",
                  used=proof.get("verificationMethod"), expected=method_id)
            )  # fmt: skip
            break
    proof_check = verify_proof(credential, public_key)
    if not proof_check.valid:
        result.problems.append(proof_check.reason)
    return result

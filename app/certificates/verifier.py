"""Checking a credential as an outsider would: no database, and the network only to read
what the issuer publishes (its key document and its revocation list).

1. The file: JSON with no duplicate keys (a second ``credentialSubject`` must not hide
   behind the first), an object, shaped as an Open Badges 3.0 credential.
2. The keys: every proof names a verification method; it must be listed, with
   ``assertionMethod``, in the **issuer's own published document** (the controlled
   identifier document at the issuer id, or the legacy one). A key file handed over by
   someone else is only accepted if that document lists it.
3. The proofs: each one (eddsa-jcs-2022, eddsa-rdfc-2022) must hold; any other suite is
   refused by name.
4. Revocation: the ``credentialStatus`` list is read (fetched or given), its own signature
   checked against the issuer's keys, and the credential's bit read. A list that cannot be
   read leaves the verdict at "revocation not checked" — never "valid".
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask_babel import gettext as _

from app.certificates.credentials import structure_problems
from app.certificates.signing import (
    key_fingerprint,
    proofs_of,
    public_key_from_jwk,
    public_key_from_multibase,
    raw_public_bytes,
    verify_one,
)

MAX_DOCUMENT_BYTES = 4 * 1024 * 1024
FETCH_TIMEOUT = 10

NOT_CHECKED = "not-checked"
NOT_REVOKED = "not-revoked"
REVOKED = "revoked"
NO_STATUS = "no-status"

Fetch = Callable[[str], dict]


class KeyFileError(ValueError):
    """The public key file cannot be read; the message says why."""


class FetchError(ValueError):
    """A published document cannot be read; the message says why."""


# --- reading files --------------------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(_("Khoá JSON “%(key)s” xuất hiện hai lần: tệp đã bị sửa.", key=key))
        seen[key] = value
    return seen


def parse_json(raw: bytes | str) -> object:
    """JSON that refuses duplicate keys, with a readable reason (ValueError)."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except UnicodeDecodeError as error:
        raise ValueError(_("Tệp không phải JSON hợp lệ: %(error)s", error=error)) from error
    except json.JSONDecodeError as error:
        raise ValueError(_("Tệp không phải JSON hợp lệ: %(error)s", error=error)) from error


def read_json_file(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ValueError(_("Không đọc được tệp %(path)s: %(error)s", path=path,
                           error=error.strerror)) from error  # fmt: skip
    data = parse_json(raw)
    if not isinstance(data, dict):
        raise ValueError(_("Tệp không phải một đối tượng JSON."))
    return data


def read_credential(path: Path) -> dict:
    """The credential JSON in ``path``; raise ValueError with a readable reason."""
    return read_json_file(path)


def load_public_key(path: Path) -> Ed25519PublicKey:
    """An Ed25519 public key from a PEM (public or private), a JWK or a Multikey file."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise KeyFileError(_("Không đọc được tệp khoá %(path)s: %(error)s", path=path,
                             error=error.strerror)) from error  # fmt: skip
    try:
        if raw.lstrip().startswith(b"-----BEGIN"):
            if b"PRIVATE KEY" in raw:
                private = serialization.load_pem_private_key(raw, password=None)
                if not isinstance(private, Ed25519PrivateKey):
                    raise KeyFileError(_("Tệp PEM không chứa khoá Ed25519."))
                return private.public_key()
            public = serialization.load_pem_public_key(raw)
            if not isinstance(public, Ed25519PublicKey):
                raise KeyFileError(_("Tệp PEM không chứa khoá Ed25519."))
            return public
        data = parse_json(raw)
        if isinstance(data, dict) and "publicKeyMultibase" in data:
            return public_key_from_multibase(data["publicKeyMultibase"])
        if isinstance(data, dict) and "publicKeyJwk" in data:
            return public_key_from_jwk(data["publicKeyJwk"])
        if isinstance(data, dict) and "kty" in data:
            return public_key_from_jwk(data)
        raise KeyFileError(_("Không nhận ra khoá trong tệp (cần PEM, JWK hoặc Multikey)."))
    except KeyFileError:
        raise
    except (ValueError, TypeError, KeyError) as error:
        raise KeyFileError(_("Tệp khoá không hợp lệ: %(error)s", error=error)) from error


def fetch_json(url: str) -> dict:
    """GET a published JSON document (https or http only, bounded); FetchError otherwise."""
    if not url.startswith(("https://", "http://")):
        raise FetchError(_("Không tải được %(url)s: chỉ hỗ trợ địa chỉ http(s).", url=url))
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, headers={"Accept": "application/ld+json, application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:  # noqa: S310
            raw = response.read(MAX_DOCUMENT_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise FetchError(_("Không tải được %(url)s: %(error)s", url=url, error=error)) from error
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise FetchError(_("Tài liệu ở %(url)s quá lớn.", url=url))
    try:
        data = parse_json(raw)
    except ValueError as error:
        raise FetchError(_("Tài liệu ở %(url)s: %(error)s", url=url, error=error)) from error
    if not isinstance(data, dict):
        raise FetchError(_("Tài liệu ở %(url)s không phải một đối tượng JSON.", url=url))
    return data


# --- the check ---------------------------------------------------------------------------


@dataclass
class Verification:
    """What an outside check found. ``valid`` needs no problem AND revocation checked."""

    problems: list[str] = field(default_factory=list)
    issuer: str | None = None
    methods: list[str] = field(default_factory=list)
    fingerprints: list[str] = field(default_factory=list)
    suites: list[str] = field(default_factory=list)
    revocation: str = NOT_CHECKED
    revocation_note: str = ""

    @property
    def signature_valid(self) -> bool:
        return not self.problems

    @property
    def valid(self) -> bool:
        return not self.problems and self.revocation in (NOT_REVOKED, NO_STATUS)


def _issuer_ref(credential: dict) -> str | None:
    issuer = credential.get("issuer")
    ref = issuer.get("id") if isinstance(issuer, dict) else issuer
    return ref if isinstance(ref, str) else None


def listed_keys(document: dict, controller: str) -> dict[str, Ed25519PublicKey]:
    """Verification methods the document lists for assertions, by id (Multikey or JWK)."""
    if document.get("id") != controller:
        return {}
    allowed = {m if isinstance(m, str) else m.get("id") for m in document.get("assertionMethod", [])
               if isinstance(m, str | dict)}  # fmt: skip
    keys: dict[str, Ed25519PublicKey] = {}
    for method in document.get("verificationMethod", []):
        if not isinstance(method, dict) or method.get("id") not in allowed:
            continue
        if method.get("controller", controller) != controller:
            continue
        try:
            if "publicKeyMultibase" in method:
                keys[method["id"]] = public_key_from_multibase(method["publicKeyMultibase"])
            elif "publicKeyJwk" in method:
                keys[method["id"]] = public_key_from_jwk(method["publicKeyJwk"])
        except (ValueError, TypeError):
            continue
    return keys


def _controller_of(method: str) -> str:
    """The document that must list ``method``: before '#', or before '/keys/'."""
    if "#" in method:
        return method.split("#", 1)[0]
    if "/keys/" in method:
        return method.rsplit("/keys/", 1)[0]
    return method


def verify(
    credential: object,
    *,
    documents: Callable[[str], dict],
    public_key: Ed25519PublicKey | None = None,
) -> Verification:
    """Check ``credential``; ``documents(url)`` returns a published document or raises
    FetchError (fetching it, or reading what the caller supplied)."""
    result = Verification()
    if not isinstance(credential, dict):
        result.problems.append(_("Tệp không phải một đối tượng JSON."))
        return result
    result.problems += structure_problems(credential)
    result.issuer = _issuer_ref(credential)
    proofs = proofs_of(credential)
    if proofs is None:
        result.problems.append(_("Chứng nhận không có chữ ký (proof)."))
        return result
    unsecured = {k: v for k, v in credential.items() if k != "proof"}
    issuer_keys: dict[str, Ed25519PublicKey] = {}
    for proof in proofs:
        if not isinstance(proof, dict):
            result.problems.append(_("Một chữ ký (proof) không phải đối tượng JSON."))
            continue
        method = proof.get("verificationMethod")
        if not isinstance(method, str):
            result.problems.append(_("Một chữ ký không ghi khoá ký (verificationMethod)."))
            continue
        key = _resolve(method, result, documents, issuer_keys)
        if key is None:
            continue
        if public_key is not None and raw_public_bytes(public_key) != raw_public_bytes(key):
            result.problems.append(
                _("Khoá bạn đưa không phải khoá %(method)s mà đơn vị cấp công bố: không dùng "
                  "khoá do người khác gửi để xác minh.", method=method)
            )  # fmt: skip
            continue
        check = verify_one(unsecured, proof, key)
        if not check.valid:
            result.problems.append(check.reason)
            continue
        result.suites += check.suites
        if method not in result.methods:
            result.methods.append(method)
            result.fingerprints.append(key_fingerprint(key))
    _check_status(credential, result, documents, issuer_keys)
    return result


def _resolve(method, result, documents, cache) -> Ed25519PublicKey | None:
    """The public key for ``method`` as the issuer publishes it, or None (problem noted)."""
    controller = _controller_of(method)
    if result.issuer is not None and controller != result.issuer:
        result.problems.append(
            _("Khoá ký %(method)s không thuộc đơn vị cấp %(issuer)s.", method=method,
              issuer=result.issuer)
        )  # fmt: skip
        return None
    if method not in cache:
        try:
            document = documents(controller)
        except FetchError as error:
            result.problems.append(
                _("Không đọc được tài liệu khoá của đơn vị cấp (%(error)s): không thể biết "
                  "khoá nào là của họ.", error=error)
            )  # fmt: skip
            return None
        cache.update(listed_keys(document, controller))
    key = cache.get(method)
    if key is None:
        result.problems.append(
            _("Khoá %(method)s không có trong tài liệu khoá mà đơn vị cấp công bố (khoá lạ "
              "hoặc giả mạo).", method=method)
        )  # fmt: skip
    return key


def _check_status(credential, result, documents, issuer_keys) -> None:
    from app.certificates.status_list import StatusListError, decode, read_bit

    entries = credential.get("credentialStatus")
    if entries is None:
        result.revocation = NO_STATUS
        result.revocation_note = _("Chứng nhận không khai báo danh sách thu hồi.")
        return
    entries = entries if isinstance(entries, list) else [entries]
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            result.revocation = NOT_CHECKED
            result.revocation_note = _("Không nhận ra mục credentialStatus.")
            return
        url = entry.get("statusListCredential")
        try:
            index = int(entry.get("statusListIndex"))
            listing = documents(url) if isinstance(url, str) else None
            if listing is None:
                raise FetchError(_("credentialStatus không có statusListCredential."))
            problem = _status_list_problem(listing, result.issuer, issuer_keys, documents)
            if problem:
                raise FetchError(problem)
            bit = read_bit(decode(listing["credentialSubject"]["encodedList"]), index)
        except (FetchError, StatusListError, TypeError, ValueError, KeyError) as error:
            result.revocation = NOT_CHECKED
            result.revocation_note = _("Chưa kiểm tra được thu hồi: %(error)s", error=error)
            return
        if entry.get("statusPurpose") == "revocation" and bit:
            result.revocation = REVOKED
            result.revocation_note = _("Danh sách thu hồi %(url)s ghi chứng nhận này đã bị "
                                       "thu hồi.", url=url)  # fmt: skip
            return
    result.revocation = NOT_REVOKED
    result.revocation_note = _("Đã kiểm tra danh sách thu hồi: chưa bị thu hồi.")


def _status_list_problem(listing: dict, issuer, issuer_keys, documents) -> str | None:
    """Why the status list cannot be trusted, or None."""
    if _issuer_ref(listing) != issuer:
        return _("danh sách thu hồi không do chính đơn vị cấp phát hành.")
    subject = listing.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("statusPurpose") != "revocation":
        return _("danh sách không phải danh sách thu hồi.")
    proofs = proofs_of(listing)
    if not proofs:
        return _("danh sách thu hồi không có chữ ký.")
    unsecured = {k: v for k, v in listing.items() if k != "proof"}
    scratch = Verification(issuer=issuer)
    for proof in proofs:
        method = proof.get("verificationMethod") if isinstance(proof, dict) else None
        key = _resolve(method, scratch, documents, issuer_keys) if isinstance(method, str) else None
        if key is None or not verify_one(unsecured, proof, key).valid:
            return _("chữ ký của danh sách thu hồi không hợp lệ.")
    return None


def document_source(
    supplied: dict[str, dict] | None = None, fetch: Fetch | None = fetch_json
) -> Callable[[str], dict]:
    """``documents(url)``: a supplied document (by its id or URL), else fetched."""
    supplied = supplied or {}

    def documents(url: str) -> dict:
        if url in supplied:
            return supplied[url]
        if fetch is None:
            raise FetchError(_("không có bản của %(url)s và không được tải mạng.", url=url))
        return fetch(url)

    return documents

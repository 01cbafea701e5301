"""``flask certificates issue``, ``verify FILE``, ``rotate-key`` and ``reissue``."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask_babel import force_locale

from app.certificates import bp, identity, services
from app.certificates.publishing import (
    LoopbackSiteError,
    published_documents,
    sign_certificate,
)
from app.certificates.signing import key_fingerprint
from app.certificates.verifier import (
    NO_STATUS,
    NOT_CHECKED,
    REVOKED,
    KeyFileError,
    document_source,
    fetch_json,
    load_public_key,
    parse_json,
    read_credential,
    read_json_file,
    verify,
)
from app.extensions import db
from app.models import Certificate


@bp.cli.command("issue")
def issue_command() -> None:
    """Issue every certificate the rules call for (idempotent: safe to run from cron)."""
    with force_locale("vi"):
        try:
            report = services.issue_pending_certificates()
        except LoopbackSiteError as error:
            raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(
        f"Đã cấp {len(report.issued)} giấy chứng nhận, thu hồi {len(report.revoked)}, "
        f"thay bản mới {len(report.superseded)}."
    )


def _path(**kwargs):
    return click.Path(dir_okay=False, path_type=Path, **kwargs)


@bp.cli.command("verify")
@click.argument("file", type=_path())
@click.option(
    "--public-key",
    "key_file",
    type=_path(),
    help="Khoá công khai bạn đang có (PEM, JWK, Multikey, hoặc tài liệu khoá của đơn vị cấp). "
    "Chỉ được chấp nhận nếu tài liệu khoá mà đơn vị cấp công bố có liệt kê nó.",
)
@click.option(
    "--issuer-document",
    "issuer_file",
    type=_path(),
    help="Tài liệu khoá của đơn vị cấp đã tải về (thay vì tải từ mạng).",
)
@click.option(
    "--status-list",
    "status_file",
    type=_path(),
    help="Danh sách thu hồi đã tải về (thay vì tải từ mạng).",
)
@click.option("--offline", is_flag=True, help="Không tải gì từ mạng.")
def verify_command(
    file: Path, key_file: Path | None, issuer_file: Path | None, status_file: Path | None,
    offline: bool,
) -> None:  # fmt: skip
    """Check a credential as an outsider would: keys the issuer publishes, every proof,
    and the revocation list. Exit 0 valid, 1 invalid or revoked, 2 revocation not checked."""
    with force_locale("vi"):  # no request here to choose a language from
        _verify(file, key_file, issuer_file, status_file, offline)


def _verify(file, key_file, issuer_file, status_file, offline) -> None:
    try:
        credential = read_credential(file)
        supplied: dict[str, dict] = {}
        for extra in (issuer_file, status_file):
            if extra is not None:
                document = read_json_file(extra)
                supplied[str(document.get("id"))] = document
        public_key = None
        if key_file is not None:
            raw = key_file.read_bytes() if key_file.exists() else b""
            document = None if raw.lstrip().startswith(b"-----BEGIN") else parse_json(raw)
            if isinstance(document, dict) and "verificationMethod" in document:
                supplied[str(document.get("id"))] = document  # an issuer document
            else:
                public_key = load_public_key(key_file)
    except (ValueError, KeyFileError, OSError) as error:
        raise click.ClickException(str(error)) from None
    supplied.update(published_documents())  # our own published documents always win
    result = verify(
        credential,
        documents=document_source(supplied, None if offline else fetch_json),
        public_key=public_key,
    )
    click.echo(f"  Đơn vị cấp: {result.issuer or '?'}")
    for method, fingerprint in zip(result.methods, result.fingerprints, strict=True):
        click.echo(f"  Khoá ký:    {method} (dấu vân tay {fingerprint})")
    if result.suites:
        click.echo(f"  Chữ ký đúng: {', '.join(result.suites)}")
    if result.problems:
        click.echo("KHÔNG HỢP LỆ:")
        for problem in result.problems:
            click.echo(f"  - {problem}")
        raise SystemExit(1)
    if result.revocation == REVOKED:
        click.echo(f"  Thu hồi:    {result.revocation_note}")
        click.echo("ĐÃ THU HỒI: chữ ký đúng nhưng đơn vị cấp đã thu hồi chứng nhận này.")
        raise SystemExit(1)
    if result.revocation in (NOT_CHECKED, NO_STATUS):
        click.echo(f"  Thu hồi:    CHƯA KIỂM TRA — {result.revocation_note}")
        click.echo(
            "CHƯA KẾT LUẬN: chữ ký đúng, nhưng chưa kiểm tra được chứng nhận có bị thu hồi "
            "hay không. Hãy mở trang xác minh trực tuyến."
        )
        raise SystemExit(2)
    subject = credential["credentialSubject"]
    names = [i.get("identityHash") for i in subject.get("identifier", []) if isinstance(i, dict)]
    click.echo(f"  Thu hồi:    đã kiểm tra — {result.revocation_note}")
    click.echo("HỢP LỆ: chữ ký Ed25519, cấu trúc Open Badges 3.0 và danh sách thu hồi đều đúng.")
    click.echo(f"  Người nhận: {', '.join(n for n in names if n)}")
    click.echo(f"  Thành tích: {subject['achievement']['name']}")
    click.echo(f"  Cấp ngày:   {credential.get('validFrom')}")
    click.echo(f"  Trang xác minh: {credential.get('id')}")


@bp.cli.command("rotate-key")
def rotate_key_command() -> None:
    """Start signing with a new key; the old public key stays published, so every
    credential signed earlier still verifies. Restart workers afterwards if you like:
    they pick the new key up by themselves."""
    old, new = identity.rotate_key()
    click.echo(f"Khoá cũ {key_fingerprint(old)} đã chuyển sang danh sách khoá đã nghỉ.")
    click.echo(f"Khoá mới {key_fingerprint(new)}: {identity.key_id(new)}")


def needs_reissue(certificate: Certificate) -> bool:
    """A stored credential that names a loopback address, or predates the stable issuer,
    the status list or the proof set."""
    credential = certificate.credential or {}
    if "credentialStatus" not in credential or not isinstance(credential.get("proof"), list):
        return True
    issuer = credential.get("issuer")
    if not isinstance(issuer, dict) or issuer.get("id") != identity.issuer_id():
        return True
    return any(
        isinstance(url, str) and identity.is_loopback_url(url)
        for url in (credential.get("id"), issuer.get("url"))
    )


@bp.cli.command("reissue")
@click.option("--all", "everything", is_flag=True, help="Ký lại mọi chứng nhận.")
def reissue_command(everything: bool) -> None:
    """Re-sign stored credentials issued under a wrong address (or in an older format)
    with the current issuer and key: same code, same dates, same paper."""
    try:
        count = 0
        for certificate in db.session.scalars(sa.select(Certificate).order_by(Certificate.id)):
            if everything or needs_reissue(certificate):
                certificate.credential = sign_certificate(certificate)
                count += 1
    except LoopbackSiteError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Đã ký lại {count} chứng nhận (giữ nguyên mã và ngày cấp).")

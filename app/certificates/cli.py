"""``flask certificates issue`` and ``flask certificates verify FILE``."""

from __future__ import annotations

from pathlib import Path

import click
from flask_babel import force_locale

from app.certificates import bp, identity, services
from app.certificates.credentials import check_credential
from app.certificates.verifier import KeyFileError, load_public_key, read_credential
from app.extensions import db


@bp.cli.command("issue")
def issue_command() -> None:
    """Issue every certificate the rules call for (idempotent: safe to run from cron)."""
    with force_locale("vi"):
        report = services.issue_pending_certificates()
    db.session.commit()
    click.echo(
        f"Đã cấp {len(report.issued)} giấy chứng nhận, thu hồi {len(report.revoked)}, "
        f"thay bản mới {len(report.superseded)}."
    )


@bp.cli.command("verify")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--public-key",
    "key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Khoá công khai: tài liệu /.well-known/cunghocso-issuer.json, JWK, Multikey hoặc PEM. "
    "Mặc định: khoá của máy chủ này (SIGNING_KEY_PATH hoặc instance/signing_key.pem).",
)
def verify_command(file: Path, key_file: Path | None) -> None:
    """Check a downloaded credential offline: structure and signature, no database."""
    with force_locale("vi"):  # no request here to choose a language from
        _verify(file, key_file)


def _verify(file: Path, key_file: Path | None) -> None:
    try:
        credential = read_credential(file)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    key_path = key_file or identity.signing_key_path()
    if key_file is None and not key_path.exists():
        raise click.ClickException(
            f"Không có khoá ở {key_path}. Hãy tải khoá công khai từ "
            "/.well-known/cunghocso-issuer.json và dùng --public-key."
        )
    try:
        key = load_public_key(key_path, credential)
    except KeyFileError as error:
        raise click.ClickException(str(error)) from None
    result = check_credential(credential, key.key, key.method_id)
    if result.valid:
        subject = credential["credentialSubject"]
        names = [i.get("identityHash") for i in subject.get("identifier", [])]
        click.echo("HỢP LỆ: chữ ký Ed25519 và cấu trúc Open Badges 3.0 đều đúng.")
        click.echo(f"  Người nhận: {', '.join(n for n in names if n)}")
        click.echo(f"  Thành tích: {subject['achievement']['name']}")
        click.echo(f"  Cấp ngày:   {credential.get('validFrom')}")
        click.echo(f"  Xác minh trực tuyến (thu hồi hay chưa): {credential.get('id')}")
        return
    click.echo("KHÔNG HỢP LỆ:")
    for problem in result.problems:
        click.echo(f"  - {problem}")
    raise SystemExit(1)

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.certificates.codes import CODE_LENGTH, CodeProblem, InvalidCode, normalise_code


def code_problem_message(error: InvalidCode) -> str:
    """Say what is wrong with a typed code, and how to fix it."""
    if error.problem == CodeProblem.EMPTY:
        return str(_l("Hãy nhập mã xác minh in trên giấy chứng nhận."))
    if error.problem == CodeProblem.CHARACTER:
        return str(
            _l(
                "Mã có ký tự “%(char)s” không dùng trong mã xác minh. "
                "Mã chỉ gồm chữ số và chữ in hoa, ví dụ 7KQ2-M9XD-…",
                char=error.character,
            )
        )
    if error.problem == CodeProblem.LENGTH:
        return str(
            _l(
                "Mã xác minh có %(want)d ký tự (7 nhóm, mỗi nhóm 4 ký tự); "
                "bạn đã nhập %(got)d ký tự.",
                want=CODE_LENGTH,
                got=error.length,
            )
        )
    return str(
        _l(
            "Mã này có một ký tự bị gõ sai hoặc đổi chỗ. "
            "Hãy so lại từng nhóm 4 ký tự với giấy chứng nhận."
        )
    )


class VerifyForm(FlaskForm):
    """Sent by GET (the result is a shareable address), so no CSRF token."""

    class Meta:
        csrf = False

    code = StringField(
        _l("Mã xác minh"),
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "placeholder": "XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX",
        },
    )
    submit = SubmitField(_l("Kiểm tra"))

    normalised: str | None = None

    def validate_code(self, field: StringField) -> None:
        try:
            self.normalised = normalise_code(field.data or "")
        except InvalidCode as error:
            raise ValidationError(code_problem_message(error)) from None


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Lý do thu hồi (chỉ nhà trường xem được)"),
        validators=[
            DataRequired(_l("Hãy ghi lý do thu hồi.")),
            Length(min=5, max=500, message=_l("Lý do cần từ %(min)d đến %(max)d ký tự.")),
        ],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Thu hồi giấy chứng nhận"))


class ReenableForm(FlaskForm):
    reason = TextAreaField(
        _l("Lý do cho cấp lại (chỉ nhà trường xem được)"),
        validators=[
            DataRequired(_l("Hãy ghi lý do cho cấp lại.")),
            Length(min=5, max=500, message=_l("Lý do cần từ %(min)d đến %(max)d ký tự.")),
        ],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Cho cấp lại"))


class CredentialFileForm(FlaskForm):
    """Upload a downloaded credential (JSON) to check its signatures and revocation."""

    credential = FileField(
        _l("Tệp chứng nhận số (.json)"),
        validators=[FileRequired(_l("Hãy chọn tệp chứng nhận số (.json) đã tải về."))],
    )
    submit = SubmitField(_l("Kiểm tra tệp"))

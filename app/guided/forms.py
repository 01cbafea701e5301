"""Forms of the guided flow. Every POST, even a single button, goes through a FlaskForm
(CSRF), and each form carries the session ``version`` it was drawn from."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from app.auth.forms import not_common_password
from app.auth.services import MIN_PASSWORD_LENGTH, normalise_username
from app.extensions import db
from app.guided.relatives import (
    EARLIEST_BIRTH_YEAR,
    RELATIONS,
    RelativeInput,
    latest_birth_year,
    normalise_phone,
)
from app.models import StepOutcome, User

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")


class YearField(IntegerField):
    """A year typed as digits, refused in Vietnamese when it is not a number."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(_l("Năm sinh là 4 chữ số, ví dụ 1958.")) from None


class DayField(DateField):
    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Ngày không hợp lệ. Hãy chọn lại ngày.")) from None


class ListChoiceMixin:
    """A choice from a list, refused in Vietnamese when the value is not in the list."""

    def pre_validate(self, form: FlaskForm) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(_l("Lựa chọn không hợp lệ: hãy chọn trong danh sách.")) from None


class ListSelectField(ListChoiceMixin, SelectField):
    pass


class ListRadioField(ListChoiceMixin, RadioField):
    pass


class VersionedForm(FlaskForm):
    """A form about one guided session, carrying the version the page was drawn from."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])


def _not_in_future(form: FlaskForm, field: DateField) -> None:
    if field.data and field.data > date.today():
        raise ValidationError(_l("Ngày này chưa đến. Hãy chọn hôm nay hoặc một ngày trước đó."))


class RelativeForm(FlaskForm):
    full_name = StringField(
        _l("Họ và tên người thân"),
        validators=[DataRequired(_l("Hãy nhập họ và tên người thân.")), Length(max=120)],
        render_kw={"autocomplete": "off"},
    )
    relation = ListSelectField(
        _l("Người đó là gì của em?"),
        choices=[SelectChoice(value, label) for value, label in RELATIONS.items()],
        validators=[InputRequired(_l("Hãy chọn quan hệ với em."))],
    )
    birth_year = YearField(
        _l("Năm sinh"),
        validators=[InputRequired(_l("Hãy nhập năm sinh của người thân."))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    phone = StringField(
        _l("Số điện thoại (không bắt buộc)"),
        validators=[Optional(), Length(max=20)],
        render_kw={"type": "tel", "inputmode": "tel", "autocomplete": "off"},
    )
    consent = BooleanField(
        _l("Người thân đã đồng ý tham gia"),
        validators=[DataRequired(_l("Hãy hỏi và được người thân đồng ý trước khi đăng ký."))],
    )
    consent_on = DayField(
        _l("Ngày người thân đồng ý"),
        default=date.today,
        validators=[InputRequired(_l("Hãy chọn ngày người thân đồng ý.")), _not_in_future],
    )
    parent_informed = BooleanField(
        _l("Bố mẹ em đã được báo"),
        validators=[DataRequired(_l("Em cần báo cho bố mẹ (hoặc người nuôi dưỡng) trước."))],
    )
    parent_informed_on = DayField(
        _l("Ngày báo bố mẹ"),
        default=date.today,
        validators=[InputRequired(_l("Hãy chọn ngày em báo bố mẹ.")), _not_in_future],
    )
    # Set by the "same person?" screen: a relative id, or "new" for someone else.
    same_as = StringField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField(_l("Lưu"))

    def validate_full_name(self, field: StringField) -> None:
        if field.data and len(" ".join(field.data.split())) < 2:
            raise ValidationError(_l("Họ và tên cần ít nhất 2 chữ cái."))
        if field.data and not any(c.isalpha() for c in field.data):
            raise ValidationError(_l("Họ và tên cần có chữ cái."))

    def validate_birth_year(self, field: YearField) -> None:
        latest = latest_birth_year()
        if field.data is not None and not EARLIEST_BIRTH_YEAR <= field.data <= latest:
            raise ValidationError(
                _l(
                    "Năm sinh cần từ %(first)d đến %(last)d.",
                    first=EARLIEST_BIRTH_YEAR,
                    last=latest,
                )  # fmt: skip
            )

    def validate_phone(self, field: StringField) -> None:
        if not field.data or not field.data.strip():
            field.data = None
            return
        try:
            field.data = normalise_phone(field.data)
        except ValueError:
            raise ValidationError(
                _l("Số điện thoại chưa đúng: cần 10 số bắt đầu bằng 0, ví dụ 0912 345 678.")
            ) from None

    def validate_same_as(self, field: StringField) -> None:
        if field.data and field.data != "new" and not field.data.isdigit():
            raise ValidationError(_l("Lựa chọn không hợp lệ."))

    def to_input(self) -> RelativeInput:
        return RelativeInput(
            full_name=self.full_name.data,
            birth_year=self.birth_year.data,
            phone=self.phone.data or None,
            relation=self.relation.data,
            consent_on=self.consent_on.data,
            parent_informed_on=self.parent_informed_on.data,
        )

    def carried_values(self) -> list[tuple[str, str]]:
        """What was typed, as hidden inputs for the "same person?" screen."""
        values = []
        for field in self:
            if field.name in ("csrf_token", "submit", "same_as"):
                continue
            if isinstance(field, BooleanField):
                if field.data:
                    values.append((field.name, "y"))
            elif isinstance(field, DateField):
                values.append((field.name, field.data.isoformat() if field.data else ""))
            else:
                values.append((field.name, "" if field.data is None else str(field.data)))
        return values

    def same_as_id(self) -> int | None:
        return int(self.same_as.data) if self.same_as.data and self.same_as.data.isdigit() else None


class DecisionForm(FlaskForm):
    """Approve or refuse a request: the button pressed carries the decision."""

    decision = StringField(
        validators=[
            InputRequired(_l("Hãy chọn đồng ý hoặc từ chối.")),
            AnyOf(["approve", "refuse"], message=_l("Lựa chọn không hợp lệ.")),
        ]
    )


class StartSessionForm(FlaskForm):
    relative = ListSelectField(
        _l("Người thân"), coerce=int, validators=[InputRequired(_l("Hãy chọn người thân."))]
    )
    walkthrough = ListRadioField(
        _l("Bài hướng dẫn"), validators=[InputRequired(_l("Hãy chọn một bài hướng dẫn."))]
    )
    submit = SubmitField(_l("Bắt đầu buổi hướng dẫn"))


class StepForm(VersionedForm):
    outcome = StringField(
        validators=[
            InputRequired(_l("Hãy chọn bác tự làm được, cần giúp hay bỏ qua.")),
            AnyOf([o.value for o in StepOutcome], message=_l("Lựa chọn không hợp lệ.")),
        ]
    )


class ReviewForm(VersionedForm):
    note = TextAreaField(_l("Ghi chú (không bắt buộc)"), validators=[Length(max=500)])
    confirm = SubmitField(_l("Xác nhận"))


class RejectForm(VersionedForm):
    reason = TextAreaField(
        _l("Lý do từ chối"),
        validators=[DataRequired(_l("Hãy ghi lý do từ chối.")), Length(max=500)],
    )
    reject = SubmitField(_l("Từ chối"))


class ClaimForm(FlaskForm):
    code = StringField(
        _l("Mã nhận tài khoản (12 chữ số)"),
        validators=[DataRequired(_l("Hãy nhập mã cháu đưa cho bác.")), Length(max=30)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )
    username = StringField(
        _l("Chọn tên đăng nhập"),
        validators=[DataRequired(_l("Hãy chọn tên đăng nhập.")), Length(max=60)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Chọn mật khẩu"),
        validators=[
            DataRequired(_l("Hãy chọn mật khẩu.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Mật khẩu cần từ %(min)d đến %(max)d ký tự."),
            ),  # fmt: skip
            not_common_password,
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Nhập lại mật khẩu"),
        validators=[
            DataRequired(_l("Hãy nhập lại mật khẩu.")),
            EqualTo("password", _l("Hai mật khẩu không giống nhau.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Tạo tài khoản"))

    def validate_username(self, field: StringField) -> None:
        field.data = normalise_username(field.data or "")
        if not USERNAME.match(field.data):
            raise ValidationError(
                _l(
                    "Tên đăng nhập dài 3–60 ký tự, chỉ gồm chữ không dấu, số, dấu chấm, "
                    "gạch ngang hoặc gạch dưới, ví dụ ba.lan1958."
                )  # fmt: skip
            )
        taken = db.session.scalar(sa.select(User.id).where(User.username == field.data))
        if taken is not None:
            raise ValidationError(_l("Tên đăng nhập này đã có người dùng. Hãy chọn tên khác."))


def first_error(form: FlaskForm) -> str:
    """The first validation message of a form, for a flash on a redirect."""
    for errors in form.errors.values():
        for error in errors:
            return str(error)
    return str(_l("Dữ liệu gửi lên không đúng. Vui lòng thử lại."))

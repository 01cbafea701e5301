from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional, ValidationError

from app.audit.actions import LABELS


class LogFilterForm(FlaskForm):
    """The log page's filters, read from the query string (a GET form: nothing to forge)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Việc"), validators=[Optional()], validate_choice=False)
    username = StringField(
        _l("Tên đăng nhập (người làm hoặc người bị tác động)"),
        validators=[Optional(), Length(max=60)],
    )
    first = DateField(
        _l("Từ ngày"),
        validators=[Optional()],
        format="%Y-%m-%d",
        render_kw={"type": "date"},
    )
    last = DateField(
        _l("Đến ngày"),
        validators=[Optional()],
        format="%Y-%m-%d",
        render_kw={"type": "date"},
    )
    school = SelectField(_l("Trường"), validators=[Optional()], coerce=str, validate_choice=False)
    submit = SubmitField(_l("Lọc"))

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = [("", _l("Mọi việc"))] + [(k, v) for k, v in LABELS.items()]
        self.school.choices = [("", _l("Mọi trường"))] + [
            (str(s.id), s.name) for s in (schools or [])
        ]

    def validate_action(self, field) -> None:
        if field.data and field.data not in LABELS:
            raise ValidationError(_l("Hãy chọn một việc trong danh sách."))

    def validate_last(self, field) -> None:
        if field.data and self.first.data and field.data < self.first.data:
            raise ValidationError(_l("Ngày kết thúc phải sau ngày bắt đầu."))

    def validate_school(self, field) -> None:
        if field.data and field.data not in {value for value, _label in self.school.choices}:
            raise ValidationError(_l("Hãy chọn một trường trong danh sách."))

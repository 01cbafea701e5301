"""The site admin's forms: a province, a ward, a school, an account, a list of schools."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

NAME_KW = {"autocomplete": "off"}


def _id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ProvinceForm(FlaskForm):
    name = StringField(
        _l("Tên tỉnh, thành phố"),
        validators=[DataRequired(_l("Hãy nhập tên tỉnh, thành phố.")), Length(max=120)],
        render_kw=NAME_KW,
    )
    submit = SubmitField(_l("Thêm tỉnh, thành phố"))


class WardForm(FlaskForm):
    province = SelectField(_l("Thuộc tỉnh, thành phố"), coerce=_id, validate_choice=False)
    name = StringField(
        _l("Tên phường, xã"),
        validators=[DataRequired(_l("Hãy nhập tên phường, xã.")), Length(max=120)],
        render_kw=NAME_KW,
    )
    submit = SubmitField(_l("Thêm phường, xã"))


class SchoolForm(FlaskForm):
    ward = SelectField(_l("Thuộc phường, xã"), coerce=_id, validate_choice=False)
    level = SelectField(_l("Cấp học"), validate_choice=False)
    name = StringField(
        _l("Tên trường"),
        validators=[DataRequired(_l("Hãy nhập tên trường.")), Length(max=160)],
        render_kw=NAME_KW,
    )
    submit = SubmitField(_l("Thêm trường"))


class UserForm(FlaskForm):
    place = SelectField(_l("Nơi làm việc"), coerce=_id, validate_choice=False)
    full_name = StringField(
        _l("Họ và tên"),
        validators=[DataRequired(_l("Hãy nhập họ và tên.")), Length(max=120)],
        render_kw={"autocomplete": "off"},
    )
    username = StringField(
        _l("Tên đăng nhập"),
        validators=[DataRequired(_l("Hãy nhập tên đăng nhập.")), Length(max=60)],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Tạo tài khoản"))


class SchoolListForm(FlaskForm):
    province = SelectField(_l("Tỉnh, thành phố"), coerce=_id, validate_choice=False)
    school_file = FileField(
        _l("Tệp danh sách trường (.xlsx hoặc .csv)"),
        validators=[
            FileRequired(_l("Hãy chọn tệp danh sách trường.")),
            FileAllowed(["xlsx", "csv"], _l("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv).")),
        ],
        render_kw={"accept": ".xlsx,.csv"},
    )
    submit = SubmitField(_l("Tải lên và xem trước"))


class ConfirmListForm(FlaskForm):
    digest = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Xác nhận tạo các trường"))

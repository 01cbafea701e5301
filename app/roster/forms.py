from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, SubmitField
from wtforms.validators import DataRequired

EXTENSIONS = ["xlsx", "csv"]


class UploadForm(FlaskForm):
    roster_file = FileField(
        _l("Tệp danh sách (.xlsx hoặc .csv)"),
        validators=[
            FileRequired(_l("Hãy chọn tệp danh sách.")),
            FileAllowed(
                EXTENSIONS,
                _l(
                    "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv). Hãy lưu lại tệp theo một trong "
                    "hai dạng này."
                ),
            ),  # fmt: skip
        ],
        render_kw={"accept": ".xlsx,.csv"},
    )
    school_year = SelectField(_l("Năm học"), validators=[DataRequired()])
    submit = SubmitField(_l("Tải lên và xem trước"))

    def __init__(self, years: list[str], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.school_year.choices = [(y, y) for y in years]
        if not self.school_year.data:
            self.school_year.data = years[0]


class ConfirmForm(FlaskForm):
    """The digest of the plan the admin saw; writing goes ahead only if it still holds."""

    plan_digest = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Xác nhận nhập"))


class ActionForm(FlaskForm):
    """A POST-only button (discard an upload, forget card passwords): CSRF and nothing else."""


class PromotionChoiceForm(FlaskForm):
    """Which year to promote from; a GET form, so it changes nothing and needs no token."""

    class Meta:
        csrf = False

    from_year = SelectField(_l("Lên lớp từ năm học"))
    keep_homeroom = BooleanField(_l("Giáo viên chủ nhiệm theo lớp lên lớp mới"), default=True)
    submit = SubmitField(_l("Xem trước"))

    def __init__(self, years: list[str], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.from_year.choices = [(y, y) for y in years]


class PromotionConfirmForm(FlaskForm):
    from_year = HiddenField(validators=[DataRequired()])
    keep_homeroom = HiddenField()
    submit = SubmitField(_l("Xác nhận lên lớp"))

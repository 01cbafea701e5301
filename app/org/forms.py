from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token."""


class CardForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Tải thẻ đăng nhập (PDF) để in"))

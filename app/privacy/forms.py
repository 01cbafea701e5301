from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional


class DeletionAskForm(FlaskForm):
    reason = TextAreaField(
        _l("Lý do (không bắt buộc)"),
        validators=[Optional(), Length(max=500, message=_l("Lý do dài tối đa 500 ký tự."))],
    )
    submit = SubmitField(_l("Gửi yêu cầu xoá"))


class DeletionDecisionForm(FlaskForm):
    decision = StringField(
        validators=[
            InputRequired(_l("Hãy chọn đồng ý xoá hoặc từ chối.")),
            AnyOf(["approve", "refuse"], message=_l("Lựa chọn không hợp lệ.")),
        ]
    )
    reason = TextAreaField(
        _l("Lý do quyết định"),
        validators=[
            DataRequired(_l("Hãy ghi lý do quyết định.")),
            Length(max=500, message=_l("Lý do dài tối đa 500 ký tự.")),
        ],
    )


class WithdrawForm(FlaskForm):
    confirm = BooleanField(
        _l("Tôi hiểu: họ tên, năm sinh và số điện thoại sẽ bị xoá và không lấy lại được."),
        validators=[DataRequired(_l("Hãy đánh dấu ô xác nhận trước khi rút đồng ý."))],
    )
    submit = SubmitField(_l("Rút lại đồng ý"))

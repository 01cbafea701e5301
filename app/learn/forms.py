"""Forms of the learning pages. The quiz answers themselves are read by ``quiz_papers``
(their fields depend on the questions drawn); this module holds what is fixed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import DataRequired, Optional

from app.content.registry import ContentRegistry
from app.learn.services import AUDIENCE_LABELS


class CatalogueFilterForm(FlaskForm):
    """The catalogue's GET filters: bookmarkable, and no CSRF token in the address."""

    class Meta:
        csrf = False

    audience = SelectField(_l("Dành cho"), validators=[Optional()])
    domain = SelectField(_l("Lĩnh vực"), validators=[Optional()])
    competence = SelectField(_l("Năng lực"), validators=[Optional()])
    level = SelectField(_l("Mức"), validators=[Optional()])
    submit = SubmitField(_l("Lọc"))

    def __init__(self, content: ContentRegistry, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        framework = content.framework
        everything = ("", _l("Tất cả"))
        self.audience.choices = [everything, *AUDIENCE_LABELS.items()]
        self.domain.choices = [everything] + [
            (d.code, f"{d.code}. {d.name_vi}") for d in framework.domains
        ]
        self.competence.choices = [everything] + [
            (c.code, f"{c.code} {c.name_vi}") for c in framework.competences
        ]
        self.level.choices = [everything] + [
            (level.code, f"{level.code} · {level.label_vi}") for level in framework.levels
        ]

    def filters(self) -> dict[str, str | None]:
        """The valid filters chosen; an invalid value (edited address) is ignored."""
        return {
            name: (getattr(self, name).data or None) if not getattr(self, name).errors else None
            for name in ("audience", "domain", "competence", "level")
        }


class CompleteLessonForm(FlaskForm):
    """The "Đánh dấu đã học xong" button: a POST with only a CSRF token."""

    submit = SubmitField(_l("Đánh dấu đã học xong"))


class QuizSubmitForm(FlaskForm):
    """The quiz form's fixed part: CSRF and the signed paper; answers are read separately."""

    paper = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Nộp bài"))

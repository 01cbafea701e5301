"""Forms for targets (ward and school) and for taking a report on demand."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError

from app.models.org import school_year_for
from app.models.reports import Comparison, SnapshotPeriod, TargetGroup
from app.reports.targets import GROUP_LABELS, TargetValues

COMPARISON_CHOICES = [
    SelectChoice(Comparison.AT_LEAST.value, _l("từ … % trở lên (≥)")),
    SelectChoice(Comparison.MORE_THAN.value, _l("trên … % (>)")),
]
LAST_PLAN_YEAR = 2030  # the school plan's horizon: "mục tiêu đến năm 2030"


def school_year_choices(today: date) -> list[str]:
    """Last year, this year and every year up to the plan's 2030 horizon (at least 5)."""
    first = int(school_year_for(today)[:4]) - 1
    last = max(first + 5, LAST_PLAN_YEAR)
    return [f"{year}-{year + 1}" for year in range(first, last + 1)]


class PercentField(IntegerField):
    """A whole percentage, refused with a Vietnamese message when it is not a number."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip().rstrip("%").strip())
        except ValueError as error:
            self.data = None
            raise ValueError(_l("Tỉ lệ phải là một số nguyên, ví dụ 80.")) from error


def _percent() -> PercentField:
    return PercentField(
        _l("Tỉ lệ (%)"),
        validators=[
            Optional(),
            NumberRange(0, 100, message=_l("Nhập một số từ 0 đến 100 (để trống nếu không đặt).")),
        ],
    )


def _comparison() -> SelectField:
    return SelectField(_l("Cách so sánh"), choices=COMPARISON_CHOICES)


class TargetsForm(FlaskForm):
    """One percentage and one comparison per group; a blank percentage means no target."""

    school_year = HiddenField()
    staff_percent = _percent()
    staff_comparison = _comparison()
    students_percent = _percent()
    students_comparison = _comparison()
    parents_percent = _percent()
    parents_comparison = _comparison()
    submit = SubmitField(_l("Lưu chỉ tiêu"))

    def __init__(self, *args, years: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years

    def groups(self):
        """(group, label, percent field, comparison field) in display order."""
        for group in TargetGroup:
            yield (
                group,
                GROUP_LABELS[group],
                self[f"{group.value}_percent"],
                self[f"{group.value}_comparison"],
            )

    def fill(self, existing: dict) -> None:
        """Show these targets (group → anything with ``percent`` and ``comparison``)."""
        for group, _label, percent, comparison in self.groups():
            row = existing.get(group)
            if row is not None:
                percent.data = row.percent
                comparison.data = row.comparison.value

    def values(self) -> TargetValues:
        return {
            group: None if percent.data is None else (percent.data, Comparison(comparison.data))
            for group, _label, percent, comparison in self.groups()
        }

    def validate_school_year(self, field) -> None:
        if field.data not in self.years:
            raise ValidationError(_l("Năm học không hợp lệ: hãy chọn lại năm học."))

    def _check(self, group: TargetGroup, field) -> None:
        if field.data is None:
            return
        try:
            comparison = Comparison(self[f"{group.value}_comparison"].data)
        except ValueError:  # a forged value: the select offers only the two comparisons
            raise ValidationError(_l("Cách so sánh không hợp lệ: hãy chọn lại.")) from None
        if comparison is Comparison.MORE_THAN and field.data >= 100:
            raise ValidationError(_l("Không thể đặt “trên 100%”: hãy chọn “từ 100% trở lên”."))

    def validate_staff_percent(self, field) -> None:
        self._check(TargetGroup.STAFF, field)

    def validate_students_percent(self, field) -> None:
        self._check(TargetGroup.STUDENTS, field)

    def validate_parents_percent(self, field) -> None:
        self._check(TargetGroup.PARENTS, field)


class SnapshotForm(FlaskForm):
    """The school admin's "take the report now" button."""

    period = SelectField(
        _l("Kỳ báo cáo"),
        choices=[
            SelectChoice(SnapshotPeriod.WEEK.value, _l("Tuần này")),
            SelectChoice(SnapshotPeriod.MONTH.value, _l("Tháng này")),
        ],
    )
    submit = SubmitField(_l("Lập báo cáo ngay"))

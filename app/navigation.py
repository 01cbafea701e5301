"""The main menu for each role. Items whose endpoint is not registered are left out."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.models.users import Role

LEARNER_ITEMS = [
    ("learn.catalogue", _l("Bài học")),
    ("learn.my_progress", _l("Tiến độ của tôi")),
]

MENU: dict[Role, list[tuple[str, object]]] = {
    Role.STUDENT: [
        ("learn.home", _l("Trang chủ")),
        *LEARNER_ITEMS,
        ("guided.relatives", _l("Người thân")),
        ("certificates.mine", _l("Chứng nhận")),
    ],
    Role.STAFF: [
        ("learn.home", _l("Trang chủ")),
        *LEARNER_ITEMS,
        ("certificates.mine", _l("Chứng nhận")),
    ],
    Role.TEACHER: [
        ("teach.home", _l("Lớp của tôi")),
        ("guided.review_queue", _l("Xác minh buổi hướng dẫn")),
        ("guided.class_relatives", _l("Người thân của học sinh")),
        ("certificates.classes", _l("Chứng nhận")),
        *LEARNER_ITEMS,
    ],
    Role.SCHOOL_ADMIN: [
        ("school.home", _l("Nhà trường")),
        ("reports.school", _l("Báo cáo")),
        ("school.targets", _l("Chỉ tiêu")),
        ("roster.upload", _l("Nhập danh sách")),
        ("guided.review_queue", _l("Xác minh buổi hướng dẫn")),
        ("certificates.classes", _l("Chứng nhận")),
        ("audit.index", _l("Nhật ký bảo mật")),
        ("privacy.deletion_requests", _l("Yêu cầu xoá dữ liệu")),
        *LEARNER_ITEMS,
    ],
    Role.WARD_OFFICER: [
        ("ward.home", _l("Các trường")),
        ("reports.ward", _l("Báo cáo")),
        ("ward.targets", _l("Chỉ tiêu")),
        ("accounts.index", _l("Tài khoản nhà trường")),
    ],
    Role.CITY_OFFICER: [
        ("city.home", _l("Các phường, xã")),
        ("accounts.index", _l("Tài khoản cán bộ phường")),
    ],
    Role.PARENT: [
        ("family.home", _l("Trang chủ")),
        ("learn.catalogue", _l("Bài hướng dẫn")),
        ("certificates.mine", _l("Chứng nhận")),
    ],
    Role.ADMIN: [
        ("admin.home", _l("Quản trị")),
        ("accounts.index", _l("Cấp lại mật khẩu")),
        ("audit.index", _l("Nhật ký bảo mật")),
    ],
}


def menu_for(role: Role) -> list[tuple[str, object]]:
    return [(ep, label) for ep, label in MENU.get(role, []) if ep in current_app.view_functions]

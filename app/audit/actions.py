"""The actions the security log knows by name, with the label the log page shows.

Other features may record actions not listed here (the page then shows the raw name);
add a line here to give a new action a Vietnamese label and a place in the filter.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LOGIN_FAILED = "auth.login_failed"
LOGIN = "auth.login"
LOGOUT = "auth.logout"
PASSWORD_CHANGED = "auth.password_changed"  # noqa: S105 - an event name
PASSWORD_RESET = "auth.password_reset"  # noqa: S105 - an event name
ACCOUNT_CREATED = "org.account_created"
ACCESS_DENIED = "access.denied"
CLAIM_ATTEMPT = "guided.claim_attempt"
CLAIM_SUCCEEDED = "guided.claim_succeeded"
CLAIM_CODE_ISSUED = "guided.claim_code_issued"
RELATIVE_LINK_REQUESTED = "guided.relative_link_requested"
RELATIVE_LINK_DECIDED = "guided.relative_link_decided"
RELATIVE_MATCH_ATTEMPT = "guided.relative_match_attempt"
CONSENT_WITHDRAWN = "privacy.consent_withdrawn"
DELETION_REQUESTED = "privacy.deletion_requested"
DELETION_DECIDED = "privacy.deletion_decided"
EXPORT = "data.export"
DOWNLOAD = "data.download"
CERTIFICATE_REVOKED = "certificates.revoked"
CERTIFICATE_REENABLED = "certificates.reenabled"

LABELS = {
    LOGIN_FAILED: _l("Đăng nhập sai"),
    LOGIN: _l("Đăng nhập"),
    LOGOUT: _l("Đăng xuất"),
    PASSWORD_CHANGED: _l("Đổi mật khẩu"),
    PASSWORD_RESET: _l("Cấp lại mật khẩu"),
    ACCOUNT_CREATED: _l("Tạo tài khoản quản lý"),
    ACCESS_DENIED: _l("Bị từ chối truy cập"),
    CLAIM_ATTEMPT: _l("Thử nhận tài khoản người thân"),
    CLAIM_SUCCEEDED: _l("Nhận tài khoản người thân"),
    CLAIM_CODE_ISSUED: _l("Cấp mã nhận tài khoản"),
    RELATIVE_LINK_REQUESTED: _l("Xin liên kết người thân"),
    RELATIVE_LINK_DECIDED: _l("Duyệt liên kết người thân"),
    RELATIVE_MATCH_ATTEMPT: _l("Tìm người thân trùng tên"),
    CONSENT_WITHDRAWN: _l("Rút lại đồng ý"),
    DELETION_REQUESTED: _l("Yêu cầu xoá dữ liệu"),
    DELETION_DECIDED: _l("Quyết định xoá dữ liệu"),
    EXPORT: _l("Xuất dữ liệu cá nhân"),
    DOWNLOAD: _l("Tải tệp có dữ liệu cá nhân"),
    CERTIFICATE_REVOKED: _l("Thu hồi chứng nhận"),
    CERTIFICATE_REENABLED: _l("Cho cấp lại chứng nhận"),
}


def label(action: str) -> str:
    return str(LABELS.get(action, action))


ROLE_LABELS = {
    "student": _l("học sinh"),
    "staff": _l("nhân viên"),
    "teacher": _l("giáo viên"),
    "school_admin": _l("ban giám hiệu"),
    "ward_officer": _l("cán bộ phường"),
    "parent": _l("phụ huynh, người thân"),
    "admin": _l("quản trị hệ thống"),
}


def role_label(role: str | None) -> str:
    return str(ROLE_LABELS.get(role or "", role or ""))


# How the log page names the keys and values other features put in ``detail``;
# anything not listed is shown as it was recorded.
DETAIL_LABELS = {
    "username": _l("tên đăng nhập"),
    "reason": _l("lý do"),
    "format": _l("định dạng"),
    "file": _l("tệp"),
    "method": _l("cách gửi"),
    "certificates": _l("số giấy chứng nhận"),
    "login_cards": _l("số thẻ đăng nhập"),
}
DETAIL_VALUES = {
    "wrong_password": _l("sai mật khẩu"),
    "unknown_user": _l("không có tên đăng nhập này"),
    "inactive": _l("tài khoản đã bị khoá"),
}


def detail_text(detail: dict | None) -> str:
    if not detail:
        return ""
    parts = []
    for key, value in detail.items():
        shown = DETAIL_VALUES.get(value, value) if isinstance(value, str) else value
        parts.append(f"{DETAIL_LABELS.get(key, key)}: {shown}")
    return "; ".join(parts)

"""Error pages in the user's language; a server error rolls the session back."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from werkzeug.exceptions import HTTPException

from app import audit
from app.extensions import db


def _wants_json() -> bool:
    return request.path.endswith(".json") or request.accept_mimetypes.best == "application/json"


def _render(status: int, title: str, message: str):
    if _wants_json():
        return jsonify(error=title, message=message), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(400)
    def bad_request(error: HTTPException):
        return _render(
            400, _("Yêu cầu không hợp lệ"), _("Dữ liệu gửi lên không đúng. Vui lòng thử lại.")
        )

    @app.errorhandler(403)
    def forbidden(error: HTTPException):
        db.session.rollback()  # a refused request writes nothing but its log line
        audit.record(audit.actions.ACCESS_DENIED, detail={"method": request.method}, commit=True)
        return _render(
            403, _("Không có quyền truy cập"), _("Tài khoản của bạn không được xem trang này.")
        )

    @app.errorhandler(404)
    def not_found(error: HTTPException):
        return _render(
            404, _("Không tìm thấy trang"), _("Trang bạn tìm không tồn tại hoặc đã được chuyển đi.")
        )

    @app.errorhandler(413)
    def too_large(error: HTTPException):
        return _render(413, _("Tệp quá lớn"), _("Tệp gửi lên vượt quá 5 MB. Hãy chọn tệp nhỏ hơn."))

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(error: RateLimitExceeded):
        return _render(
            429,
            _("Thử lại quá nhiều lần"),
            _("Bạn đã thử quá nhiều lần. Vui lòng đợi một phút rồi thử lại."),
        )

    @app.errorhandler(500)
    def server_error(error: Exception):
        db.session.rollback()
        return _render(
            500,
            _("Đã có lỗi xảy ra"),
            _("Hệ thống gặp sự cố. Dữ liệu đã lưu không bị mất; vui lòng thử lại sau."),
        )

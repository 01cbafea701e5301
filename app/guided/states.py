"""The guided session's state machine, written down once.

A session moves::

    in_progress ──(every step recorded)──▶ checking ──▶ passed
         │                                    │    └──▶ not_yet
         └────────────▶ abandoned ◀───────────┘

and a passed session's review moves::

    none ──▶ pending ──▶ confirmed ──▶ rejected
       └──────────────▶ confirmed       ▲
                  pending ──────────────┘

                     confirmed ◀──▶ withdrawn

``passed`` and ``not_yet`` are final: a relative who is "not yet" there starts a new
session another day, so the history of every attempt stays intact. Only a passed
session is reviewed; ``confirmed`` can still be withdrawn (rejected) after a phone call
to the family. ``withdrawn`` is not a reviewer's decision: a confirmed session is
withdrawn when a school admin revokes the relative's certificate for that task, and
confirmed again only when a school admin re-enables it (``app.certificates.lifecycle``);
a reviewer can neither confirm nor reject a withdrawn session. Everything else raises
``IllegalTransition``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.guided.exceptions import IllegalTransition
from app.models import GuidedSession, ReviewStatus, SessionStatus

SESSION_TRANSITIONS: dict[SessionStatus, frozenset[SessionStatus]] = {
    SessionStatus.IN_PROGRESS: frozenset({SessionStatus.CHECKING, SessionStatus.ABANDONED}),
    SessionStatus.CHECKING: frozenset(
        {SessionStatus.PASSED, SessionStatus.NOT_YET, SessionStatus.ABANDONED}
    ),
    SessionStatus.PASSED: frozenset(),
    SessionStatus.NOT_YET: frozenset(),
    SessionStatus.ABANDONED: frozenset(),
}

REVIEW_TRANSITIONS: dict[ReviewStatus, frozenset[ReviewStatus]] = {
    ReviewStatus.NONE: frozenset({ReviewStatus.PENDING, ReviewStatus.CONFIRMED}),
    ReviewStatus.PENDING: frozenset({ReviewStatus.CONFIRMED, ReviewStatus.REJECTED}),
    ReviewStatus.CONFIRMED: frozenset({ReviewStatus.REJECTED}),
    ReviewStatus.REJECTED: frozenset(),
    ReviewStatus.WITHDRAWN: frozenset(),  # only restore_confirmation() leaves it
}

OPEN_STATUSES = frozenset({SessionStatus.IN_PROGRESS, SessionStatus.CHECKING})
FINISHED_STATUSES = frozenset({SessionStatus.PASSED, SessionStatus.NOT_YET})
# Sessions that give (or may soon give) the relative credit for the task.
CREDITED_REVIEWS = frozenset({ReviewStatus.PENDING, ReviewStatus.CONFIRMED})

# Why a move is refused, by the state the session is in (what the user can do about it).
CLOSED_MESSAGES = {
    SessionStatus.CHECKING: _l(
        "Các bước đã ghi xong và bác đang trả lời câu hỏi: không sửa bước được nữa."
    ),
    SessionStatus.PASSED: _l("Buổi hướng dẫn này đã kết thúc (đạt): không ghi thêm được."),
    SessionStatus.NOT_YET: _l(
        "Buổi hướng dẫn này đã kết thúc: không ghi thêm được. Hãy bắt đầu một buổi mới."
    ),
    SessionStatus.ABANDONED: _l("Buổi hướng dẫn này đã dừng: không ghi thêm được."),
    SessionStatus.IN_PROGRESS: _l("Buổi hướng dẫn chưa đến phần câu hỏi."),
}


def move(session: GuidedSession, to: SessionStatus) -> None:
    """Change the session's status, or refuse with a message saying why."""
    if to not in SESSION_TRANSITIONS[session.status]:
        raise IllegalTransition(CLOSED_MESSAGES[session.status])
    session.status = to


def require_status(session: GuidedSession, status: SessionStatus) -> None:
    """Refuse an action meant for another stage of the session."""
    if session.status != status:
        raise IllegalTransition(CLOSED_MESSAGES[session.status])


def move_review(session: GuidedSession, to: ReviewStatus) -> None:
    if session.status != SessionStatus.PASSED:
        raise IllegalTransition(_l("Chỉ buổi hướng dẫn đã đạt mới cần xác minh."))
    if to not in REVIEW_TRANSITIONS[session.review_status]:
        if session.review_status == ReviewStatus.WITHDRAWN:
            raise IllegalTransition(WITHDRAWN_MESSAGE)
        if session.review_status == ReviewStatus.REJECTED:
            raise IllegalTransition(_l("Buổi hướng dẫn này đã bị từ chối trước đó."))
        if session.review_status == to:
            raise IllegalTransition(_l("Buổi hướng dẫn này đã được xác nhận rồi."))
        raise IllegalTransition(_l("Không thể đổi trạng thái xác minh như vậy."))
    session.review_status = to


WITHDRAWN_MESSAGE = _l(
    "Ban giám hiệu đã thu hồi giấy chứng nhận của buổi hướng dẫn này, nên buổi này không "
    "còn được tính. Chỉ ban giám hiệu mới cho cấp lại được."
)


def withdraw_confirmation(session: GuidedSession) -> bool:
    """The relative's certificate was revoked: a confirmed session stops counting.

    Returns whether the session changed (only a confirmed one does)."""
    if session.review_status != ReviewStatus.CONFIRMED:
        return False
    session.review_status = ReviewStatus.WITHDRAWN
    return True


def restore_confirmation(session: GuidedSession) -> bool:
    """The certificate was re-enabled: a withdrawn session counts again."""
    if session.review_status != ReviewStatus.WITHDRAWN:
        return False
    session.review_status = ReviewStatus.CONFIRMED
    return True

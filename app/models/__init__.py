"""Domain models, one module per domain. Importing this package registers them all."""

from app.models.guided import (
    GuidedSession,
    Relative,
    RelativeLink,
    ReviewStatus,
    SessionStatus,
    SessionStep,
    StepOutcome,
)
from app.models.org import Classroom, Enrollment, ReviewPolicy, School, SchoolLevel, Ward
from app.models.progress import LessonProgress, LessonStatus, QuizAttempt, QuizResult
from app.models.users import LEARNER_ROLES, STAFF_ROLES, ParentLink, Role, User

__all__ = [
    "LEARNER_ROLES",
    "STAFF_ROLES",
    "Classroom",
    "Enrollment",
    "GuidedSession",
    "LessonProgress",
    "LessonStatus",
    "ParentLink",
    "QuizAttempt",
    "QuizResult",
    "Relative",
    "RelativeLink",
    "ReviewPolicy",
    "ReviewStatus",
    "Role",
    "School",
    "SchoolLevel",
    "SessionStatus",
    "SessionStep",
    "StepOutcome",
    "User",
    "Ward",
]

"""Domain models, one module per domain. Importing this package registers them all."""

from app.models.audit import AuditEvent
from app.models.certificates import Certificate, CertificateKind
from app.models.guided import (
    ClaimCode,
    GuidedSession,
    LinkRequestStatus,
    Relative,
    RelativeLink,
    RelativeLinkRequest,
    ReviewStatus,
    SessionStatus,
    SessionStep,
    StepOutcome,
)
from app.models.org import (
    Classroom,
    Enrollment,
    Province,
    ReviewPolicy,
    School,
    SchoolLevel,
    Ward,
)
from app.models.privacy import DeletionRequest, DeletionStatus
from app.models.progress import LessonProgress, LessonStatus, QuizAttempt, QuizResult
from app.models.reports import (
    AchievementRules,
    Comparison,
    ReportSnapshot,
    SchoolTarget,
    SnapshotPeriod,
    SnapshotScope,
    TargetGroup,
    WardTarget,
)
from app.models.roster import ImportStatus, RosterImport
from app.models.users import LEARNER_ROLES, STAFF_ROLES, ParentLink, Role, User

__all__ = [
    "LEARNER_ROLES",
    "STAFF_ROLES",
    "AchievementRules",
    "AuditEvent",
    "Certificate",
    "CertificateKind",
    "ClaimCode",
    "Classroom",
    "Comparison",
    "DeletionRequest",
    "DeletionStatus",
    "Enrollment",
    "GuidedSession",
    "ImportStatus",
    "LessonProgress",
    "LessonStatus",
    "LinkRequestStatus",
    "ParentLink",
    "Province",
    "QuizAttempt",
    "QuizResult",
    "Relative",
    "RelativeLink",
    "RelativeLinkRequest",
    "ReportSnapshot",
    "ReviewPolicy",
    "ReviewStatus",
    "Role",
    "RosterImport",
    "School",
    "SchoolLevel",
    "SchoolTarget",
    "SessionStatus",
    "SessionStep",
    "SnapshotPeriod",
    "SnapshotScope",
    "StepOutcome",
    "TargetGroup",
    "User",
    "Ward",
    "WardTarget",
]

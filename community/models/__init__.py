"""SQLModel tables, a module per area. Importing this package registers every table."""

from community.models.accounts import LoginAttempt, LoginThrottle, Organiser
from community.models.answers import AnswerFeedback, UnansweredQuestion
from community.models.conferences import (
    Conference,
    ConferenceSession,
    ConferenceTeamMember,
    Proposal,
    ProposalReview,
    ProposalStatus,
    SessionAttendance,
    SessionFeedback,
    SessionKind,
    SessionSpeaker,
    SessionStar,
    Speaker,
    Stage,
    StageKind,
    TeamRole,
    Track,
)
from community.models.content import (
    KNOWLEDGE_KINDS,
    ContentItem,
    ItemKind,
    ItemStatus,
    Source,
    SourceKind,
)
from community.models.events import (
    Event,
    EventFormat,
    EventReminder,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from community.models.limits import RateLimitCounter
from community.models.members import Member
from community.models.newsletter import Delivery, NewsletterIssue, Subscriber
from community.models.outbox import OutboxStatus, OutgoingEmail, OutgoingSlackMessage
from community.models.pairing import PairingGroup, PairingGroupMember, PairingRound
from community.models.scheduling import JobRun, SchedulerLease
from community.models.search import SearchChangeLogPruning, SearchIndexChange, SearchIndexNode
from community.models.slack import SlackEventReceipt, SlackThreadImport

__all__ = [
    "Conference",
    "ConferenceSession",
    "ConferenceTeamMember",
    "Proposal",
    "ProposalReview",
    "ProposalStatus",
    "SessionAttendance",
    "SessionFeedback",
    "SessionKind",
    "SessionSpeaker",
    "SessionStar",
    "Speaker",
    "Stage",
    "StageKind",
    "TeamRole",
    "Track",
    "AnswerFeedback",
    "ContentItem",
    "Delivery",
    "Event",
    "EventFormat",
    "EventReminder",
    "EventStatus",
    "ItemKind",
    "KNOWLEDGE_KINDS",
    "ItemStatus",
    "JobRun",
    "LoginAttempt",
    "LoginThrottle",
    "Member",
    "NewsletterIssue",
    "Organiser",
    "OutboxStatus",
    "OutgoingEmail",
    "OutgoingSlackMessage",
    "PairingGroup",
    "PairingGroupMember",
    "PairingRound",
    "RateLimitCounter",
    "Registration",
    "RegistrationStatus",
    "SchedulerLease",
    "SearchChangeLogPruning",
    "SearchIndexChange",
    "SearchIndexNode",
    "SlackEventReceipt",
    "SlackThreadImport",
    "Source",
    "SourceKind",
    "Subscriber",
    "UnansweredQuestion",
]

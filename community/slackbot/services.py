"""What the Slack listeners need from the community: answers, and memory of handled events."""

from flask import Flask
from sqlalchemy.exc import IntegrityError

from community.answers.feedback import record_feedback
from community.answers.service import Answer, answer_question
from community.db import get_engine, session_scope
from community.knowledge.curation import CurationError, propose_post
from community.knowledge.polling import PollSettings
from community.models import SlackEventReceipt


def answerer(app: Flask):
    """Answer a question as the bot would, inside an app context (listeners run in threads)."""

    def answer(question: str, slack_user_id: str | None) -> Answer:
        with app.app_context(), session_scope() as session:
            return answer_question(
                session=session,
                index=app.extensions["search_index"],
                question=question,
                asked_via="slack",
                asked_by=slack_user_id,
                min_score=app.config["ANSWER_MIN_SCORE"],
            )

    return answer


def receipt_keeper(app: Flask):
    """True when the event was handled before; otherwise records it, in one atomic insert."""

    def already_handled(event_id: str) -> bool:
        try:
            with session_scope(get_engine(app)) as session:
                session.add(SlackEventReceipt(event_id=event_id))
        except IntegrityError:
            return True
        return False

    return already_handled


def link_saver(app: Flask):
    """Queue a post for organisers from a link a member saved; returns what to tell them."""

    def save(url: str, slack_user_id: str) -> str:
        policy = PollSettings.from_config(app.config).policy
        try:
            with app.app_context(), session_scope() as session:
                item = propose_post(
                    session=session, url=url, submitted_by=f"slack:{slack_user_id}", policy=policy
                )
                title, status = item.title, item.status
        except CurationError as error:
            return f"I could not save {url}: {error}"
        if status == "pending":
            return f"Saved “{title}”. Organisers will review it before it joins the knowledge base."
        return f"“{title}” is already in the knowledge base."

    return save


def feedback_recorder(app: Flask):
    def record(
        question: str, doc_ids: list[str], helpful: bool, user: str, reason: str | None
    ) -> None:
        with app.app_context(), session_scope() as session:
            record_feedback(
                session=session,
                question=question,
                doc_ids=doc_ids,
                helpful=helpful,
                given_by=user,
                reason=reason,
            )

    return record

"""The answer as JSON for the web, and the organisers' list of unanswered questions."""

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlmodel import select

from community.accounts.sessions import organisers_only
from community.answers.feedback import feedback_summary, unhelpful_answers
from community.answers.service import answer_question
from community.config import settings
from community.db import get_session
from community.forms import ConfirmForm
from community.models import UnansweredQuestion
from community.models.types import utcnow

api = Blueprint("answers_api", __name__)
blueprint = Blueprint("answers", __name__, url_prefix="/admin", template_folder="templates")
organisers_only(blueprint)


@api.get("/api/ask")
def ask_api():
    question = request.args.get("q", "").strip()[:2000]
    if not question:
        return jsonify(error="the query parameter q is required"), 400
    answer = answer_question(
        session=get_session(),
        index=current_app.extensions["search_index"],
        question=question,
        asked_via="web",
        min_coverage=settings().ANSWER_MIN_COVERAGE,
    )
    return jsonify(answer.to_dict())


@blueprint.get("/questions")
def unanswered():
    statement = (
        select(UnansweredQuestion)
        .where(UnansweredQuestion.resolved_at.is_(None))
        .order_by(UnansweredQuestion.created_at.desc())
        .limit(200)
    )
    questions = list(get_session().exec(statement))
    return render_template("answers/unanswered.html", questions=questions, confirm=ConfirmForm())


@blueprint.get("/answer-feedback")
def answer_feedback():
    session = get_session()
    return render_template(
        "answers/feedback.html",
        summary=feedback_summary(session=session),
        unhelpful=unhelpful_answers(session=session),
    )


@blueprint.post("/questions/<int:question_id>/resolve")
def resolve(question_id: int):
    question = get_session().get(UnansweredQuestion, question_id)
    if ConfirmForm().validate_on_submit() and question is not None:
        question.resolved_at = utcnow()
        flash("Marked as handled.", "info")
    return redirect(url_for(".unanswered"))

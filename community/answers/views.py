"""The answer as JSON for the web, and the organisers' list of unanswered questions."""

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlmodel import select

from community.accounts.sessions import organisers_only
from community.answers.faq_from_questions import answer_as_faq
from community.answers.feedback import feedback_summary, unhelpful_answers
from community.answers.forms import AskOrganisersForm, FaqAnswerForm, GapQuestionForm
from community.answers.service import ask, record_unanswered
from community.db import get_session
from community.forms import ConfirmForm
from community.models import UnansweredQuestion
from community.models.types import utcnow
from community.pagination import paginate, requested_page
from community.public_limits import limit_ask_api, limit_public_write

api = Blueprint("answers_api", __name__)
blueprint = Blueprint("answers", __name__, url_prefix="/admin", template_folder="templates")
organisers_only(blueprint)
QUESTIONS_PER_PAGE = 50


@api.get("/api/ask")
@limit_ask_api
def ask_api():
    question = request.args.get("q", "").strip()[:2000]
    if not question:
        return jsonify(error="the query parameter q is required"), 400
    # A GET any page can make a visitor's browser send: it records nothing. Members' questions
    # are recorded from Slack and from the search page's "Ask the organisers".
    answer = ask(get_session(), question, asked_via="web", record=False)
    return jsonify(answer.to_dict())


def _asked_question() -> str | None:
    return " ".join(request.form.get("question", "").lower().split()) or None


@api.post("/search/ask-organisers")
@limit_public_write("ask-organisers", target=_asked_question)
def ask_organisers():
    form = AskOrganisersForm()
    if not form.validate_on_submit():
        abort(400, "The question was empty or too long. Search again and press the button.")
    record_unanswered(
        session=get_session(),
        question=form.question.data,
        asked_via="web",
        asked_by=None,
        score=None,
    )
    flash("Thank you: the organisers will see your question.", "info")
    return redirect(url_for("search.search_page", q=form.question.data))


@blueprint.get("/questions")
def unanswered():
    statement = (
        select(UnansweredQuestion)
        .where(UnansweredQuestion.resolved_at.is_(None))
        .order_by(
            UnansweredQuestion.times_asked.desc(),
            UnansweredQuestion.last_asked_at.desc(),
            UnansweredQuestion.id.desc(),
        )
    )
    page = paginate(get_session(), statement, number=requested_page(), size=QUESTIONS_PER_PAGE)
    return render_template(
        "answers/unanswered.html", questions=page.rows, page=page, confirm=ConfirmForm()
    )


@blueprint.get("/answer-feedback")
def answer_feedback():
    session = get_session()
    return render_template(
        "answers/feedback.html",
        summary=feedback_summary(session=session),
        unhelpful=unhelpful_answers(session=session),
    )


@blueprint.get("/gaps")
def gaps():
    from community.answers.gaps import weekly_gaps  # its word analysis loads Whoosh: not at start

    days = max(1, min(request.args.get("days", 7, type=int), 90))
    return render_template(
        "answers/gaps.html",
        gaps=weekly_gaps(get_session(), days=days),
        days=days,
        form=GapQuestionForm(),
    )


@blueprint.post("/gaps/faq")
def gap_to_faq():
    form = GapQuestionForm()
    if not form.validate_on_submit():
        flash("That gap could not be opened; try again.", "error")
        return redirect(url_for(".gaps"))
    from community.answers.gaps import open_question  # loads Whoosh, as above

    question = open_question(get_session(), form.question.data)
    return redirect(url_for(".answer_as_faq_entry", question_id=question.id))


@blueprint.route("/questions/<int:question_id>/faq", methods=["GET", "POST"])
def answer_as_faq_entry(question_id: int):
    session = get_session()
    question = session.get(UnansweredQuestion, question_id) or abort(404)
    form = FaqAnswerForm()
    if not form.is_submitted():
        form.question.data = question.question
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("answers/faq_form.html", form=form, question=question), status
    answer_as_faq(
        session,
        question,
        title=form.question.data,
        answer=form.answer.data,
        collection=form.collection.data,
    )
    flash("Published as an FAQ entry: the bot answers this question from now on.", "info")
    return redirect(url_for(".unanswered"))


@blueprint.post("/questions/<int:question_id>/resolve")
def resolve(question_id: int):
    question = get_session().get(UnansweredQuestion, question_id)
    if ConfirmForm().validate_on_submit() and question is not None:
        question.resolved_at = utcnow()
        flash("Marked as handled.", "info")
    return redirect(url_for(".unanswered"))

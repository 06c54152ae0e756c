"""Organiser pages: the week's draft, its intro, its helpful answers' review, a test, send."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from sqlmodel import Session, func, select

from community.accounts.sessions import organisers_only
from community.db import get_engine, get_session
from community.forms import ConfirmForm
from community.models import Delivery, NewsletterIssue, Subscriber
from community.models.newsletter import AnswerReview, IssueStatus
from community.newsletter import issues, subscriber_list
from community.newsletter.answer_review import answer_in_draft, answers_in_draft
from community.newsletter.forms import IntroForm
from community.newsletter.sending import preview_copy, test_copy
from community.outbox import queue_email
from community.pagination import requested_page
from community.plurals import counted

blueprint = Blueprint(
    "newsletter_admin", __name__, url_prefix="/admin/newsletter", template_folder="templates"
)
organisers_only(blueprint)

REVIEW_LABELS = {
    AnswerReview.PENDING: "not reviewed: its items only",
    AnswerReview.APPROVED: "approved: its question is quoted",
    AnswerReview.DROPPED: "dropped: not sent",
}
DECISIONS = {  # the buttons each review offers
    AnswerReview.PENDING: [("approve", "Approve"), ("drop", "Drop")],
    AnswerReview.APPROVED: [("reopen", "Undo approval"), ("drop", "Drop")],
    AnswerReview.DROPPED: [("reopen", "Put back")],
}
REVIEWS = {  # decision in the address: the review it records, and what the organiser is told
    "approve": (AnswerReview.APPROVED, "Approved: the email quotes this question."),
    "drop": (AnswerReview.DROPPED, "Dropped: this answer is not sent; the next one moves up."),
    "reopen": (
        AnswerReview.PENDING,
        "Back to unreviewed: the email shows the items this answer cited, not its question.",
    ),
}


@blueprint.get("/")
def issue_list():
    session = get_session()
    page = issues.issues_page(session, number=requested_page())
    return render_template(
        "newsletter/admin_list.html",
        issues=page.rows,
        page=page,
        subscribers=_count_by(session, Subscriber.status),
        confirm=ConfirmForm(),
    )


@blueprint.post("/build")
def build():
    if ConfirmForm().validate_on_submit():
        issue, built = issues.build_issue(get_session())
        flash("Built this week's draft." if built else "This week's issue already exists.", "info")
        return redirect(url_for(".issue_detail", issue_id=issue.id))
    return redirect(url_for(".issue_list"))


@blueprint.route("/<int:issue_id>", methods=["GET", "POST"])
def issue_detail(issue_id: int):
    issue = _issue(issue_id)
    form = IntroForm(data={"intro": issue.intro} if not IntroForm().is_submitted() else None)
    if form.validate_on_submit():
        try:
            issues.update_intro(get_session(), issue, form.intro.data or "")
            flash("Intro saved; the draft shows it below.", "info")
        except issues.IssueError as error:
            flash(str(error), "error")
        return redirect(url_for(".issue_detail", issue_id=issue.id))
    deliveries = _count_by(get_session(), Delivery.status, Delivery.issue_id == issue.id)
    return render_template(
        "newsletter/admin_issue.html",
        issue=issue,
        form=form,
        confirm=ConfirmForm(),
        deliveries=deliveries,
        answers=answers_in_draft(get_session(), issue),
        preview_text=preview_copy(issue)[0],
        review_labels=REVIEW_LABELS,
        decisions=DECISIONS,
    )


@blueprint.post("/<int:issue_id>/answers/<int:answer_id>/<any(approve, drop, reopen):decision>")
def review_answer(issue_id: int, answer_id: int, decision: str):
    issue = _issue(issue_id)
    answer = answer_in_draft(get_session(), issue, answer_id)
    if answer is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        review, told = REVIEWS[decision]
        try:
            issues.review_answer(get_session(), issue, answer, review)
            flash(told, "info")
        except issues.IssueError as error:
            flash(str(error), "error")
    return redirect(url_for(".issue_detail", issue_id=issue.id) + "#helpful-answers")


@blueprint.get("/<int:issue_id>/preview.html")
def preview_html(issue_id: int):
    response = Response(preview_copy(_issue(issue_id))[1], mimetype="text/html")
    # Shown in an iframe on the organiser's page: no scripts, no requests but images.
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'"
    )
    return response


@blueprint.post("/<int:issue_id>/test")
def send_test(issue_id: int):
    issue = _issue(issue_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".issue_detail", issue_id=issue.id))
    text, html = test_copy(get_session(), issue, current_user.email)
    subject = f"[Test] {issue.subject}"
    queue_email(get_session(), to=current_user.email, subject=subject, text=text, html=html)
    flash(f"A test is on its way to {current_user.email} (see the Outbox page).", "info")
    return redirect(url_for(".issue_detail", issue_id=issue.id))


@blueprint.get("/<int:issue_id>/send")
def confirm_send(issue_id: int):
    """Says whom the issue will reach and shows it; only its button starts sending."""
    issue = _issue(issue_id)
    if issue.status != IssueStatus.DRAFT:
        return redirect(url_for(".progress_page", issue_id=issue.id))
    return render_template(
        "newsletter/admin_send.html",
        issue=issue,
        recipients=issues.confirmed_count(get_session()),
        confirm=ConfirmForm(),
    )


@blueprint.post("/<int:issue_id>/send")
def send(issue_id: int):
    issue = _issue(issue_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".confirm_send", issue_id=issue.id))
    try:
        recipients = issues.start_sending(get_session(), issue)
        flash(f"Sending to {counted(recipients, 'subscriber')}.", "info")
    except issues.IssueError as error:
        flash(str(error), "error")
    return redirect(url_for(".progress_page", issue_id=issue.id))


@blueprint.get("/<int:issue_id>/progress")
def progress_page(issue_id: int):
    issue = _issue(issue_id)
    progress = issues.sending_progress(get_session(), issue)
    return render_template(
        "newsletter/admin_progress.html",
        issue=issue,
        progress=progress,
        summary=_progress_summary(progress),
    )


@blueprint.get("/<int:issue_id>/progress.json")
def progress_json(issue_id: int):
    progress = issues.sending_progress(get_session(), _issue(issue_id))
    return jsonify(
        status=progress.status,
        total=progress.total,
        sent=progress.sent,
        failed=progress.failed,
        skipped=progress.skipped,
        pending=progress.pending,
        done=progress.done,
        summary=_progress_summary(progress),
    )


@blueprint.get("/subscribers")
def subscribers():
    chosen = _chosen_subscribers()
    session = get_session()
    return render_template(
        "newsletter/admin_subscribers.html",
        chosen=chosen,
        page=subscriber_list.subscribers_page(session, chosen, requested_page()),
        matching=subscriber_list.matching_count(session, chosen),
        statuses=subscriber_list.STATUSES,
    )


@blueprint.get("/subscribers.csv")
def export_subscribers():
    chosen, engine = _chosen_subscribers(), get_engine()

    def lines():
        # Its own session, closed with the download, since the request's ends before it.
        with Session(engine) as session:
            yield from subscriber_list.csv_lines(session, chosen)

    response = Response(stream_with_context(lines()), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
    return response


@blueprint.route("/subscribers/<int:subscriber_id>/remove", methods=["GET", "POST"])
def remove_subscriber(subscriber_id: int):
    subscriber = get_session().get(Subscriber, subscriber_id)
    if subscriber is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        email = subscriber.email
        subscriber_list.remove_subscriber(get_session(), subscriber)
        flash(f"Removed {email}: their address, name and delivery records are deleted.", "info")
        return redirect(url_for(".subscribers"))
    return render_template("newsletter/admin_remove.html", subscriber=subscriber, confirm=form)


def _chosen_subscribers() -> subscriber_list.SubscriberFilter:
    return subscriber_list.SubscriberFilter(
        search=request.args.get("q", "").strip()[:320],
        status=request.args.get("status", ""),
    )


def _progress_summary(progress: issues.SendingProgress) -> str:
    text = f"{progress.sent:,} of {counted(progress.total, 'subscriber')} sent"
    if progress.failed:
        text += f", {counted(progress.failed, 'failure')}"
    if progress.skipped:
        text += f", {progress.skipped:,} skipped (unsubscribed meanwhile)"
    return text + "."


def _issue(issue_id: int) -> NewsletterIssue:
    issue = get_session().get(NewsletterIssue, issue_id)
    if issue is None:
        abort(404)
    return issue


def _count_by(session, column, *conditions) -> dict[str, int]:
    statement = select(column, func.count()).where(*conditions).group_by(column)
    return dict(session.exec(statement).all())

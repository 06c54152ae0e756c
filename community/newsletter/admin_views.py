"""Organiser pages: the week's draft, its intro, its helpful answers' review, a test, send."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlmodel import func, select

from community.accounts.sessions import organisers_only
from community.db import get_session
from community.forms import ConfirmForm
from community.models import Delivery, NewsletterIssue, Subscriber
from community.models.newsletter import AnswerReview
from community.newsletter import issues
from community.newsletter.answer_review import answer_in_draft, answers_in_draft
from community.newsletter.forms import IntroForm
from community.newsletter.sending import preview_copy
from community.outbox import queue_email
from community.pagination import requested_page

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
    response = Response(_issue(issue_id).html, mimetype="text/html")
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
    text, html = preview_copy(issue)
    subject = f"[Test] {issue.subject}"
    queue_email(get_session(), to=current_user.email, subject=subject, text=text, html=html)
    flash(f"A test is on its way to {current_user.email} (see the Outbox page).", "info")
    return redirect(url_for(".issue_detail", issue_id=issue.id))


@blueprint.post("/<int:issue_id>/send")
def send(issue_id: int):
    issue = _issue(issue_id)
    if ConfirmForm().validate_on_submit():
        try:
            recipients = issues.start_sending(get_session(), issue)
            flash(f"Sending to {recipients} subscribers; this page shows the progress.", "info")
        except issues.IssueError as error:
            flash(str(error), "error")
    return redirect(url_for(".issue_detail", issue_id=issue.id))


def _issue(issue_id: int) -> NewsletterIssue:
    issue = get_session().get(NewsletterIssue, issue_id)
    if issue is None:
        abort(404)
    return issue


def _count_by(session, column, *conditions) -> dict[str, int]:
    statement = select(column, func.count()).where(*conditions).group_by(column)
    return dict(session.exec(statement).all())

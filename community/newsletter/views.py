"""Public newsletter pages: subscribe, confirm, preferences, unsubscribe, archive and feed."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from community.config import settings
from community.db import get_session
from community.email_addresses import InvalidEmail, normalise_email
from community.extensions import csrf
from community.forms import ConfirmForm
from community.links import public_url
from community.models import NewsletterIssue, Subscriber
from community.models.newsletter import IssueStatus, SubscriberStatus
from community.newsletter import subscriptions
from community.newsletter.confirmation import answer_form
from community.newsletter.forms import PreferencesForm, PreferencesLinkForm, SubscribeForm
from community.newsletter.issues import issues_page, sent_issues
from community.newsletter.rendering import issue_page_html
from community.newsletter.tokens import (
    confirmation_link_owner,
    subscriber_from_token,
    subscriber_token,
)
from community.pagination import requested_page
from community.person_names import one_line_name
from community.public_limits import limit_public_write, link_token, typed_email

blueprint = Blueprint("newsletter", __name__, url_prefix="/newsletter", template_folder="templates")


@blueprint.route("", methods=["GET", "POST"])
@limit_public_write("subscribe", target=typed_email)
def subscribe_page():
    form = SubscribeForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("newsletter/subscribe.html", form=form), status
    session = get_session()
    try:
        subscriber = subscriptions.subscribe(
            session,
            email=form.email.data,
            name=form.name.data or "",
            source="web",
            confirmed=False,
        )
    except subscriptions.SubscriptionError as error:
        form.email.errors.append(str(error))
        return render_template("newsletter/subscribe.html", form=form), 400
    # The same answer, and one email queued, whether or not the address was subscribed
    # already, so the form cannot be used to find out who reads the newsletter.
    answer_form(session, subscriber)
    return render_template("newsletter/check_inbox.html", email=subscriber.email, asked="subscribe")


@blueprint.route("/link", methods=["GET", "POST"])
@limit_public_write("newsletter-link", target=typed_email)
def preferences_link_page():
    form = PreferencesLinkForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("newsletter/ask_link.html", form=form), status
    try:
        email = normalise_email(form.email.data)
    except InvalidEmail as error:
        form.email.errors.append(str(error))
        return render_template("newsletter/ask_link.html", form=form), 400
    session = get_session()
    subscriber = subscriptions.find_subscriber(session, email)
    if subscriber is not None:
        answer_form(session, subscriber)
    return render_template("newsletter/check_inbox.html", email=email, asked="link")


@blueprint.route("/confirm/<token>", methods=["GET", "POST"])
@limit_public_write("newsletter-confirm", target=link_token)
def confirm_page(token: str):
    found = confirmation_link_owner(token)
    subscriber = get_session().get(Subscriber, found[0]) if found else None
    if subscriber is None or subscriber.email != found[1]:
        return render_template("newsletter/link_expired.html"), 404
    if subscriber.status == SubscriberStatus.CONFIRMED:  # a used link, opened again
        return render_template(
            "newsletter/already_subscribed.html",
            subscriber=subscriber,
            token=subscriber_token(subscriber.id),
        )
    if found[2]:
        return render_template("newsletter/link_expired.html"), 404
    form = ConfirmForm()
    # Link scanners in mail systems open links; only a person pressing the button confirms.
    if request.method == "POST" and form.validate_on_submit():
        subscriptions.confirm(subscriber)
        return redirect(url_for(".preferences_page", token=subscriber_token(subscriber.id)))
    return render_template("newsletter/confirm.html", subscriber=subscriber, form=form)


@blueprint.route("/preferences/<token>", methods=["GET", "POST"])
@limit_public_write("newsletter-preferences", target=link_token)
def preferences_page(token: str):
    subscriber = _subscriber(token)
    form = PreferencesForm(obj=subscriber if request.method == "GET" else None)
    if form.validate_on_submit():
        subscriber.name = one_line_name(form.name.data)
        flash("Saved.", "info")
        return redirect(url_for(".preferences_page", token=token))
    return render_template(
        "newsletter/preferences.html",
        subscriber=subscriber,
        form=form,
        confirm=ConfirmForm(),
        token=token,
    )


@blueprint.post("/preferences/<token>/resubscribe")
@limit_public_write("newsletter-resubscribe", target=link_token)
def resubscribe(token: str):
    subscriber = _subscriber(token)
    if ConfirmForm().validate_on_submit():
        subscriptions.resubscribe(subscriber)
        flash("Welcome back: you will receive the next issue.", "info")
    return redirect(url_for(".preferences_page", token=token))


@blueprint.get("/unsubscribe/<token>")
def unsubscribe_page(token: str):
    return render_template(
        "newsletter/unsubscribe.html", subscriber=_subscriber(token), token=token
    )


@blueprint.post("/unsubscribe/<token>")
@csrf.exempt  # RFC 8058: mail clients POST here with no session; the signed link is the proof
# Per link only: one-click unsubscribes arrive from a few mail providers' servers.
@limit_public_write("newsletter-unsubscribe", target=link_token, per_client=False)
def unsubscribe(token: str):
    subscriber = _subscriber(token)
    subscriptions.unsubscribe(subscriber)
    if request.form.get("List-Unsubscribe") == "One-Click":
        return Response("Unsubscribed.\n", mimetype="text/plain")
    return render_template("newsletter/unsubscribed.html", subscriber=subscriber, token=token)


@blueprint.get("/archive")
def archive():
    page = issues_page(get_session(), number=requested_page(), sent_only=True)
    return render_template("newsletter/archive.html", issues=page.rows, page=page)


@blueprint.get("/archive/<int:issue_id>")
def archived_issue(issue_id: int):
    issue = get_session().get(NewsletterIssue, issue_id)
    if issue is None or issue.status != IssueStatus.SENT:
        abort(404)
    return render_template(
        "newsletter/archived_issue.html",
        issue=issue,
        body=issue_page_html(issue.web_html, issue.html),
        form=SubscribeForm(),
    )


@blueprint.get("/example-link/<any(preferences, unsubscribe):link>")
def example_link(link: str):
    """Where a preview's or a test copy's manage and unsubscribe links lead."""
    return render_template("newsletter/example_link.html", link=link)


@blueprint.get("/feed.xml")
def feed():
    from feedgen.feed import FeedGenerator  # lxml with it: only for this page

    generator = FeedGenerator()
    generator.title(f"{settings().COMMUNITY_NAME} weekly")
    generator.link(href=public_url("/newsletter/archive"), rel="alternate")
    generator.description("Past issues of the weekly newsletter")
    generator.language("en")
    for issue in reversed(sent_issues(get_session(), limit=50)):
        entry = generator.add_entry()
        link = public_url(f"/newsletter/archive/{issue.id}")
        entry.id(link)
        entry.title(issue.subject)
        entry.link(href=link)
        entry.published(issue.sent_at)
        entry.description(issue.text.split("\n--\n")[0][:2000])
        entry.content(issue_page_html(issue.web_html, issue.html), type="CDATA")
    return Response(generator.rss_str(pretty=True), mimetype="application/rss+xml")


def _subscriber(token: str) -> Subscriber:
    subscriber_id = subscriber_from_token(token)
    subscriber = get_session().get(Subscriber, subscriber_id) if subscriber_id else None
    if subscriber is None:
        abort(404)
    return subscriber

"""Every public and organiser page in Chromium, on a laptop and on a 390 px phone: each fits
its viewport's width, has one <h1> and a title, and keeps each element within the screen.

The pages come from the app's own URL map: every GET page without arguments, and the pages
of one record of each kind (an event, an item, a pending post, a feed, a newsletter issue,
an unanswered question) made through the project's services, so a new page is visited
without this test changing."""

import re
import shutil
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import select
from werkzeug.routing import AnyConverter

from community.answers.feedback import record_feedback
from community.answers.service import record_unanswered
from community.conferences import conference_admin as programme_admin
from community.conferences.proposals import ProposalInput, submit_proposal
from community.db import session_scope
from community.knowledge.curation import queue_post
from community.knowledge.feed_sources import add_feed
from community.knowledge.items import ItemData
from community.models import ContentItem, Event, ItemStatus, StageKind
from community.models.types import utcnow
from community.newsletter.issues import build_issue, current_week, start_sending
from community.newsletter.sending import send_issue
from tests.browser.screens import (
    HEIGHT,
    PHONE,
    SCREENSHOTS,
    WIDTHS,
    Screens,
    log_in_as_organiser,
    new_page,
)

pytestmark = pytest.mark.browser

# Answers that are not pages a person reads: files, feeds, probes, APIs, redirects.
NOT_PAGES = {
    "static",
    "home.favicon",
    "observability.healthz",
    "observability.metrics",
    "answers_api.ask_api",
    "search.search_api",
}
# Pages whose useful state needs a query: the search page with its results and facets.
WITH_QUERIES = ["/search?q=feature+store+drift"]
FILE_SUFFIXES = (".csv", ".ics", ".json", ".xml", ".html")  # preview.html is an email
ORGANISER_PREFIXES = ("/admin", "/account", "/review", "/check-in", "/team")
# The record a page with an id shows, where it is not the one its argument names.
RECORD_OF = {
    ("knowledge.edit_pending_item", "item_id"): "pending_item_id",
    ("newsletter.archived_issue", "issue_id"): "sent_issue_id",
    ("agenda.session_page", "slug"): "session_slug",
    ("agenda.speaker_page", "slug"): "speaker_slug",
}
LONG_WORD = "Featurestorepipelineswithoutdowntime" * 3
LONG_URL = "https://example.org/" + "a-very-long-path-segment/" * 6 + "feed.xml"

# An element that sticks out of the viewport's right edge without a scrolling box of its
# own around it: the page a phone would have to scroll sideways, named so it can be fixed.
TOO_WIDE = """() => {
  const root = document.documentElement, width = root.clientWidth;
  const clipped = (element) => {
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      const scrolls = getComputedStyle(parent).overflowX !== "visible";
      if (scrolls && parent !== document.body && parent !== root) return true;
    }
    return false;
  };
  const classes = (element) => typeof element.className === "string" && element.className.trim()
    ? "." + element.className.trim().split(/\\s+/).join(".") : "";
  const name = (element) =>
    element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + classes(element);
  return [...document.body.querySelectorAll("*")]
    .filter((element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.right > width + 1 && !clipped(element);
    })
    .slice(0, 5)
    .map((element) => `${name(element)} (${Math.round(element.getBoundingClientRect().right)} px)`);
}"""

# A destructive button drawn like the main action (filled with the accent colour), or one
# without the red outline that tells it apart.
DANGER_LIKE_MAIN = """() => [...document.querySelectorAll(".button-danger")]
  .filter((button) => {
    const style = getComputedStyle(button);
    return style.backgroundColor === "rgb(36, 87, 197)" || style.borderColor !== "rgb(179, 38, 30)";
  })
  .map((button) => button.textContent.trim())"""


@pytest.fixture(params=["sqlite"])
def database_url(request, tmp_path, sqlite_template):
    """On SQLite only: how a page is laid out does not depend on the database, and one
    backend keeps this tour of every page at about a minute."""
    path = tmp_path / "community.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def _make_records(app, runner, make_event) -> dict[str, int]:
    """One record of each kind with a page of its own, some with words too long for a phone."""
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    event = make_event(
        title=f"Workshop on {LONG_WORD}",
        description=f"Bring a laptop. The notes: {LONG_URL}",
        format="hybrid",
        venue=LONG_WORD,
        join_url=LONG_URL,
        capacity=20,
    )
    with app.app_context(), session_scope() as session:
        published = select(ContentItem).where(ContentItem.status == ItemStatus.PUBLISHED)
        item = session.exec(published.order_by(ContentItem.id)).first()
        pending = queue_post(
            session=session,
            data=ItemData(
                kind="post",
                external_id=LONG_URL,
                title=f"A post about {LONG_WORD}",
                summary=f"Read it at {LONG_URL}",
                url=LONG_URL,
            ),
            submitted_by="member@example.org",
        )
        feed = add_feed(session=session, url=LONG_URL, collection="Blogs")
        question = record_unanswered(
            session=session,
            question=f"How do I run {LONG_WORD} on {LONG_URL}?",
            asked_via="slack",
            asked_by="U1",
            score=None,
        )
        record_feedback(
            session=session,
            question=f"What is {LONG_WORD}?",
            doc_ids=[str(item.id)],
            helpful=False,
            given_by="U2",
            reason=f"It links to {LONG_URL}",
        )
        sent, _ = build_issue(session, current_week() - timedelta(weeks=1))
        start_sending(session, sent)
        draft, _ = build_issue(session)
        records = {
            "event_id": event.id,
            "item_id": item.id,
            "pending_item_id": pending.id,
            "feed_id": feed.id,
            "question_id": question.id,
            "issue_id": draft.id,
            "sent_issue_id": sent.id,
        }
    with app.app_context():
        send_issue(records["sent_issue_id"])  # to nobody yet: it opens the archive's page
    conference_event = make_event(title=f"Conference on {LONG_WORD}", kind="conference")
    with app.app_context(), session_scope() as session:
        records |= _make_conference(session, session.get(Event, conference_event.id))
    return records


def _make_conference(session, event: Event) -> dict:
    """A conference with a stage, a track, a placed session with a speaker, a proposal."""
    conference = programme_admin.make_conference(session, event, "longwords")
    stage = programme_admin.add_stage(
        session,
        conference,
        programme_admin.StageInput(LONG_WORD, StageKind.VIRTUAL, stream_url=LONG_URL),
    )
    track = programme_admin.add_track(session, conference, LONG_WORD, "#8250df")
    talk = programme_admin.add_session(
        session,
        conference,
        programme_admin.SessionInput(
            title=f"Running {LONG_WORD}",
            abstract=f"Slides at {LONG_URL}",
            track_id=track.id,
            new_speaker=programme_admin.SpeakerInput(LONG_WORD, f"Writes {LONG_URL}"),
        ),
    )
    programme_admin.place_session(
        conference, talk, stage=stage, starts_at=event.starts_at, duration_minutes=30
    )
    programme_admin.publish_agenda(conference)
    conference.cfp_opens_at = utcnow() - timedelta(days=1)
    proposal = submit_proposal(
        session,
        conference,
        event,
        ProposalInput(
            title=f"A proposal about {LONG_WORD}",
            abstract=f"Details at {LONG_URL}",
            format="talk",
            track_id=track.id,
            speaker_name="Ada Lovelace",
            speaker_email="ada@example.org",
        ),
    )
    speaker = programme_admin.speakers_of_conference(session, conference)[0]
    return {
        "acronym": conference.acronym,
        "stage_id": stage.id,
        "track_id": track.id,
        "session_id": talk.id,
        "session_slug": talk.slug,
        "speaker_slug": speaker.slug,
        "proposal_id": proposal.id,
    }


def _page_paths(app, records: dict[str, int]) -> tuple[list[str], list[str]]:
    """(public paths, organiser paths): every GET page of the URL map that the records open."""
    public, organiser = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        if rule.rule.endswith(FILE_SUFFIXES):
            continue
        for path in _paths_of(rule, records):
            (organiser if path.startswith(ORGANISER_PREFIXES) else public).append(path)
    return public + WITH_QUERIES, organiser


def _paths_of(rule, records: dict[str, int]) -> list[str]:
    values: list[dict] = [{}]
    for argument in rule.arguments:
        converter = rule._converters[argument]
        if isinstance(converter, AnyConverter):
            choices = converter.items
        elif RECORD_OF.get((rule.endpoint, argument), argument) in records:
            choices = [records[RECORD_OF.get((rule.endpoint, argument), argument)]]
        else:
            return []  # a token only an email holds
        values = [{**given, argument: choice} for given in values for choice in choices]
    return [rule.build(given, append_unknown=False)[1] for given in values]


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def _problems_of(page, screens: Screens, path: str) -> list[str]:
    problems = []
    try:
        screens.shoot(_slug(path))
    except AssertionError as error:
        problems.append(str(error))
    headings = page.locator("h1").count()
    if headings != 1:
        problems.append(f"{path} has {headings} <h1> elements")
    title = page.title()
    parts = [part.strip() for part in title.split("·")]
    if not title.strip() or len(parts) != len(set(parts)):
        problems.append(f"{path} has the title {title!r}")
    if wide := page.evaluate(TOO_WIDE):
        problems.append(f"{path}: wider than the screen: {', '.join(wide)}")
    if unmarked := page.evaluate(DANGER_LIKE_MAIN):
        problems.append(f"{path}: destructive buttons look like the main one: {unmarked}")
    return problems


def _visit(page, base_url: str, screens: Screens, path: str, status: int = 200) -> list[str]:
    response = page.goto(base_url + path)
    if response.status != status:
        return [f"{path} answered {response.status}"]
    if not response.headers.get("content-type", "").startswith("text/html"):
        return [f"{path} is {response.headers.get('content-type')}, not a page"]
    return _problems_of(page, screens, path)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_the_screen_with_one_heading_and_a_title(
    app, runner, make_event, live_server, browser, width
):
    records = _make_records(app, runner, make_event)
    public, organiser = _page_paths(app, records)
    assert f"/events/{records['event_id']}" in public
    assert f"/admin/feeds/{records['feed_id']}/remove" in organiser or "/admin/feeds" in organiser
    page = new_page(browser, width)
    screens = Screens(page, SCREENSHOTS / "every-page" / f"{width}px")
    problems = []

    for path in public:
        problems += _visit(page, live_server, screens, path)
    problems += _visit(page, live_server, screens, "/no-such-page", status=404)
    log_in_as_organiser(page, live_server, runner)
    for path in organiser:
        problems += _visit(page, live_server, screens, path)
    page.context.close()

    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_organiser_menu_folds_on_a_phone_and_opens_without_javascript(
    runner, live_server, browser, width
):
    context = browser.new_context(
        viewport={"width": width, "height": HEIGHT[width]}, java_script_enabled=False
    )
    page = context.new_page()
    screens = Screens(page, SCREENSHOTS / "organiser-menu" / f"{width}px")
    log_in_as_organiser(page, live_server, runner)
    menu = page.get_by_role("navigation", name="Organiser pages")
    feeds = menu.get_by_role("link", name="Feeds")
    screens.shoot("dashboard")

    if width == PHONE:
        assert not feeds.is_visible()
        page.get_by_text("Organiser menu").click()
        screens.shoot("menu-open")
    expect(feeds).to_be_visible()
    feeds.click()
    page.wait_for_url(f"{live_server}/admin/feeds")
    current = page.locator(".admin-nav a[aria-current=page]")  # folded again on a phone
    assert current.text_content() == "Feeds"
    screens.shoot("feeds")
    context.close()

"""The conference's parts reach each other: the event page offers the open call for
proposals, the organiser's conference page links to every other part, and a team account's
header leads to its own conferences rather than to organiser pages it may not open."""

import re
from datetime import timedelta

from community.models.types import utcnow
from tests.conferences.review_accounts import TEAM_PASSWORD, add_team_account
from tests.helpers import log_in


def _open_call(session, programme, *, opens_in: timedelta, closes_in: timedelta) -> None:
    programme.conference.cfp_opens_at = utcnow() + opens_in
    programme.conference.cfp_closes_at = utcnow() + closes_in
    session.add(programme.conference)
    session.commit()


def test_the_event_page_offers_the_call_for_proposals_only_while_it_is_open(
    client, session, make_conference
):
    programme = make_conference()
    page = f"/events/{programme.event.id}"
    _open_call(session, programme, opens_in=-timedelta(days=1), closes_in=timedelta(days=2))
    html = client.get(page).get_data(as_text=True)
    assert 'href="/conferences/mlopscon/cfp"' in html

    _open_call(session, programme, opens_in=-timedelta(days=3), closes_in=-timedelta(days=1))
    assert "/conferences/mlopscon/cfp" not in client.get(page).get_data(as_text=True)


def test_the_organisers_conference_page_links_to_every_part_and_each_opens(
    organiser, make_conference
):
    make_conference()
    html = organiser.get("/admin/conferences/mlopscon").get_data(as_text=True)
    nav = re.search(r'<nav[^>]*id="conference-pages".*?</nav>', html, re.S).group(0)
    links = re.findall(r'href="([^"]+)"', nav)
    assert links == [
        "/conferences/mlopscon/cfp",
        "/review/mlopscon",
        "/check-in/conferences/mlopscon",
        "/check-in/conferences/mlopscon/attendance",
        "/admin/conferences/mlopscon/recordings",
        "/admin/conferences/mlopscon/feedback",
    ]
    for link in links:
        assert organiser.get(link).status_code == 200, link


def test_a_team_accounts_header_leads_to_its_conferences_not_to_organiser_pages(
    app, session, make_conference
):
    programme = make_conference()
    add_team_account(session, programme.conference, "rita@example.org")
    client = app.test_client()
    log_in(client, "rita@example.org", TEAM_PASSWORD)

    html = client.get("/team").get_data(as_text=True)
    assert 'href="/team"' in html and "Your conferences" in html
    assert "Organiser pages" not in html
    assert client.get("/admin/").status_code == 403


def test_the_public_menu_lists_conferences(client, make_conference):
    make_conference()
    html = client.get("/conferences").get_data(as_text=True)
    assert re.search(r'<a href="/conferences"[^>]*aria-current="page"', html)
    assert "MLOps World Conference" in html


def test_a_team_account_changes_its_password_without_the_organiser_menu(
    app, session, make_conference
):
    programme = make_conference()
    add_team_account(session, programme.conference, "rita@example.org")
    client = app.test_client()
    log_in(client, "rita@example.org", TEAM_PASSWORD)

    html = client.get("/account/password").get_data(as_text=True)
    assert "Change password" in html and 'name="new_password"' in html
    assert "Scheduled jobs" not in html  # an entry of the organisers' menu


def test_an_organiser_changes_their_password_inside_the_organiser_layout(organiser):
    html = organiser.get("/account/password").get_data(as_text=True)
    assert "Change password" in html and "Scheduled jobs" in html
    assert html.count("<h1>") == 1

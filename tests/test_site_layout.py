"""What every page shares: its title, the menus marking where one is, the favicon, the footer,
and messages shown inside the page's content."""

from html.parser import HTMLParser

import pytest

from community.answers.feedback import record_feedback
from tests.helpers import add_organiser, csrf_token, log_in

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: "Element | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element] = []
        self.parts: list[Element | str] = []  # text and child elements, in order

    @property
    def text(self) -> str:
        words = (part if isinstance(part, str) else part.text for part in self.parts)
        return " ".join(" ".join(words).split())

    def find_all(self, tag: str, **attrs: str) -> list["Element"]:
        found = []
        for child in self.children:
            if child.tag == tag and all(child.attrs.get(k) == v for k, v in attrs.items()):
                found.append(child)
            found += child.find_all(tag, **attrs)
        return found

    def find(self, tag: str, **attrs: str) -> "Element":
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]

    def inside(self, tag: str, **attrs: str) -> bool:
        parent = self.parent
        while parent is not None:
            if parent.tag == tag and all(parent.attrs.get(k) == v for k, v in attrs.items()):
                return True
            parent = parent.parent
        return False


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__()
        self.root = self.current = Element("document", {}, None)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        self.current.parts.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag):
        element = self.current
        while element is not None and element.tag != tag:
            element = element.parent
        if element is not None and element.parent is not None:
            self.current = element.parent

    def handle_data(self, data):
        self.current.parts.append(data)


def parse(response) -> Element:
    assert response.status_code == 200, response.status_code
    tree = _Tree()
    tree.feed(response.get_data(as_text=True))
    return tree.root


def title_of(client, path: str) -> str:
    return parse(client.get(path)).find("title").text


def links_in(document: Element, label: str) -> dict[str, Element]:
    menu = document.find("nav", **{"aria-label": label})
    return {link.text: link for link in menu.find_all("a")}


@pytest.fixture
def organiser_client(client, session):
    add_organiser(session)
    log_in(client)
    return client


def test_each_page_is_named_first_and_the_community_once(app, organiser_client):
    name = app.extensions["settings"].COMMUNITY_NAME

    assert title_of(organiser_client, "/") == name
    assert title_of(organiser_client, "/events") == f"Events · {name}"
    assert title_of(organiser_client, "/search") == f"Search · {name}"
    assert title_of(organiser_client, "/admin/feeds") == f"Feeds · Organiser pages · {name}"


def test_no_page_repeats_a_part_of_its_title(app, organiser_client):
    paths = [rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods]
    answers = {path: organiser_client.get(path) for path in paths if "<" not in path}
    pages = {
        path: parse(answer).find("title").text.split(" · ")
        for path, answer in answers.items()
        if answer.status_code == 200 and answer.mimetype == "text/html"
    }
    assert "/" in pages and "/admin/" in pages and "/events" in pages

    for path, parts in pages.items():
        assert len(parts) == len(set(parts)), f"{path}: {' · '.join(parts)}"


@pytest.mark.parametrize(
    ("path", "marked", "how"),
    [
        ("/events", "Events", "page"),
        ("/events/past", "Events", "true"),
        ("/newsletter", "Newsletter", "page"),
        ("/newsletter/archive", "Newsletter", "true"),
        ("/search", "Search", "page"),
        ("/login", "Organiser login", "page"),
    ],
)
def test_the_site_menu_marks_where_the_visitor_is(client, path, marked, how):
    links = links_in(parse(client.get(path)), "Site")

    assert {text: link.attrs.get("aria-current") for text, link in links.items()} == {
        text: how if text == marked else None for text in links
    }


def test_the_organiser_menu_marks_the_current_page_and_the_section_of_a_sub_page(
    organiser_client, make_event
):
    event = make_event()

    on_feeds = links_in(parse(organiser_client.get("/admin/feeds")), "Organiser pages")
    on_event = parse(organiser_client.get(f"/admin/events/{event.id}"))

    assert on_feeds["Feeds"].attrs.get("aria-current") == "page"
    assert [text for text, link in on_feeds.items() if "aria-current" in link.attrs] == ["Feeds"]
    assert links_in(on_event, "Organiser pages")["Events"].attrs.get("aria-current") == "true"
    assert links_in(on_event, "Site")["Organiser pages"].attrs.get("aria-current") == "true"


def test_the_favicon_is_linked_from_every_page_and_favicon_ico_answers(client):
    icon = parse(client.get("/events")).find("link", rel="icon")

    with client.get(icon.attrs["href"]) as linked:
        assert linked.status_code == 200 and linked.mimetype == "image/svg+xml"
    with client.get("/favicon.ico", follow_redirects=True) as asked:
        assert asked.status_code == 200 and asked.mimetype == "image/svg+xml"
        assert b"<svg" in asked.data


@pytest.mark.parametrize("path", ["/", "/events", "/newsletter", "/search", "/login"])
def test_the_footer_leads_to_the_archive_the_feed_and_the_calendar(client, path):
    footer = parse(client.get(path)).find("footer")
    links = {link.text: link.attrs["href"] for link in footer.find_all("a")}
    kinds = {
        "Newsletter archive": "text/html",
        "Newsletter RSS feed": "application/rss+xml",
        "Events calendar (.ics)": "text/calendar",
    }

    for text, mimetype in kinds.items():
        answer = client.get(links[text])
        assert answer.status_code == 200, text
        assert answer.mimetype == mimetype, text


def test_an_organiser_s_message_shows_inside_the_page_beside_the_menu(organiser_client):
    token = csrf_token(organiser_client.get("/admin/feeds").get_data(as_text=True))
    answer = organiser_client.post(
        "/admin/feeds",
        data={"url": "https://example.org/feed.xml", "csrf_token": token},
        follow_redirects=True,
    )

    flash = parse(answer).find("p", role="status")
    assert flash.text.startswith("Added https://example.org/feed.xml")
    assert flash.inside("section", **{"class": "admin-main"})


def test_one_verdict_reads_as_one(organiser_client, session):
    record_feedback(
        session=session, question="What is drift?", doc_ids=["1"], helpful=False, given_by="U1"
    )
    session.commit()

    count = parse(organiser_client.get("/admin/answer-feedback")).find("li", id="verdict-count")

    assert count.text == "1 verdict from members"


def test_the_footer_invites_to_slack_once_the_community_has_a_join_link(make_app):
    invite = "https://join.slack.com/t/mlops/shared_invite/abc"
    without = make_app().test_client().get("/").get_data(as_text=True)
    with_link = make_app(SLACK_INVITE_URL=invite).test_client().get("/").get_data(as_text=True)

    assert "Join us on Slack" not in without
    assert f'href="{invite}"' in with_link and "Join us on Slack" in with_link


def test_a_slack_join_link_that_is_not_a_web_link_is_refused():
    from pydantic import ValidationError

    from community.config import Settings

    with pytest.raises(ValidationError, match="SLACK_INVITE_URL"):
        Settings(SLACK_INVITE_URL="javascript:alert(1)", _env_file=None)

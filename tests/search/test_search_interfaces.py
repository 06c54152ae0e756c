import json
import re
from datetime import datetime

import pytest


@pytest.fixture
def demo(runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0


def test_api_search_returns_ranked_json_with_snippets(client, demo):
    body = client.get("/api/search", query_string={"q": "cost of serving LLMs"}).get_json()

    first = body["results"][0]
    assert {"id", "external_id", "kind", "title", "url", "snippet", "score"} <= set(first)
    assert "LLM" in first["title"]
    assert "<mark>" in first["snippet"]
    assert body["counts_by_kind"]


def test_api_search_filters_by_kind_and_collection(client, demo):
    faq = client.get("/api/search", query_string={"q": "drift", "kind": "faq"}).get_json()
    course = client.get(
        "/api/search", query_string={"q": "drift", "collection": "community-faq"}
    ).get_json()

    assert faq["results"] and {r["kind"] for r in faq["results"]} == {"faq"}
    assert course["results"] and {r["kind"] for r in course["results"]} == {"faq"}


def test_api_search_sorts_by_date_and_filters_by_date_range(client, demo):
    question = {"q": "models teams production data", "kind": "episode"}
    newest = client.get("/api/search", query_string={**question, "sort": "date"}).get_json()
    october = client.get(
        "/api/search", query_string={**question, "from": "2026-10-01", "to": "2026-10-31"}
    ).get_json()

    dates = [r["published"] for r in newest["results"]]
    assert len(dates) >= 3
    assert dates == sorted(dates, reverse=True)
    assert october["results"]
    assert all(r["published"].startswith("2026-10") for r in october["results"])
    assert len(october["results"]) < len(dates)


@pytest.mark.parametrize("query", ['title:"', "AND OR NOT", "(((", "*?~^", "☃" * 50])
def test_api_search_never_fails_on_odd_queries(client, demo, query):
    response = client.get("/api/search", query_string={"q": query})

    assert response.status_code == 200
    assert isinstance(response.get_json()["results"], list)


def test_api_search_requires_a_query(client):
    response = client.get("/api/search")

    assert response.status_code == 400
    assert "q is required" in response.get_json()["error"]


def test_search_page_shows_results_counts_and_did_you_mean(client, demo):
    page = client.get("/search", query_string={"q": "feature stor checklst"}).get_data(as_text=True)

    assert "Feature Store Adoption Checklist" in page
    assert "Did you mean" in page
    assert "faq (" in page


def test_kb_search_command_prints_json(runner, demo):
    result = runner.invoke(args=["kb", "search", "data contracts", "--json", "--limit", "3"])

    hits = json.loads(result.stdout)
    assert 1 <= len(hits) <= 3
    assert "Data Contracts" in hits[0]["title"]


def test_kb_eval_reports_hit_rate_mrr_latency_and_count(runner, demo, tmp_path):
    questions = tmp_path / "questions.csv"
    questions.write_text(
        "question,course,document\n"
        "How can I notice data drift once my model is live?,community-faq,"
        + _faq_id("How do I detect data drift")
        + "\n"
        "completely unrelated gibberish zzzz,community-faq,ffffffff\n"
    )

    result = runner.invoke(args=["kb", "eval", str(questions), "--json"])

    report = json.loads(result.stdout)
    assert report["n"] == 2
    assert report["hit_rate"] == 0.5
    assert 0.0 < report["mrr"] <= 0.5
    assert report["p95_ms"] >= report["p50_ms"] >= 0


def test_kb_eval_counts_a_hit_on_any_of_several_right_answers(runner, demo, tmp_path):
    drift = _faq_id("How do I detect data drift")
    questions = tmp_path / "questions.csv"
    questions.write_text(
        "question,course,document\n"
        f"How can I notice data drift once my model is live?,community-faq,ffffffff|{drift}\n"
        "How can I notice data drift once my model is live?,community-faq,ffffffff|eeeeeeee\n"
    )

    report = json.loads(runner.invoke(args=["kb", "eval", str(questions), "--json"]).stdout)

    assert report["n"] == 2
    assert report["hit_rate"] == 0.5  # the second question names no entry that exists


def _faq_id(question_prefix: str) -> str:
    from pathlib import Path

    entries = json.loads(
        (Path(__file__).resolve().parents[2] / "community/demo/content/faq.json").read_text()
    )
    return next(e["id"] for e in entries if e["question"].startswith(question_prefix))


def test_api_search_pages_through_results_without_repeating_any(client, demo):
    question = {"q": "model data production", "limit": 3}
    first = client.get("/api/search", query_string=question).get_json()
    second = client.get(
        "/api/search", query_string={**question, "offset": first["next_offset"]}
    ).get_json()

    assert (first["offset"], first["limit"], first["next_offset"]) == (0, 3, 3)
    assert len(first["results"]) == len(second["results"]) == 3
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    last = client.get(
        "/api/search", query_string={**question, "offset": first["total"] - 1}
    ).get_json()
    assert len(last["results"]) == 1 and last["next_offset"] is None


@pytest.mark.parametrize(
    ("argument", "value", "named"),
    [
        ("kind", "podcast", "kind"),
        ("limit", "0", "limit"),
        ("limit", "lots", "limit"),
        ("offset", "-1", "offset"),
        ("from", "last tuesday", "from"),
        ("to", "2026-13-40", "to"),
        ("sort", "random", "sort"),
    ],
)
def test_api_search_refuses_a_bad_argument_naming_it(client, demo, argument, value, named):
    response = client.get("/api/search", query_string={"q": "drift", argument: value})

    assert response.status_code == 400
    assert response.get_json()["error"].startswith(named)


def test_search_and_ask_name_their_fields_alike(client, demo):
    question = "how do I detect data drift?"
    hit = client.get("/api/search", query_string={"q": question}).get_json()["results"][0]
    item = client.get("/api/ask", query_string={"q": question}).get_json()["items"][0]

    shared = {"id", "external_id", "kind", "title", "url", "page_url", "published"}
    assert shared <= set(hit) and shared <= set(item)
    for result in (hit, item):
        if result["published"]:
            datetime.fromisoformat(result["published"])  # ISO 8601 in both


def test_query_syntax_is_read_as_words(client, demo):
    plain = client.get("/api/search", query_string={"q": "title drift"}).get_json()
    fielded = client.get("/api/search", query_string={"q": "title:drift"}).get_json()

    assert [r["id"] for r in fielded["results"]] == [r["id"] for r in plain["results"]]


def _facets(html: str) -> str:
    return html.split('aria-label="Kinds"')[1].split("</ul>")[0]


def test_the_search_page_counts_results_and_keeps_facet_counts_when_one_is_chosen(client, demo):
    everything = client.get("/search", query_string={"q": "drift"}).get_data(as_text=True)
    faq_only = client.get("/search", query_string={"q": "drift", "kind": "faq"}).get_data(
        as_text=True
    )

    assert re.search(r'id="result-count">\d+ results?', everything)
    post_count = re.search(r"post \((\d+)\)", _facets(everything)).group(1)
    assert int(post_count) > 0
    chosen = _facets(faq_only)
    assert f"post ({post_count})" in chosen  # counted without the kind filter
    assert re.search(r'<strong aria-current="true">faq \(\d+\)</strong>', chosen)
    assert "kind=faq" not in chosen  # the chosen facet is not a link
    assert '<span class="empty-facet">' in _facets(everything) or "(0)" not in everything


def _collections(html: str) -> str:
    return html.split('aria-label="Collections"')[1].split("</ul>")[0]


def test_the_search_page_filters_by_collection_and_counts_the_others(client, demo):
    everything = client.get("/search", query_string={"q": "production"}).get_data(as_text=True)
    faq_link = re.search(r'href="([^"]+collection=community-faq[^"]*)"', _collections(everything))
    chosen = client.get(faq_link.group(1).replace("&amp;", "&")).get_data(as_text=True)

    faq_count = re.search(r"community-faq \((\d+)\)", _collections(everything)).group(1)
    assert re.findall(r'<span class="badge">(\w+)</span>', chosen) == ["faq"] * int(faq_count)
    assert f'<strong aria-current="true">community-faq ({faq_count})</strong>' in chosen
    notes = re.search(r"Practitioners&#39; Notes \((\d+)\)", _collections(everything)).group(1)
    assert f"Practitioners&#39; Notes ({notes})</a>" in _collections(chosen)  # still a link
    assert "collection=community-faq" in _facets(chosen)  # choosing a kind keeps the collection


def test_api_search_counts_results_per_collection(client, demo):
    body = client.get("/api/search", query_string={"q": "production"}).get_json()

    assert body["counts_by_collection"]["community-faq"] == body["counts_by_kind"]["faq"]
    assert sum(body["counts_by_collection"].values()) <= body["total"]


def test_the_search_page_pages_through_results(client, demo):
    first = client.get("/search", query_string={"q": "model data", "limit": 2}).get_data(
        as_text=True
    )
    following = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(following).get_data(as_text=True)

    titles = lambda html: re.findall(r"<h3><a [^>]*>([^<]+)</a>", html)  # noqa: E731
    assert len(titles(first)) == len(titles(second)) == 2
    assert not set(titles(first)) & set(titles(second))
    assert 'rel="prev"' in second


def test_the_home_page_has_a_search_box(client, demo):
    html = client.get("/").get_data(as_text=True)

    assert 'role="search"' in html and 'name="q"' in html

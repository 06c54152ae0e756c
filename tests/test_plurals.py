"""Counts read right in pages and emails: "1 person was told", never "1 registered people"."""

import pytest

from community.plurals import counted


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (0, "subscriber", "0 subscribers"),
        (1, "subscriber", "1 subscriber"),
        (2, "subscriber", "2 subscribers"),
        (1, "person", "1 person"),
        (34, "person", "34 people"),
        (1, "registered person", "1 registered person"),
        (5, "registered person", "5 registered people"),
        (2, "reply", "2 replies"),
        (12_500, "subscriber", "12,500 subscribers"),
    ],
)
def test_a_count_takes_the_noun_in_its_right_form(count, noun, expected):
    assert counted(count, noun) == expected


def test_an_irregular_plural_can_be_named_where_it_is_used():
    assert counted(2, "place left", "places left") == "2 places left"
    assert counted(1, "place left", "places left") == "1 place left"


def test_templates_have_the_counted_filter(app):
    with app.app_context():
        rendered = app.jinja_env.from_string("{{ 1|counted('person') }}, {{ 6|counted('person') }}")
        assert rendered.render() == "1 person, 6 people"

"""The matching rules hold on any input: placed once, avoid-lists kept, no recent repeats."""

import json
import random
import statistics

import pytest

from community.pairing.matching import (
    Person,
    match,
    recent_pairs_from,
    shared_interests,
    timezone_gap_hours,
)

TOPICS = ["llm", "drift", "feature-store", "kubernetes", "evaluation", "rag", "mlflow", "gpu"]


def _people(count: int, rng: random.Random, avoid_rate: float = 0.0) -> list[Person]:
    ids = [f"U{number:04d}" for number in range(count)]
    people = []
    for person in ids:
        avoid = {other for other in ids if other != person and rng.random() < avoid_rate}
        people.append(
            Person(
                id=person,
                interests=frozenset(rng.sample(TOPICS, rng.randint(0, 3))),
                tz_offset=rng.choice([-8, -5, 0, 1, 2, 5, 8, 9]) * 3600,
                avoid=frozenset(avoid),
            )
        )
    return people


def _pairs(groups):
    return {frozenset((a, b)) for group in groups for a in group for b in group if a < b}


def _check_rules(people: list[Person], result, recent: set) -> None:
    placed = [member for group in result.groups for member in group]
    assert len(placed) == len(set(placed)), "someone was placed twice"
    assert set(placed) | set(result.left_out) == {person.id for person in people}
    assert sum(len(group) == 3 for group in result.groups) <= 1
    assert all(len(group) in (2, 3) for group in result.groups)
    by_id = {person.id: person for person in people}
    for pair in _pairs(result.groups):
        a, b = sorted(pair)
        assert b not in by_id[a].avoid and a not in by_id[b].avoid, f"{a} and {b} asked not to meet"
    assert result.repeats == len(_pairs(result.groups) & recent)


@pytest.mark.parametrize("seed", range(40))
def test_rules_hold_on_random_communities(seed):
    rng = random.Random(seed)
    people = _people(rng.randint(0, 61), rng, avoid_rate=rng.choice([0.0, 0.05, 0.2]))
    history = [_random_round(people, rng) for _ in range(rng.randint(0, 8))]
    recent = recent_pairs_from(history, 6)

    result = match(people, recent, seed=seed)

    _check_rules(people, result, recent)
    if len(people) >= 2 and not any(person.avoid for person in people):
        assert result.left_out == []


def _random_round(people, rng):
    ids = [person.id for person in people]
    rng.shuffle(ids)
    return [ids[index : index + 2] for index in range(0, len(ids) - 1, 2)]


def test_an_odd_count_makes_exactly_one_group_of_three():
    people = _people(11, random.Random(1))

    result = match(people, seed=1)

    assert sorted(len(group) for group in result.groups) == [2, 2, 2, 2, 3]
    assert result.left_out == []


def test_nobody_meets_someone_from_the_recent_rounds_when_others_are_free():
    people = _people(40, random.Random(2))
    history = [_random_round(people, random.Random(seed)) for seed in range(6)]
    recent = recent_pairs_from(history, 6)

    result = match(people, recent, seed=5)

    assert result.repeats == 0
    assert not (_pairs(result.groups) & recent)


def test_the_window_only_looks_back_n_rounds():
    old_round = [["A", "B"], ["C", "D"]]
    later_rounds = [[["A", "C"], ["B", "D"]]] * 3

    assert frozenset(("A", "B")) in recent_pairs_from([old_round, *later_rounds], 4)
    assert frozenset(("A", "B")) not in recent_pairs_from([old_round, *later_rounds], 3)


def test_people_who_avoid_each_other_are_never_grouped_even_if_someone_is_left_out():
    people = [Person("A", avoid=frozenset({"B"})), Person("B")]

    result = match(people, seed=0)

    assert result.groups == [] and result.left_out == ["A", "B"]


def test_a_repeat_happens_only_when_nothing_else_is_possible():
    people = [Person("A"), Person("B")]

    result = match(people, {frozenset(("A", "B"))}, seed=0)

    assert result.groups == [["A", "B"]] and result.repeats == 1


def test_the_same_seed_gives_the_same_groups_and_another_seed_differs():
    people = _people(50, random.Random(3))

    assert match(people, seed=7).groups == match(people, seed=7).groups
    assert match(people, seed=7).groups != match(people, seed=8).groups


def test_shared_interests_and_close_time_zones_beat_a_random_shuffle():
    rng = random.Random(4)
    people = _people(400, rng)
    by_id = {person.id: person for person in people}
    shuffled = _random_round(people, rng)

    matched = match(people, seed=4).groups

    def mean(groups, measure):
        return statistics.fmean(measure(by_id[g[0]], by_id[g[1]]) for g in groups)

    def shared(a, b):
        return len(shared_interests(a, b))

    assert mean(matched, shared) > mean(shuffled, shared) * 1.5
    assert mean(matched, timezone_gap_hours) < mean(shuffled, timezone_gap_hours) / 2


def test_the_cli_reads_members_and_history_and_prints_groups(runner, tmp_path):
    members = [
        {"id": "U1", "name": "Ada", "tz": "Europe/Berlin", "tz_offset": 3600, "interests": ["LLM"]},
        {
            "id": "U2",
            "name": "Grace",
            "tz": "Europe/Paris",
            "tz_offset": 3600,
            "interests": ["llm"],
        },
        {"id": "U3", "name": "Linus", "tz": "Asia/Tokyo", "tz_offset": 32400, "interests": []},
        {"id": "U4", "name": "Alan", "tz": "Asia/Seoul", "tz_offset": 32400, "avoid": ["U1"]},
    ]
    history = [{"round": "2026-11-02", "groups": [["U1", "U3"], ["U2", "U4"]]}]
    (tmp_path / "members.json").write_text(json.dumps(members))
    (tmp_path / "history.json").write_text(json.dumps(history))

    result = runner.invoke(
        args=[
            "pairing",
            "match",
            str(tmp_path / "members.json"),
            "--history",
            str(tmp_path / "history.json"),
            "--seed",
            "1",
            "--json",
        ]
    )

    assert result.exit_code == 0, result.output
    output = json.loads(result.stdout)
    assert sorted(map(sorted, output["groups"])) == [["U1", "U2"], ["U3", "U4"]]
    assert output["stats"]["repeats"] == 0 and output["stats"]["left_out"] == 0
    assert output["stats"]["mean_shared_interests"] == 0.5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ('{"id": 1}', "JSON array of members"),
        ("[{}]", 'needs an "id"'),
    ],
)
def test_the_cli_explains_bad_member_files(runner, tmp_path, content, message):
    (tmp_path / "members.json").write_text(content)

    result = runner.invoke(args=["pairing", "match", str(tmp_path / "members.json"), "--json"])

    assert result.exit_code != 0
    assert message in result.output


def test_the_odd_person_who_avoids_most_people_still_gets_a_place():
    people = [
        Person("p0"),
        Person("p1"),
        Person("p2"),
        Person("p3", avoid=frozenset({"p0", "p1", "p2"})),
        Person("p4"),
    ]

    for seed in range(6):
        result = match(people, seed=seed)
        assert result.left_out == []
        assert ["p3", "p4"] in result.groups


def test_a_repeat_free_grouping_is_found_when_one_exists():
    recent = {frozenset(pair) for pair in ["01", "02", "03", "04", "12", "14", "23", "34", "35"]}
    people = [Person(str(number)) for number in range(6)]

    result = match(people, recent, seed=0)

    assert result.repeats == 0
    assert sorted(map(sorted, result.groups)) == [["0", "5"], ["1", "3"], ["2", "4"]]


def test_the_same_seed_gives_the_same_groups_in_every_process(tmp_path):
    import os
    import subprocess
    import sys

    rng = random.Random(9)
    members = [
        {
            "id": f"U{n}",
            "interests": rng.sample(TOPICS, 3),
            "tz_offset": rng.choice([0, 3600, -18000]),
        }
        for n in range(60)
    ]
    (tmp_path / "members.json").write_text(json.dumps(members))
    script = (
        "import json, sys; from pathlib import Path;"
        "from community.pairing.cli import read_members;"
        "from community.pairing.matching import match;"
        "print(json.dumps(match(read_members(Path(sys.argv[1])), seed=3).groups))"
    )

    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / "members.json")],
            env={**os.environ, "PYTHONHASHSEED": str(hash_seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in (1, 2, 3)
    }

    assert len(outputs) == 1


def test_the_cli_refuses_an_avoid_that_is_not_a_list(runner, tmp_path):
    (tmp_path / "members.json").write_text(json.dumps([{"id": "U1", "avoid": "U2"}, {"id": "U2"}]))

    result = runner.invoke(args=["pairing", "match", str(tmp_path / "members.json")])

    assert result.exit_code != 0
    assert '"avoid" must be a list' in result.output

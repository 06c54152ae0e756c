"""`flask pairing match`: the matching alone, for dry runs and scripts."""

import json
import statistics
import time
from pathlib import Path

import click
from flask.cli import AppGroup

from community.pairing.matching import (
    Person,
    match,
    recent_pairs_from,
    shared_interests,
    timezone_gap_hours,
)

pairing_cli = AppGroup("pairing", help="One-on-one pairing.")


@pairing_cli.command("match")
@click.argument("members_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--history", "history_file", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--avoid-rounds",
    default=6,
    show_default=True,
    type=click.IntRange(min=0),
    help="No repeats within this many past rounds.",
)
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--json", "as_json", is_flag=True)
def match_command(
    members_file: Path, history_file: Path | None, avoid_rounds: int, seed: int, as_json: bool
) -> None:
    """Match MEMBERS.json (id, name, tz, tz_offset, interests, avoid) into groups."""
    people = read_members(members_file)
    rounds = read_history(history_file) if history_file else []
    started = time.perf_counter()
    result = match(people, recent_pairs_from(rounds, avoid_rounds), seed=seed)
    elapsed = time.perf_counter() - started
    stats = _stats(people, result, elapsed)
    output = {"groups": result.groups, "left_out": result.left_out, "stats": stats}
    if as_json:
        click.echo(json.dumps(output))
        return
    for group in result.groups:
        click.echo(" + ".join(group))
    click.echo(json.dumps(output["stats"]), err=True)


def read_members(path: Path) -> list[Person]:
    data = _load(path)
    if not isinstance(data, list):
        raise click.ClickException(f"{path} must hold a JSON array of members")
    return [_person(entry, index) for index, entry in enumerate(data)]


def _person(entry, index: int) -> Person:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str | int):
        raise click.ClickException(f'member {index} needs an "id"')
    try:
        return Person(
            id=str(entry["id"]),
            interests=frozenset(_interests(_list(entry, "interests"))),
            tz_offset=int(entry.get("tz_offset") or 0),
            avoid=frozenset(str(other) for other in _list(entry, "avoid")),
        )
    except (TypeError, ValueError) as error:
        raise click.ClickException(f"member {entry['id']!r}: {error}") from error


def _list(entry: dict, key: str) -> list:
    value = entry.get(key) or []
    if not isinstance(value, list):
        raise ValueError(f'"{key}" must be a list')
    return value


def _interests(values: list) -> list[str]:
    return [str(value).strip().lower() for value in values if str(value).strip()]


def read_history(path: Path) -> list[list[list[str]]]:
    data = _load(path)
    valid = isinstance(data, list) and all(
        isinstance(entry, dict)
        and isinstance(entry.get("groups"), list)
        and all(isinstance(group, list) for group in entry["groups"])
        for entry in data
    )
    if not valid:
        raise click.ClickException(
            f'{path} must hold a JSON array of {{"round", "groups"}} objects'
        )
    return [[[str(member) for member in group] for group in entry["groups"]] for entry in data]


def _load(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path} is not valid JSON: {error}") from error


def _stats(people: list[Person], result, elapsed: float) -> dict:
    by_id = {person.id: person for person in people}
    pairs = [(by_id[a], by_id[b]) for group in result.groups for a, b in _pairs(group)]
    return {
        "members": len(by_id),
        "groups": len(result.groups),
        "groups_of_three": sum(len(group) == 3 for group in result.groups),
        "left_out": len(result.left_out),
        "repeats": result.repeats,
        "mean_shared_interests": _mean([len(shared_interests(a, b)) for a, b in pairs]),
        "mean_timezone_gap_hours": _mean([timezone_gap_hours(a, b) for a, b in pairs]),
        "seconds": round(elapsed, 3),
    }


def _mean(values: list[float]) -> float:
    return round(statistics.fmean(values), 3) if values else 0.0


def _pairs(group: list[str]):
    return [(a, b) for index, a in enumerate(group) for b in group[index + 1 :]]

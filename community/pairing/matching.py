"""Matching members into groups of two (one of three when the count is odd).

Hard rules: everyone is placed exactly once when that is possible at all, and two people
who asked not to meet are never grouped. Soft rules, in order: nobody meets someone from
the last N rounds when another grouping exists; then as many shared interests and as
close time zones as possible. The same input and seed give the same groups.

Greedy choice from a short list of promising partners (sharing an interest, or living
a few hours apart) keeps 10,000 members well within a few seconds; a round of pairwise
swaps then improves the score, and a repair step swaps partners when the last people
left cannot meet each other.
"""

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

HOUR = 3600
CANDIDATES_PER_PERSON = 40
INTEREST_WEIGHT = 1.0
TIMEZONE_WEIGHT = 0.25  # per hour apart; twelve hours apart costs three shared interests
REPEAT_PENALTY = 1000.0
EXACT_UP_TO = 11  # small communities: try every grouping when the fast way falls short


@dataclass(frozen=True)
class Person:
    id: str
    interests: frozenset[str] = frozenset()
    tz_offset: int = 0  # seconds east of UTC
    avoid: frozenset[str] = frozenset()


@dataclass
class Matching:
    groups: list[list[str]]
    left_out: list[str] = field(default_factory=list)  # nobody they are allowed to meet
    repeats: int = 0  # pairs grouped again within the window because nothing else was possible


def match(
    people: Iterable[Person],
    recent_pairs: Iterable[frozenset[str]] = (),
    *,
    seed: int = 0,
) -> Matching:
    people = _unique(people)
    context = _Context(people, set(recent_pairs), random.Random(seed))
    pairs, unplaced = context.greedy_pairs()
    pairs, unplaced = context.repair(pairs, unplaced)
    pairs = context.improve(pairs)
    groups, left_out = context.place_odd_one_out(pairs, unplaced)
    if len(people) <= EXACT_UP_TO and (left_out or context.repeats_in(groups)):
        groups, left_out = context.exact(groups, left_out)
    return Matching(
        groups=[sorted(group) for group in groups],
        left_out=sorted(left_out),
        repeats=sum(context.is_repeat(a, b) for group in groups for a, b in _pairs_in(group)),
    )


def shared_interests(a: Person, b: Person) -> set[str]:
    return set(a.interests & b.interests)


def timezone_gap_hours(a: Person, b: Person) -> float:
    gap = abs(a.tz_offset - b.tz_offset) % (24 * HOUR)
    return min(gap, 24 * HOUR - gap) / HOUR


class _Context:
    def __init__(self, people: list[Person], recent_pairs: set[frozenset[str]], rng: random.Random):
        self.people = {person.id: person for person in people}
        self.recent = recent_pairs
        self.rng = rng
        self.by_interest: dict[str, list[str]] = defaultdict(list)
        self.by_zone: dict[int, list[str]] = defaultdict(list)
        self.avoided_by: dict[str, set[str]] = defaultdict(set)
        for person in people:
            for other in person.avoid:
                self.avoided_by[other].add(person.id)
            for interest in person.interests:
                self.by_interest[interest].append(person.id)
            self.by_zone[round(person.tz_offset / HOUR)].append(person.id)

    # Rules and scores

    def allowed(self, a: str, b: str) -> bool:
        first, second = self.people[a], self.people[b]
        return a != b and b not in first.avoid and a not in second.avoid

    def is_repeat(self, a: str, b: str) -> bool:
        return frozenset((a, b)) in self.recent

    def score(self, a: str, b: str) -> float:
        first, second = self.people[a], self.people[b]
        value = INTEREST_WEIGHT * len(first.interests & second.interests)
        value -= TIMEZONE_WEIGHT * timezone_gap_hours(first, second)
        return value - (REPEAT_PENALTY if self.is_repeat(a, b) else 0.0)

    def repeats_in(self, groups: list[list[str]]) -> int:
        return sum(self.is_repeat(a, b) for group in groups for a, b in _pairs_in(group))

    # Exact search, for a handful of people

    def exact(self, groups, left_out):
        """Every grouping of a small community: fewest left out, then fewest repeats."""
        best = (len(left_out), self.repeats_in(groups), groups, left_out)
        ids = sorted(self.people)
        extras = ids if len(ids) % 2 else [None]
        for extra in extras:
            rest = [person for person in ids if person != extra]
            for pairs in self._perfect_pairings(rest):
                candidate = [list(pair) for pair in pairs]
                unplaced = [] if extra is None else [extra]
                if extra is not None:
                    hosts = [g for g in candidate if all(self.allowed(extra, m) for m in g)]
                    if hosts:
                        min(hosts, key=lambda g: self._repeat_cost(extra, g)).append(extra)
                        unplaced = []
                key = (len(unplaced), self.repeats_in(candidate))
                if key < best[:2]:
                    best = (*key, candidate, unplaced)
        return best[2], best[3]

    def _repeat_cost(self, person: str, group: list[str]) -> int:
        return sum(self.is_repeat(person, member) for member in group)

    def _perfect_pairings(self, ids: list[str]):
        if not ids:
            yield []
            return
        first, rest = ids[0], ids[1:]
        for index, partner in enumerate(rest):
            if self.allowed(first, partner):
                for pairs in self._perfect_pairings(rest[:index] + rest[index + 1 :]):
                    yield [(first, partner), *pairs]

    # Greedy pairing

    def _constraints(self, person: str) -> int:
        return len(self.people[person].avoid) + len(self.avoided_by[person])

    def greedy_pairs(self) -> tuple[list[tuple[str, str]], list[str]]:
        order = sorted(self.people)
        self.rng.shuffle(order)
        # The hardest to place choose first, while everyone is still free.
        order.sort(key=self._constraints, reverse=True)
        free = _FreePool(order, self.rng)
        pairs, unplaced = [], []
        for person in order:
            if person not in free:
                continue
            free.remove(person)
            partner = self._best_partner(person, free)
            if partner is None:
                unplaced.append(person)
            else:
                free.remove(partner)
                pairs.append((person, partner))
        return pairs, unplaced

    def _best_partner(self, person: str, free: "_FreePool") -> str | None:
        candidates = [c for c in self._candidates(person, free) if self.allowed(person, c)]
        fresh = [c for c in candidates if not self.is_repeat(person, c)]
        if fresh:
            return max(fresh, key=lambda c: (self.score(person, c), c))
        return self._any_partner(person, free)

    def _candidates(self, person: str, free: "_FreePool") -> list[str]:
        me = self.people[person]
        pool: list[str] = []
        for interest in sorted(me.interests):  # sets iterate in hash order, which varies by run
            pool += free.sample_from(self.by_interest[interest], 8)
        zone = round(me.tz_offset / HOUR)
        for near in (zone, zone - 1, zone + 1, zone - 2, zone + 2):
            pool += free.sample_from(self.by_zone.get(near, []), 6)
        return list(dict.fromkeys(pool))[:CANDIDATES_PER_PERSON]

    def _any_partner(self, person: str, free: "_FreePool") -> str | None:
        """Anyone allowed, preferring someone not met recently; the whole pool if need be."""
        for candidate in free.random_picks(200):
            if self.allowed(person, candidate) and not self.is_repeat(person, candidate):
                return candidate
        remaining = free.everyone()
        allowed = [c for c in remaining if self.allowed(person, c)]
        fresh = [c for c in allowed if not self.is_repeat(person, c)]
        return (fresh or allowed or [None])[0]

    # Repair: the last people left may be unable to meet each other; swap into pairs

    def repair(self, pairs, unplaced):
        unplaced = list(unplaced)
        for _ in range(len(unplaced)):
            if len(unplaced) < 2:
                break
            person = unplaced.pop(0)
            fixed = self._swap_in(person, unplaced, pairs)
            if not fixed:
                unplaced.append(person)
        pairs = self._avoid_repeats(pairs)
        return pairs, unplaced

    def _swap_in(self, person: str, unplaced: list[str], pairs: list[tuple[str, str]]) -> bool:
        """Give `person` a partner from an existing pair, whose other half meets someone left."""
        for index in self._shuffled_indexes(pairs):
            a, b = pairs[index]
            for keep, freed in ((a, b), (b, a)):
                if not self.allowed(person, keep):
                    continue
                other = next((u for u in unplaced if self.allowed(freed, u)), None)
                if other is not None:
                    pairs[index] = (person, keep)
                    pairs.append((freed, other))
                    unplaced.remove(other)
                    return True
        return False

    def _avoid_repeats(self, pairs):
        """Swap partners between a repeated pair and another pair while that removes a repeat."""
        for index, (a, b) in enumerate(pairs):
            if not self.is_repeat(a, b):
                continue
            for other in self._shuffled_indexes(pairs)[:2000]:
                c, d = pairs[other]
                if other == index:
                    continue
                swap = self._better_fresh_swap(a, b, c, d)
                if swap:
                    pairs[index], pairs[other] = swap
                    break
        return pairs

    def _better_fresh_swap(self, a, b, c, d):
        for first, second in (((a, c), (b, d)), ((a, d), (b, c))):
            if all(self.allowed(*pair) and not self.is_repeat(*pair) for pair in (first, second)):
                return first, second
        return None

    # Improvement: pairwise swaps that raise the total score

    def improve(self, pairs, rounds: int = 3):
        if len(pairs) < 2:
            return pairs
        for _ in range(rounds * len(pairs)):
            i, j = self.rng.randrange(len(pairs)), self.rng.randrange(len(pairs))
            if i == j:
                continue
            (a, b), (c, d) = pairs[i], pairs[j]
            current = self.score(a, b) + self.score(c, d)
            for first, second in (((a, c), (b, d)), ((a, d), (b, c))):
                if not (self.allowed(*first) and self.allowed(*second)):
                    continue
                if self.score(*first) + self.score(*second) > current + 1e-9:
                    pairs[i], pairs[j] = first, second
                    break
        return pairs

    # The odd one out joins the pair that suits them best

    def place_odd_one_out(self, pairs, unplaced):
        """One person left joins a pair; more than one left means the rules allow no place."""
        groups = [list(pair) for pair in pairs]
        if len(unplaced) != 1:
            return groups, list(unplaced)
        person = unplaced[0]
        options = [g for g in groups if all(self.allowed(person, member) for member in g)]
        if options:
            max(options, key=lambda g: (self._fit(person, g), g)).append(person)
            return groups, []
        return groups, [] if self._swap_odd_one_in(person, groups) else [person]

    def _swap_odd_one_in(self, person: str, groups: list[list[str]]) -> bool:
        """Pair the odd person with half of a pair; the other half joins another pair."""
        for group in groups:
            for keep, moved in ((group[0], group[1]), (group[1], group[0])):
                if not self.allowed(person, keep):
                    continue
                host = next(
                    (
                        other
                        for other in groups
                        if other is not group and all(self.allowed(moved, m) for m in other)
                    ),
                    None,
                )
                if host is not None:
                    group[:] = [person, keep]
                    host.append(moved)
                    return True
        return False

    def _fit(self, person: str, group: list[str]) -> float:
        return sum(self.score(person, member) for member in group)

    def _shuffled_indexes(self, items: list) -> list[int]:
        indexes = list(range(len(items)))
        self.rng.shuffle(indexes)
        return indexes


class _FreePool:
    """The people not yet placed, with O(1) removal and random picks."""

    def __init__(self, ids: list[str], rng: random.Random):
        self.ids = list(ids)
        self.position = {person: index for index, person in enumerate(self.ids)}
        self.rng = rng

    def __contains__(self, person: str) -> bool:
        return person in self.position

    def remove(self, person: str) -> None:
        index = self.position.pop(person)
        last = self.ids.pop()
        if last != person:
            self.ids[index] = last
            self.position[last] = index

    def random_picks(self, count: int) -> list[str]:
        if len(self.ids) <= count:
            picks = list(self.ids)
            self.rng.shuffle(picks)
            return picks
        return [self.ids[self.rng.randrange(len(self.ids))] for _ in range(count)]

    def sample_from(self, ids: list[str], size: int) -> list[str]:
        """Up to `size` free people from `ids`, by random tries so long lists stay cheap."""
        if len(ids) <= size * 2:
            return [person for person in ids if person in self.position][:size]
        found: list[str] = []
        for _ in range(size * 4):
            person = ids[self.rng.randrange(len(ids))]
            if person in self.position and person not in found:
                found.append(person)
                if len(found) == size:
                    break
        return found

    def everyone(self) -> list[str]:
        return sorted(self.ids)


def _unique(people: Iterable[Person]) -> list[Person]:
    seen: dict[str, Person] = {}
    for person in people:
        seen.setdefault(person.id, person)
    return list(seen.values())


def _pairs_in(group: list[str]):
    return [(a, b) for index, a in enumerate(group) for b in group[index + 1 :]]


def recent_pairs_from(rounds: list[list[list[str]]], window: int) -> set[frozenset[str]]:
    """Pairs grouped in the last `window` rounds (rounds oldest first, as groups of ids)."""
    pairs = set()
    for groups in rounds[-window:] if window > 0 else []:
        for group in groups:
            pairs.update(frozenset(pair) for pair in _pairs_in(group))
    return pairs

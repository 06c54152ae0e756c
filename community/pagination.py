"""Long lists shown a page at a time, with links to the previous and next pages."""

from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import request
from sqlmodel import Session

T = TypeVar("T")
LAST_PAGE = 1_000_000


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list, numbered from 1, and whether another page follows."""

    rows: list[T]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def paginate(session: Session, statement, *, number: int, size: int) -> Page:
    """Reads one more row than the page holds to know whether a next page exists."""
    number = max(number, 1)
    rows = list(session.exec(statement.offset((number - 1) * size).limit(size + 1)))
    return Page(rows=rows[:size], number=number, has_next=len(rows) > size)


def requested_page() -> int:
    """The `page` query argument of this request; 1 when absent or not a positive number, and
    at most LAST_PAGE, so that the rows it skips stay a number both databases take."""
    return min(max(request.args.get("page", 1, type=int), 1), LAST_PAGE)

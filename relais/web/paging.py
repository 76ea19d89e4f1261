"""What the DSFR pagination and the "active filters" tags of a search page need, shared by every list page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ActiveFilter:
    title: str
    label: str
    remove_query: str


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None for an ellipsis
    query: str
    current: bool


def page_links(*, page: int, num_pages: int, query: Callable[[int], str]) -> list[PageLink]:
    """Page numbers around the current page, with the first and the last and ellipses between, as DSFR pagination
    shows them; `query(number)` gives each link's query string (it keeps the page's filters)."""
    wanted = {1, num_pages, *range(page - 2, page + 3)}
    links: list[PageLink] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= num_pages):
        if number > previous + 1:
            links.append(PageLink(number=None, query="", current=False))
        links.append(PageLink(number=number, query=query(number), current=number == page))
        previous = number
    return links

"""The requests every benchmark makes: the same query strings for timing and for counting SQL.

Plain data with no Django import, so the load generator (a separate process) can use it.
The mix is what visitors do on the directory: land on it, search a word, search within a
country, pick a network and a kind, page on, re-sort.
"""

from __future__ import annotations

DIRECTORY_PATH = "/organisations/"
API_PATH = "/api/v1/organisations"

DIRECTORY_QUERIES = [
    "",
    "q=science",
    "q=museum&country=FR",
    "network=ecsite&kind=science-centre",
    "page=5",
    "sort=-founded",
]

# The API paginates by limit/offset (50 a page): offset=200 is its fifth page.
API_QUERIES = [
    "",
    "q=science",
    "q=museum&country=FR",
    "network=ecsite&kind=science-centre",
    "offset=200",
    "sort=-founded",
]

ENDPOINTS = {
    "directory": (DIRECTORY_PATH, DIRECTORY_QUERIES),
    "api": (API_PATH, API_QUERIES),
}


def url(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path

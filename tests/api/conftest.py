"""Helpers for the JSON API tests: tokens for the personas, and the base URL."""

from __future__ import annotations

import pytest

from constellation.accounts.services import create_api_token

API = "/api/v1"


def bearer(user) -> dict[str, str]:
    """Headers carrying a fresh personal API token of `user`."""
    _token, raw = create_api_token(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def auth():
    """auth(user) -> request headers with that user's API token."""
    return bearer

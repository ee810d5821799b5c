"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis).

Each operation gets generated requests, valid and invalid; the test fails on any 5xx, on
an undocumented status code or content type, and on a body that does not match the schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from constellation.accounts.services import create_api_token
from constellation.networks.schemas import SLUG_PATTERN
from constellation.wsgi import application
from tests import factories

# Fetching the schema needs no database: the anonymous request touches no table.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# Slugs and ids of rows the fixture makes, so that generated requests reach real objects
# as well as missing ones (the same valid/invalid class either way: a valid value is only
# ever swapped for another valid one).
KNOWN = {"slug": ["atomium", "other"], "network_slug": ["neta"], "person_id": []}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    swaps = {}
    for name, value in (path_parameters or {}).items():
        known = KNOWN.get(name)
        if known and _is_valid(name, value):
            swaps[name] = st.sampled_from([value, *known])
    if not swaps:
        return st.just(path_parameters)
    return st.fixed_dictionaries({**{k: st.just(v) for k, v in path_parameters.items()}, **swaps})


def _is_valid(name: str, value) -> bool:
    import re

    if name == "person_id":
        return isinstance(value, int) and not isinstance(value, bool) and 1 <= value < 2**31
    return isinstance(value, str) and re.fullmatch(SLUG_PATTERN, value) is not None and len(value) <= 220


@pytest.fixture
def keep_test_transaction():
    """Let WSGI requests run inside the test's transaction, as Django's test client does.

    A real WSGI request closes "old" connections when it starts and ends; inside a test
    transaction that would close the connection (PostgreSQL) and lose the test's data.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_headers(db, keep_test_transaction, atomium, member_bob, admin_alice, network_b):
    """A small directory and a superuser's token, so writes and people are exercised too."""
    other = factories.OrganisationFactory(name="Other Centre", slug="other", kinds=["aquarium"])
    factories.MembershipFactory(organisation=other, network=network_b, status="applied")
    factories.MembershipCategoryFactory(network=atomium.memberships.get().network, slug="full")
    KNOWN["person_id"] = [admin_alice.person.pk, member_bob.person.pk]
    root = factories.UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    _token, raw = create_api_token(user=root, name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case, api_headers):
    # A schema-valid slug may name no kind or topic: that is a 422 with field errors by
    # design, which this check would count as "valid data rejected".
    case.call_and_validate(headers=api_headers, excluded_checks=[positive_data_acceptance])

"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis).

For each operation schemathesis sends generated requests, valid and invalid, and the test
fails on any 5xx, on an undocumented status code or content type, on a body that does not
match the schema, on invalid input that is accepted and on auth that is not enforced.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from constellation.accounts.models import ApiToken, hash_token
from constellation.networks.schemas import SLUG_PATTERN
from constellation.wsgi import application
from tests import factories

# Fetching the schema at collection needs no database: the request touches no table.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# Schemathesis builds some cases while collecting, before there is a database, so the
# superuser's token has a value known in advance; the fixture stores its hash.
SUPERUSER_TOKEN = "cst_schemathesis-superuser"
# Slugs and ids of real rows, filled by the `directory` fixture.
KNOWN: dict[str, list] = {}


@schema.auth()
class SuperuserToken:
    """Every request carries the superuser's token, except those testing a missing one."""

    def get(self, case, context):
        return SUPERUSER_TOKEN

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Sometimes swap a generated slug or id for a real one, so requests reach real rows.

    Only a valid value is swapped, and for another valid one: a negative case stays negative.
    """
    swaps = {
        name: st.sampled_from([value, *KNOWN[name]])
        for name, value in (path_parameters or {}).items()
        if name in KNOWN and _is_valid(name, value)
    }
    if not swaps:
        return st.just(path_parameters)
    return st.fixed_dictionaries({**{name: st.just(value) for name, value in path_parameters.items()}, **swaps})


def _is_valid(name: str, value) -> bool:
    if name == "person_id":
        return type(value) is int and 1 <= value < 2**31
    return isinstance(value, str) and len(value) <= 220 and re.fullmatch(SLUG_PATTERN, value) is not None


@pytest.fixture
def keep_test_transaction():
    """Run WSGI requests inside the test's transaction, as Django's test client does.

    A real WSGI request closes "old" connections when it starts and ends; inside a test
    transaction that would close the connection (on PostgreSQL) and lose the test's data.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def directory(db, keep_test_transaction, atomium, member_bob, admin_alice, network_a, network_b):
    """A small directory and a superuser's token, so that people and writes are exercised too."""
    other = factories.OrganisationFactory(name="Other Centre", slug="other", kinds=["aquarium"])
    factories.MembershipFactory(organisation=other, network=network_b, status="applied")
    factories.MembershipCategoryFactory(network=network_a, slug="full")
    root = factories.UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    ApiToken.objects.create(user=root, name="schemathesis", key_hash=hash_token(SUPERUSER_TOKEN), hint="cst_sche")
    KNOWN.update(
        slug=["atomium", "other"], network_slug=["neta", "netb"],
        person_id=[admin_alice.person.pk, member_bob.person.pk],
    )
    yield
    KNOWN.clear()


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case, directory):
    # A slug that matches the schema may still name no kind, topic or category: that is a
    # 422 with field errors by design, which this check would count as valid data refused.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])

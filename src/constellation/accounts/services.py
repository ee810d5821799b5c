"""Account services: two-factor policy, API tokens, data export and erasure."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from constellation.accounts.models import ApiToken, User, hash_token


def is_network_staff(user) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_network_staff", None)
    if cached is None:
        cached = user.is_superuser or user.network_staff.exists()
        user._is_network_staff = cached
    return cached


def needs_two_factor_setup(user) -> bool:
    """Network staff (and superusers) must have TOTP before using the site."""
    if not is_network_staff(user):
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its raw value, which is never stored."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, key_hash=hash_token(raw), hint=raw[:8])
    return token, raw


def revoke_api_token(*, user: User, token_id: int) -> bool:
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


def touch_api_token(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Delete the user and erase their personal data.

    Side effects: the linked Person is anonymised (kept, so that an organisation's
    records of past staff and the audit history stay consistent, but with no name,
    email or text that identifies them); their historical records are anonymised too;
    tokens, sessions and MFA authenticators go with the user.
    """
    from constellation.events.privacy import erase_event_data
    from constellation.networks.services import ERASED_NAME, erase_person

    person = getattr(user, "person", None)
    erase_event_data(user=user, person=person, erased_name=ERASED_NAME)
    if person is not None:
        erase_person(person=person)
    user.delete()

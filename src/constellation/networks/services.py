"""Everything that changes networks, organisations, people and memberships.

Views, the API, imports and management commands all call these functions. Each runs in
one transaction; the audit history (django-simple-history) records who changed what,
taking the user from the request or from the `actor` argument.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from constellation.networks import geocoding
from constellation.networks.models import (
    OPEN_STATUSES,
    Affiliation,
    CoordinatesSource,
    Invitation,
    Membership,
    MembershipStatus,
    Network,
    Organisation,
    Person,
    Visibility,
)


class DomainError(Exception):
    """A rule of the domain was broken; the message is ready to show to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def unique_slug(model, text: str, *, exclude_pk: int | None = None, max_length: int = 200) -> str:
    base = slugify(text, allow_unicode=False)[:max_length].strip("-") or "organisation"
    slug, n = base, 2
    qs = model.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _mark_actor(instance, actor) -> None:
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor


def fill_coordinates(organisation: Organisation) -> bool:
    """Fill missing coordinates from the city and country; never overwrite staff's choice."""
    if organisation.has_coordinates:
        return False
    point = geocoding.locate(organisation.city, str(organisation.country))
    if point is None:
        return False
    organisation.latitude, organisation.longitude = point
    organisation.coordinates_source = CoordinatesSource.GEOCODED
    return True


ORGANISATION_FIELDS = {
    "name", "native_name", "address", "city", "region", "country", "latitude", "longitude", "website",
    "descriptions", "year_founded", "visitors_band", "languages",
}
ORGANISATION_M2M = {"kinds", "topics", "accessibility"}


@transaction.atomic
def save_organisation(
    *, organisation: Organisation | None = None, data: dict[str, Any], actor=None, geocode: bool = True
) -> Organisation:
    """Create or update an organisation from cleaned data.

    Side effects: a slug is made on creation; coordinates given explicitly are marked as
    set by hand (so re-geocoding never replaces them), missing ones are filled offline
    from the city; many-to-many fields are replaced when present; one history entry.
    """
    organisation = organisation or Organisation()
    # Compare with the stored row: a ModelForm has already copied the new values onto the
    # instance by the time it reaches us.
    coordinates_before = (
        Organisation.objects.filter(pk=organisation.pk).values_list("latitude", "longitude").first()
        if organisation.pk
        else None
    ) or (None, None)
    for field, value in data.items():
        if field in ORGANISATION_FIELDS:
            setattr(organisation, field, value)
    if "latitude" in data or "longitude" in data:
        if organisation.has_coordinates and (organisation.latitude, organisation.longitude) != coordinates_before:
            organisation.coordinates_source = data.get("coordinates_source", CoordinatesSource.MANUAL)
        elif not organisation.has_coordinates:
            organisation.latitude = organisation.longitude = None
            organisation.coordinates_source = CoordinatesSource.NONE
    if geocode:
        fill_coordinates(organisation)
    if not organisation.slug:
        organisation.slug = unique_slug(Organisation, organisation.name)
    _mark_actor(organisation, actor)
    organisation.save()
    for field in ORGANISATION_M2M & data.keys():
        getattr(organisation, field).set(data[field])
    return organisation


@transaction.atomic
def save_person(*, person: Person | None = None, data: dict[str, Any], actor=None) -> Person:
    person = person or Person()
    for field, value in data.items():
        setattr(person, field, value)
    _mark_actor(person, actor)
    person.save()
    return person


@transaction.atomic
def add_affiliation(
    *, person: Person, organisation: Organisation, role: str = "", is_admin: bool = False, actor=None,
    start_date=None,
) -> Affiliation:
    """Link a person to an organisation, or update the existing link (never two links)."""
    affiliation, created = Affiliation.objects.select_for_update().get_or_create(
        person=person, organisation=organisation,
        defaults={"role": role, "is_admin": is_admin, "start_date": start_date or timezone.localdate()},
    )
    if not created:
        affiliation.role = role or affiliation.role
        affiliation.is_admin = is_admin or affiliation.is_admin
        affiliation.end_date = None
        _mark_actor(affiliation, actor)
        affiliation.save()
    return affiliation


@transaction.atomic
def update_affiliation(*, affiliation: Affiliation, role: str, is_admin: bool, actor=None) -> Affiliation:
    """Change a colleague's role; an organisation must keep at least one admin."""
    # Re-read under lock: the stored row decides, not an instance a form may have changed.
    affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
    if affiliation.is_admin and not is_admin:
        _ensure_other_admin(affiliation)
    affiliation.role = role
    affiliation.is_admin = is_admin
    _mark_actor(affiliation, actor)
    affiliation.save()
    return affiliation


@transaction.atomic
def end_affiliation(*, affiliation: Affiliation, actor=None) -> None:
    """Someone left: the link is ended (kept for the records), and loses admin rights."""
    affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
    if affiliation.is_admin:
        _ensure_other_admin(affiliation)
    affiliation.end_date = timezone.localdate()
    affiliation.is_admin = False
    _mark_actor(affiliation, actor)
    affiliation.save()


def _ensure_other_admin(affiliation: Affiliation) -> None:
    others = (
        Affiliation.objects.current()
        .select_for_update()
        .filter(organisation_id=affiliation.organisation_id, is_admin=True)
        .exclude(pk=affiliation.pk)
    )
    if not others.exists():
        raise DomainError(_("An organisation needs at least one admin. Make someone else admin first."))


@transaction.atomic
def set_membership(
    *, organisation: Organisation, network: Network, status: str, category=None, start_date=None,
    end_date=None, actor=None,
) -> Membership:
    """Create or change the organisation's open membership of a network.

    Invariant (also a database constraint): at most one applied/active/suspended
    membership per organisation and network. Lapsed and ended memberships stay as history.
    """
    if category is not None and category.network_id != network.pk:
        raise DomainError(_("That category belongs to another network."))
    membership = (
        Membership.objects.select_for_update()
        .filter(organisation=organisation, network=network, status__in=OPEN_STATUSES)
        .first()
    ) or Membership(organisation=organisation, network=network)
    membership.status = status
    if category is not None:
        membership.category = category
    membership.start_date = start_date or membership.start_date
    membership.end_date = end_date or membership.end_date
    return _save_membership(membership, actor)


@transaction.atomic
def change_membership_status(*, membership: Membership, status: str, actor=None) -> Membership:
    """Move a membership to another status (staff's bulk actions and the API use this)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    membership.status = status
    return _save_membership(membership, actor)


def _save_membership(membership: Membership, actor) -> Membership:
    today = timezone.localdate()
    if membership.status == MembershipStatus.ACTIVE:
        membership.start_date = membership.start_date or today
        membership.end_date = None if membership.end_date and membership.end_date < today else membership.end_date
    elif membership.status in (MembershipStatus.ENDED, MembershipStatus.LAPSED):
        membership.end_date = membership.end_date or today
    _mark_actor(membership, actor)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise DomainError(_("This organisation already has an open membership of that network.")) from exc
    return membership


INVITATION_DAYS = 14


@transaction.atomic
def invite_colleague(
    *, organisation: Organisation, email: str, role: str = "", is_admin: bool = False, invited_by
) -> Invitation:
    """Invite someone to the staff list by email.

    Side effects: one pending invitation per address and organisation (a second invite
    renews it instead of duplicating); the email is sent after the commit, in the
    inviter's language.
    """
    email = email.strip().lower()
    if Affiliation.objects.current().filter(organisation=organisation, person__email__iexact=email).exists():
        raise DomainError(_("%(email)s is already on the staff list.") % {"email": email})
    invitation = (
        Invitation.objects.select_for_update()
        .filter(organisation=organisation, email=email, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        invitation = Invitation(organisation=organisation, email=email, token=secrets.token_urlsafe(32))
    values = {
        "role": role, "is_admin": is_admin, "invited_by": invited_by,
        "expires_at": timezone.now() + timedelta(days=INVITATION_DAYS),
    }
    for field, value in values.items():
        setattr(invitation, field, value)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        # Two invitations raced (a form sent twice): the other one won; renew it instead.
        invitation = Invitation.objects.select_for_update().get(
            organisation=organisation, email=email, accepted_at__isnull=True
        )
        for field, value in values.items():
            setattr(invitation, field, value)
        invitation.save()
    language = translation.get_language()
    transaction.on_commit(lambda: _send_invitation(invitation.pk, language))
    return invitation


def _send_invitation(invitation_id: int, language: str | None) -> None:
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(pk=invitation_id)
    url = settings.SITE_URL + reverse("networks:invitation-accept", args=[invitation.token])
    with translation.override(language):
        context = {"invitation": invitation, "url": url, "days": INVITATION_DAYS}
        subject = _("Join %(organisation)s on Constellation") % {"organisation": invitation.organisation.name}
        body = render_to_string("networks/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user) -> Affiliation:
    """The invited person (signed in with the invited address) joins the staff list.

    Side effects: creates their Person profile if they have none; accepting twice is
    harmless (the second time answers with the same affiliation).
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        affiliation = Affiliation.objects.filter(organisation=invitation.organisation, person__user=user).first()
        if affiliation:
            return affiliation
        raise DomainError(_("This invitation has already been used."))
    if invitation.expires_at <= timezone.now():
        raise DomainError(_("This invitation has expired. Ask for a new one."))
    if user.email.lower() != invitation.email.lower():
        raise DomainError(_("This invitation was sent to another email address. Sign in with that address."))
    person = ensure_person_for_user(user)
    affiliation = add_affiliation(
        person=person, organisation=invitation.organisation, role=invitation.role,
        is_admin=invitation.is_admin, actor=user,
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return affiliation


def ensure_person_for_user(user) -> Person:
    """The user's Person profile, linking an imported one with the same email if it exists."""
    person = Person.objects.filter(user=user).first()
    if person:
        return person
    person = Person.objects.filter(user__isnull=True, email__iexact=user.email, is_erased=False).first()
    if person is None:
        person = Person(name=user.display_name or user.email.split("@")[0], email=user.email)
    person.user = user
    person.save()
    return person


ERASED_NAME = "Deleted person"


@transaction.atomic
def erase_person(*, person: Person) -> None:
    """Remove everything that identifies a person, here and in the audit history.

    The row stays (affiliation dates are part of an organisation's records), anonymous
    and hidden from every directory.
    """
    blank = {
        "name": ERASED_NAME, "email": "", "title": "", "bio": "", "expertise": "", "languages": [],
    }
    for field, value in blank.items():
        setattr(person, field, value)
    for field in ("name", "email", "title", "bio", "expertise", "languages", "affiliations"):
        setattr(person, f"{field}_visibility", Visibility.PRIVATE)
    person.is_erased = True
    person.user = None
    person.skip_history_when_saving = True
    person.save()
    del person.skip_history_when_saving
    person.history.all().update(**blank)


@transaction.atomic
def finish_new_organisations(*, links: list[tuple[Organisation, dict[str, Any]]], actor=None) -> None:
    """History, kinds, topics and active memberships of organisations just created, in a few
    queries however many there are.

    For imports of thousands of rows, where a history insert, a `set()` and a
    `set_membership` per row are most of the time. The organisations were saved with
    `skip_history_when_saving` (their creation is recorded here) and must be new: nothing
    is replaced, and an open membership already there would make the database refuse the
    whole call. Each comes with {"kinds": [ids], "topics": [ids], "memberships": [(network,
    category or None)]}. Memberships get their history entries; no m2m_changed signal is sent.
    """
    from simple_history.utils import bulk_create_with_history

    user = actor if getattr(actor, "is_authenticated", False) else None
    Organisation.history.bulk_history_create([o for o, _data in links], default_user=user)
    kinds = Organisation.kinds.through
    topics = Organisation.topics.through
    kinds.objects.bulk_create(
        [kinds(organisation_id=o.pk, kind_id=pk) for o, data in links for pk in dict.fromkeys(data.get("kinds", ()))]
    )
    topics.objects.bulk_create(
        [topics(organisation_id=o.pk, topic_id=pk) for o, data in links for pk in dict.fromkeys(data.get("topics", ()))]
    )
    today = timezone.localdate()
    memberships = [
        Membership(organisation=o, network=network, category=category, status=MembershipStatus.ACTIVE, start_date=today)
        for o, data in links
        for network, category in data.get("memberships", ())
    ]
    bulk_create_with_history(memberships, Membership, default_user=user)

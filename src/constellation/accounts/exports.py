"""A person's data, as they can download it (right of access and portability)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def export_user_data(user) -> dict[str, Any]:
    from allauth.account.models import EmailAddress

    from constellation.events.privacy import export_event_data
    from constellation.networks.models import Affiliation, Invitation, Person

    person = Person.objects.filter(user=user).first()
    data: dict[str, Any] = {
        "exported_at": timezone.now(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_addresses": list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary")),
        },
        "api_tokens": list(user.api_tokens.values("name", "hint", "created_at", "last_used_at")),
        "invitations_sent": list(
            Invitation.objects.filter(invited_by=user).values("email", "organisation__name", "created_at", "accepted_at")
        ),
        "profile": None,
        "affiliations": [],
        "profile_history": [],
    }
    if person is not None:
        fields = [
            "name", "email", "title", "bio", "expertise", "languages", "name_visibility", "email_visibility",
            "title_visibility", "bio_visibility", "expertise_visibility", "languages_visibility",
            "affiliations_visibility", "created_at",
        ]
        data["profile"] = {field: getattr(person, field) for field in fields}
        data["affiliations"] = list(
            Affiliation.objects.filter(person=person).values(
                "organisation__name", "role", "is_admin", "start_date", "end_date"
            )
        )
        data["profile_history"] = list(
            person.history.values("history_date", "history_type", "name", "title", "email")
        )
    data["conferences"] = export_event_data(user, person)
    return data

"""The accounts router: the token's own account and profile."""

from __future__ import annotations

from ninja import Router, Schema

from constellation.accounts.auth import token_auth
from constellation.networks.schemas import ProfileOut, ProfilePatch, errors
from constellation.networks.services import ensure_person_for_user, save_person

router = Router(tags=["accounts"], auth=token_auth)


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    language: str


@router.get("/me", response={200: MeOut, **errors(401)}, url_name="me")
def me(request):
    """The account the token belongs to."""
    return request.auth


@router.get("/me/profile", response={200: ProfileOut, **errors(401)}, url_name="my_profile")
def my_profile(request):
    """Your profile in the people directory, and who may see each part of it.

    Like the profile page, this makes your profile the first time you ask for it (or links
    the one an import made with your email address).
    """
    return ensure_person_for_user(request.user)


@router.patch("/me/profile", response={200: ProfileOut, **errors(400, 401, 422)}, url_name="my_profile_update")
def update_my_profile(request, payload: ProfilePatch):
    """Change your profile or who may see it; only the fields sent change."""
    person = ensure_person_for_user(request.user)
    return save_person(person=person, data=payload.changes(), actor=request.user)

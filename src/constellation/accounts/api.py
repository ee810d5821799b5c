from __future__ import annotations

from ninja import Router, Schema

from constellation.accounts.auth import token_auth

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    language: str


@router.get("/me", response=MeOut, auth=token_auth, url_name="me")
def me(request):
    """The account the token belongs to."""
    return request.auth

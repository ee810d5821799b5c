"""Personal API tokens for django-ninja: `Authorization: Bearer cst_…`."""

from __future__ import annotations

from ninja.security import HttpBearer

from constellation.accounts.models import ApiToken
from constellation.accounts.services import touch_api_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        api_token = ApiToken.objects.find(token)
        if api_token is None:
            return None
        touch_api_token(api_token)
        request.user = api_token.user
        return api_token.user


token_auth = TokenAuth()

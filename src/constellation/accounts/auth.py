"""Personal API tokens for django-ninja: `Authorization: Bearer cst_…`."""

from __future__ import annotations

from ninja.security import HttpBearer

from constellation.accounts.models import ApiToken
from constellation.accounts.services import touch_api_token


class TokenAuth(HttpBearer):
    # Every `openapi_*` attribute lands in the OpenAPI security scheme.
    openapi_bearerFormat = "cst_…"
    openapi_description = "A personal API token, created on your profile page: `Authorization: Bearer cst_…`."

    def authenticate(self, request, token: str):
        api_token = ApiToken.objects.find(token)
        if api_token is None:
            return None
        touch_api_token(api_token)
        # The rules (request.user.has_perm) and the audit history read request.user.
        request.user = api_token.user
        return api_token.user


token_auth = TokenAuth()

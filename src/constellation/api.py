"""The JSON API: one NinjaAPI under /api/v1 mounting each app's router."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from constellation.accounts.api import router as accounts_router
from constellation.networks.api import router as networks_router

api = NinjaAPI(
    title="Constellation API",
    version="1.0.0",
    description=str(
        _(
            "Networks, organisations and people of a science-engagement network. Public reads need no "
            "token; people and every write need a personal API token (Authorization: Bearer cst_…), "
            "created on your profile page."
        )
    ),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(NinjaValidationError)
def validation_errors(request, exc: NinjaValidationError):
    """Field errors as a 422 with a list of {field, message}, never a 500."""
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", []) if part not in ("body", "payload", "query", "path")]
        errors.append({"field": ".".join(location), "message": error.get("msg", "")})
    return api.create_response(request, {"detail": "Invalid input", "errors": errors}, status=422)


api.add_router("/", networks_router)
api.add_router("/", accounts_router)

"""The JSON API: one NinjaAPI under /api/v1 mounting each app's router."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from constellation.accounts.api import router as accounts_router
from constellation.atlas.api import router as atlas_router
from constellation.events.api import router as events_router
from constellation.globalday.api import router as globalday_router
from constellation.insights.api import router as insights_router
from constellation.networks.api import router as networks_router
from constellation.networks.services import DomainError
from constellation.passport.api import router as passport_router

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


def _invalid(request, errors: list[dict[str, str]]):
    return api.create_response(request, {"detail": "Invalid input", "errors": errors}, status=422)


def _field(location) -> str:
    """('body', 'payload', 'kinds', 0) -> 'kinds.0'; ('query', 'filters', 'country', 0) -> 'country.0'."""
    source, *parts = location
    # A schema parameter (the `payload` body, a Query[Schema] named `filters`) adds its own
    # name, which means nothing to the client; ninja drops it only for a flat query field.
    if parts and (source == "body" or (len(parts) > 1 and isinstance(parts[1], str))):
        parts = parts[1:]
    return ".".join(str(part) for part in parts)


@api.exception_handler(NinjaValidationError)
def validation_errors(request, exc: NinjaValidationError):
    """Field errors as a 422 with a list of {field, message}, never a 500."""
    errors = [{"field": _field(error.get("loc", ())), "message": error.get("msg", "")} for error in exc.errors]
    return _invalid(request, errors)


@api.exception_handler(DjangoValidationError)
def django_validation_errors(request, exc: DjangoValidationError):
    """The same 422 for checks an endpoint makes itself with Django's ValidationError."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": "" if field == NON_FIELD_ERRORS else field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "", "message": message} for message in exc.messages]
    return _invalid(request, errors)


@api.exception_handler(DomainError)
def domain_errors(request, exc: DomainError):
    """A rule of the domain said no (e.g. a second open membership): 409 with its message."""
    return api.create_response(request, {"detail": str(exc.message)}, status=409)


api.add_router("/", networks_router)
api.add_router("/", accounts_router)
api.add_router("/insights", insights_router)
api.add_router("/passport", passport_router)
api.add_router("/science-day", globalday_router)
api.add_router("/atlas", atlas_router)
api.add_router("/events", events_router)

"""The API's contract: what each endpoint reads and answers, field by field.

Input schemas run the same checks as the web forms (networks.validators), and refuse
what the database cannot store, so bad input answers 422 with field errors, never 500.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext
from django_countries import countries
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, StringConstraints, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from constellation.networks import validators
from constellation.networks.models import MembershipStatus, Visibility, VisitorsBand


class NetworkOut(Schema):
    id: int
    slug: str
    acronym: str
    name: str
    region: str
    website: str
    description: str
    member_count: int = 0


class MembershipOut(Schema):
    network: str = Field(..., alias="network.acronym")
    status: str


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    native_name: str
    city: str
    region: str
    country: str
    country_name: str
    latitude: float | None
    longitude: float | None
    website: str
    description: str
    year_founded: int | None
    visitors_band: str
    kinds: list[str]
    networks: list[str]
    url: str

    @staticmethod
    def resolve_country(obj) -> str:
        return str(obj.country.code)

    @staticmethod
    def resolve_country_name(obj) -> str:
        return str(obj.country.name)

    @staticmethod
    def resolve_kinds(obj) -> list[str]:
        return [kind.slug for kind in obj.kinds.all()]

    @staticmethod
    def resolve_networks(obj) -> list[str]:
        memberships = getattr(obj, "active_memberships", None)
        if memberships is None:
            memberships = [m for m in obj.memberships.all() if m.status == "active"]
        return [m.network.acronym for m in memberships]

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class OrganisationDetailOut(OrganisationOut):
    address: str
    descriptions: dict[str, str]
    topics: list[str]
    languages: list[str]
    accessibility: list[str]
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_topics(obj) -> list[str]:
        return [topic.slug for topic in obj.topics.all()]

    @staticmethod
    def resolve_accessibility(obj) -> list[str]:
        return [feature.slug for feature in obj.accessibility.all()]

    @staticmethod
    def resolve_memberships(obj):
        return list(obj.memberships.all())


class PointOut(Schema):
    name: str
    url: str
    city: str
    country_name: str
    latitude: float
    longitude: float


class PointList(Schema):
    items: list[PointOut]
    count: int


class OrganisationList(Schema):
    items: list[OrganisationOut]
    count: int


class NetworkList(Schema):
    items: list[NetworkOut]
    count: int



# --- Errors: the shapes every endpoint documents for its 4xx answers ------------------


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str = Field(..., description="The input field, dotted when nested; empty for the input as a whole")
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


def errors(*codes: int) -> dict[int, type[Schema]]:
    """The documented error answers of an endpoint, e.g. `errors(401, 404, 422)`."""
    return {code: ValidationErrorOut if code == 422 else ErrorOut for code in codes}


# --- Input types ------------------------------------------------------------------------


def _from_django(validator) -> AfterValidator:
    """Run a Django validator inside pydantic, keeping the message the forms show."""

    def check(value):
        try:
            result = validator(value)
        except DjangoValidationError as error:
            raise PydanticCustomError("invalid", " ".join(error.messages)) from error
        return value if result is None else result

    return AfterValidator(check)


def _storable(value: str) -> str:
    # PostgreSQL refuses NUL characters, and no database takes a lone surrogate (JSON
    # allows "\ud800"): refuse both here rather than answer a 500 at save time.
    if "\x00" in value:
        raise PydanticCustomError("null_character", gettext("Null characters are not allowed."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise PydanticCustomError("encoding", gettext("The text is not valid Unicode.")) from error
    return value


def _not_blank(value: str) -> str:
    if not value:
        raise PydanticCustomError("blank", gettext("This field is required."))
    return value


def _text(max_length: int, *, required: bool = False):
    """Text as the forms take it: stripped, after checking the length the schema promises."""
    return Annotated[
        str,
        StringConstraints(min_length=1 if required else 0, max_length=max_length),
        AfterValidator(_storable),
        AfterValidator(str.strip),
        *([AfterValidator(_not_blank)] if required else []),
    ]


def _country(value: str) -> str:
    code = value.upper()
    if code not in countries:
        raise PydanticCustomError(
            "country", gettext("“%(code)s” is not a country code such as FR or BE.") % {"code": value}
        )
    return code


def _descriptions(texts: dict[str, str]) -> dict[str, str]:
    codes = {code for code, _name in settings.CONTENT_LANGUAGES}
    unknown = sorted(set(texts) - codes)
    if unknown:
        raise PydanticCustomError(
            "language",
            gettext("Descriptions can be written in %(codes)s, not in %(unknown)s.")
            % {"codes": ", ".join(sorted(codes)), "unknown": ", ".join(unknown)},
        )
    return {code: text for code, text in texts.items() if text}


def _year_range(schema: dict) -> None:
    schema.update(minimum=1000, maximum=timezone.now().year)


def _validate_url(value: str) -> None:
    if value:
        URLValidator()(value)


SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=220)]
SlugList = Annotated[list[Slug], Field(max_length=50)]
SearchText = Annotated[str, StringConstraints(max_length=200), AfterValidator(_storable)]
Name = _text(200, required=True)
ShortText = _text(120)
Text = _text(200)
LongText = _text(300)
Prose = _text(5000)
Country = Annotated[
    str, AfterValidator(_country),
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{2}$", "description": "ISO 3166-1 alpha-2 code"}),
]
Latitude = Annotated[
    float, _from_django(validators.validate_latitude), Field(json_schema_extra={"minimum": -90, "maximum": 90})
]
Longitude = Annotated[
    float, _from_django(validators.validate_longitude), Field(json_schema_extra={"minimum": -180, "maximum": 180})
]
Year = Annotated[int, _from_django(validators.validate_year_founded), Field(json_schema_extra=_year_range)]
Website = Annotated[Text, _from_django(_validate_url), Field(description="A full URL, https://…")]
Languages = Annotated[
    list[Annotated[str, StringConstraints(max_length=10)]],
    Field(max_length=50, description="ISO 639-1 codes such as en, fr, ar"),
    _from_django(validators.parse_language_codes),
]
Descriptions = Annotated[
    dict[Annotated[str, StringConstraints(max_length=10)], Prose],
    AfterValidator(_descriptions),
    Field(description='The description in each language it is written in: {"en": "…", "fr": "…"}'),
]

# A Literal rather than `VisitorsBand | Literal[""]`, whose errors would name both branches.
VisitorsBandChoice = Literal["", *VisitorsBand.values]


def omitted(**kwargs):
    """An optional field without a default in the contract: leaving it out changes nothing."""
    return Field(None, json_schema_extra=lambda schema: schema.pop("default", None), **kwargs)


class OrganisationPatch(Schema):
    """Only the fields sent change; the kinds, topics and accessibility lists sent replace the current ones."""

    model_config = ConfigDict(extra="forbid")

    name: Name = omitted()
    native_name: Text = omitted()
    address: LongText = omitted()
    city: ShortText = omitted()
    region: ShortText = omitted()
    country: Country = omitted()
    latitude: Latitude | None = omitted()
    longitude: Longitude | None = omitted()
    website: Website = omitted()
    descriptions: Descriptions = omitted()
    year_founded: Year | None = omitted()
    visitors_band: VisitorsBandChoice = omitted()
    languages: Languages = omitted()
    kinds: SlugList = omitted(description="Kind slugs, from the directory's filters")
    topics: SlugList = omitted(description="Topic slugs, from the directory's filters")
    accessibility: SlugList = omitted(description="Accessibility feature slugs")

    @model_validator(mode="after")
    def _both_coordinates_or_neither(self):
        sent = self.model_fields_set
        if ("latitude" in sent) != ("longitude" in sent) or (self.latitude is None) != (self.longitude is None):
            raise PydanticCustomError("coordinates", gettext("Give both latitude and longitude, or neither."))
        return self

    def changes(self) -> dict:
        return self.model_dump(exclude_unset=True)


class OrganisationIn(OrganisationPatch):
    """A new organisation: a name and a country are required, the rest is optional."""

    name: Name
    country: Country


class MembershipIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: MembershipStatus
    category: Slug | None = Field(None, description="A category slug of that network; null keeps the current one")


class MembershipDetailOut(Schema):
    organisation: str = Field(..., alias="organisation.slug")
    network: str = Field(..., alias="network.slug")
    status: MembershipStatus
    category: str | None
    start_date: date | None
    end_date: date | None

    @staticmethod
    def resolve_category(obj) -> str | None:
        return obj.category.slug if obj.category_id else None


# --- People -----------------------------------------------------------------------------


class PersonAffiliationOut(Schema):
    organisation: str = Field(..., alias="organisation.slug")
    organisation_name: str = Field(..., alias="organisation.name")
    role: str


class PersonOut(Schema):
    """A person as members see them: a field is null unless its owner shows it to members."""

    id: int
    name: str
    url: str
    email: str | None
    title: str | None
    bio: str | None
    expertise: str | None
    languages: list[str] | None
    affiliations: list[PersonAffiliationOut] | None = Field(..., description="Where they work now")

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_email(obj) -> str | None:
        return obj.visible_value("email", "members")

    @staticmethod
    def resolve_title(obj) -> str | None:
        return obj.visible_value("title", "members")

    @staticmethod
    def resolve_bio(obj) -> str | None:
        return obj.visible_value("bio", "members")

    @staticmethod
    def resolve_expertise(obj) -> str | None:
        return obj.visible_value("expertise", "members")

    @staticmethod
    def resolve_languages(obj) -> list[str] | None:
        return obj.visible_value("languages", "members")

    @staticmethod
    def resolve_affiliations(obj):
        # visible_value would hand back the related manager; the current ones are prefetched.
        if obj.visible_value("affiliations", "members") is None:
            return None
        return obj.current_affiliations


class PersonList(Schema):
    items: list[PersonOut]
    count: int


class ProfileOut(Schema):
    """Your own profile: every field, and who may see each."""

    id: int
    name: str
    email: str
    title: str
    bio: str
    expertise: str
    languages: list[str]
    name_visibility: Visibility
    email_visibility: Visibility
    title_visibility: Visibility
    bio_visibility: Visibility
    expertise_visibility: Visibility
    languages_visibility: Visibility
    affiliations_visibility: Visibility
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class ProfilePatch(Schema):
    """Only the fields sent change. Your email is your account's and changes there."""

    model_config = ConfigDict(extra="forbid")

    name: Name = omitted()
    title: Text = omitted()
    bio: Prose = omitted()
    expertise: LongText = omitted()
    languages: Languages = omitted()
    name_visibility: Visibility = omitted()
    email_visibility: Visibility = omitted()
    title_visibility: Visibility = omitted()
    bio_visibility: Visibility = omitted()
    expertise_visibility: Visibility = omitted()
    languages_visibility: Visibility = omitted()
    affiliations_visibility: Visibility = omitted()

    def changes(self) -> dict:
        return self.model_dump(exclude_unset=True)

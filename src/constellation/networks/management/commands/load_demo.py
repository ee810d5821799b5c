"""Load the demo: real networks and institutions, fictional people, one login per role.

    uv run constellation load_demo            # everything in networks/demo/
    uv run constellation load_demo --limit 40 # the first 40 institutions only

Networks and institutions are public facts, read from `networks/demo/networks.json` and
`networks/demo/institutions.csv`. The people are invented. Running the command again adds
only what is missing: an institution already present (same name and country) is left as it
is, with its memberships and people, and logins keep their passwords.
"""

from __future__ import annotations

import csv
import json
import time
import zlib
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify
from django_countries import countries

from constellation.accounts.models import User
from constellation.networks import services
from constellation.networks.admin import ensure_network_staff_group
from constellation.networks.models import (
    Affiliation,
    Kind,
    Membership,
    MembershipCategory,
    MembershipStatus,
    Network,
    NetworkStaff,
    Organisation,
    Person,
    Topic,
    Visibility,
    VisitorsBand,
    normalise,
)
from constellation.networks.validators import parse_language_codes

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_PASSWORD = "demo-password-2026"
# The base32 example secret from the Google Authenticator documentation: public on purpose,
# so anyone trying the demo can add it to an authenticator app. Never use it elsewhere.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"
TOTP_CODE_COMMAND = (
    'uv run constellation shell --no-imports -c "import time; from allauth.mfa.totp.internal.auth import '
    f"format_hotp_value, hotp_value; print(format_hotp_value(hotp_value('{DEMO_TOTP_SECRET}', "
    'int(time.time()) // 30)))"'
)

# Descriptions in these languages are kept as written; other languages have no place yet.
NATIVE_DESCRIPTION_LANGUAGES = ("fr", "es", "pt", "ar")
PEOPLE_FOR_FIRST = 120  # organisations that get fictional staff

FIRST_NAMES = [
    "Amina", "Bruno", "Chen", "Dalia", "Emeka", "Fatima", "Gabriel", "Hana", "Ignacio", "Ingrid",
    "Jomo", "Kavya", "Lucía", "Mateus", "Nadia", "Olu", "Priya", "Quentin", "Rania", "Sipho",
    "Tomás", "Uma", "Valentina", "Wei", "Yasmin", "Zanele",
]
# Invented surnames, star-themed, so nobody mistakes a demo person for a real one.
LAST_NAMES = [
    "Andromedes", "Brightstar", "Cometfield", "Dustmoon", "Eclipsa", "Fernlight", "Galaxton",
    "Halleyford", "Ionwood", "Jovianne", "Keplerton", "Lumenberg", "Meteorova", "Nebulosa",
    "Orionsen", "Pulsarini", "Quasarez", "Rigelmann", "Siriusdottir", "Tauronen", "Umbrielle",
    "Vegalind", "Wavelength", "Xenonides", "Ypsilonte", "Zenithal",
]
ADMIN_ROLES = ["Director", "Executive director", "Chief executive"]
STAFF_ROLES = [
    "Head of exhibitions", "Science communicator", "Education manager", "Head of partnerships",
    "Evaluation lead", "Outreach coordinator", "Planetarium presenter", "Makerspace lead",
    "Digital producer", "Volunteer coordinator",
]
EXPERTISE = [
    "exhibitions, evaluation", "school programmes, teacher training", "planetarium shows, astronomy",
    "citizen science, biodiversity", "climate communication, public dialogue", "fundraising, partnerships",
    "accessibility, inclusion", "makerspaces, engineering", "digital media, podcasts", "science festivals",
]
VISIBILITY_CYCLE = [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.MEMBERS, Visibility.PRIVATE]
FICTIONAL_BIO = "Fictional demo person, invented for the Constellation demo; not a real member of staff."


def stable_number(*parts: str) -> int:
    """The same number for the same text on every run and machine (unlike hash())."""
    return zlib.crc32("|".join(parts).encode())


def split_list(raw: str | None) -> list[str]:
    return [item.strip() for item in (raw or "").split("|") if item.strip()]


@dataclass
class Report:
    organisations_created: int = 0
    memberships_created: int = 0
    people_created: int = 0
    warnings: dict[str, int] = field(default_factory=dict)

    def warn(self, message: str) -> None:
        self.warnings[message] = self.warnings.get(message, 0) + 1


@dataclass
class Login:
    role: str
    email: str
    totp: bool = False


class Command(BaseCommand):
    help = "Load the demo network: real networks and institutions, fictional people, demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Load only the first N institutions.")
        parser.add_argument(
            "--institutions", type=Path, default=DEMO_DIR / "institutions.csv",
            help="Read institutions from this CSV instead of the bundled one.",
        )
        parser.add_argument(
            "--allow-production", action="store_true",
            help="Run even with CONSTELLATION_PRODUCTION=true (the demo logins share a public password).",
        )

    def handle(
        self, *args, limit: int | None = None, institutions: Path = DEMO_DIR / "institutions.csv",
        allow_production: bool = False, **options,
    ):
        if settings.PRODUCTION and not allow_production:
            raise CommandError("The demo creates logins with a public password; refusing in production.")
        started = time.monotonic()
        report = Report()
        # One transaction: a failed load leaves nothing half-done, and SQLite writes fast.
        with transaction.atomic():
            ensure_network_staff_group()
            networks = self.load_networks()
            organisations = self.load_organisations(institutions, networks, limit, report)
            self.load_people(organisations[:PEOPLE_FOR_FIRST], report)
            logins = self.load_logins(networks, report)
        self.print_summary(report, logins, time.monotonic() - started)

    # -- Networks --------------------------------------------------------------------------

    def load_networks(self) -> dict[str, Network]:
        """Networks by lower-case acronym and by slug; their categories in file order."""
        by_key: dict[str, Network] = {}
        self.categories: dict[int, list[MembershipCategory]] = {}
        for entry in json.loads((DEMO_DIR / "networks.json").read_text(encoding="utf-8")):
            fields = {key: entry[key] for key in ("name", "acronym", "region", "website", "descriptions")}
            network, _created = Network.objects.get_or_create(slug=entry["slug"], defaults=fields)
            self.categories[network.pk] = [
                MembershipCategory.objects.get_or_create(
                    network=network, slug=category["slug"], defaults={"name": category["name"]}
                )[0]
                for category in entry["categories"]
            ]
            by_key[network.acronym.lower()] = by_key[network.slug] = network
        return by_key

    # -- Institutions ----------------------------------------------------------------------

    def load_organisations(
        self, path: Path, networks: dict[str, Network], limit: int | None, report: Report
    ) -> list[Organisation]:
        """Every institution in the file, in file order; only missing ones are created."""
        with open(path, encoding="utf-8-sig", newline="") as file:
            rows = list(csv.DictReader(file))
        if limit is not None:
            rows = rows[:limit]
        existing = {(o.name, o.country.code): o for o in Organisation.objects.all()}
        kinds = self._vocabulary(Kind)
        topics = self._vocabulary(Topic)
        organisations = []
        for number, row in enumerate(rows, start=2):
            name, country = (row.get("name") or "").strip(), (row.get("country") or "").strip().upper()
            if not name or not countries.alpha2(country):
                report.warn(f"line {number}: no name or an unknown country {country!r}; skipped")
                continue
            organisation = existing.get((name, country))
            if organisation is None:
                organisation = self._create_organisation(row, name, country, kinds, topics, report)
                self._create_memberships(organisation, row, networks, report)
                existing[(name, country)] = organisation
                report.organisations_created += 1
            organisations.append(organisation)
        return organisations

    @staticmethod
    def _vocabulary(model) -> dict[str, object]:
        """A seeded vocabulary by slug and by plain name, so the file may use either."""
        items = {}
        for item in model.objects.all():
            items[item.slug] = items[normalise(item.name)] = item
        return items

    def _create_organisation(self, row, name, country, kinds, topics, report: Report) -> Organisation:
        languages = []
        for code in split_list(row.get("languages")):
            try:
                languages += parse_language_codes(code)
            except ValidationError:
                report.warn(f"unknown language {code!r} skipped")
        descriptions = {"en": (row.get("description_en") or "").strip()}
        native = (row.get("description_native") or "").strip()
        native_language = next((code for code in languages if code in NATIVE_DESCRIPTION_LANGUAGES), None)
        if native and native_language:
            descriptions[native_language] = native
        data = {
            "name": name,
            "native_name": (row.get("native_name") or "").strip(),
            "city": (row.get("city") or "").strip(),
            "region": (row.get("region") or "").strip(),
            "country": country,
            "website": self._website(row.get("website"), report),
            "descriptions": {code: text for code, text in descriptions.items() if text},
            "year_founded": self._year(row.get("founded"), report),
            "visitors_band": self._visitors_band(row.get("visitors_band"), report),
            "languages": languages,
            "kinds": self._pick(kinds, row.get("kinds"), "kind", report),
            "topics": self._pick(topics, row.get("topics"), "topic", report),
        }
        coordinates = self._coordinates(row, report)
        if coordinates:
            data["latitude"], data["longitude"] = coordinates
            data["coordinates_source"] = "supplied"
        organisation = services.save_organisation(data=data)
        if not organisation.has_coordinates:
            report.warn(f"{name}: no coordinates, and {data['city']!r} is not in the gazetteer; not on the map")
        return organisation

    @staticmethod
    def _pick(vocabulary, raw, label: str, report: Report) -> list:
        picked = []
        for value in split_list(raw):
            item = vocabulary.get(value.lower()) or vocabulary.get(normalise(value))
            if item is None:
                report.warn(f"unknown {label} {value!r} skipped")
            elif item not in picked:
                picked.append(item)
        return picked

    @staticmethod
    def _website(raw: str | None, report: Report) -> str:
        url = (raw or "").strip()
        if url and "://" not in url:
            url = "https://" + url
        if not url:
            return ""
        try:
            URLValidator()(url)
        except ValidationError:
            report.warn(f"website {url!r} is not a URL; left empty")
            return ""
        return url

    @staticmethod
    def _year(raw: str | None, report: Report) -> int | None:
        text = (raw or "").strip()
        if not text:
            return None
        if not text.isdigit() or not 1000 <= int(text) <= date.today().year:
            report.warn(f"year founded {text!r} is not a year; left empty")
            return None
        return int(text)

    @staticmethod
    def _visitors_band(raw: str | None, report: Report) -> str:
        band = (raw or "").strip()
        if band and band not in VisitorsBand.values:
            report.warn(f"visitors band {band!r} is unknown; left empty")
            return ""
        return band

    @staticmethod
    def _coordinates(row, report: Report) -> tuple[float, float] | None:
        latitude, longitude = (row.get("latitude") or "").strip(), (row.get("longitude") or "").strip()
        if not latitude or not longitude:
            return None
        try:
            point = float(latitude), float(longitude)
        except ValueError:
            point = None
        if point is None or not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
            report.warn("coordinates out of range; geocoded from the city instead")
            return None
        return point

    def _create_memberships(self, organisation: Organisation, row, networks, report: Report) -> None:
        """Active memberships from the file, with a few lapsed or pending ones for realism.

        Dates and categories come from a checksum of the names, so every load is identical.
        """
        is_company = any(kind.slug == "company" for kind in organisation.kinds.all())
        for key in split_list(row.get("networks")):
            network = networks.get(key.lower()) or networks.get(slugify(key))
            if network is None:
                report.warn(f"unknown network {key!r} skipped")
                continue
            number = stable_number(organisation.name, network.slug)
            start = date(2005 + number % 20, 1 + (number >> 5) % 12, 1 + (number >> 9) % 28)
            categories = self.categories[network.pk]  # main, associate, corporate
            category = categories[0]
            if is_company and len(categories) > 2:
                category = categories[2]
            elif number % 7 == 3 and len(categories) > 1:
                category = categories[1]
            status, end = MembershipStatus.ACTIVE, None
            if number % 17 == 5:
                status, end = MembershipStatus.LAPSED, date(min(start.year + 2 + number % 5, 2024), start.month, 28)
            elif number % 19 == 7:
                status, start = MembershipStatus.APPLIED, None
            services.set_membership(
                organisation=organisation, network=network, status=status, category=category,
                start_date=start, end_date=end,
            )
            report.memberships_created += 1

    # -- Fictional people ------------------------------------------------------------------

    def load_people(self, organisations: list[Organisation], report: Report) -> None:
        """Two or three invented staff per organisation; the first of them is its admin."""
        existing_emails = set(Person.objects.values_list("email", flat=True))
        serial = 0
        for organisation in organisations:
            count = 2 + stable_number(organisation.name) % 2
            for position in range(count):
                first = FIRST_NAMES[serial % len(FIRST_NAMES)]
                last = LAST_NAMES[(serial // len(FIRST_NAMES) + serial) % len(LAST_NAMES)]
                email = f"{slugify(first)}.{slugify(last)}@example.org"
                variant = serial
                serial += 1
                if email in existing_emails:
                    continue
                is_admin = position == 0
                role = (ADMIN_ROLES if is_admin else STAFF_ROLES)[variant % (3 if is_admin else len(STAFF_ROLES))]
                person = services.save_person(data={
                    "name": f"{first} {last}",
                    "email": email,
                    "title": role,
                    "bio": FICTIONAL_BIO,
                    "expertise": EXPERTISE[variant % len(EXPERTISE)],
                    "languages": list(dict.fromkeys([*organisation.languages[:2], "en"])),
                    "name_visibility": VISIBILITY_CYCLE[variant % 4],
                    "email_visibility": VISIBILITY_CYCLE[(variant + 3) % 4],
                    "title_visibility": VISIBILITY_CYCLE[(variant + 1) % 4],
                    "bio_visibility": VISIBILITY_CYCLE[(variant + 2) % 4],
                    "expertise_visibility": VISIBILITY_CYCLE[variant % 2],
                    "languages_visibility": VISIBILITY_CYCLE[(variant + 1) % 2],
                    "affiliations_visibility": VISIBILITY_CYCLE[(variant + 2) % 4],
                })
                services.add_affiliation(
                    person=person, organisation=organisation, role=role, is_admin=is_admin,
                    start_date=date(2008 + variant % 16, 1 + variant % 12, 1),
                )
                existing_emails.add(email)
                report.people_created += 1

    # -- Logins ----------------------------------------------------------------------------

    def load_logins(self, networks: dict[str, Network], report: Report) -> list[Login]:
        staff_group = ensure_network_staff_group()
        superuser = self._user("superuser@example.org", "Demo Superuser", is_staff=True, is_superuser=True)
        self._totp(superuser)
        logins = [Login("Superuser", superuser.email, totp=True)]
        for slug in ("ecsite", "astc"):
            network = networks[slug]
            user = self._user(f"staff.{slug}@example.org", f"Demo {network.acronym} staff", is_staff=True)
            user.groups.add(staff_group)
            NetworkStaff.objects.get_or_create(network=network, user=user)
            self._totp(user)
            logins.append(Login(f"Network staff of {network.acronym}", user.email, totp=True))

        workplace = (
            Organisation.objects.filter(
                memberships__network=networks["ecsite"], memberships__status=MembershipStatus.ACTIVE
            ).order_by("name").first()
        )
        if workplace is None:
            report.warn("no active Ecsite member loaded; admin@ and member@ have no workplace")
        for email, name, job, is_admin, role in (
            ("admin@example.org", "Demo Organisation Admin", "Director", True, "Organisation admin"),
            ("member@example.org", "Demo Member", "Educator", False, "Member"),
        ):
            user = self._user(email, name)
            if workplace is not None:
                person = services.ensure_person_for_user(user)
                if not Affiliation.objects.filter(person=person, organisation=workplace).exists():
                    services.save_person(person=person, data={"title": job, "bio": FICTIONAL_BIO})
                    services.add_affiliation(person=person, organisation=workplace, role=job, is_admin=is_admin)
                role = f"{role} at {workplace.name}"
            logins.append(Login(role, email))
        public = self._user("public@example.org", "Demo Public User")
        logins.append(Login("Signed-in visitor, no workplace", public.email))
        return logins

    @cached_property
    def _password_hash(self) -> str:
        # Hashing is slow on purpose; every demo login shares one public password anyway.
        return make_password(DEMO_PASSWORD)

    def _user(self, email: str, name: str, *, is_staff: bool = False, is_superuser: bool = False) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, None, display_name=name, is_staff=is_staff, is_superuser=is_superuser
            )
            user.password = self._password_hash
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user

    @staticmethod
    def _totp(user: User) -> None:
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)

    # -- Summary ---------------------------------------------------------------------------

    def print_summary(self, report: Report, logins: list[Login], seconds: float) -> None:
        for message, count in sorted(report.warnings.items()):
            suffix = f" (×{count})" if count > 1 else ""
            self.stderr.write(self.style.WARNING(f"Warning: {message}{suffix}"))
        organisations = Organisation.objects.count()
        country_count = Organisation.objects.values("country").distinct().count()
        self.stdout.write(
            f"Demo loaded in {seconds:.1f} s: {organisations} organisations in {country_count} countries "
            f"({report.organisations_created} new), {Membership.objects.count()} memberships "
            f"({report.memberships_created} new), {Person.objects.count()} people ({report.people_created} new)."
        )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        width = max(len(login.email) for login in logins)
        self.stdout.write(f"  {'Email'.ljust(width)}  {'TOTP':4}  Role")
        for login in logins:
            self.stdout.write(f"  {login.email.ljust(width)}  {'yes' if login.totp else '-':4}  {login.role}")
        self.stdout.write("")
        self.stdout.write(
            f"Staff and the superuser sign in with a TOTP code from the public demo secret {DEMO_TOTP_SECRET}\n"
            "(add it to an authenticator app), or print the current code with:\n"
            f"  {TOTP_CODE_COMMAND}"
        )

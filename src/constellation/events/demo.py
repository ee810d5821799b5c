"""The demo conference: Ecsite's annual conference 2027, half-way through its cycle.

Built on top of `constellation load_demo` (networks, institutions, fictional people, the
demo logins). The call for proposals has closed, the committee has reviewed and decided,
attendees have marked the sessions they want, the optimiser has placed the accepted
sessions and the timetable is published (with one unpublished change in the draft), and
registration is open with payments recorded. A smaller 2026 edition, already over, comes
in through the pretalx schedule importer, as a network moving its archive over would.

Everything random comes from one seeded generator and the optimiser runs a fixed number of
moves, so every load gives the same conference (on a very slow machine the optimiser's time
limit may stop it earlier, with a slightly different timetable). Texts
are generated from templates written for this demo; the people are the fictional demo
people of `load_demo` and invented attendees.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import numpy as np
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify

from constellation.accounts.models import User
from constellation.events import schedule_io, services
from constellation.events.models import (
    CODE_ALPHABET,
    BillingDetails,
    CallForProposals,
    CommitteeMember,
    DecisionNotice,
    DecisionTemplate,
    Event,
    FormatKind,
    Interest,
    Invoice,
    InvoiceSequence,
    Payment,
    PaymentStatus,
    PersonUnavailability,
    Placement,
    Presenter,
    PresenterRole,
    Proposal,
    ProposalState,
    ProposalTopic,
    Registration,
    RegistrationStatus,
    Review,
    ReviewAssignment,
    ReviewCriterion,
    ReviewScore,
    Room,
    SessionFormat,
    Slot,
    TicketKind,
    TicketType,
    TimetableVersion,
    Track,
    WorkshopBooking,
)
from constellation.events.scheduling.evaluate import evaluate
from constellation.events.scheduling.problem import answer_to_json, problem_from_json
from constellation.events.scheduling.solver import solve
from constellation.networks.management.commands.load_demo import (
    DEMO_PASSWORD,
    FIRST_NAMES,
    LAST_NAMES,
)
from constellation.networks.models import Affiliation, Network, Organisation, Person, Topic
from constellation.networks.services import ensure_person_for_user

SLUG = "ecsite-2027"
PAST_SLUG = "ecsite-2026"
NETWORK_SLUG = "ecsite"
TZ = ZoneInfo("Europe/Madrid")
DAYS = [date(2027, 6, 9), date(2027, 6, 10), date(2027, 6, 11)]
# 90-minute sessions, coffee at 10:30 and 15:30, lunch from 12:30 to 14:00.
SLOT_TIMES = [((9, 0), (10, 30)), ((11, 0), (12, 30)), ((14, 0), (15, 30)), ((16, 0), (17, 30))]
CFP_OPENS = datetime(2026, 6, 1, 9, 0, tzinfo=TZ)
CFP_DEADLINE = datetime(2026, 10, 15, 23, 59, tzinfo=TZ)
DECIDED = datetime(2026, 11, 6, 10, 0, tzinfo=TZ)
REGISTRATION_OPENS = datetime(2026, 9, 15, 9, 0, tzinfo=TZ)
EARLY_BIRD_UNTIL = datetime(2026, 11, 15, 23, 59, tzinfo=TZ)
REGISTRATION_CLOSES = datetime(2027, 5, 31, 23, 59, tzinfo=TZ)
VAT = Decimal("21.00")
ATTENDEES = 400
# The optimiser runs a fixed number of moves (the same timetable on every run; ~3 s on a
# busy 2-core machine), stopped early only if that takes longer than SOLVER_SECONDS.
SOLVER_SECONDS = 10
SOLVER_ITERATIONS = 12000

# Demo logins with a part to play (see the README text in the report).
STAFF_EMAIL = "staff.ecsite@example.org"
REVIEWER_EMAIL = "member@example.org"
PRESENTER_EMAIL = "admin@example.org"
ATTENDEE_EMAIL = "public@example.org"

ROOMS = [
    # name, capacity, kind (plenary, room, lab, posters), equipment
    ("Plenary Hall", 1000, "plenary", ["projector", "microphones", "live captions", "step-free"]),
    ("Auditorium Turia", 250, "room", ["projector", "microphones", "hearing loop", "step-free"]),
    ("Auditorium Albufera", 200, "room", ["projector", "microphones", "step-free"]),
    ("Room Malvarrosa", 150, "room", ["projector", "step-free"]),
    ("Room Cabanyal", 120, "room", ["projector", "step-free"]),
    ("Room Russafa", 100, "room", ["projector", "step-free"]),
    ("Room Benimaclet", 80, "room", ["projector", "step-free"]),
    ("Room Patraix", 60, "room", ["projector"]),
    ("Room Campanar", 60, "room", ["projector", "step-free"]),
    ("Maker Lab North", 25, "lab", ["workbenches", "sinks", "step-free"]),
    ("Maker Lab South", 25, "lab", ["workbenches", "laptops", "step-free"]),
    ("Poster Gallery", 200, "posters", ["poster boards", "step-free"]),
]

FORMATS = [
    # key, name, kind, slots, rooms (kinds), most presenters, open for proposals, booking, rules
    (
        "session",
        "90-minute session",
        FormatKind.SESSION,
        1,
        ("plenary", "room"),
        4,
        True,
        False,
        "A 90-minute session with up to four presenters from at least two institutions. Leave at "
        "least half of the time for discussion with the audience.",
    ),
    (
        "workshop",
        "Hands-on workshop (2 slots)",
        FormatKind.WORKSHOP,
        2,
        ("lab",),
        3,
        True,
        True,
        "Two consecutive slots in a maker lab for 25 participants, who book their seat when they "
        "register. List the materials you need.",
    ),
    (
        "short",
        "Short talks",
        FormatKind.SHORT_TALKS,
        1,
        ("plenary", "room"),
        5,
        True,
        False,
        "Four or five talks of ten minutes around one question, then a shared discussion.",
    ),
    (
        "speed",
        "Speed format",
        FormatKind.SPEED,
        1,
        ("plenary", "room"),
        8,
        True,
        False,
        "Up to eight projects in five minutes each, then the audience moves between tables.",
    ),
    (
        "poster",
        "Poster",
        FormatKind.POSTER,
        1,
        ("posters",),
        2,
        True,
        False,
        "An A0 portrait poster, presented during one slot in the poster gallery.",
    ),
    (
        "keynote",
        "Keynote",
        FormatKind.OTHER,
        1,
        ("plenary",),
        1,
        False,
        False,
        "Invited speakers in the plenary hall.",
    ),
]

TRACKS = [
    # slug, name, colour, topics
    ("climate", "Climate and planet", "#1a7f5a", ["climate", "sdg-13", "ocean", "sdg-14"]),
    ("inclusion", "Inclusion and access", "#7b3f98", ["sdg-10", "sdg-5", "health"]),
    ("learning", "Learning and schools", "#b5541c", ["sdg-4", "mathematics", "physics"]),
    ("exhibitions", "Exhibitions and design", "#3d5a80", ["engineering", "space", "earth-science"]),
    ("digital", "Digital and AI", "#0b5f8a", ["ai-digital", "technology", "sdg-9"]),
    (
        "research",
        "Citizen science and research",
        "#8a4b00",
        ["biodiversity", "sdg-15", "chemistry"],
    ),
    ("evaluation", "Evaluation and impact", "#a3303a", ["sdg-4", "sdg-17"]),
    ("leadership", "Leadership and business models", "#4a5a1f", ["sdg-8", "sdg-11", "sdg-17"]),
]

SUBJECTS = {
    "climate": [
        "climate conversations on the exhibition floor",
        "hopeful climate stories for families",
        "the carbon footprint of travelling exhibitions",
        "heatwave-ready science centres",
        "ocean literacy far from the sea",
        "local climate adaptation with city councils",
    ],
    "inclusion": [
        "relaxed openings for neurodivergent visitors",
        "sign-language tours led by deaf guides",
        "free entry that really brings new visitors",
        "exhibits designed with blind teenagers",
        "science clubs for refugee families",
        "welcoming older visitors who never came before",
    ],
    "learning": [
        "teacher residencies in the museum",
        "school visits that continue in the classroom",
        "mathematics trails through the city",
        "tinkering in early-years education",
        "physics demonstrations that students run themselves",
        "homework clubs in the planetarium",
    ],
    "exhibitions": [
        "prototyping exhibits with visitors",
        "repairable interactive exhibits",
        "space exhibitions after the Moon landings anniversary",
        "low-tech exhibits that never break",
        "exhibitions on the deep Earth",
        "labels that people actually read",
    ],
    "digital": [
        "chatbots on the museum floor",
        "AI literacy for families",
        "podcasts made with teenagers",
        "open data about our visitors",
        "virtual visits for hospital schools",
        "generative AI in exhibition development",
    ],
    "research": [
        "citizen science with urban birds",
        "researchers in residence on the museum floor",
        "pollinator counts with school classes",
        "kitchen chemistry as citizen science",
        "co-designing research questions with the public",
        "biodiversity data that scientists use",
    ],
    "evaluation": [
        "evaluating long-term impact on young people",
        "visitor studies on a tiny budget",
        "theory of change for science centres",
        "measuring trust in science",
        "evaluation that frontline staff own",
        "learning from failed projects",
    ],
    "leadership": [
        "new business models after the energy crisis",
        "four-day weeks for museum staff",
        "partnerships with local libraries",
        "boards that reflect their communities",
        "fundraising for free programmes",
        "sharing travelling exhibitions between small centres",
    ],
}

TITLE_PATTERNS = [
    "{Subject}: what we learned in {years} years",
    "Beyond the visit: {subject}",
    "{Subject} on a shoestring",
    "Who is missing? {Subject}",
    "From pilot to practice: {subject}",
    "Ten ideas for {subject}",
    "{Subject}, with and for teenagers",
    "Failing forward: {subject} that did not work at first",
    "Small centre, big questions: {subject}",
    "{Subject} across borders",
    "Co-creating {subject} with our neighbours",
    "Measuring what matters: {subject}",
    "{Subject}: a field guide",
    "Rethinking {subject}",
]

OPENERS = [
    "Over the past {years} years, {org} has been working on {subject}.",
    "How can science centres and museums take {subject} further?",
    "{Subject} is often discussed, rarely tried at scale.",
    "When we started on {subject}, we underestimated how much our visitors would teach us.",
]
MIDDLES = {
    FormatKind.SESSION: "In this session, presenters from {count} institutions compare their "
    "approaches, show what changed for their visitors and staff, and open the floor for a "
    "structured discussion in small groups.",
    FormatKind.WORKSHOP: "In this hands-on workshop, participants build and test a prototype in "
    "small teams, using materials any science centre has, and leave with a plan they can try at "
    "home the following month.",
    FormatKind.SHORT_TALKS: "Short talks from {count} institutions give quick, honest answers: what "
    "it cost, who came, and what we would do differently.",
    FormatKind.SPEED: "Projects from {count} institutions are presented in five minutes each; the "
    "audience then moves from table to table to ask the questions that matter.",
    FormatKind.POSTER: "The poster summarises the project's design, the figures from its first "
    "year and the tools we share openly with other centres.",
    FormatKind.OTHER: "An invited talk, followed by questions from the hall.",
}
CLOSERS = [
    "Participants will leave with practical tools and contacts for their own projects.",
    "We share our evaluation results, the mistakes we made and the templates we use.",
    "Bring your own examples: the second half belongs to the audience.",
    "Everything we show is openly licensed and ready to adapt.",
]
AUDIENCES = [
    "Educators and explainers",
    "Exhibition developers",
    "Directors and managers",
    "Evaluators and researchers",
    "Everyone",
    "Communication and marketing teams",
]
ACCESS_NEEDS = [
    "Step-free access to the stage, please.",
    "Live captions requested.",
    "A seat on stage.",
]
KEYNOTES = [
    ("Science centres as civic spaces", "climate"),
    ("What trust in science needs from us", "evaluation"),
    ("Curiosity for everyone, everywhere", "inclusion"),
]
# Proposals per format (keynotes are invited, not proposed), and the share accepted.
PROPOSALS_PER_FORMAT = {"session": 72, "workshop": 20, "short": 26, "speed": 16, "poster": 26}
ACCEPT_RATE = {"session": 0.8, "workshop": 0.45, "short": 0.6, "speed": 0.5, "poster": 0.4}
DRAFTS, WITHDRAWN, UNDECIDED = 10, 6, 12

CRITERIA = [
    ("Relevance to the sector", "Does it matter to science centres and museums now?", "2.0"),
    ("Originality", "Is there something new, or a new angle on something known?", "1.5"),
    ("Practical value", "Will participants be able to use it at home?", "1.5"),
    ("Clarity of the proposal", "Is the plan for the session clear and realistic?", "1.0"),
]

DECISION_TEMPLATES = {
    ProposalState.ACCEPTED: (
        "Your proposal for {event} is accepted",
        "Dear {name},\n\nWe are delighted to tell you that the programme committee accepted "
        '"{title}" ({code}) for {event}.\nPlease confirm that you and your co-presenters will '
        "present it: {link}\n\nWith best wishes,\nThe programme committee",
    ),
    ProposalState.REJECTED: (
        "Your proposal for {event}",
        'Dear {name},\n\nThank you for proposing "{title}" ({code}). The committee received '
        "many more strong proposals than the programme can hold, and could not accept yours this "
        "year. The reviewers' comments are on your proposal page: {link}\n\nWe hope to see you "
        "at {event}.\nThe programme committee",
    ),
    ProposalState.WAITLISTED: (
        "Your proposal for {event} is on the waiting list",
        'Dear {name},\n\n"{title}" ({code}) is on the waiting list for {event}: should a '
        "session drop out, we will write to you by the end of February. {link}\n\n"
        "The programme committee",
    ),
}

TICKETS = [
    # name, kind, price, early price, capacity, description
    (
        "Member",
        TicketKind.MEMBER,
        "690.00",
        "590.00",
        None,
        "Staff of Ecsite member institutions: the three days, lunches and the conference dinner.",
    ),
    (
        "Non-member",
        TicketKind.NON_MEMBER,
        "890.00",
        "790.00",
        None,
        "The three days, lunches and the conference dinner.",
    ),
    (
        "Student",
        TicketKind.STUDENT,
        "250.00",
        None,
        30,
        "For full-time students; bring your student card to the desk.",
    ),
    (
        "Day pass",
        TicketKind.DAY_PASS,
        "340.00",
        None,
        None,
        "One day of the conference, lunch included.",
    ),
    ("Invited speaker", TicketKind.SPEAKER, "0.00", None, 10, "For keynote speakers; not on sale."),
]


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Summary:
    created: bool
    seconds: float = 0.0
    figures: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    invoices: str = ""
    steps: dict = field(default_factory=dict)


def remove(slug: str = SLUG) -> None:
    """Delete a demo event with everything that hangs on it (registrations protect their
    payments and invoices, so those go first)."""
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        return
    Payment.objects.filter(registration__event=event).delete()
    invoices = Invoice.objects.filter(registration__event=event)
    invoices.filter(credits__isnull=False).delete()
    invoices.delete()
    Registration.objects.filter(event=event).delete()
    if not Invoice.objects.filter(network=event.network).exists():
        # Nothing else was invoiced: the demo's numbers start again at 0001.
        InvoiceSequence.objects.filter(network=event.network).delete()
    Placement.objects.filter(version__event=event).delete()
    TimetableVersion.objects.filter(event=event).delete()
    Proposal.objects.filter(event=event).delete()
    event.delete()


class DemoConference:
    """Builds the 2027 conference; `build()` runs inside one transaction."""

    def __init__(self, network: Network, *, seed: int = 2027):
        self.network = network
        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        self.taken_codes: set[str] = set(Proposal.objects.values_list("code", flat=True))
        self.password = make_password(DEMO_PASSWORD)

    # -- helpers ---------------------------------------------------------------------------

    def code(self) -> str:
        while True:
            code = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(6))
            if code not in self.taken_codes:
                self.taken_codes.add(code)
                return code

    def token(self) -> str:
        return f"demo{self.rng.getrandbits(128):032x}"

    def moment(self, start: datetime, end: datetime) -> datetime:
        return start + (end - start) * self.rng.random()

    def login(self, email: str) -> User | None:
        return User.objects.filter(email=email).first()

    # -- the whole build -------------------------------------------------------------------

    def build(self) -> Summary:
        steps: dict[str, float] = {}
        clock = time.monotonic()

        def step(name: str, function):
            nonlocal clock
            result = function()
            now = time.monotonic()
            steps[name] = round(now - clock, 2)
            clock = now
            return result

        self.staff = self.login(STAFF_EMAIL)
        self.event = step("event", self.make_event)
        step("venue", self.make_venue)
        step("formats, tracks, tickets", self.make_programme_frame)
        step("proposals", self.make_proposals)
        step("committee", self.make_committee)
        step("reviews", self.make_reviews_and_decisions)
        step("attendees", self.make_attendees)
        step("registrations", self.make_registrations)
        step("interests", self.make_interests)
        figures = step("timetable", self.make_timetable)
        step("workshop bookings", self.make_bookings)
        invoices = step("invoices, payments", self.make_payments)
        return Summary(created=True, figures=figures, invoices=invoices, steps=steps)

    # -- event, venue, frame ---------------------------------------------------------------

    def make_event(self) -> Event:
        event = Event.objects.create(
            network=self.network,
            name="Ecsite Annual Conference 2027",
            slug=SLUG,
            start_date=DAYS[0],
            end_date=DAYS[-1],
            time_zone="Europe/Madrid",
            venue_name="Riverside Congress Centre (demo venue)",
            venue_address="Avinguda de les Corts Valencianes 1, Valencia (fictional address)",
            city="Valencia",
            country="ES",
            cfp_deadline=CFP_DEADLINE,
            is_published=True,
            capacity=900,
            currency="EUR",
            registration_opens_at=REGISTRATION_OPENS,
            registration_closes_at=REGISTRATION_CLOSES,
            created_at=CFP_OPENS - timedelta(days=30),
        )
        CallForProposals.objects.create(
            event=event,
            opens_at=CFP_OPENS,
            introduction=(
                "The 2027 conference asks how science centres and museums stay places of trust, "
                "curiosity and action. We welcome proposals from members and non-members, and "
                "especially sessions that bring together institutions from different countries."
            ),
            abstract_min_chars=200,
            abstract_max_chars=1500,
            title_max_chars=120,
            languages=["en", "fr", "es"],
        )
        billing, _created = BillingDetails.objects.get_or_create(
            network=self.network,
            defaults={
                "legal_name": f"{self.network.name} (demo billing entity)",
                "address": "Rue de l'Exemple 1\n1000 Brussels",
                "country": "BE",
                "vat_number": "BE0999999999",
                "registration_number": "0999.999.999",
                "iban": "BE00 0000 0000 0000",
                "bic": "DEMOBEBB",
                "invoice_prefix": "ECS",
                "payment_terms_days": 30,
                "footer": "Demo data: this VAT number and bank account are fictional.",
            },
        )
        self.billing = billing
        return event

    def make_venue(self) -> None:
        event = self.event
        self.rooms = Room.objects.bulk_create(
            Room(
                event=event,
                name=name,
                slug=slugify(name),
                capacity=capacity,
                position=i,
                equipment=equipment,
            )
            for i, (name, capacity, _kind, equipment) in enumerate(ROOMS)
        )
        self.room_kind = {room.pk: ROOMS[i][2] for i, room in enumerate(self.rooms)}
        self.slots = Slot.objects.bulk_create(
            Slot(event=event, start=_local(day, *start), end=_local(day, *end))
            for day in DAYS
            for start, end in SLOT_TIMES
        )

    def make_programme_frame(self) -> None:
        event = self.event
        self.formats: dict[str, SessionFormat] = {}
        for i, (key, name, kind, slots, room_kinds, most, open_, booking, rules) in enumerate(
            FORMATS
        ):
            fmt = SessionFormat.objects.create(
                event=event,
                name=name,
                kind=kind,
                duration_slots=slots,
                rules=rules,
                max_presenters=most,
                accepts_proposals=open_,
                needs_booking=booking,
                position=i,
            )
            fmt.rooms.set([r for r in self.rooms if self.room_kind[r.pk] in room_kinds])
            self.formats[key] = fmt
        self.tracks: dict[str, Track] = {}
        for i, (slug, name, colour, _topics) in enumerate(TRACKS):
            self.tracks[slug] = Track.objects.create(
                event=event,
                slug=slug,
                name=name,
                colour=colour,
                position=i,
                description=f"Sessions on {name.lower()} in science centres and museums.",
            )
        topics = {t.slug: t for t in Topic.objects.all()}
        self.track_topics = {
            slug: [topics[t] for t in names if t in topics] for slug, _n, _c, names in TRACKS
        }
        self.criteria = ReviewCriterion.objects.bulk_create(
            ReviewCriterion(
                event=event,
                name=name,
                description=text,
                weight=Decimal(weight),
                max_score=5,
                position=i,
            )
            for i, (name, text, weight) in enumerate(CRITERIA)
        )
        DecisionTemplate.objects.bulk_create(
            DecisionTemplate(event=event, decision=decision, subject=subject, body=body)
            for decision, (subject, body) in DECISION_TEMPLATES.items()
        )
        self.tickets: dict[str, TicketType] = {}
        for i, (name, kind, price, early, capacity, text) in enumerate(TICKETS):
            self.tickets[kind] = TicketType.objects.create(
                event=event,
                name=name,
                kind=kind,
                description=text,
                price=Decimal(price),
                early_bird_price=Decimal(early) if early else None,
                early_bird_until=EARLY_BIRD_UNTIL if early else None,
                vat_rate=VAT,
                capacity=capacity,
                on_sale=kind != TicketKind.SPEAKER,
                position=i,
            )

    # -- proposals -------------------------------------------------------------------------

    def people(self) -> list[tuple[Person, Organisation]]:
        """Demo people with their (first) organisation, Ecsite members first."""
        seen, result = set(), []
        rows = (
            Affiliation.objects.filter(person__is_erased=False, end_date__isnull=True)
            .select_related("person", "organisation")
            .order_by("person_id", "pk")
        )
        members = set(
            Organisation.objects.filter(memberships__network=self.network).values_list(
                "pk", flat=True
            )
        )
        for row in rows:
            if row.person_id in seen:
                continue
            seen.add(row.person_id)
            result.append((row.person, row.organisation))
        result.sort(key=lambda po: (po[1].pk not in members, po[0].pk))
        return result

    def text(
        self, track: str, fmt: SessionFormat, organisation: Organisation, count: int
    ) -> tuple[str, str]:
        rng = self.rng
        subject = rng.choice(SUBJECTS[track])
        years = rng.choice([2, 3, 4, 5, 10])
        title = rng.choice(TITLE_PATTERNS).format(
            subject=subject, Subject=subject[0].upper() + subject[1:], years=years
        )
        abstract = " ".join(
            [
                rng.choice(OPENERS).format(
                    org=organisation.name,
                    subject=subject,
                    Subject=subject[0].upper() + subject[1:],
                    years=years,
                ),
                MIDDLES[fmt.kind].format(count=max(count, 2)),
                rng.choice(CLOSERS),
            ]
        )
        return title[:120], abstract

    def make_proposals(self) -> None:
        rng = self.rng
        self.pool = self.people()
        if len(self.pool) < 30:
            raise LookupError("Too few demo people: run `constellation load_demo` first.")
        # Mostly people from member institutions; a few prolific people present in several
        # sessions (the optimiser keeps them apart).
        self.members = set(
            Organisation.objects.filter(memberships__network=self.network).values_list(
                "pk", flat=True
            )
        )
        weights = [
            (4 if i % 9 == 0 else 1) * (3 if org.pk in self.members else 1)
            for i, (_person, org) in enumerate(self.pool)
        ]
        self.presenter_user = self.login(PRESENTER_EMAIL)
        presenter_person = (
            ensure_person_for_user(self.presenter_user) if self.presenter_user else None
        )
        presenter_org = (
            presenter_person.affiliations.select_related("organisation").first()
            if presenter_person
            else None
        )
        reviewer_user = self.login(REVIEWER_EMAIL)
        self.reviewer_person = ensure_person_for_user(reviewer_user) if reviewer_user else None
        # Committee people never propose here (their conflicts stay simple).
        self.committee_people = [po for po in self.pool[5:200:19]][:9]
        committee_ids = {p.pk for p, _o in self.committee_people}
        candidates = [
            (po, w)
            for po, w in zip(self.pool, weights, strict=True)
            if po[0].pk not in committee_ids
        ]
        people, person_weights = zip(*candidates, strict=True)

        plan = [key for key, count in PROPOSALS_PER_FORMAT.items() for _ in range(count)]
        rng.shuffle(plan)
        self.proposals: list[Proposal] = []
        presenters: list[Presenter] = []
        topic_links: list[ProposalTopic] = []
        titles: set[str] = set()
        track_slugs = list(self.tracks)
        for n, key in enumerate(plan):
            fmt = self.formats[key]
            track = rng.choice(track_slugs)
            proposer, organisation = rng.choices(people, weights=person_weights)[0]
            if n < 3 and presenter_person is not None and presenter_org is not None:
                proposer, organisation = presenter_person, presenter_org.organisation
            co_count = rng.choice([0, 1, 1, 2, 2, 3]) if key != "poster" else rng.choice([0, 1])
            title, abstract = self.text(track, fmt, organisation, co_count + 1)
            while title in titles:
                title, abstract = self.text(track, fmt, organisation, co_count + 1)
            titles.add(title)
            submitted = self.moment(
                CFP_OPENS + timedelta(days=20), CFP_DEADLINE - timedelta(hours=2)
            )
            proposal = Proposal(
                event=self.event,
                code=self.code(),
                title=title,
                abstract=abstract,
                format=fmt,
                track=self.tracks[track],
                language=rng.choices(["en", "fr", "es"], weights=[16, 2, 2])[0],
                audience=rng.choice(AUDIENCES),
                accessibility_needs=rng.choice(ACCESS_NEEDS) if rng.random() < 0.08 else "",
                state=ProposalState.SUBMITTED,
                submitted_at=submitted,
                seats=24 if key == "workshop" and rng.random() < 0.3 else None,
                created_at=submitted - timedelta(days=rng.randint(1, 20)),
            )
            self.proposals.append(proposal)
            used_people = {proposer.pk}
            used_orgs = {organisation.pk}
            presenters.append(
                Presenter(
                    proposal=proposal,
                    person=proposer,
                    name=proposer.name,
                    email=proposer.email,
                    organisation=organisation,
                    role=PresenterRole.PROPOSER,
                    position=0,
                    biography=proposer.bio,
                    confirmed_at=submitted,
                )
            )
            for position in range(1, co_count + 1):
                if rng.random() < 0.2:  # invited by email, has not answered yet
                    first = rng.choice(["Alex", "Sam", "Noor", "Kim", "Rafa", "Eli", "Mika", "Ade"])
                    last = rng.choice(
                        ["Nightingale", "Starling", "Moonfield", "Skyberg", "Cloudsley"]
                    )
                    email = f"{first}.{last}.{n}.{position}@example.org".lower()
                    presenters.append(
                        Presenter(
                            proposal=proposal,
                            name=f"{first} {last}",
                            email=email,
                            position=position,
                            invitation_token=self.token(),
                            invited_at=submitted - timedelta(days=2),
                        )
                    )
                    continue
                for _attempt in range(20):  # someone from another institution
                    person, org = rng.choices(people, weights=person_weights)[0]
                    if person.pk not in used_people and org.pk not in used_orgs:
                        break
                else:
                    continue
                used_people.add(person.pk)
                used_orgs.add(org.pk)
                presenters.append(
                    Presenter(
                        proposal=proposal,
                        person=person,
                        name=person.name,
                        email=person.email,
                        organisation=org,
                        position=position,
                        biography=person.bio,
                        invitation_token=self.token(),
                        invited_at=submitted - timedelta(days=3),
                        confirmed_at=submitted - timedelta(days=1),
                    )
                )
            for topic in rng.sample(
                self.track_topics[track], k=min(len(self.track_topics[track]), rng.randint(1, 2))
            ):
                topic_links.append(ProposalTopic(proposal=proposal, topic=topic))
        # Invited keynotes: confirmed from the start, pinned at 09:00 in the plenary hall.
        self.keynotes = []
        for i, (title, track) in enumerate(KEYNOTES):
            speaker, org = people[-1 - 7 * i]
            proposal = Proposal(
                event=self.event,
                code=self.code(),
                title=title,
                format=self.formats["keynote"],
                track=self.tracks[track],
                language="en",
                audience="Everyone",
                abstract=(
                    f"{speaker.name} ({org.name}) opens day {i + 1} of the conference. "
                    + MIDDLES[FormatKind.OTHER]
                ),
                state=ProposalState.CONFIRMED,
                submitted_at=DECIDED,
                decided_at=DECIDED,
                confirmed_at=DECIDED + timedelta(days=2),
                created_at=DECIDED,
            )
            self.keynotes.append(proposal)
            presenters.append(
                Presenter(
                    proposal=proposal,
                    person=speaker,
                    name=speaker.name,
                    email=speaker.email,
                    organisation=org,
                    role=PresenterRole.PROPOSER,
                    biography=speaker.bio,
                    confirmed_at=DECIDED,
                )
            )
        Proposal.objects.bulk_create(self.proposals + self.keynotes)
        Presenter.objects.bulk_create(presenters)
        ProposalTopic.objects.bulk_create(topic_links)
        self.presenters_by_proposal: dict[int, list[Presenter]] = defaultdict(list)
        for presenter in presenters:
            self.presenters_by_proposal[presenter.proposal.pk].append(presenter)

        # Drafts, withdrawals and proposals still waiting for a decision, chosen at random;
        # the presenter login keeps one of each kind it needs (confirmed, accepted, draft).
        rest = self.proposals[3:]
        picked = rng.sample(rest, DRAFTS - 1 + WITHDRAWN + UNDECIDED)
        self.drafts = [self.proposals[2], *picked[: DRAFTS - 1]]
        self.withdrawn = picked[DRAFTS - 1 : DRAFTS - 1 + WITHDRAWN]
        self.undecided = picked[DRAFTS - 1 + WITHDRAWN :]

    # -- committee and review --------------------------------------------------------------

    def committee_user(self, person: Person) -> User:
        user = User.objects.filter(email=person.email.lower()).first()
        if user is None:
            user = User.objects.create(
                email=person.email.lower(), display_name=person.name, password=self.password
            )
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
        if person.user_id is None:
            person.user = user
            person.save(update_fields=["user"])
        return user

    def make_committee(self) -> None:
        members = []
        for i, (person, organisation) in enumerate(self.committee_people):
            user = self.committee_user(person)
            members.append(
                (
                    CommitteeMember(event=self.event, user=user, is_chair=i == 0),
                    {organisation.pk},
                    person.pk,
                )
            )
        if self.reviewer_person is not None:
            orgs = set(self.reviewer_person.affiliations.values_list("organisation_id", flat=True))
            members.append(
                (
                    CommitteeMember(
                        event=self.event, user=self.reviewer_person.user, max_assignments=20
                    ),
                    orgs,
                    self.reviewer_person.pk,
                )
            )
        CommitteeMember.objects.bulk_create([m for m, _o, _p in members])
        self.committee = members
        track_slugs = list(self.tracks)
        for i, (member, _orgs, _person) in enumerate(members):
            mine = [track_slugs[i % 8], track_slugs[(i + 3) % 8]]
            member.tracks.set([self.tracks[t] for t in mine])
            member.expertise.set({t for slug in mine for t in self.track_topics[slug]})
            member.expertise_tracks = set(mine)

    def make_reviews_and_decisions(self) -> None:
        rng = self.rng
        reviewed = [p for p in self.proposals if p not in self.drafts and p not in self.withdrawn]
        load: Counter = Counter()
        assignments: list[ReviewAssignment] = []
        by_proposal: dict[int, list[ReviewAssignment]] = defaultdict(list)
        # Proposals still under review first, so the reviewer login has some left to do.
        pending_first = {p.pk for p in self.undecided}
        for proposal in sorted(reviewed, key=lambda p: p.pk not in pending_first):
            presenters = self.presenters_by_proposal[proposal.pk]
            orgs = {p.organisation_id for p in presenters if p.organisation_id}
            persons = {p.person_id for p in presenters if p.person_id}
            eligible = [
                m
                for m, member_orgs, person in self.committee
                if not (member_orgs & orgs)
                and person not in persons
                and (m.max_assignments is None or load[m.pk] < m.max_assignments)
            ]
            eligible.sort(
                key=lambda m: (
                    proposal.track.slug not in m.expertise_tracks,
                    load[m.pk],
                    rng.random(),
                )
            )
            for member in eligible[:3]:
                load[member.pk] += 1
                assignment = ReviewAssignment(
                    proposal=proposal,
                    reviewer=member,
                    is_manual=rng.random() < 0.05,
                    created_at=CFP_DEADLINE + timedelta(days=1),
                )
                assignments.append(assignment)
                by_proposal[proposal.pk].append(assignment)
        ReviewAssignment.objects.bulk_create(assignments)

        reviewer_user_id = self.reviewer_person.user_id if self.reviewer_person else None
        quality = {p.pk: rng.gauss(3.1, 0.8) for p in reviewed}
        bias = {m.pk: rng.gauss(0, 0.3) for m, _o, _p in self.committee}
        disputed = set(rng.sample([p.pk for p in reviewed], k=len(reviewed) // 10))
        total_weight = sum(c.weight * c.max_score for c in self.criteria)
        reviews, scores, means = [], [], {}
        undecided = {p.pk for p in self.undecided}
        for proposal in reviewed:
            values = []
            for k, assignment in enumerate(by_proposal[proposal.pk]):
                # Still to do: the reviewer login's undecided proposals, and a few others.
                if proposal.pk in undecided and (
                    assignment.reviewer.user_id == reviewer_user_id or rng.random() < 0.3
                ):
                    continue
                level = quality[proposal.pk] + bias[assignment.reviewer.pk]
                if proposal.pk in disputed and k == 0:
                    level += rng.choice([-2.2, 2.2])
                marks = [min(5, max(1, round(level + rng.gauss(0, 0.6)))) for _c in self.criteria]
                weighted = sum(c.weight * m for c, m in zip(self.criteria, marks, strict=True))
                score = (Decimal(100) * weighted / total_weight).quantize(Decimal("0.001"))
                review = Review(
                    assignment=assignment,
                    score=score,
                    submitted_at=self.moment(
                        CFP_DEADLINE + timedelta(days=2), DECIDED - timedelta(days=2)
                    ),
                    comment=rng.choice(
                        [
                            "Solid and well argued.",
                            "Interesting, but the plan for the session is thin.",
                            "A strong team from several countries.",
                            "Overlaps with last year's programme.",
                            "Would work better as a workshop.",
                            "Excellent: exactly what members ask for.",
                        ]
                    ),
                    comment_for_presenters=rng.choice(
                        [
                            "Thank you: please leave more time for discussion.",
                            "Consider adding a partner from outside Europe.",
                            "Clear and practical; we look forward to it.",
                            "",
                        ]
                    ),
                )
                reviews.append(review)
                scores.extend((review, c, m) for c, m in zip(self.criteria, marks, strict=True))
                values.append(score)
            means[proposal.pk] = sum(values) / len(values) if values else Decimal(0)
        Review.objects.bulk_create(reviews)
        ReviewScore.objects.bulk_create(
            ReviewScore(review=r, criterion=c, value=v) for r, c, v in scores
        )

        # Decisions by rank within each format: the best accepted, the next few waitlisted.
        decided = [p for p in reviewed if p.pk not in undecided]
        by_format: dict[str, list[Proposal]] = defaultdict(list)
        keys = {fmt.pk: key for key, fmt in self.formats.items()}
        for proposal in decided:
            by_format[keys[proposal.format.pk]].append(proposal)
        forced = {self.proposals[0].pk, self.proposals[1].pk}  # the presenter login's two sessions
        for key, items in by_format.items():
            items.sort(key=lambda p: (p.pk not in forced, -means[p.pk]))
            accept = round(len(items) * ACCEPT_RATE[key])
            for rank, proposal in enumerate(items):
                if rank < accept:
                    proposal.state = ProposalState.ACCEPTED
                elif rank < accept + 3:
                    proposal.state = ProposalState.WAITLISTED
                else:
                    proposal.state = ProposalState.REJECTED
                proposal.decided_at = DECIDED + timedelta(minutes=rank)
        for proposal in decided:
            if proposal.state == ProposalState.ACCEPTED and rng.random() < 0.75:
                proposal.state = ProposalState.CONFIRMED
                proposal.confirmed_at = self.moment(
                    DECIDED + timedelta(days=1), DECIDED + timedelta(days=12)
                )
        self.proposals[0].state, self.proposals[0].confirmed_at = (
            ProposalState.CONFIRMED,
            DECIDED + timedelta(days=3),
        )
        self.proposals[1].state, self.proposals[1].confirmed_at = ProposalState.ACCEPTED, None
        for proposal in self.drafts:
            proposal.state, proposal.submitted_at = ProposalState.DRAFT, None
        for proposal in self.withdrawn:
            proposal.state = ProposalState.WITHDRAWN
        Proposal.objects.bulk_update(
            self.proposals, ["state", "submitted_at", "decided_at", "confirmed_at"], batch_size=200
        )
        ReviewAssignment.objects.filter(proposal__in=self.drafts + self.withdrawn).delete()
        DecisionNotice.objects.bulk_create(
            DecisionNotice(
                proposal=p,
                decision=ProposalState.ACCEPTED if p.state == ProposalState.CONFIRMED else p.state,
                sent_at=p.decided_at,
                created_at=p.decided_at,
                created_by=self.staff,
            )
            for p in decided
        )
        self.scheduled = [
            p
            for p in self.proposals
            if p.state in (ProposalState.ACCEPTED, ProposalState.CONFIRMED)
        ]
        self.scheduled += self.keynotes
        # Two speakers arrive late on the first day; one session cannot run on Friday afternoon.
        day_one = [s for s in self.slots if s.start.astimezone(TZ).date() == DAYS[0]]
        late = list(
            dict.fromkeys(
                self.presenters_by_proposal[p.pk][0].person_id
                for p in self.scheduled[:12]
                if self.presenters_by_proposal[p.pk][0].person_id
            )
        )[:2]
        PersonUnavailability.objects.bulk_create(
            PersonUnavailability(
                person_id=person_id, slot=slot, reason="Arrives at lunchtime on the first day."
            )
            for person_id in late
            for slot in day_one[:2]
        )
        self.scheduled[-5].unavailable_slots.set(self.slots[-2:])

    # -- people coming ---------------------------------------------------------------------

    def make_attendees(self) -> None:
        """400 invented attendees (attendee001@example.org ...), created only if missing."""
        emails = [f"attendee{n:03d}@example.org" for n in range(1, ATTENDEES + 1)]
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        new = [
            User(
                email=email,
                display_name=f"{FIRST_NAMES[(n * 7) % len(FIRST_NAMES)]} {LAST_NAMES[(n * 11 + 3) % len(LAST_NAMES)]}",
                password=self.password,
            )
            for n, email in enumerate(emails)
            if email not in existing
        ]
        User.objects.bulk_create(new)
        users = {u.email: u for u in User.objects.filter(email__in=emails)}
        have = set(EmailAddress.objects.filter(email__in=emails).values_list("email", flat=True))
        EmailAddress.objects.bulk_create(
            EmailAddress(user=users[e], email=e, verified=True, primary=True)
            for e in emails
            if e not in have
        )
        self.attendees = [users[e] for e in emails]

    def make_registrations(self) -> None:
        rng = self.rng
        orgs = [o for _p, o in self.pool]
        member_orgs = [o for o in orgs if o.pk in self.members] or orgs
        members = self.members
        people = (
            [self.login(e) for e in (PRESENTER_EMAIL, REVIEWER_EMAIL, ATTENDEE_EMAIL)]
            + [m.user for m, _o, _p in self.committee[:5]]
            + self.attendees[:290]
        )
        registrations: list[Registration] = []
        self.registration_of: dict[int, Registration] = {}
        student_count = 0
        for n, user in enumerate(people):
            if user is None or user.pk in self.registration_of:
                continue
            organisation = rng.choice(member_orgs if rng.random() < 0.75 else orgs)
            created = self.moment(REGISTRATION_OPENS, datetime(2026, 11, 20, 18, 0, tzinfo=TZ))
            if user.email == ATTENDEE_EMAIL:
                kind, organisation = TicketKind.NON_MEMBER, None
            elif user.email in (PRESENTER_EMAIL, REVIEWER_EMAIL):
                kind = TicketKind.MEMBER
                person = Person.objects.filter(user=user).first()
                aff = person.affiliations.select_related("organisation").first() if person else None
                organisation = aff.organisation if aff else organisation
            else:
                kind = rng.choices(
                    [
                        TicketKind.MEMBER,
                        TicketKind.NON_MEMBER,
                        TicketKind.STUDENT,
                        TicketKind.DAY_PASS,
                    ],
                    weights=[60, 18, 14, 8],
                )[0]
                if kind == TicketKind.MEMBER and organisation.pk not in members:
                    kind = TicketKind.NON_MEMBER
            ticket = self.tickets[kind]
            status = RegistrationStatus.CONFIRMED
            if kind == TicketKind.STUDENT:
                student_count += 1
                if student_count > ticket.capacity:
                    status = RegistrationStatus.WAITING
            if status == RegistrationStatus.CONFIRMED and n > 8 and rng.random() < 0.05:
                status = RegistrationStatus.CANCELLED
            early = ticket.early_bird_until is not None and created <= ticket.early_bird_until
            price = ticket.early_bird_price if early else ticket.price
            registration = Registration(
                event=self.event,
                user=user,
                ticket_type=ticket,
                status=status,
                day=rng.choice(DAYS) if kind == TicketKind.DAY_PASS else None,
                price=price,
                vat_rate=ticket.vat_rate,
                name=user.display_name or user.email,
                organisation=organisation,
                organisation_name=organisation.name if organisation else "",
                billing_name=organisation.name
                if organisation
                else (user.display_name or user.email),
                billing_address=f"{organisation.city}, {organisation.country.name}"
                if organisation
                else "Valencia, Spain",
                created_at=created,
                confirmed_at=created if status != RegistrationStatus.WAITING else None,
                cancelled_at=created + timedelta(days=5)
                if status == RegistrationStatus.CANCELLED
                else None,
                badge_token=self.token(),
            )
            if status == RegistrationStatus.CANCELLED:
                registration.confirmed_at = created
            registrations.append(registration)
            self.registration_of[user.pk] = registration
        # The last seats of the student rate went first come, first served.
        registrations.sort(key=lambda r: r.created_at)
        students = [
            r
            for r in registrations
            if r.ticket_type.kind == TicketKind.STUDENT and r.status != RegistrationStatus.CANCELLED
        ]
        for i, r in enumerate(students):
            r.status = (
                RegistrationStatus.CONFIRMED
                if i < self.tickets[TicketKind.STUDENT].capacity
                else RegistrationStatus.WAITING
            )
            r.confirmed_at = r.created_at if r.status == RegistrationStatus.CONFIRMED else None
        Registration.objects.bulk_create(registrations)
        self.registrations = registrations

    def make_interests(self) -> None:
        """Registered attendees starred sessions in the draft programme: a few popular
        sessions, each person's two favourite tracks."""
        rng, np_rng = self.rng, self.np_rng
        sessions = self.scheduled
        popularity = np_rng.lognormal(0, 0.9, len(sessions))
        for i, p in enumerate(sessions):
            if p in self.keynotes:
                popularity[i] *= 4
        track_slugs = list(self.tracks)
        track_of = np.array([track_slugs.index(p.track.slug) for p in sessions])
        rows = []
        created = datetime(2026, 11, 12, 9, 0, tzinfo=TZ)
        users = [r.user for r in self.registrations if r.status != RegistrationStatus.CANCELLED]
        users += self.attendees[300:360]  # not registered yet, but already planning
        attendee_email = ATTENDEE_EMAIL
        for user in users:
            favourites = rng.sample(range(len(track_slugs)), 2)
            weights = popularity * np.where(np.isin(track_of, favourites), 3.0, 1.0)
            k = rng.randint(5, 14) if user.email != attendee_email else 9
            chosen = np_rng.choice(len(sessions), size=k, replace=False, p=weights / weights.sum())
            for i in sorted(chosen.tolist()):
                rows.append(
                    Interest(
                        user=user,
                        proposal=sessions[i],
                        created_at=created + timedelta(minutes=len(rows)),
                    )
                )
        Interest.objects.bulk_create(rows)
        self.interests = rows

    # -- timetable -------------------------------------------------------------------------

    def make_timetable(self) -> dict:
        event = self.event
        plenary = self.rooms[0]
        first_slots = [s for s in self.slots if s.start.astimezone(TZ).hour == 9]
        services.replace_draft_placements(
            event=event,
            placements=[(p, first_slots[i], plenary, True) for i, p in enumerate(self.keynotes)],
        )
        problem_doc = schedule_io.build_problem(event)
        problem = problem_from_json(problem_doc)
        assignment, figures, info = solve(
            problem, seconds=SOLVER_SECONDS, seed=0, workers=1, iterations=SOLVER_ITERATIONS
        )
        if not figures.feasible:
            raise RuntimeError(
                f"The demo timetable is infeasible: {figures.violations[:3]} {info.get('unplaced')}"
            )
        schedule_io.apply_answer(event, answer_to_json(assignment, problem))
        version = services.publish_timetable(event=event, label="First programme")
        version.published_at = datetime(2026, 11, 18, 12, 0, tzinfo=TZ)
        version.save(update_fields=["published_at"])
        Event.objects.filter(pk=event.pk).update(timetable_published_at=version.published_at)

        # Published since: the attendee login starred one more session, in a slot it already
        # has one (a clash for the personal agenda to show).
        attendee = self.login(ATTENDEE_EMAIL)
        placed = {p.proposal_id: p.slot_id for p in version.placements.all()}
        if attendee is not None:
            mine = set(
                Interest.objects.filter(user=attendee, proposal__event=event).values_list(
                    "proposal_id", flat=True
                )
            )
            my_slots = {placed[pk] for pk in mine if pk in placed}
            clash = next(
                (
                    p
                    for p in self.scheduled
                    if p.pk not in mine
                    and placed.get(p.pk) in my_slots
                    and p.format.duration_slots == 1
                ),
                None,
            )
            if clash is not None:
                Interest.objects.create(user=attendee, proposal=clash)
        # A later, unpublished tweak: two sessions of one slot swap rooms in the draft.
        draft = services.draft_timetable(event)
        rows = list(draft.placements.select_related("proposal__format", "room"))
        by_slot = defaultdict(list)
        for row in rows:
            if (
                row.proposal.format.kind in (FormatKind.SESSION, FormatKind.SHORT_TALKS)
                and not row.is_fixed
            ):
                by_slot[row.slot_id].append(row)
        swap = next((pair for pair in by_slot.values() if len(pair) >= 2), None)
        if swap is not None:
            a, b = swap[0], swap[1]
            a.room, b.room = b.room, a.room
            services.replace_draft_placements(
                event=event, placements=[(r.proposal, r.slot, r.room, r.is_fixed) for r in rows]
            )
        check = evaluate(problem, assignment)
        return {
            "A": check.A,
            "U": check.U,
            "O": check.O,
            "Q": round(check.Q, 3),
            "feasible": check.feasible,
        }

    # -- after the timetable ---------------------------------------------------------------

    def make_bookings(self) -> None:
        """Workshop seats: the most wanted workshop is full with a waiting list."""
        live = {
            r.user_id: r for r in self.registrations if r.status == RegistrationStatus.CONFIRMED
        }
        wanted = defaultdict(list)
        for interest in self.interests:
            if interest.proposal.format.needs_booking and interest.user_id in live:
                wanted[interest.proposal.pk].append(live[interest.user_id])
        workshops = sorted(
            (p for p in self.scheduled if p.format.needs_booking), key=lambda p: -len(wanted[p.pk])
        )
        bookings = []
        for rank, workshop in enumerate(workshops):
            seats = workshop.seats or 25
            people = wanted[workshop.pk]
            if rank == 0:  # full, six on its waiting list
                extra = [r for r in live.values() if r not in people]
                people = (people + extra)[: seats + 6]
                mine = self.registration_of.get(getattr(self.login(ATTENDEE_EMAIL), "pk", None))
                if mine is not None and mine.status == RegistrationStatus.CONFIRMED:
                    people = [r for r in people if r is not mine][: seats + 5] + [
                        mine
                    ]  # last in the queue
            else:  # a few seats left
                people = people[: seats - 1 - rank % 5]
            for i, registration in enumerate(people):
                bookings.append(
                    WorkshopBooking(
                        registration=registration,
                        proposal=workshop,
                        status=RegistrationStatus.CONFIRMED
                        if i < seats
                        else RegistrationStatus.WAITING,
                        created_at=registration.created_at + timedelta(hours=1 + i),
                    )
                )
        WorkshopBooking.objects.bulk_create(bookings)

    def make_payments(self) -> str:
        """Invoices as the registration area issues them (every confirmed ticket with a price,
        numbered in the year it was bought; a credit note for a cancelled one), and payments
        recorded by staff for about two thirds of them."""
        rng = self.rng
        invoicing = invoice_functions()
        payments, updated, issued = [], [], 0
        for n, registration in enumerate(sorted(self.registrations, key=lambda r: r.created_at)):
            if registration.status == RegistrationStatus.WAITING or registration.price == 0:
                continue
            invoice = None
            if invoicing is not None:
                invoice = invoicing[0](registration=registration, now=registration.created_at)
                issued += 1
            paid = registration.user.email != ATTENDEE_EMAIL and rng.random() < 0.65
            if paid:
                registration.payment_status = PaymentStatus.PAID
                payments.append(
                    Payment(
                        registration=registration,
                        invoice=invoice,
                        amount=_money(registration.price * (1 + registration.vat_rate / 100)),
                        currency=self.event.currency,
                        reference=f"ECS27-{n + 1:04d}",
                        recorded_by=self.staff,
                        recorded_at=registration.created_at + timedelta(days=rng.randint(2, 20)),
                        note="Bank transfer",
                    )
                )
            if registration.status == RegistrationStatus.CANCELLED:
                if invoice is not None:
                    invoicing[1](invoice=invoice, now=registration.cancelled_at)
                    issued += 1
                if paid:
                    registration.payment_status = PaymentStatus.REFUNDED
            updated.append(registration)
        Registration.objects.bulk_update(updated, ["payment_status"])
        Payment.objects.bulk_create(payments)
        if invoicing is None:
            return "no invoices (the registration area's issue_invoice is not available)"
        return f"{issued} invoices and credit notes"


def invoice_functions():
    """(issue_invoice, issue_credit_note) of the registration area, or None without them:
    the demo never numbers invoices by itself."""
    try:
        from constellation.events.registration.invoices import issue_credit_note, issue_invoice
    except ImportError:
        return None
    return issue_invoice, issue_credit_note


# -- the past edition, imported from a pretalx schedule --------------------------------------

PAST_SESSIONS = [
    ("Opening: science centres and the next decade", "Plenary", "Climate and planet", 1),
    ("Relaxed mornings: a year of quiet openings", "Session", "Inclusion and access", 1),
    (
        "Explainers on strike? Working conditions on the floor",
        "Session",
        "Leadership and business models",
        1,
    ),
    ("Build a cardboard automaton", "Workshop", "Exhibitions and design", 2),
    ("Citizen science with city pigeons", "Session", "Citizen science and research", 1),
    ("Evaluation without an evaluator", "Session", "Evaluation and impact", 1),
    ("Chatbots that know when to stop", "Session", "Digital and AI", 1),
    ("Schools that come back: follow-up kits", "Session", "Learning and schools", 1),
    ("Closing: what we take home", "Plenary", "Evaluation and impact", 1),
]


def past_schedule_json(people: list[tuple[Person, Organisation]]) -> bytes:
    """A pretalx-style schedule.json of the 2026 edition (two days in Lisbon)."""
    tz = ZoneInfo("Europe/Lisbon")
    rooms = [("Main hall", 800), ("Room Tejo", 150), ("Room Alfama", 90), ("Lab", 25)]
    colours = {name: colour for _s, name, colour, _t in TRACKS}
    days = [date(2026, 6, 3), date(2026, 6, 4)]
    starts = ["09:00", "11:00", "14:00", "16:00"]
    grid = defaultdict(lambda: defaultdict(list))
    for n, (title, kind, track, span) in enumerate(PAST_SESSIONS):
        if kind == "Plenary":
            room = "Main hall"
            day = 0 if n == 0 else 1
            slot = 0 if n == 0 else 3
        else:
            day, slot = divmod(n - 1, 4)
            day = min(day, 1)
            room = {"Workshop": "Lab"}.get(kind, ["Room Tejo", "Room Alfama"][n % 2])
            if kind == "Workshop":
                slot = 1
        speaker, organisation = people[(n * 13) % len(people)]
        when = datetime.combine(days[day], datetime.strptime(starts[slot], "%H:%M").time(), tz)
        grid[day][room].append(
            {
                "guid": f"00000000-2026-4000-8000-{n:012d}",
                "id": 2600 + n,
                "code": f"PAST{n:02d}",
                "date": when.isoformat(),
                "start": starts[slot],
                "duration": "03:30" if span == 2 else "01:30",
                "room": room,
                "title": title,
                "subtitle": "",
                "track": track,
                "type": kind,
                "language": "en",
                "abstract": f"{title}: a session of the 2026 conference, with {speaker.name} ({organisation.name}).",
                "description": "",
                "persons": [
                    {"code": f"SPK{n:02d}", "name": speaker.name, "biography": speaker.bio}
                ],
                "links": [],
                "attachments": [],
            }
        )
    document = {
        "schedule": {
            "version": "1.0",
            "conference": {
                "acronym": PAST_SLUG,
                "title": "Ecsite Annual Conference 2026",
                "start": "2026-06-03",
                "end": "2026-06-04",
                "daysCount": 2,
                "time_zone_name": "Europe/Lisbon",
                "rooms": [{"name": name, "capacity": capacity} for name, capacity in rooms],
                "tracks": [{"name": name, "color": colour} for name, colour in colours.items()],
                "days": [
                    {
                        "index": i + 1,
                        "date": d.isoformat(),
                        "rooms": {room: items for room, items in grid[i].items()},
                    }
                    for i, d in enumerate(days)
                ],
            },
        }
    }
    return json.dumps(document).encode()


def load_past(network: Network, people) -> bool:
    """The 2026 edition through the pretalx importer; False when it is already there."""
    from constellation.events.interchange.importer import import_schedule

    if Event.objects.filter(slug=PAST_SLUG).exists():
        return False
    result = import_schedule(raw=past_schedule_json(people), event_slug=PAST_SLUG, network=network)
    Event.objects.filter(pk=result.event.pk).update(
        is_published=True,
        city="Lisbon",
        country="PT",
        venue_name="Riverside pavilion (demo venue)",
        capacity=800,
    )
    return True


def load(*, force: bool = False) -> Summary:
    """Load the demo conference; with it already there, change nothing (unless `force`)."""
    started = time.monotonic()
    network = Network.objects.filter(slug=NETWORK_SLUG).first()
    if network is None:
        raise LookupError("There is no Ecsite network: run `constellation load_demo` first.")
    if force:
        with transaction.atomic():
            remove(SLUG)
            remove(PAST_SLUG)
    if Event.objects.filter(slug=SLUG).exists():
        return Summary(created=False, seconds=time.monotonic() - started, counts=counts())
    with transaction.atomic():
        builder = DemoConference(network)
        summary = builder.build()
        clock = time.monotonic()
        load_past(network, builder.pool)
        summary.steps["2026 edition (import)"] = round(time.monotonic() - clock, 2)
    summary.seconds = time.monotonic() - started
    summary.counts = counts()
    return summary


def counts() -> dict:
    event = Event.objects.get(slug=SLUG)
    states = Counter(event.proposals.values_list("state", flat=True))
    return {
        "proposals": dict(sorted(states.items())),
        "reviews": Review.objects.filter(assignment__proposal__event=event).count(),
        "interests": Interest.objects.filter(proposal__event=event).count(),
        "registrations": dict(Counter(event.registrations.values_list("status", flat=True))),
        "payments": Payment.objects.filter(registration__event=event).count(),
    }

"""The published programme, read once and kept: what every public page and export is drawn from.

The published programme is the event's latest published TimetableVersion with its
placements (first slot + room; a multi-slot session runs on into the following consecutive
slots of its day). `published_programme(event)` reads it in five queries whatever its size
(slots, rooms, tracks, placements with their sessions, presenters) into plain dataclasses and
keeps them in the cache. The key moves when a new version is published (the event's stamp)
or a session is edited (latest `Proposal.updated_at`, one small aggregate query); presenter,
room and track edits show within CACHE_SECONDS.
"""

from __future__ import annotations

import hashlib
import time
import zoneinfo
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, Q, QuerySet

from constellation.events.models import (
    Event,
    Placement,
    Presenter,
    Proposal,
    Room,
    Slot,
    TimetableVersion,
    Track,
)
from constellation.networks.models import Visibility, normalise
from constellation.networks.rules import staff_network_ids

CACHE_SECONDS = 600
# Bump when the dataclasses below change shape, so old pickles are not read back.
DATA_VERSION = 1


# -- Events -------------------------------------------------------------------------------------


def events_visible_to(user) -> QuerySet[Event]:
    """Published events; staff also see their network's unpublished ones (superusers all)."""
    events = Event.objects.select_related("network").order_by("-start_date", "name")
    if user.is_authenticated and user.is_superuser:
        return events
    network_ids = staff_network_ids(user)
    if network_ids:
        return events.filter(Q(is_published=True) | Q(network_id__in=network_ids))
    return events.filter(is_published=True)


# -- The programme as plain data ------------------------------------------------------------------


def contrast_text(colour: str) -> str:
    """Black or white, whichever reads better on `colour` (#rrggbb), by WCAG contrast ratio."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    value = colour.lstrip("#")
    r, g, b = (channel(value[i : i + 2]) for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    on_black = (luminance + 0.05) / 0.05
    on_white = 1.05 / (luminance + 0.05)
    return "#000000" if on_black >= on_white else "#ffffff"


@dataclass(frozen=True)
class RoomRef:
    id: int
    name: str
    slug: str
    capacity: int


@dataclass(frozen=True)
class TrackRef:
    id: int
    name: str
    slug: str
    colour: str
    text_colour: str


@dataclass
class PresenterRef:
    name: str
    key: str  # stable speaker id in exports
    biography: str
    person_id: int | None
    # The directory lists this person to signed-in members (the person page's own rule).
    person_listed: bool
    organisation_name: str
    organisation_slug: str


@dataclass
class SessionItem:
    code: str
    guid_basis: str  # external id when imported, else the code: stays with the session
    title: str
    abstract: str
    description: str
    language: str
    format_name: str
    track: TrackRef | None
    room: RoomRef
    start: datetime
    end: datetime
    day: date  # local date
    slots: int
    presenters: list[PresenterRef]
    search_text: str
    updated_at: datetime

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def overlaps(self, other: SessionItem) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass
class ProgrammeData:
    event_id: int
    version_id: int | None
    published_at: datetime | None
    time_zone: str
    days: list[date]
    rooms: list[RoomRef]
    tracks: list[TrackRef]
    sessions: list[SessionItem] = field(default_factory=list)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_published(self) -> bool:
        return self.version_id is not None

    def by_code(self) -> dict[str, SessionItem]:
        return {s.code: s for s in self.sessions}


def _event_days(event: Event) -> list[date]:
    from datetime import timedelta

    span = (event.end_date - event.start_date).days
    return [event.start_date + timedelta(days=n) for n in range(span + 1)]


def _presenter_ref(presenter: Presenter) -> PresenterRef:
    person = presenter.person
    organisation = presenter.organisation
    listed = bool(person and not person.is_erased and person.name_visibility != Visibility.PRIVATE)
    return PresenterRef(
        name=presenter.name,
        key=presenter.speaker_key,
        biography=presenter.biography,
        person_id=person.pk if person else None,
        person_listed=listed,
        organisation_name=organisation.name if organisation else "",
        organisation_slug=organisation.slug if organisation else "",
    )


def build_programme(event: Event) -> ProgrammeData:
    """Read the published version into plain data: five queries whatever the number of sessions."""
    tz = event.tz
    version = (
        TimetableVersion.objects.filter(event=event, published_at__isnull=False)
        .order_by("-published_at")
        .only("pk", "published_at")
        .first()
    )
    rooms = [RoomRef(r.pk, r.name, r.slug, r.capacity) for r in Room.objects.filter(event=event)]
    tracks = [
        TrackRef(t.pk, t.name, t.slug, t.colour, contrast_text(t.colour))
        for t in Track.objects.filter(event=event)
    ]
    data = ProgrammeData(
        event_id=event.pk,
        version_id=version.pk if version else None,
        published_at=version.published_at if version else None,
        time_zone=event.time_zone,
        days=_event_days(event),
        rooms=rooms,
        tracks=tracks,
    )
    if version is None:
        return data
    room_by_id = {r.id: r for r in rooms}
    track_by_id = {t.id: t for t in tracks}
    # The slots of each local day in order: a session of n slots ends with the n-th from its first.
    day_slots: dict[date, list[Slot]] = {}
    for slot in Slot.objects.filter(event=event).order_by("start"):
        day_slots.setdefault(slot.start.astimezone(tz).date(), []).append(slot)
    position = {s.pk: (day, i) for day, slots in day_slots.items() for i, s in enumerate(slots)}
    placements = (
        Placement.objects.filter(version=version)
        .select_related("proposal__format")
        .prefetch_related(
            Prefetch(
                "proposal__presenters",
                queryset=Presenter.objects.select_related("person", "organisation").order_by(
                    "position", "pk"
                ),
            )
        )
    )
    sessions = []
    for placement in placements:
        proposal: Proposal = placement.proposal
        day, index = position[placement.slot_id]
        run = day_slots[day][index : index + proposal.duration]
        presenters = [_presenter_ref(p) for p in proposal.presenters.all()]
        track = track_by_id.get(proposal.track_id)
        sessions.append(
            SessionItem(
                code=proposal.code,
                guid_basis=proposal.external_id or proposal.code,
                title=proposal.title,
                abstract=proposal.abstract,
                description=proposal.description,
                language=proposal.language,
                format_name=proposal.format.name if proposal.format_id else "",
                track=track,
                room=room_by_id[placement.room_id],
                start=run[0].start,
                end=run[-1].end,
                day=day,
                slots=len(run),
                presenters=presenters,
                search_text=normalise(
                    " ".join([proposal.title, proposal.abstract, *(p.name for p in presenters)])
                ),
                updated_at=proposal.updated_at,
            )
        )
    order = {r.id: n for n, r in enumerate(rooms)}
    sessions.sort(key=lambda s: (s.start, order[s.room.id], s.title))
    data.sessions = sessions
    return data


def programme_stamp(event: Event) -> str:
    """What the cached programme depends on, in one small query."""
    row = Proposal.objects.filter(event=event).aggregate(n=Count("pk"), latest=Max("updated_at"))
    published = event.timetable_published_at.isoformat() if event.timetable_published_at else "-"
    basis = f"{DATA_VERSION}|{event.pk}|{event.time_zone}|{published}|{row['n']}|{row['latest']}"
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


# Each worker process also keeps the last few programmes and exports in memory: the stamp
# is read from the database on every request, so a memo under it is never stale, and the
# shared cache's unpickling (~10 ms for 200 sessions) is paid once per process and version.
_MEMO: OrderedDict[str, tuple[float, object]] = OrderedDict()
MEMO_SIZE = 32


def _cached(key: str, build):
    now = time.monotonic()
    hit = _MEMO.get(key)
    if hit is not None and hit[0] > now:
        _MEMO.move_to_end(key)
        return hit[1]
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    _MEMO[key] = (now + CACHE_SECONDS, value)
    while len(_MEMO) > MEMO_SIZE:
        _MEMO.popitem(last=False)
    return value


def forget_memo() -> None:
    """Empty this process's memo (tests measuring a cold start)."""
    _MEMO.clear()


def published_programme(event: Event, stamp: str | None = None) -> ProgrammeData:
    """The published programme from the cache, built on a miss (see the module docstring)."""
    stamp = stamp or programme_stamp(event)
    return _cached(f"events:programme:{stamp}", lambda: build_programme(event))


def cached_render(stamp: str, name: str, build):
    """An export or rendered fragment (`name`: xml, json, ics-en...), built once per stamp."""
    return _cached(f"events:programme:{name}:{stamp}", build)


# -- Filtering the page -------------------------------------------------------------------------


def search_words(query: str) -> list[str]:
    return normalise(query).split()[:10]


def filter_sessions(
    sessions: list[SessionItem],
    *,
    day: date | None = None,
    room: str = "",
    track: str = "",
    query: str = "",
) -> list[SessionItem]:
    """Sessions matching every filter; every word of the query must appear (accents ignored)
    in the title, abstract or a presenter's name."""
    words = search_words(query)
    return [
        s
        for s in sessions
        if (day is None or s.day == day)
        and (not room or s.room.slug == room)
        and (not track or (s.track is not None and s.track.slug == track))
        and all(w in s.search_text for w in words)
    ]


def clashes(sessions: list[SessionItem]) -> dict[str, list[SessionItem]]:
    """For each session (by code), the other sessions of the list that overlap it in time."""
    ordered = sorted(sessions, key=lambda s: (s.start, s.end))
    found: dict[str, list[SessionItem]] = {s.code: [] for s in ordered}
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if second.start >= first.end:
                break
            found[first.code].append(second)
            found[second.code].append(first)
    return found


def starred_codes(user, event: Event) -> set[str]:
    if not user.is_authenticated:
        return set()
    from constellation.events.models import Interest

    return set(
        Interest.objects.filter(user=user, proposal__event=event).values_list(
            "proposal__code", flat=True
        )
    )

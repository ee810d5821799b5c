"""Import a published schedule (pretalx JSON or frab XML) into an event.

The file becomes rooms, tracks, session formats, slots, confirmed proposals with their
presenters, and a published timetable. Running it again with the same or a corrected file
updates those rows: sessions are known by their guid (else code or id), rooms, tracks and
formats by name, slots by start, so nothing is duplicated. The file is read and checked
completely first; the writes then happen in one transaction.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from constellation.events import services
from constellation.events.interchange.frab import (
    Schedule,
    ScheduleFileError,
    SessionEntry,
    read_schedule,
)
from constellation.events.models import (
    Event,
    Presenter,
    PresenterRole,
    Proposal,
    ProposalState,
    Room,
    SessionFormat,
    Slot,
    Track,
    colour_validator,
)
from constellation.networks.models import Network, Person

# Files rarely say how many seats a room has; organisers correct this placeholder.
UNKNOWN_CAPACITY = 100
DEFAULT_FORMAT = "Session"


@dataclass
class ImportResult:
    event: Event
    created: bool
    sessions: int
    rooms: int
    slots: int


def derive_slots(schedule: Schedule, tz) -> list[tuple[datetime, datetime]]:
    """The grid: each distinct start time of a day opens a slot, which ends at the next start
    of that day or when the shortest session starting then ends, whichever is first.

    A long session that runs on where no other session starts (a two-slot workshop beside
    one-slot talks, with nothing beginning in its second half) would otherwise shrink to its
    first slot: its time on is cut into further slots of its first slot's length wherever
    they overlap no slot already there.
    """
    by_day: dict = defaultdict(dict)
    for session in schedule.sessions:
        start = session.start.astimezone(tz)
        length = session.end - session.start
        shortest = by_day[start.date()].get(start)
        by_day[start.date()][start] = length if shortest is None else min(shortest, length)
    slots = []
    for day in sorted(by_day):
        starts = sorted(by_day[day])
        for i, start in enumerate(starts):
            end = start + by_day[day][start]
            if i + 1 < len(starts):
                end = min(end, starts[i + 1])
            slots.append((start, end))
    first_slot = {start: end for start, end in slots}
    for session in sorted(schedule.sessions, key=lambda s: (s.start, s.end)):
        start = session.start.astimezone(tz)
        length = first_slot[start] - start
        cursor = first_slot[start]
        while cursor + length <= session.end.astimezone(tz):
            if not any(s < cursor + length and cursor < e for s, e in slots):
                slots.append((cursor, cursor + length))
            cursor += length
    return sorted(slots)


def _span(session: SessionEntry, starts: list[datetime]) -> int:
    """Slots a session covers: those starting between its start and its end."""
    return max(1, sum(1 for s in starts if session.start <= s < session.end))


def _unique_slug(existing: set[str], text: str, fallback: str) -> str:
    base = slugify(text)[:50].strip("-") or fallback
    slug, n = base, 2
    while slug in existing:
        slug = f"{base}-{n}"
        n += 1
    existing.add(slug)
    return slug


def _resolve_event(
    schedule: Schedule, event_slug: str, network: Network | None
) -> tuple[Event | None, str]:
    slug = event_slug or slugify(schedule.acronym or schedule.title)[:60]
    if not slug:
        raise ScheduleFileError(_("Name the event with --event: the file has no usable acronym."))
    event = Event.objects.filter(slug=slug).first()
    if event is None and network is None:
        raise ScheduleFileError(
            _("There is no event %(slug)s yet: name its organising network to create it.")
            % {"slug": slug}
        )
    return event, slug


def import_schedule(
    *, raw: bytes, event_slug: str = "", network: Network | None = None
) -> ImportResult:
    """Read `raw` (JSON or XML) and write it into the event, creating the event if needed.

    Raises ScheduleFileError (a DomainError) for an unusable file; nothing is written then.
    Side effects: the draft timetable becomes the file's placements and is published
    (no new version when nothing changed); proposals end up confirmed.
    """
    schedule = read_schedule(raw)
    event, slug = _resolve_event(schedule, event_slug, network)
    with transaction.atomic():
        created = event is None
        if created:
            event = Event(network=network, slug=slug)
        event.name = schedule.title
        event.start_date, event.end_date = schedule.start, schedule.end
        event.time_zone = schedule.time_zone
        event.save()
        tz = event.tz

        rooms = {r.name: r for r in event.rooms.all()}
        slugs = {r.slug for r in rooms.values()}
        for position, name in enumerate(schedule.rooms):
            room = rooms.get(name)
            if room is None:
                room = Room(
                    event=event,
                    name=name,
                    slug=_unique_slug(slugs, name, "room"),
                    capacity=schedule.room_capacity.get(name, UNKNOWN_CAPACITY),
                )
            elif name in schedule.room_capacity:
                room.capacity = schedule.room_capacity[name]
            room.position = position
            room.save()
            rooms[name] = room

        tracks = {t.name: t for t in event.tracks.all()}
        slugs = {t.slug for t in tracks.values()}
        for position, (name, colour) in enumerate(schedule.tracks.items()):
            track = tracks.get(name) or Track(
                event=event, name=name, slug=_unique_slug(slugs, name, "track")
            )
            try:
                colour_validator(colour)
                track.colour = colour
            except ValidationError:
                pass  # an unusable colour keeps the current one
            track.position = position
            track.save()
            tracks[name] = track

        grid = derive_slots(schedule, tz)
        existing = {s.start: s for s in event.slots.all()}
        slots = {}
        for start, end in grid:
            slot = existing.get(start)
            if slot is None:
                slot = Slot.objects.create(event=event, start=start, end=end)
            elif slot.end != end:
                slot.end = end
                slot.save(update_fields=["end"])
            slots[start] = slot
        starts_by_day = defaultdict(list)
        for start in slots:
            starts_by_day[start.date()].append(start)

        spans = {
            s.identity: _span(s, starts_by_day[s.start.astimezone(tz).date()])
            for s in schedule.sessions
        }
        formats = {f.name: f for f in event.formats.all()}
        lengths: dict[str, Counter] = defaultdict(Counter)
        for session in schedule.sessions:
            lengths[session.type or DEFAULT_FORMAT][spans[session.identity]] += 1
        for name, counter in lengths.items():
            if name not in formats:
                formats[name] = SessionFormat.objects.create(
                    event=event, name=name, duration_slots=counter.most_common(1)[0][0]
                )

        people_by_name: dict[str, list[int]] = defaultdict(list)
        names = {p.name for s in schedule.sessions for p in s.persons}
        for pk, name in Person.objects.filter(name__in=names, is_erased=False).values_list(
            "pk", "name"
        ):
            people_by_name[name].append(pk)

        proposals = {p.external_id: p for p in event.proposals.filter(external_id__in=spans)}
        taken_codes = set(
            Proposal.objects.exclude(event=event)
            .filter(code__in=[s.code.upper() for s in schedule.sessions if s.code])
            .values_list("code", flat=True)
        )
        now = timezone.now()
        placements = []
        for session in schedule.sessions:
            proposal = proposals.get(session.identity)
            if proposal is None:
                proposal = Proposal(event=event, external_id=session.identity, submitted_at=now)
                code = session.code.upper()[:16]
                if (
                    code
                    and code not in taken_codes
                    and not Proposal.objects.filter(code=code).exists()
                ):
                    proposal.code = code
            session_format = formats[session.type or DEFAULT_FORMAT]
            span = spans[session.identity]
            proposal.title = session.title[:300]
            proposal.abstract = session.abstract
            proposal.description = session.description
            proposal.language = session.language[:10]
            proposal.track = tracks.get(session.track)
            proposal.format = session_format
            proposal.duration_slots = None if span == session_format.duration_slots else span
            proposal.state = ProposalState.CONFIRMED
            proposal.submitted_at = proposal.submitted_at or now
            proposal.save()
            _sync_presenters(proposal, session, people_by_name, now)
            first = slots[session.start.astimezone(tz)]
            placements.append((proposal, first, rooms[session.room], False))

        # A session gone from the published schedule was cancelled there: withdraw it here
        # so the optimiser stops placing it. Proposals made in Constellation are untouched.
        withdrawn = (
            event.proposals.exclude(external_id="")
            .exclude(external_id__in=spans)
            .exclude(state=ProposalState.WITHDRAWN)
        )
        for proposal in withdrawn:
            proposal.state = ProposalState.WITHDRAWN
            proposal.save(update_fields=["state", "updated_at"])
        services.replace_draft_placements(event=event, placements=placements)
        services.publish_timetable(event=event, label=_("Imported"))
    return ImportResult(
        event=event,
        created=created,
        sessions=len(schedule.sessions),
        rooms=len(rooms),
        slots=len(slots),
    )


def _sync_presenters(proposal: Proposal, session: SessionEntry, people_by_name, now) -> None:
    """Make the proposal's presenters the file's persons, in order, the first the proposer."""
    current = list(proposal.presenters.all())
    kept: list[Presenter] = []
    linked: set[int] = set()
    for position, entry in enumerate(session.persons):
        match = next(
            (
                p
                for p in current
                if p not in kept
                and (
                    (entry.identity and p.external_id == entry.identity)
                    or (not entry.identity and p.name == entry.name)
                )
            ),
            None,
        )
        presenter = match or Presenter(proposal=proposal, confirmed_at=now)
        candidates = people_by_name.get(entry.name, [])
        person_id = candidates[0] if len(candidates) == 1 and candidates[0] not in linked else None
        if person_id:
            linked.add(person_id)
        presenter.person_id = person_id
        presenter.name = entry.name[:200]
        presenter.external_id = entry.identity[:100]
        presenter.biography = entry.biography or presenter.biography
        presenter.position = position
        presenter.role = PresenterRole.PROPOSER if position == 0 else PresenterRole.CO_PRESENTER
        kept.append(presenter)
    # Roles move between rows: clear the old proposer first so the one-proposer rule holds.
    Presenter.objects.filter(proposal=proposal).exclude(
        pk__in=[p.pk for p in kept if p.pk]
    ).delete()
    Presenter.objects.filter(proposal=proposal).update(role=PresenterRole.CO_PRESENTER, person=None)
    for presenter in kept:
        presenter.save()

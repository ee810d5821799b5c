"""Changes to an event's timetable from its web pages: moves and swaps in the draft, interests,
optimiser runs and publication.

Each function runs in one transaction and locks the event row first (as events/services.py
does), so two organisers, or an organiser and the optimiser, never interleave their writes.

Moves and swaps: what no timetable may do (two sessions in one room at once, a long session
running past the end of its day) is refused with a message and nothing changes. Everything
else an organiser may know better about (a presenter's clash or unavailability, a format's
preferred rooms, a room too small) is allowed and shown as a warning, with the figures before
and after so the cost in attendee interests is plain.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from constellation.events import services as event_services
from constellation.events.models import (
    Event,
    Interest,
    Placement,
    Proposal,
    Room,
    RunStatus,
    ScheduleRun,
    Slot,
    TimetableChange,
    TimetableVersion,
)
from constellation.events.scheduling.evaluate import Figures
from constellation.events.services import lock_event
from constellation.events.timetable import queries, warnings
from constellation.networks.services import DomainError

logger = logging.getLogger(__name__)

# Progress is written to the run's row at most this often (seconds): the page polls it.
PROGRESS_EVERY = 0.5


@dataclass
class ChangeOutcome:
    message: str
    before: Figures
    after: Figures

    @property
    def lost(self) -> int:
        """Wanted sessions attendees can no longer attend (negative: gained)."""
        return self.before.A - self.after.A

    @property
    def gained(self) -> int:
        return max(0, -self.lost)

    @property
    def effect(self) -> str:
        """What the change does to attendees, with the figures (A, and O when it moved)."""
        if self.lost > 0:
            text = ngettext(
                "Attendees can attend %(count)d wanted session fewer",
                "Attendees can attend %(count)d wanted sessions fewer",
                self.lost,
            ) % {"count": self.lost}
        elif self.gained:
            text = ngettext(
                "Attendees can attend %(count)d more wanted session",
                "Attendees can attend %(count)d more wanted sessions",
                self.gained,
            ) % {"count": self.gained}
        else:
            text = _("Attendees can attend as many wanted sessions as before")
        figures = f"A {self.before.A} → {self.after.A}"
        if self.before.O != self.after.O:
            figures += f", O {self.before.O} → {self.after.O}"
        return f"{text} ({figures})."

    @property
    def summary(self) -> str:
        return f"{self.message} {self.effect}"


def _locked_draft(event: Event, state: str | None) -> queries.Draft:
    draft = queries.load_draft(lock_event(event))
    if state is not None and state != draft.state:
        raise DomainError(
            _(
                "The timetable changed since you opened this page (another organiser, an "
                "optimiser run, or this form sent twice). Nothing was changed; look again."
            )
        )
    return draft


def _change(
    draft: queries.Draft, new: dict[str, tuple[Slot, Room] | None]
) -> tuple[Figures, Figures]:
    """Check the new places of some sessions and return the figures before and after."""
    problem = warnings.problem_for(draft)
    before = warnings.assignment_of(draft)
    after = dict(before)
    tz = draft.tz
    for code, place in new.items():
        if code not in problem.session_index:  # declined or withdrawn since the form was drawn
            raise DomainError(_("That session is no longer accepted; nothing was changed."))
        if place is None:
            after.pop(code, None)
        else:
            after[code] = (place[0].key(tz), place[1].slug)
    moved = [code for code, place in new.items() if place is not None]
    reasons = warnings.physical_conflicts(problem, after, moved, draft)
    # Rows of sessions no longer accepted still hold their room and slot.
    for stale in draft.stale:
        for code in moved:
            slot, room = new[code]
            if (stale.slot_id, stale.room_id) == (slot.pk, room.pk):
                reasons.append(
                    _("%(room)s is taken then by “%(other)s”, which is no longer accepted.")
                    % {"room": room.name, "other": stale.proposal.title}
                )
    if reasons:
        raise DomainError(_("Nothing was changed.") + " " + " ".join(reasons))
    return warnings.review(draft, problem, before).figures, warnings.review(
        draft, problem, after
    ).figures


def _where(slot: Slot, room: Room, tz) -> str:
    return _("%(room)s, %(when)s") % {"room": room.name, "when": queries.local_label(slot, tz)}


def move_session(
    *, event: Event, proposal: Proposal, slot: Slot, room: Room, state: str | None = None
) -> ChangeOutcome:
    """Put a session (placed or not) at `slot` in `room` in the draft.

    Refused (DomainError, nothing written) when the room is taken during the session's slots,
    when it would run past the end of the day, or when the draft changed since `state`.
    A pinned session keeps its pin.
    """
    with transaction.atomic():
        draft = _locked_draft(event, state)
        current = draft.placements.get(proposal.pk)
        if current is not None and (current.slot_id, current.room_id) == (slot.pk, room.pk):
            raise DomainError(_("“%(title)s” is already there.") % {"title": proposal.title})
        before, after = _change(draft, {proposal.code: (slot, room)})
        if current is None:
            Placement.objects.create(version=draft.version, proposal=proposal, slot=slot, room=room)
        else:
            Placement.objects.filter(pk=current.pk).update(slot=slot, room=room)
    message = _("“%(title)s” is now in %(where)s.") % {
        "title": proposal.title,
        "where": _where(slot, room, draft.tz),
    }
    return ChangeOutcome(message, before, after)


def swap_sessions(
    *, event: Event, first: Proposal, second: Proposal, state: str | None = None
) -> ChangeOutcome:
    """Exchange the places of two placed sessions (room and first slot)."""
    if first.pk == second.pk:
        raise DomainError(_("Choose two different sessions to swap."))
    with transaction.atomic():
        draft = _locked_draft(event, state)
        a, b = draft.placements.get(first.pk), draft.placements.get(second.pk)
        if a is None or b is None:
            raise DomainError(_("Both sessions must be in the timetable to swap them."))
        before, after = _change(
            draft, {first.code: (b.slot, b.room), second.code: (a.slot, a.room)}
        )
        # Each (room, slot) holds one start: free both before writing them back.
        Placement.objects.filter(pk__in=[a.pk, b.pk]).delete()
        Placement.objects.bulk_create(
            [
                Placement(
                    version=draft.version,
                    proposal=first,
                    slot=b.slot,
                    room=b.room,
                    is_fixed=a.is_fixed,
                ),
                Placement(
                    version=draft.version,
                    proposal=second,
                    slot=a.slot,
                    room=a.room,
                    is_fixed=b.is_fixed,
                ),
            ]
        )
    message = _("“%(first)s” and “%(second)s” swapped places.") % {
        "first": first.title,
        "second": second.title,
    }
    return ChangeOutcome(message, before, after)


def unplace_session(*, event: Event, proposal: Proposal, state: str | None = None) -> ChangeOutcome:
    """Take a session out of the draft timetable (it is listed as not placed)."""
    with transaction.atomic():
        draft = _locked_draft(event, state)
        row = draft.placements.get(proposal.pk) or next(
            (p for p in draft.stale if p.proposal_id == proposal.pk), None
        )
        if row is None:
            raise DomainError(_("“%(title)s” is not in the timetable.") % {"title": proposal.title})
        if proposal.pk in draft.placements:
            before, after = _change(draft, {proposal.code: None})
        else:
            before = after = warnings.review(draft).figures
        row.delete()
    message = _("“%(title)s” was taken out of the timetable.") % {"title": proposal.title}
    return ChangeOutcome(message, before, after)


# -- Interests --------------------------------------------------------------------------------


def set_interest(*, user, proposal: Proposal, wanted: bool) -> bool:
    """Mark (or unmark) that `user` wants to attend `proposal`. Says the state to reach, not
    "toggle", so a form sent twice leaves the same result. Returns whether it is marked."""
    with transaction.atomic():
        if wanted:
            Interest.objects.get_or_create(user=user, proposal=proposal)
        else:
            Interest.objects.filter(user=user, proposal=proposal).delete()
    return wanted


# -- Optimiser runs ---------------------------------------------------------------------------


def start_schedule_run(
    *, event: Event, seconds: int, keep_current: bool, user=None
) -> tuple[ScheduleRun, bool]:
    """Queue an optimiser run for the event's draft; (run, True) when a new one was queued.

    A run still queued or running for the event is returned instead (False): one optimiser
    per event at a time, and a double click starts one. The task is enqueued after commit.
    """
    from constellation.events.timetable.tasks import run_schedule_task

    with transaction.atomic():
        event = lock_event(event)
        pending = event.schedule_runs.filter(
            status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
        ).first()
        if pending is not None:
            return pending, False
        run = ScheduleRun.objects.create(
            event=event,
            seconds=seconds,
            keep_current=keep_current,
            created_by=user,
            message=_("Waiting for a worker…"),
        )
        run_id = run.pk
        transaction.on_commit(lambda: run_schedule_task.enqueue(run_id))
    return run, True


def _figures_dict(figures: Figures) -> dict:
    return {
        "A": figures.A,
        "U": figures.U,
        "O": figures.O,
        "Q": round(figures.Q, 4),
        "A_over_U": round(figures.A_over_U, 4),
    }


def _fail(run_id: int, message: str) -> None:
    ScheduleRun.objects.filter(pk=run_id).update(
        status=RunStatus.FAILED, message=message[:300], finished_at=timezone.now()
    )


def run_schedule(run_id: int) -> ScheduleRun | None:
    """Run a queued optimiser run and put its timetable in the draft.

    Safe to run twice: only a queued run is claimed. Progress goes to the row at most every
    PROGRESS_EVERY seconds. The draft is replaced only if nobody changed it meanwhile, and
    only by a timetable that keeps every hard rule (apply_answer checks it again); otherwise
    the run fails with a message and the draft stays as it was. With `keep_current`, sessions
    placed now stay where they are and only the others are placed.
    """
    from constellation.events.schedule_io import apply_answer
    from constellation.events.scheduling.bound import served_bound
    from constellation.events.scheduling.evaluate import evaluate
    from constellation.events.scheduling.problem import answer_to_json
    from constellation.events.scheduling.solver import solve

    claimed = ScheduleRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
        progress=0,
        message=_("Reading the sessions and interests…"),
    )
    run = ScheduleRun.objects.select_related("event").filter(pk=run_id).first()
    if not claimed or run is None:
        return run
    event = run.event
    try:
        draft = queries.load_draft(event)
        problem = warnings.problem_for(draft)
        current = warnings.assignment_of(draft)
        if run.keep_current:
            problem = _with_pins(draft, current)
        before = evaluate(problem, current) if current else None
        bound = served_bound(problem)
        last = [0.0]

        def progress(fraction: float, best: int) -> None:
            now = time.monotonic()
            if now - last[0] < PROGRESS_EVERY:
                return
            last[0] = now
            ScheduleRun.objects.filter(pk=run_id).update(
                progress=min(max(fraction, 0.0), 1.0),
                message=_("Improving: %(served)d wanted sessions attendable, net of overflow.")
                % {"served": best},
            )

        assignment, figures, info = solve(
            problem, seconds=run.seconds, seed=run.pk, progress=progress, workers=1
        )
        if not figures.feasible:
            unplaced = info.get("unplaced") or []
            titles = [p.title for p in draft.sessions if p.code in unplaced][:5]
            if not unplaced:  # pinned sessions that already break a rule
                _fail(
                    run_id,
                    _("The sessions kept in place break the rules: %(rules)s")
                    % {"rules": " ".join(figures.violations[:3])},
                )
                return ScheduleRun.objects.filter(pk=run_id).first()
            _fail(
                run_id,
                _(
                    "No timetable keeps every rule: %(count)d sessions found no place (%(titles)s). "
                    "Add slots or rooms, or check the presenters' unavailability."
                )
                % {"count": len(unplaced), "titles": ", ".join(titles)},
            )
            return ScheduleRun.objects.filter(pk=run_id).first()
        with transaction.atomic():
            locked = queries.load_draft(lock_event(event))
            if locked.state != draft.state:
                raise DomainError(
                    _(
                        "The draft timetable was changed while the optimiser ran; it was kept as it "
                        "is. Start the optimiser again to use it."
                    )
                )
            apply_answer(event, answer_to_json(assignment, problem))
    except DomainError as error:
        _fail(run_id, error.message)
        return ScheduleRun.objects.filter(pk=run_id).first()
    except Exception:
        logger.exception("Optimiser run %s failed", run_id)
        _fail(
            run_id,
            _(
                "The optimiser stopped with an error. Please try again; if it fails again, tell the administrators."
            ),
        )
        return ScheduleRun.objects.filter(pk=run_id).first()
    result = {
        "before": _figures_dict(before) if before else None,
        "after": _figures_dict(figures),
        "bound": bound,
        "bound_Q": round(bound / figures.U, 4) if figures.U else 0.0,
        "sessions": len(problem.sessions),
        "attendees": len(problem.attendees),
        "seconds": info.get("seconds"),
    }
    ScheduleRun.objects.filter(pk=run_id).update(
        status=RunStatus.DONE,
        progress=1.0,
        figures=result,
        finished_at=timezone.now(),
        message=_("Done: the draft timetable was replaced."),
    )
    return ScheduleRun.objects.filter(pk=run_id).first()


def _with_pins(draft: queries.Draft, current: dict):
    """The problem with every session placed now pinned where it is."""
    from constellation.events.schedule_io import build_problem
    from constellation.events.scheduling.problem import ScheduleError, problem_from_json

    document = build_problem(draft.event)
    for session in document["sessions"]:
        if session["id"] in current:
            slot, room = current[session["id"]]
            session["fixed"] = {"slot": slot, "room": room}
    try:
        return problem_from_json(document)
    except ScheduleError as error:
        raise DomainError(error.message) from error


# -- Publication ------------------------------------------------------------------------------


@dataclass
class ChangeLine:
    proposal: Proposal
    kind: str  # "moved", "added", "removed"
    before: str
    after: str


def changes_since_publication(
    event: Event, draft: queries.Draft | None = None
) -> tuple[TimetableVersion | None, list[ChangeLine]]:
    """What publishing the draft now would change for the public: sessions moved, added, removed."""
    draft = draft or queries.load_draft(event)
    tz = event.tz
    published, old = queries.published_placements(event)
    new = {**draft.placements, **{p.proposal_id: p for p in draft.stale}}
    lines = []
    for proposal_id, placement in new.items():
        after = queries.placement_text(placement.slot, placement.room, tz)
        previous = old.get(proposal_id)
        if previous is None:
            lines.append(ChangeLine(placement.proposal, "added", "", after))
        elif (previous.slot_id, previous.room_id) != (placement.slot_id, placement.room_id):
            before = queries.placement_text(previous.slot, previous.room, tz)
            lines.append(ChangeLine(placement.proposal, "moved", before, after))
    for proposal_id, previous in old.items():
        if proposal_id not in new:
            before = queries.placement_text(previous.slot, previous.room, tz)
            lines.append(ChangeLine(previous.proposal, "removed", before, ""))
    lines.sort(
        key=lambda line: (("moved", "added", "removed").index(line.kind), line.proposal.title)
    )
    return published, lines


def publish(
    *, event: Event, label: str = "", state: str | None = None
) -> tuple[TimetableVersion, int]:
    """Publish the draft; returns (version, number of changes recorded).

    The first publication records no changes (nobody had a timetable to change). Later ones
    record a TimetableChange per session moved, added or removed, and after commit a task
    mails the presenters of those sessions. An unchanged draft publishes nothing
    (DomainError), so a form sent twice publishes once.
    """
    from constellation.events.timetable.tasks import notify_timetable_changes_task

    with transaction.atomic():
        draft = _locked_draft(event, state)
        published, lines = changes_since_publication(event, draft)
        if published is not None and not lines:
            raise DomainError(
                _("Nothing changed since the last publication; nothing was published.")
            )
        if not draft.placements:
            raise DomainError(_("The draft timetable is empty; place sessions before publishing."))
        version = event_services.publish_timetable(event=event, label=label)
        if published is None:
            return version, 0
        TimetableChange.objects.bulk_create(
            TimetableChange(
                version=version, proposal=line.proposal, before=line.before, after=line.after
            )
            for line in lines
        )
        version_id = version.pk
        transaction.on_commit(lambda: notify_timetable_changes_task.enqueue(version_id))
    return version, len(lines)

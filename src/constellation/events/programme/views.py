"""The conference for attendees: the event list and home, the public programme, session
pages, the personal agenda with its secret feed, calendars and exports for conference apps.

Every page reads the published programme from `queries.published_programme` (cached plain
data), so it costs the same few queries for 20 sessions or 800.
"""

from __future__ import annotations

import hashlib
from datetime import date
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from constellation.core.htmx import render_page
from constellation.events.models import AgendaFeed, Proposal
from constellation.events.programme import calendars, exports, queries, services
from constellation.events.programme import rules as _rules  # noqa: F401  (registers the perms)
from constellation.events.programme.forms import ALL_DAYS, ProgrammeFilterForm, day_label
from constellation.events.queries import get_visible_event
from constellation.events.rules import is_committee_member

PROGRAMME = "events/programme/programme.html"


def _load(request: HttpRequest, slug: str):
    event = get_visible_event(request.user, slug)
    stamp = queries.programme_stamp(event)
    return event, stamp, queries.published_programme(event, stamp)


def event_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    events = list(queries.events_visible_to(request.user))
    return render(
        request,
        "events/programme/event_list.html",
        {
            "upcoming": [e for e in events if e.end_date >= today][::-1],
            "past": [e for e in events if e.end_date < today],
        },
    )


def event_home(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_visible_event(request.user, slug)
    return render(
        request,
        "events/programme/event_home.html",
        {
            "event": event,
            "cfp_open": event.cfp_is_open(),
            "registration_open": event.registration_is_open(),
            "programme_published": event.timetable_published_at is not None,
            "can_manage": request.user.has_perm("events.manage_event", event),
            "has_cfp": event.cfp_deadline is not None,
            "can_mark_interests": request.user.has_perm("events.timetable_mark_interests", event),
            "is_reviewer": is_committee_member(request.user, event),
            "has_registration": event.registration_opens_at is not None
            and request.user.is_authenticated
            and event.registrations.filter(user=request.user).exists(),
        },
    )


def _default_day(event, data) -> date:
    today = timezone.localtime(timezone=event.tz).date()
    return today if today in data.days else data.days[0]


def programme(request: HttpRequest, slug: str) -> HttpResponse:
    event, stamp, data = _load(request, slug)
    form = ProgrammeFilterForm(request.GET, programme=data)
    filters = form.filters(_default_day(event, data))
    base_query = request.GET.copy()
    base_query.pop("day", None)
    context = {
        "event": event,
        "programme": data,
        "form": form,
        "filters": filters,
        "is_filtered": bool(filters["room"] or filters["track"] or filters["query"]),
        "all_days": filters["day"] is None,
        "all_days_value": ALL_DAYS,
        "base_query": base_query.urlencode(),
        "stamp_hash": stamp[:12],
    }
    # The htmx partial is rendered without the page's {% timezone %} tag: times are shown in
    # the event's zone either way.
    with timezone.override(data.tz):
        if not request.user.is_authenticated:
            # Visitors without an account see no stars: the rendered sessions are the same for
            # all of them, so they are kept per programme version, filters and language.
            basis = f"{sorted(filters.items())}|{context['base_query']}|{get_language()}"
            key = "programme-html:" + hashlib.sha256(basis.encode()).hexdigest()[:24]

            def build() -> str:
                context.update(_results_context(request, event, data, filters))
                return render_to_string(f"{PROGRAMME}#results", context, request)

            html = mark_safe(queries.cached_render(stamp, key, build))  # noqa: S308 (our own render)
            if getattr(request, "htmx", False) and not request.htmx.boosted:
                return HttpResponse(html)
            context["results_html"] = html
            return render(request, PROGRAMME, context)
        context.update(_results_context(request, event, data, filters))
        return render_page(request, PROGRAMME, context, partial="results")


def _results_context(request: HttpRequest, event, data, filters: dict) -> dict:
    """The sessions matching the filters, grouped by start, and the per-day counts."""
    chosen = queries.filter_sessions(data.sessions, **{**filters, "day": None})
    per_day = {day: 0 for day in data.days}
    for session in chosen:
        per_day[session.day] += 1
    sessions = [s for s in chosen if filters["day"] is None or s.day == filters["day"]]
    tz = data.tz
    return {
        "days": [
            {
                "value": day.isoformat(),
                "label": day_label(day),
                "count": per_day[day],
                "current": filters["day"] == day,
            }
            for day in data.days
        ],
        "all_count": len(chosen),
        "by_start": [
            {"start": start, "sessions": list(group)}
            for start, group in groupby(sessions, key=lambda s: s.start.astimezone(tz))
        ],
        "count": len(sessions),
        "starred": queries.starred_codes(request.user, event),
    }


def _session_or_404(data, code: str):
    session = data.by_code().get(code)
    if session is None:
        raise Http404
    return session


def session_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    event, stamp, data = _load(request, slug)
    session = _session_or_404(data, code)
    return render(
        request,
        "events/programme/session.html",
        {
            "event": event,
            "session": session,
            "starred": queries.starred_codes(request.user, event),
            "can_view_people": request.user.has_perm("networks.view_people"),
            "stamp_hash": stamp[:12],
        },
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
def star(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    event, _stamp, data = _load(request, slug)
    session = _session_or_404(data, code)
    session_url = reverse("events:session", args=[event.slug, code])
    if not request.user.is_authenticated:
        return redirect_to_login(session_url)
    proposal = get_object_or_404(Proposal, event=event, code=code)
    # The form says what the person wants (star or unstar), not "toggle": a form sent twice
    # leaves the same state.
    wanted = request.POST.get("starred", "1") != "0"
    starred = services.set_interest(user=request.user, proposal=proposal, starred=wanted)
    if getattr(request, "htmx", False):
        return render(  # the button only: no time shown
            request,
            "events/programme/_star.html",
            {
                "event": event,
                "session": session,
                "starred": {code} if starred else set(),
                "next": _safe_next(request, session_url),
                "announce": True,
            },
        )
    if starred:
        messages.success(request, _("“%(title)s” is in your agenda.") % {"title": session.title})
    else:
        messages.success(
            request, _("“%(title)s” is no longer in your agenda.") % {"title": session.title}
        )
    return redirect(_safe_next(request, session_url))


@login_required
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    event, _stamp, data = _load(request, slug)
    starred = queries.starred_codes(request.user, event)
    by_code = data.by_code()
    sessions = [by_code[code] for code in starred if code in by_code]
    sessions.sort(key=lambda s: (s.start, s.end, s.title))
    overlaps = queries.clashes(sessions)
    tz = data.tz
    rows = [{"session": s, "clashes": overlaps[s.code]} for s in sessions]
    days = [
        {"day": day, "label": day_label(day), "rows": list(group)}
        for day, group in groupby(rows, key=lambda r: r["session"].start.astimezone(tz).date())
    ]
    feed = services.agenda_feed_for(user=request.user, event=event)
    feed_url = request.build_absolute_uri(
        reverse("events:agenda_ical", args=[event.slug, feed.token])
    )
    return render(
        request,
        "events/programme/agenda.html",
        {
            "event": event,
            "days": days,
            "count": len(sessions),
            "clash_count": sum(1 for r in rows if r["clashes"]),
            "unscheduled": len(starred) - len(sessions),
            "starred": starred,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
        },
    )


@login_required
@require_POST
def agenda_feed_reset(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_visible_event(request.user, slug)
    services.reset_agenda_feed(user=request.user, event=event)
    messages.success(
        request, _("Your calendar feed has a new address; the old one no longer works.")
    )
    return redirect("events:agenda", slug=event.slug)


def agenda_ical(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The secret feed: the token is the only credential (calendar apps send no cookie)."""
    feed = (
        AgendaFeed.objects.select_related("event__network", "user")
        .filter(event__slug=slug, token=token)
        .first()
    )
    if (
        feed is None
        or not feed.user.is_active
        or not feed.user.has_perm("events.view_event", feed.event)
    ):
        raise Http404
    event = feed.event
    stamp = queries.programme_stamp(event)
    data = queries.published_programme(event, stamp)
    starred = queries.starred_codes(feed.user, event)
    blocks = queries.cached_render(
        stamp, "ics-blocks", lambda: calendars.session_blocks(event, data)
    )
    body = calendars.assemble(
        event,
        (blocks[s.code] for s in data.sessions if s.code in starred),
        name=_("%(event)s: my agenda") % {"event": event.name},
    )
    return calendars.ical_response(body, f"{event.slug}-agenda.ics")


def programme_ical(request: HttpRequest, slug: str) -> HttpResponse:
    event, stamp, data = _load(request, slug)
    language = get_language()
    body = queries.cached_render(
        stamp,
        f"ics-{language}",
        lambda: calendars.assemble(
            event,
            queries.cached_render(
                stamp, "ics-blocks", lambda: calendars.session_blocks(event, data)
            ).values(),
            name=event.name,
        ),
    )
    return calendars.ical_response(body, f"{event.slug}-programme.ics")


def session_ical(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    event, _stamp, data = _load(request, slug)
    session = _session_or_404(data, code)
    body = calendars.build_calendar(event, data, [session], name=event.name)
    return calendars.ical_response(body, f"{event.slug}-{session.code}.ics")


def schedule_xml(request: HttpRequest, slug: str) -> HttpResponse:
    event, stamp, data = _load(request, slug)
    body = queries.cached_render(stamp, "xml", lambda: exports.schedule_xml(event, data))
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


def schedule_json(request: HttpRequest, slug: str) -> HttpResponse:
    event, stamp, data = _load(request, slug)
    body = queries.cached_render(stamp, "json", lambda: exports.schedule_json(event, data))
    response = HttpResponse(body, content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"  # conference apps read it from anywhere
    return response


def programme_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    event, stamp, data = _load(request, slug)
    language = get_language()

    def build() -> bytes:
        from constellation.insights.reports import pdf_from_html

        tz = data.tz
        days = []
        for day in data.days:
            sessions = [s for s in data.sessions if s.day == day]
            days.append({"label": day_label(day), "sessions": sessions})
        html = render_to_string(
            "events/programme/programme_pdf.html",
            {
                "event": event,
                "days": days,
                "programme": data,
                "tz": tz,
                "LANGUAGE_CODE": language,
                "language_bidi": get_language_bidi(),
            },
        )
        return pdf_from_html(html)

    body = queries.cached_render(stamp, f"pdf-{language}", build)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{event.slug}-programme.pdf"'
    return response


def tracks_css(request: HttpRequest, slug: str) -> HttpResponse:
    """Track colours as classes: the chips are coloured without inline styles."""
    event, _stamp, data = _load(request, slug)
    rules = "".join(
        f".track-chip.track-{t.id}{{background-color:{t.colour};color:{t.text_colour};}}\n"
        for t in data.tracks
    )
    response = HttpResponse(rules, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=600"
    return response

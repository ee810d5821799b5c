"""The annual statistics report of a network: requested on a page, built by a task worker.

`request_report` records a queued Report and schedules `build_report_task` after commit;
`run_report` (the task's body) claims a queued report, builds it with `build_report` while
writing its progress to the row, and marks it done or failed. `build_report` computes each
section from the submitted figures, renders one print-friendly HTML document with an SVG
chart and its data table per figure, and turns it into a PDF with WeasyPrint.

Privacy: an aggregate over fewer organisations than the network's peer-group minimum
(InsightSettings) is suppressed, here as everywhere else in insights.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from constellation.insights import charts, figures
from constellation.insights import field as field_figures
from constellation.insights import targets as targets_engine
from constellation.insights.models import Aggregation, Indicator, Report, ReportStatus, Target, Unit
from constellation.networks.models import Network
from constellation.networks.rules import staff_network_ids

logger = logging.getLogger(__name__)

# How many years the trend shows, ending with the report's year.
TREND_YEARS = 10
# An average or median of a formula: shown with a decimal, unlike a count.
RATIO = "ratio"

Progress = Callable[[int, int], None]


# -- Requests and the task's body -------------------------------------------------------------


def reports_visible_to(user) -> QuerySet[Report]:
    """Reports of the networks the user runs; every report for a superuser."""
    reports = Report.objects.select_related("network", "requested_by")
    if user.is_authenticated and user.is_superuser:
        return reports
    return reports.filter(network_id__in=staff_network_ids(user))


def networks_for_reports(user) -> QuerySet[Network]:
    networks = Network.objects.order_by("name")
    if user.is_authenticated and user.is_superuser:
        return networks
    return networks.filter(pk__in=staff_network_ids(user))


def request_report(*, network: Network, year: int, requested_by=None, language: str = "") -> tuple[Report, bool]:
    """Queue a report for a network and year; (report, True) when a new one was queued.

    A report of the same network and year that is still queued or running is returned
    instead (False), so a double click or a second browser never builds it twice. The
    network row is locked while looking, so two simultaneous requests queue one report.
    The task is enqueued after commit: a worker never sees a report that was rolled back.
    """
    from constellation.insights.tasks import build_report_task

    with transaction.atomic():
        Network.objects.select_for_update().filter(pk=network.pk).first()
        pending = Report.objects.filter(
            network=network, year=year, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]
        ).first()
        if pending is not None:
            return pending, False
        report = Report.objects.create(network=network, year=year, requested_by=requested_by, total=len(STEPS))
        report_id, language = report.pk, language or translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(lambda: build_report_task.enqueue(report_id, language))
    return report, True


def run_report(report_id: int, language: str = "") -> Report | None:
    """Build a queued report, saving progress after each section.

    Safe to run twice: only a queued report is claimed. An unexpected error marks the
    report failed with a message (the details go to the log).
    """
    claimed = Report.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, progress=0, total=len(STEPS)
    )
    report = Report.objects.filter(pk=report_id).first()
    if not claimed or report is None:
        return report

    def save_progress(done: int, total: int) -> None:
        Report.objects.filter(pk=report_id).update(progress=done, total=total)

    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            report = build_report(report_id, save_progress)
        except Exception:
            logger.exception("Report %s failed", report_id)
            Report.objects.filter(pk=report_id).update(
                status=ReportStatus.FAILED, finished_at=timezone.now(),
                message=_("The report could not be made. Please try again; if it fails again, tell the administrators."),
            )
            return Report.objects.filter(pk=report_id).first()
    report.status, report.finished_at, report.message = ReportStatus.DONE, timezone.now(), ""
    report.save(update_fields=["status", "finished_at", "message"])
    return report


# -- What the document shows -----------------------------------------------------------------
#
# The report is meant to be shared beyond staff, so it publishes only what the field-wide
# pages publish: every figure comes from `field` (with its suppression rules) or is
# protected by them (`field.sum_cell`), and target values over too few members stay blank.


@dataclass
class Cell:
    """One figure of a table; `suppressed` (with the reason in `note`) when it would tell."""

    value: Decimal | None
    suppressed: bool = False
    unit: str = Unit.COUNT
    note: str = ""

    @classmethod
    def of(cls, cell: field_figures.Cell, unit: str = Unit.COUNT) -> Cell:
        return cls(cell.value, suppressed=cell.suppressed, unit=unit, note=cell.note)


@dataclass
class Figure:
    """A chart (SVG) and the table that carries the same figures for everyone."""

    title: str
    svg: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]]
    note: str = ""


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    facts: list[tuple[str, Cell]] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Context:
    report: Report
    year: int
    data: field_figures.FieldData
    indicators: dict[str, Indicator]

    @property
    def minimum(self) -> int:
        return self.data.minimum

    def label(self, key: str) -> str:
        indicator = self.indicators.get(key)
        return indicator.label if indicator else key.replace("_", " ")

    def count(self, organisations: int | None) -> Cell:
        """A number of organisations: shown from the minimum up (a count reveals no figure)."""
        if organisations is None or organisations < self.minimum:
            return Cell(None, suppressed=True, note=_("Fewer than %(minimum)s organisations reported.") % {
                "minimum": self.minimum})
        return Cell(Decimal(organisations))


def chart_value(cell: Cell) -> Decimal | None:
    return None if cell.suppressed else cell.value


def headline_section(ctx: Context) -> Section:
    section = Section("headline", _("The year in figures"))
    reach = ctx.data.reach(ctx.year)
    section.facts = [
        (_("Organisations reporting"), ctx.count(len(ctx.data.table.for_year(ctx.year)))),
        (_("People reached (on site and outreach)"), Cell.of(reach.total)),
        (ctx.label(field_figures.ONSITE), Cell.of(reach.onsite)),
        (ctx.label(field_figures.OUTREACH), Cell.of(reach.outreach)),
        (ctx.label(field_figures.ONLINE), Cell.of(reach.online)),
    ]
    section.intro = _(
        "Totals over the members that submitted their figures for %(year)s. A figure over fewer than "
        "%(minimum)s organisations, or one that would let a single member be recognised, is not shown."
    ) % {"year": ctx.year, "minimum": ctx.minimum}
    return section


def trend_section(ctx: Context) -> Section:
    section = Section("trend", _("Trend over the years"))
    first = ctx.year - TREND_YEARS + 1
    rows = []
    for reach in ctx.data.reach_by_year():
        if first <= reach.year <= ctx.year:
            organisations = len(ctx.data.table.for_year(reach.year))
            rows.append((str(reach.year), [ctx.count(organisations), Cell.of(reach.total), Cell.of(reach.online)]))
    columns = [_("Organisations reporting"), _("People reached (on site and outreach)"), ctx.label(field_figures.ONLINE)]
    title = _("People reached per year")
    svg = charts.line_chart(title, [r[0] for r in rows], {
        columns[1]: [chart_value(r[1][1]) for r in rows], columns[2]: [chart_value(r[1][2]) for r in rows],
    })
    section.figures.append(Figure(title, svg, columns, rows, note=_(
        "Each year counts the members that reported that year, so part of a change can come from who reported."
    )))
    return section


def _breakdown(ctx: Context, rows: list[field_figures.Row], title: str) -> Figure:
    table_rows = [(row.label, [ctx.count(row.cell.organisations), Cell.of(row.cell)]) for row in rows]
    columns = [_("Organisations reporting"), _("People reached (on site and outreach)")]
    svg = charts.bar_chart(title, [r[0] for r in table_rows], [chart_value(r[1][1]) for r in table_rows], horizontal=True)
    return Figure(title, svg, columns, table_rows, note=_(
        "Blank: fewer than %(minimum)s organisations in the group, or a figure that would give "
        "another hidden one away."
    ) % {"minimum": ctx.minimum})


def breakdown_section(ctx: Context) -> Section:
    section = Section("breakdowns", _("By country and by kind"))
    section.figures.append(_breakdown(ctx, ctx.data.reach_by_country(ctx.year), _("People reached by country")))
    by_kind = _breakdown(ctx, ctx.data.reach_by_kind(ctx.year), _("People reached by kind of organisation"))
    by_kind.note += " " + _("An organisation of several kinds counts in each.")
    section.figures.append(by_kind)
    return section


def income_section(ctx: Context) -> Section:
    section = Section("income", _("Income"))
    this_year = ctx.data.table.for_year(ctx.year)
    rows = []
    for key in ctx.data.income_keys:
        cell = field_figures.sum_cell(figures.group_by(this_year, key), ctx.minimum)
        rows.append((ctx.label(key), [Cell.of(cell, Unit.MONEY)]))
    total = sum((cells[0].value for _name, cells in rows if not cells[0].suppressed), Decimal(0))
    for _name, cells in rows:
        share = None if cells[0].suppressed or not total else cells[0].value / total * 100
        cells.append(Cell(share, suppressed=cells[0].suppressed, unit=Unit.PERCENTAGE, note=cells[0].note))
    columns = [_("Total (%(currency)s)") % {"currency": settings.INSIGHTS_BASE_CURRENCY}, _("Share of income (%)")]
    title = _("Income mix: share of each source")
    svg = charts.bar_chart(title, [r[0] for r in rows], [chart_value(r[1][1]) for r in rows], horizontal=True)
    section.figures.append(Figure(title, svg, columns, rows, note=_(
        "Money reported in other currencies is converted at each year's exchange rate. Shares are of the "
        "sources shown."
    )))

    spread = ctx.data.diversification(ctx.year)
    band_rows = [(row.label, [Cell.of(row.cell)]) for row in spread.bands]
    title = _("Income concentration (Herfindahl-Hirschman index)")
    svg = charts.bar_chart(title, [r[0] for r in band_rows], [chart_value(r[1][0]) for r in band_rows])
    median = _("not shown") if spread.median.suppressed else f"{int(spread.median.value):,}"
    section.figures.append(Figure(title, svg, [_("Organisations")], band_rows, note=_(
        "0 means income from many sources in equal parts, 10,000 a single source. Median: %(median)s."
    ) % {"median": median}))
    return section


def targets_section(ctx: Context) -> Section:
    section = Section("targets", _("Strategic targets"))
    rows = []
    for progress in target_progress(ctx):
        target = progress.target
        unit = {Aggregation.SHARE_AT_LEAST: Unit.PERCENTAGE, Aggregation.SUM: Unit.COUNT}.get(target.aggregation, RATIO)
        point = next((p for p in progress.points if p.year == ctx.year), None)
        baseline = progress.baseline
        hidden = _("Fewer than %(minimum)s organisations reported.") % {"minimum": ctx.minimum}
        value = _point_cell(point, unit, hidden)
        reached = None if value.value is None or not target.target_value else value.value / target.target_value * 100
        rows.append((
            f"{target.name} ({target.target_year})",
            [_point_cell(baseline, unit, hidden), value, Cell(target.target_value, unit=unit),
             Cell(reached, suppressed=value.suppressed, unit=Unit.PERCENTAGE, note=hidden)],
        ))
    if not rows:
        section.intro = _("The network has set no strategic targets.")
        return section
    title = _("Where each target stands (%% of the target value in %(year)s)") % {"year": ctx.year}
    svg = charts.bar_chart(title, [r[0] for r in rows], [chart_value(r[1][3]) for r in rows], horizontal=True)
    columns = [_("Baseline"), _("Value in %(year)s") % {"year": ctx.year}, _("Target"), _("Share of the target (%)")]
    section.figures.append(Figure(title, svg, columns, rows))
    return section


def _point_cell(point: targets_engine.Point | None, unit: str, hidden: str) -> Cell:
    if point is None:
        return Cell(None, unit=unit)
    return Cell(None if point.suppressed else point.value, suppressed=point.suppressed, unit=unit, note=hidden)


def target_progress(ctx: Context) -> list[targets_engine.Progress]:
    """Each target's points, from the figures already loaded (targets.progress_for would load
    the whole table again, which at 2 million answers costs seconds)."""
    result = []
    for target in Target.objects.filter(network=ctx.data.network).order_by("target_year", "name"):
        try:
            targets_engine.parse_formula(target.formula)
        except targets_engine.FormulaError:
            result.append(targets_engine.Progress(target, []))
            continue
        points = []
        for year in ctx.data.years:
            if (target.baseline_year and year < target.baseline_year) or year > ctx.year:
                continue
            values = [
                value for row in ctx.data.table.for_year(year).values()
                if (value := targets_engine.evaluate(target.formula, row, income_keys=ctx.data.income_keys)) is not None
            ]
            points.append(targets_engine.Point(
                year=year, value=targets_engine.aggregate(values, target.aggregation, target.threshold),
                organisations=len(values), suppressed=len(values) < ctx.minimum,
            ))
        result.append(targets_engine.Progress(target, points))
    return result


STEPS = ("figures", "headline", "trend", "breakdowns", "income", "targets", "html", "pdf")
SECTIONS = (headline_section, trend_section, breakdown_section, income_section, targets_section)


def build_report(report_id: int, on_progress: Progress | None = None) -> Report:
    """Compute every section of a report, save its HTML and PDF; report each step done.

    Reads the submitted figures in a fixed number of queries, whatever the network's size.
    Replaces the report's files if it had any.
    """
    progress = on_progress or (lambda done, total: None)
    report = Report.objects.select_related("network").get(pk=report_id)
    network = report.network
    data = field_figures.FieldData.load(network)
    ctx = Context(report=report, year=report.year, data=data, indicators={i.key: i for i in Indicator.objects.all()})
    done = 1
    progress(done, len(STEPS))

    sections = []
    for build in SECTIONS:
        sections.append(build(ctx))
        done += 1
        progress(done, len(STEPS))

    language = translation.get_language() or settings.LANGUAGE_CODE
    html = render_to_string("insights/report_document.html", {
        "report": report, "network": network, "year": report.year, "sections": sections, "minimum": data.minimum,
        "base_currency": settings.INSIGHTS_BASE_CURRENCY, "generated_at": timezone.now(),
        "unconverted": data.table.unconverted, "language": language,
        "language_bidi": translation.get_language_bidi(),
    })
    name = f"{network.slug}-{report.year}-{report.pk}"
    _replace(report.html, f"{name}.html", html.encode())
    done += 1
    progress(done, len(STEPS))

    _replace(report.pdf, f"{name}.pdf", pdf_from_html(html))
    report.save(update_fields=["html", "pdf"])
    done += 1
    progress(done, len(STEPS))
    report.progress, report.total = done, len(STEPS)
    return report


def _replace(file_field, name: str, content: bytes) -> None:
    if file_field:
        file_field.delete(save=False)
    file_field.save(name, ContentFile(content), save=False)


def _static_only_fetcher():
    """WeasyPrint may read our static files and nothing else: no request leaves the server."""
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = urlsplit(url).path
            found = finders.find(path.removeprefix(settings.STATIC_URL)) if path.startswith(settings.STATIC_URL) else None
            if not found:
                raise ValueError(f"Not fetched for a report: {url}")
            return super().fetch(Path(found).as_uri(), headers)

    return StaticOnlyFetcher(allowed_protocols={"file"})


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url="file:///", url_fetcher=_static_only_fetcher()).write_pdf()

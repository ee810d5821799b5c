"""The analysis form, and the reader for an uploaded population file."""

from __future__ import annotations

import csv
import io
import math

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from constellation.atlas.models import Dataset, DistanceUnit, Method, PopulationSource
from constellation.networks.models import Kind, Network

MAX_RADIUS_KM = 2000
MAX_NEW_SITES = 50
# An uploaded file is solved like GeoNames places: 100,000 places take seconds and
# under a gigabyte; 230,000 (cities500 worldwide) take minutes and gigabytes.
MAX_ROWS = 100_000
# A file with more wrong rows than this is shown the first ones only.
ERRORS_SHOWN = 20

LAT_NAMES = ("lat", "latitude")
LON_NAMES = ("lon", "lng", "long", "longitude")
WEIGHT_NAMES = ("weight", "population", "people", "pop")


# Worldwide, these files make an analysis of minutes and gigabytes: ask for a country.
NEEDS_COUNTRY = {Dataset.CITIES1000, Dataset.CITIES500}


def dataset_scope_error(dataset: str, country: str) -> str | None:
    """Why this dataset cannot be used without a country (web form and API alike)."""
    if dataset in NEEDS_COUNTRY and not country:
        return _(
            "Places this small can be counted one country at a time: choose a country, or larger places."
        )
    return None


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 as spreadsheets write it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _number(text: str, decimal_comma: bool) -> float:
    text = text.strip()
    if decimal_comma:
        text = text.replace(",", ".")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def parse_population_csv(data: bytes) -> tuple[list[list], list[str]]:
    """Rows [[lat, lon, weight, id, region], ...] and the problems found, with line numbers.

    The first line names the columns: lat (or latitude), lon (or lng, longitude), weight (or
    population), and optionally id and region. Commas, semicolons or tabs separate them; with
    semicolons a decimal comma is understood too. Every line is checked before anything is
    kept: one wrong line rejects the file.
    """
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count) if first.strip() else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [cell.strip().casefold() for cell in next(reader)]
    except StopIteration:
        return [], [_("The file is empty.")]

    def column(names):
        return next((header.index(name) for name in names if name in header), None)

    lat_at, lon_at, weight_at = column(LAT_NAMES), column(LON_NAMES), column(WEIGHT_NAMES)
    id_at, region_at = column(("id", "name")), column(("region",))
    if None in (lat_at, lon_at, weight_at):
        return [], [
            _("The first line must name the columns lat, lon and weight (found: %(found)s).")
            % {"found": ", ".join(cell for cell in header if cell) or _("nothing")}
        ]
    decimal_comma = delimiter == ";"
    rows, problems = [], []
    seen: dict[str, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            problems.append(
                _("The file has more than %(max)s places; send a smaller one.") % {"max": MAX_ROWS}
            )
            break

        def cell(at, cells=cells):
            return cells[at] if at is not None and at < len(cells) else ""

        try:
            lat = _number(cell(lat_at), decimal_comma)
            lon = _number(cell(lon_at), decimal_comma)
            weight = _number(cell(weight_at), decimal_comma)
        except ValueError:
            problems.append(
                _("Line %(line)s: lat, lon and weight must be numbers.") % {"line": line}
            )
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            problems.append(
                _("Line %(line)s: the coordinates %(lat)s, %(lon)s are not on the map.")
                % {"line": line, "lat": lat, "lon": lon}
            )
            continue
        if weight < 0:
            problems.append(_("Line %(line)s: the weight cannot be negative.") % {"line": line})
            continue
        ident = cell(id_at).strip()[:100] or f"line-{line}"
        if ident in seen:
            problems.append(
                _("Line %(line)s: the id %(id)s is already used on line %(first)s.")
                % {"line": line, "id": ident, "first": seen[ident]}
            )
            continue
        seen[ident] = line
        rows.append([lat, lon, weight, ident, cell(region_at).strip()[:60]])
    if not rows and not problems:
        problems.append(_("The file has no places under its first line."))
    return rows, problems


class AnalysisForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("A name to find the analysis again in the list."),
    )
    radius = forms.FloatField(
        label=gettext_lazy("Distance"),
        min_value=0.1,
        initial=50,
        help_text=gettext_lazy("As the crow flies from a venue."),
    )
    unit = forms.ChoiceField(
        label=gettext_lazy("Unit"), choices=DistanceUnit.choices, initial=DistanceUnit.KM
    )
    network = forms.ModelChoiceField(
        label=gettext_lazy("Venues of the network"),
        queryset=Network.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("All networks"),
        to_field_name="slug",
    )
    kind = forms.ModelChoiceField(
        label=gettext_lazy("Kind of venue"),
        queryset=Kind.objects.all(),
        required=False,
        empty_label=gettext_lazy("Every kind"),
        to_field_name="slug",
    )
    source = forms.ChoiceField(
        label=gettext_lazy("Where people live"),
        choices=PopulationSource.choices,
        initial=PopulationSource.GEONAMES,
        widget=forms.RadioSelect,
    )
    dataset = forms.ChoiceField(
        label=gettext_lazy("GeoNames places"),
        choices=Dataset.choices,
        initial=Dataset.CITIES15000,
        required=False,
        help_text=gettext_lazy("Smaller places make a finer, slower analysis."),
    )
    country = LazyTypedChoiceField(
        label=gettext_lazy("Only in the country"),
        required=False,
        choices=[("", gettext_lazy("The whole world"))] + list(countries),
    )
    min_population = forms.IntegerField(
        label=gettext_lazy("Minimum population of a place"), min_value=0, initial=0, required=False
    )
    population_file = forms.FileField(
        label=gettext_lazy("Population file (CSV)"),
        required=False,
        help_text=gettext_lazy(
            "Columns lat, lon, weight, and optionally id and region; commas or semicolons."
        ),
    )
    new_sites = forms.IntegerField(
        label=gettext_lazy("New sites to propose"),
        min_value=0,
        max_value=MAX_NEW_SITES,
        initial=0,
        help_text=gettext_lazy("0 measures today's coverage only."),
    )
    method = forms.ChoiceField(
        label=gettext_lazy("How to choose the new sites"),
        choices=Method.choices,
        initial=Method.EXACT,
        widget=forms.RadioSelect,
    )

    def clean(self):
        data = super().clean()
        radius, unit = data.get("radius"), data.get("unit")
        if radius is not None and unit:
            km = radius * 1.609344 if unit == DistanceUnit.MI else radius
            if km > MAX_RADIUS_KM:
                self.add_error("radius", _("At most %(km)s km.") % {"km": MAX_RADIUS_KM})
        data["min_population"] = data.get("min_population") or 0
        self.demand_rows = None
        if data.get("source") == PopulationSource.UPLOAD:
            upload = data.get("population_file")
            if not upload:
                self.add_error("population_file", _("Choose the file with where people live."))
                return data
            limit = settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024
            if upload.size > limit:
                self.add_error(
                    "population_file",
                    _("The file is larger than %(mb)s MB.") % {"mb": settings.IMPORT_MAX_UPLOAD_MB},
                )
                return data
            rows, problems = parse_population_csv(upload.read())
            if problems:
                shown = problems[:ERRORS_SHOWN]
                if len(problems) > ERRORS_SHOWN:
                    more = len(problems) - ERRORS_SHOWN
                    shown.append(
                        ngettext(
                            "…and %(count)s more problem.", "…and %(count)s more problems.", more
                        )
                        % {"count": more}
                    )
                raise ValidationError([ValidationError(problem) for problem in shown])
            self.demand_rows = rows
        else:
            data["dataset"] = data.get("dataset") or Dataset.CITIES15000
            problem = dataset_scope_error(data["dataset"], data.get("country"))
            if problem:
                self.add_error("country", problem)
        return data

    def analysis_data(self) -> dict:
        """The Analysis fields this form sets."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "radius": data["radius"],
            "unit": data["unit"],
            "network": data["network"],
            "kind": data["kind"],
            "source": data["source"],
            "dataset": data.get("dataset") or "",
            "country": data.get("country") or "",
            "min_population": data["min_population"],
            "new_sites": data["new_sites"],
            "method": data["method"],
        }

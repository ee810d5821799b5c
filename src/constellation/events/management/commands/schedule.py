"""The conference timetabler from the command line.

    constellation schedule export EVENT --out problem.json
    constellation schedule solve problem.json --out answer.json [--seconds 30] [--seed 0]
    constellation schedule evaluate problem.json answer.json
    constellation schedule import EVENT answer.json

`solve` reads a constellation.schedule-problem/1 file, places every session in a slot and a
room, writes the constellation.schedule/1 answer and prints the figures A, U, O and Q (see
schedule-problem.md). `evaluate` checks an answer: every broken hard rule, then the figures. `export` writes an
event's accepted sessions, rooms, slots and attendee interests as a problem; `import` reads an
answer into the event's draft timetable (all or nothing).
Exit code 2 when an input is unusable or no feasible timetable was found; nothing is written
then.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from constellation.core.jsonfiles import UNUSABLE, read_json, write_json
from constellation.events.schedule_io import export_problem, import_answer
from constellation.events.scheduling.bound import served_bound
from constellation.events.scheduling.evaluate import Figures, evaluate
from constellation.events.scheduling.problem import (
    Problem,
    ScheduleError,
    answer_from_json,
    answer_to_json,
    problem_from_json,
)
from constellation.events.scheduling.solver import solve
from constellation.networks.services import DomainError


def _seconds_since_start() -> float:
    """Seconds since this process started (Linux /proc)."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 1e9  # unknown: count from the command's start only


def _read_problem(path: str) -> Problem:
    data = read_json(path)
    try:
        return problem_from_json(data)
    except ScheduleError as exc:
        raise CommandError(f"{path}: {exc.message}", returncode=UNUSABLE) from exc


def _figure_lines(figures: Figures, bound: int | None = None) -> list[str]:
    lines = [
        f"A (attendable interests): {figures.A}",
        f"U (upper bound): {figures.U}",
        f"O (overflow): {figures.O}",
        f"Q (served ratio, (A - O) / U): {figures.Q:.4f}",
        f"A/U: {figures.A_over_U:.4f}",
    ]
    if bound is not None and bound:
        lines.append(
            f"Tighter bound: A - O <= {bound}, so Q <= {bound / figures.U:.4f}; "
            f"this answer reaches {(figures.A - figures.O) / bound:.4f} of that bound"
        )
    return lines


class Command(BaseCommand):
    help = "Conference timetable: export an event's problem, solve it, evaluate an answer, import it."
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{export,solve,evaluate,import}"
        )
        export_parser = actions.add_parser("export", help="Write an event's timetabling problem.")
        export_parser.add_argument("event", help="The event's slug.")
        export_parser.add_argument("--out", required=True, help="Write the problem here.")
        import_parser = actions.add_parser(
            "import", help="Read an answer into the event's draft timetable."
        )
        import_parser.add_argument("event", help="The event's slug.")
        import_parser.add_argument("answer", help="The answer file (JSON).")
        solve_parser = actions.add_parser(
            "solve", help="Timetable a constellation.schedule-problem/1 file."
        )
        solve_parser.add_argument("problem", help="The problem file (JSON).")
        solve_parser.add_argument("--out", required=True, help="Write the answer here.")
        solve_parser.add_argument(
            "--seconds", type=float, default=30.0, help="Time budget in seconds (default 30)."
        )
        solve_parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
        evaluate_parser = actions.add_parser(
            "evaluate", help="Check an answer against the hard rules and print the figures."
        )
        evaluate_parser.add_argument("problem", help="The problem file (JSON).")
        evaluate_parser.add_argument("answer", help="The answer file (JSON).")

    def handle(self, *args, action, **options):
        if action == "solve":
            self._solve(**options)
        elif action == "evaluate":
            self._evaluate(**options)
        else:
            try:
                if action == "export":
                    document = export_problem(options["event"], options["out"])
                    self.stdout.write(
                        f"Wrote {options['out']}: {len(document['sessions'])} sessions, "
                        f"{len(document['slots'])} slots, {len(document['rooms'])} rooms, "
                        f"{len(document['attendees'])} attendees."
                    )
                else:
                    version = import_answer(options["event"], options["answer"])
                    self.stdout.write(
                        f"Draft timetable of {options['event']} now holds "
                        f"{version.placements.count()} sessions."
                    )
            except DomainError as error:
                raise CommandError(error.message, returncode=UNUSABLE) from error

    def _solve(self, *, problem, out, seconds, seed, **options):
        if seconds <= 0:
            raise CommandError("--seconds must be greater than 0.", returncode=UNUSABLE)
        began = time.monotonic()
        parsed = _read_problem(problem)
        # the budget counts from the start of the command: reading the file, and Python's own
        # start-up when this process was started just for it
        spent = time.monotonic() - began
        age = _seconds_since_start()
        if age < 15:
            spent = max(spent, age)
        budget = max(0.1 * seconds, seconds - spent - 0.6)
        assignment, figures, info = solve(parsed, seconds=budget, seed=seed)
        if not figures.feasible:
            unplaced = info.get("unplaced") or []
            detail = (
                f" Sessions that found no place: {', '.join(unplaced[:20])}"
                + (" ..." if len(unplaced) > 20 else "")
                + "."
                if unplaced
                else " " + " ".join(figures.violations[:10])
            )
            raise CommandError(
                f"No feasible timetable found for {problem}.{detail} Nothing was written.",
                returncode=UNUSABLE,
            )
        write_json(out, answer_to_json(assignment, parsed))
        bound = served_bound(parsed)
        lines = _figure_lines(figures, bound)
        lines.append(
            f"Solved in {time.monotonic() - began + (age if age < 15 else 0):.2f} s; "
            f"answer written to {out}"
        )
        self.stdout.write("\n".join(lines))

    def _evaluate(self, *, problem, answer, **options):
        parsed = _read_problem(problem)
        data = read_json(answer)
        try:
            assignment = answer_from_json(parsed, data)
        except ScheduleError as exc:
            raise CommandError(f"{answer}: {exc.message}", returncode=UNUSABLE) from exc
        figures = evaluate(parsed, assignment)
        if figures.feasible:
            lines = ["Feasible: every hard rule is respected."]
        else:
            lines = [f"Infeasible: {len(figures.violations)} broken hard rules."]
            lines += [f"  {v}" for v in figures.violations]
        lines += _figure_lines(figures, served_bound(parsed))
        self.stdout.write("\n".join(lines))

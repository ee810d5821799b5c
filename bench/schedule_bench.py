"""Side-by-side comparison of conference timetablers on generated instances.

    uv run python bench/schedule_make_instances.py            # writes bench/data/schedule/
    uv run --with ortools python bench/schedule_bench.py      # every method on S, M, L
    uv run python bench/schedule_bench.py --methods random track annealing --instances S
    uv run --with ortools python bench/schedule_bench.py --ours-seconds 30 --cpsat-seconds 60 \\
        --annealing-seconds 120 --workers 2

Methods (see schedule_baselines.py): ``ours`` (constellation.events.scheduling.solver.solve,
skipped if the module is missing), ``cpsat`` (OR-Tools CP-SAT hinted with the track-based
timetable, needs ortools, skipped without it), ``cpsat-greedy`` (the same model hinted with
the greedy construction that the annealing starts from), ``annealing`` (greedy + simulated annealing on A - O), ``track`` (tracks spread
over slots, popular sessions in big rooms), ``random`` (a random feasible timetable).
Every answer is checked and scored by constellation.events.scheduling.evaluate.evaluate;
the table shows instance, method, wall seconds, A/U, O, Q = (A - O) / U and feasibility.
Results (figures and each method's own notes) go to bench/data/schedule/results-*.json and
the answers to bench/data/schedule/answers/<instance>-<method>.json.

After the methods, each instance gets bounds on Q (no timetable does better): the cheap one
the CLI prints (bound.served_bound) and the column-generation bound
(bound.best_partition_bound, ``--bound-seconds``, seeded with the start slots of the best
answer found); ``--bound-seconds 0`` skips the latter. The group-LP value that the bound
would prove if its pricing MILP finished is shown as an estimate, not as a bound.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "src"))

import schedule_baselines as baselines  # noqa: E402

from constellation.events.scheduling.bound import (  # noqa: E402
    best_partition_bound,
    served_bound,
)
from constellation.events.scheduling.evaluate import evaluate  # noqa: E402
from constellation.events.scheduling.problem import (  # noqa: E402
    answer_to_json,
    problem_from_json,
)

DATA = BENCH / "data" / "schedule"
METHODS = ["ours", "cpsat", "cpsat-greedy", "annealing", "track", "random"]


def _have(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def run_method(method: str, problem, args) -> tuple[dict, dict]:
    notes: dict = {}
    if method == "ours":
        from constellation.events.scheduling.solver import solve

        assignment, _figures, info = solve(problem, seconds=args.ours_seconds, seed=args.seed)
        notes.update({k: v for k, v in info.items() if k != "unplaced"})
        if "unplaced" in info:
            notes["unplaced"] = len(info["unplaced"])
    elif method in ("cpsat", "cpsat-greedy"):
        hint = None  # the track-based timetable
        if method == "cpsat-greedy":
            hint = baselines.greedy_board(problem, seed=args.seed).assignment()
        assignment = baselines.cpsat_timetable(
            problem,
            seconds=args.cpsat_seconds,
            seed=args.seed,
            workers=args.workers,
            max_pairs=args.max_pairs,
            hint=hint,
            log=notes,
        )
    elif method == "annealing":
        assignment = baselines.annealing_timetable(
            problem, seconds=args.annealing_seconds, seed=args.seed, log=notes
        )
    elif method == "track":
        assignment = baselines.track_timetable(problem, seed=args.seed)
    elif method == "random":
        assignment = baselines.random_timetable(problem, seed=args.seed)
    else:
        raise ValueError(method)
    return assignment, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--instances",
        nargs="*",
        default=["S", "M", "L"],
        help="names (S, M, L) or paths of problem files",
    )
    parser.add_argument("--methods", nargs="*", default=METHODS, choices=METHODS)
    parser.add_argument("--ours-seconds", type=float, default=30.0)
    parser.add_argument("--cpsat-seconds", type=float, default=60.0)
    parser.add_argument("--annealing-seconds", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers")
    parser.add_argument(
        "--max-pairs",
        type=int,
        default=30000,
        help="co-interest pairs kept in the CP-SAT objective",
    )
    parser.add_argument(
        "--bound-seconds",
        type=float,
        default=120.0,
        help="time for the column-generation bound per instance (0: skip)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    methods = list(args.methods)
    if "ours" in methods and not _have("constellation.events.scheduling.solver"):
        print("skipping ours: constellation.events.scheduling.solver not found", file=sys.stderr)
        methods.remove("ours")
    if not _have("ortools"):
        for method in ("cpsat", "cpsat-greedy"):
            if method in methods:
                print(f"skipping {method}: run with `uv run --with ortools ...`", file=sys.stderr)
                methods.remove(method)

    rows = []
    bounds = []
    answers = DATA / "answers"
    answers.mkdir(parents=True, exist_ok=True)
    header = (
        f"| {'instance':<8} | {'method':<12} | {'seconds':>7} | {'A/U':>6} | {'O':>6} | "
        f"{'Q':>6} | feasible |"
    )
    print(header)
    print("|" + "|".join("-" * (len(c) + 0) for c in header.split("|")[1:-1]) + "|")
    for name in args.instances:
        path = Path(name) if name.endswith(".json") else DATA / f"conference-{name}.json"
        problem = problem_from_json(json.loads(path.read_text()))
        label = path.stem.removeprefix("conference-")
        for method in methods:
            began = time.perf_counter()
            assignment, notes = run_method(method, problem, args)
            seconds = time.perf_counter() - began
            figures = evaluate(problem, assignment)
            (answers / f"{label}-{method}.json").write_text(
                json.dumps(answer_to_json(assignment, problem)) + "\n"
            )
            row = {
                "instance": label,
                "method": method,
                "seconds": round(seconds, 1),
                "A": figures.A,
                "U": figures.U,
                "O": figures.O,
                "A_over_U": round(figures.A_over_U, 4),
                "Q": round(figures.Q, 4),
                "feasible": figures.feasible,
                "violations": figures.violations[:5],
                "notes": notes,
            }
            rows.append(row)
            print(
                f"| {label:<8} | {method:<12} | {seconds:7.1f} | {figures.A_over_U:6.4f} | "
                f"{figures.O:6d} | {figures.Q:6.4f} | {'yes' if figures.feasible else 'NO':<8} |",
                flush=True,
            )
        bounds.append(instance_bounds(problem, label, rows, args))
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = args.out or DATA / f"results-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "when": stamp,
                "seed": args.seed,
                "budgets": {
                    "ours": args.ours_seconds,
                    "cpsat": args.cpsat_seconds,
                    "annealing": args.annealing_seconds,
                    "cpsat_workers": args.workers,
                },
                "rows": rows,
                "bounds": bounds,
            },
            indent=2,
            default=str,
        )
        + "\n"
    )
    for bound in bounds:
        print(
            f"bound {bound['instance']}: Q <= {bound['Q_bound']:.4f} (cheap {bound['Q_cheap']:.4f}; "
            f"best found {bound['best_Q']:.4f}, gap {bound['Q_bound'] - bound['best_Q']:.4f}; "
            f"group-LP estimate Q <= {bound.get('Q_estimate', float('nan')):.4f})"
        )
    print(f"results: {out}")


def instance_bounds(problem, label: str, rows: list[dict], args) -> dict:
    """Cheap and column-generation bounds on Q, seeded by the best feasible answer's slots."""
    u = problem.upper_bound
    mine = [r for r in rows if r["instance"] == label and r["feasible"]]
    best = max(mine, key=lambda r: r["Q"]) if mine else None
    cheap = served_bound(problem)
    result = {
        "instance": label,
        "U": u,
        "served_cheap": cheap,
        "Q_cheap": cheap / u,
        "best_method": best and best["method"],
        "best_Q": best["Q"] if best else 0.0,
    }
    result["served_bound"], result["Q_bound"] = cheap, cheap / u
    if args.bound_seconds > 0:
        groups = None
        if best is not None:
            path = DATA / "answers" / f"{label}-{best['method']}.json"
            by_slot: dict[str, list[int]] = {}
            for item in json.loads(path.read_text())["assignments"]:
                by_slot.setdefault(item["slot"], []).append(problem.session_index[item["session"]])
            groups = list(by_slot.values())
        began = time.perf_counter()
        bound = best_partition_bound(problem, seconds=args.bound_seconds, groups=groups)
        served = min(cheap, bound.served)
        estimate = min(cheap, bound.served + bound.loss_floor - int(bound.lp_value))
        result.update(
            served_bound=served,
            Q_bound=served / u,
            loss_floor=bound.loss_floor,
            proved_lp=bound.proved,
            group_lp=round(bound.lp_value, 1),
            Q_estimate=estimate / u,
            bound_seconds=round(time.perf_counter() - began, 1),
        )
    return result


if __name__ == "__main__":
    main()

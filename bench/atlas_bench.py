"""The access atlas at scale: world coverage, and 50 new sites over US-scale data.

    uv run python bench/atlas_make_instances.py            # once: writes bench/data/atlas/*.json
    uv run python bench/atlas_bench.py                     # our greedy and exact solvers
    uv run --with spopt --with pulp python bench/atlas_bench.py --spopt [--spopt-seconds 300]

1. World coverage (234,908 GeoNames places against 3,000 venues, 50 km, no new sites):
   reading and checking the file, solve() on its own (best of 3), and the wall time of
   `constellation atlas solve world-coverage.json --out ...` in a fresh process (best of 3),
   as the machine is set up (PYTHONDONTWRITEBYTECODE=1 here: each run compiles every
   module again) and with a bytecode cache, as an ordinary install runs.
2. US proposal (20,000 US places, 800 venues, candidates = demand, 50 new sites) at each
   radius built by atlas_make_instances.py: greedy, our exact solver (HiGHS), and with
   --spopt PySAL spopt's MCLP (CBC through PuLP) side by side. spopt wants a dense cost
   matrix; the full 20,000 x 20,800 one (3.3 GB, twice) does not fit beside the other
   work on this machine, so spopt gets the same question reduced the obvious way: the
   demand points no venue reaches yet (rows) and the candidates reaching at least one
   of them (columns), exact great-circle km in the matrix. Its choice is then scored by
   our coverage code, so all three figures count people the same way.

Prints Markdown for /work/notes/bench-atlas.md and keeps JSON in bench/data/atlas/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from constellation.atlas.solver import (  # noqa: E402
    Problem,
    problem_from_json,
    reach_pairs,
    solve,
)
from constellation.core.geo import unit_vectors  # noqa: E402


def read_problem(path: Path) -> tuple[Problem, float]:
    started = time.perf_counter()
    problem = problem_from_json(json.loads(path.read_text(encoding="utf-8")))
    return problem, time.perf_counter() - started


def bench_world(path: Path, repeat: int) -> dict:
    problem, read_seconds = read_problem(path)
    solves = []
    for _ in range(repeat):
        answer = solve(problem)
        solves.append(answer.seconds)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "constellation.settings"}
    command = [
        sys.executable,
        "-m",
        "constellation.cli",
        "atlas",
        "solve",
        str(path),
        "--out",
        "/tmp/atlas-world.json",
    ]

    cpu: dict[int, list[float]] = {}

    def wall_times(environment: dict) -> list[float]:
        """Wall seconds per run; the CPU seconds (user + system) of each run go to `cpu`."""
        walls, cpus = [], []
        for _ in range(repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(command, check=True, env=environment, capture_output=True)
            walls.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        cpu[id(walls)] = cpus
        return walls

    # As this machine is set up (PYTHONDONTWRITEBYTECODE=1, so every run compiles Django and
    # scipy again), and as an ordinary install runs, with a bytecode cache (warmed once).
    walls = wall_times(env)
    cached_env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached_env["PYTHONPYCACHEPREFIX"] = "/tmp/atlas-bench-pycache"
    subprocess.run(command, check=True, env=cached_env, capture_output=True)
    cached = wall_times(cached_env)
    load = os.getloadavg()[0]
    return {
        "places": len(problem.demand),
        "venues": len(problem.facilities),
        "radius_km": problem.radius_km,
        "covered_share": answer.covered_weight_before / answer.total_weight,
        "read_and_check_seconds": read_seconds,
        "solve_seconds_best": min(solves),
        "solve_seconds_all": solves,
        "cli_wall_seconds_best": min(walls),
        "cli_wall_seconds_median": statistics.median(walls),
        "cli_wall_seconds_all": walls,
        "cli_cpu_seconds_all": cpu[id(walls)],
        "cli_cpu_cached_seconds_all": cpu[id(cached)],
        "load_average_1min": load,
        "cli_wall_cached_seconds_best": min(cached),
        "cli_wall_cached_seconds_median": statistics.median(cached),
        "cli_wall_cached_seconds_all": cached,
        "pythondontwritebytecode": os.environ.get("PYTHONDONTWRITEBYTECODE", ""),
    }


def score(problem: Problem, chosen_ids: list[str]) -> float:
    """People covered with the venues and these sites, counted by our coverage code."""
    fixed = Problem(
        radius_km=problem.radius_km,
        facilities=problem.facilities
        + [c for c in problem.candidate_sites() if c.id in set(chosen_ids)],
        demand=problem.demand,
        candidates=None,
    )
    return solve(fixed).covered_weight_before


def run_spopt(problem: Problem, seconds: float) -> dict:
    try:
        import pulp
        from spopt.locate import MCLP
    except ImportError as exc:
        return {"error": f"spopt could not be imported: {exc}"}
    started = time.perf_counter()
    today = solve(problem)
    lats = np.array([d.lat for d in problem.demand])
    lons = np.array([d.lon for d in problem.demand])
    weights = np.array([d.weight for d in problem.demand])
    rows = np.flatnonzero(~today.covered_before)
    candidates = problem.candidate_sites()
    c_lats = np.array([c.lat for c in candidates])
    c_lons = np.array([c.lon for c in candidates])
    from scipy.spatial import cKDTree

    tree = cKDTree(unit_vectors(lats[rows], lons[rows]))
    cand_idx, _places = reach_pairs(c_lats, c_lons, lats[rows], lons[rows], tree, problem.radius_km)
    columns = np.unique(cand_idx)
    # Dense great-circle km, rows x columns, the haversine of constellation.core.geo.
    phi1 = np.radians(lats[rows])[:, None]
    phi2 = np.radians(c_lats[columns])[None, :]
    dlmb = np.radians(c_lons[columns][None, :] - lons[rows][:, None])
    h = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    cost = 2 * 6371.0088 * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    del h, dlmb
    matrix_seconds = time.perf_counter() - started
    model = MCLP.from_cost_matrix(
        cost, weights[rows], service_radius=problem.radius_km, p_facilities=problem.new_sites
    )
    del cost
    build_seconds = time.perf_counter() - started - matrix_seconds
    solve_started = time.perf_counter()
    model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=seconds, threads=1), results=False)
    solve_seconds = time.perf_counter() - solve_started
    picked = [int(columns[j]) for j, var in enumerate(model.fac_vars) if (var.value() or 0) > 0.5]
    chosen_ids = [candidates[j].id for j in picked]
    return {
        "rows": len(rows),
        "columns": len(columns),
        "matrix_seconds": matrix_seconds,
        "build_seconds": build_seconds,
        "solve_seconds": solve_seconds,
        "seconds": time.perf_counter() - started,
        "status": pulp.LpStatus[model.problem.status],
        "solution_status": pulp.LpSolution.get(
            model.problem.sol_status, str(model.problem.sol_status)
        ),
        "proven_optimal": model.problem.sol_status == pulp.LpSolutionOptimal,
        "chosen": len(chosen_ids),
        "covered_after": score(problem, chosen_ids),
        "objective_reported": pulp.value(model.problem.objective),
        "time_limit": seconds,
    }


def bench_us(path: Path, *, with_spopt: bool, spopt_seconds: float, exact_seconds: float) -> dict:
    problem, _read = read_problem(path)
    greedy = solve(problem, method="greedy")
    exact = solve(problem, method="exact", time_limit=exact_seconds)
    optimum_new = exact.newly_covered
    result = {
        "name": path.name,
        "places": len(problem.demand),
        "venues": len(problem.facilities),
        "radius_km": problem.radius_km,
        "new_sites": problem.new_sites,
        "total": exact.total_weight,
        "covered_before": exact.covered_weight_before,
        "greedy": {
            "covered_after": greedy.covered_weight_after,
            "newly_covered": greedy.newly_covered,
            "seconds": greedy.seconds,
            "proven_optimal": greedy.optimal,
            "bound": greedy.upper_bound,
        },
        "exact": {
            "covered_after": exact.covered_weight_after,
            "newly_covered": exact.newly_covered,
            "seconds": exact.seconds,
            "proven_optimal": exact.optimal,
            "bound": exact.upper_bound,
        },
        "greedy_gap_new_percent": 100 * (optimum_new - greedy.newly_covered) / optimum_new
        if optimum_new
        else 0.0,
        "greedy_gap_total_percent": 100
        * (exact.covered_weight_after - greedy.covered_weight_after)
        / exact.covered_weight_after,
        "chosen_same_set": set(greedy.chosen) == set(exact.chosen),
    }
    if with_spopt:
        result["spopt"] = run_spopt(problem, spopt_seconds)
    return result


def _row(
    us: dict, name: str, covered_after: float, seconds: float, proven: bool, note: str = ""
) -> str:
    best, best_new = us["exact"]["covered_after"], us["exact"]["newly_covered"]
    new = covered_after - us["covered_before"]
    gap_new = 100 * (best_new - new) / best_new if best_new else 0.0
    gap_all = 100 * (best - covered_after) / best
    return (
        f"| {name} | {covered_after:,.0f} | {new:,.0f} | {gap_new:.3f} % / {gap_all:.4f} % "
        f"| {seconds:.2f} | {'yes' if proven else 'no'}{note} |"
    )


def markdown(results: dict) -> str:
    lines = []
    w = results.get("world")
    if w:
        lines += [
            f"World coverage: {w['places']:,} places x {w['venues']:,} venues, radius {w['radius_km']:g} km "
            f"({100 * w['covered_share']:.2f} % of people within reach)",
            "",
            "| measured | seconds |",
            "|---|---|",
            f"| read + check the 18 MB problem file | {w['read_and_check_seconds']:.2f} |",
            f"| solve() (best of {len(w['solve_seconds_all'])}) | {w['solve_seconds_best']:.2f} |",
            f"| `constellation atlas solve` wall time, best / median of {len(w['cli_wall_seconds_all'])} "
            f"| {w['cli_wall_seconds_best']:.2f} / {w['cli_wall_seconds_median']:.2f} |",
            f"| the same with a bytecode cache (PYTHONPYCACHEPREFIX), best / median "
            f"| {w['cli_wall_cached_seconds_best']:.2f} / {w['cli_wall_cached_seconds_median']:.2f} |",
            f"| CPU (user + system) of one CLI run, best: no cache / cache "
            f"| {min(w['cli_cpu_seconds_all']):.2f} / {min(w['cli_cpu_cached_seconds_all']):.2f} |",
            "",
            f"(1-minute load average at the end: {w['load_average_1min']:.1f} on 2 cores, shared with other work)",
            "",
        ]
    for us in results.get("us", []):
        lines += [
            f"{us['name']}: {us['places']:,} places, {us['venues']} venues, radius {us['radius_km']:g} km, "
            f"{us['new_sites']} new sites, candidates = demand; {us['covered_before']:,.0f} of "
            f"{us['total']:,.0f} people within reach today",
            "",
            "| solver | people covered after | newly covered | gap to optimum (new / all) | seconds | proven optimal |",
            "|---|---|---|---|---|---|",
        ]
        lines.append(
            _row(
                us,
                "greedy (lazy, heap)",
                us["greedy"]["covered_after"],
                us["greedy"]["seconds"],
                us["greedy"]["proven_optimal"],
            )
        )
        lines.append(
            _row(
                us,
                "exact (greedy + HiGHS MILP)",
                us["exact"]["covered_after"],
                us["exact"]["seconds"],
                us["exact"]["proven_optimal"],
            )
        )
        sp = us.get("spopt")
        if sp and "error" not in sp:
            note = (
                f"; CBC {sp['solution_status']}, {sp['rows']:,} x {sp['columns']:,} matrix, "
                f"limit {sp['time_limit']:g} s; matrix {sp['matrix_seconds']:.1f} s, "
                f"model {sp['build_seconds']:.1f} s, CBC {sp['solve_seconds']:.1f} s"
            )
            lines.append(
                _row(
                    us,
                    "spopt 0.7 MCLP (PuLP + CBC)",
                    sp["covered_after"],
                    sp["seconds"],
                    sp["proven_optimal"],
                    note,
                )
            )
        elif sp:
            lines.append(f"| spopt | - | - | - | - | {sp['error']} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--instances", default=str(ROOT / "bench" / "data" / "atlas"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-world", action="store_true")
    parser.add_argument(
        "--spopt",
        action="store_true",
        help="Also run PySAL spopt's MCLP (needs --with spopt --with pulp).",
    )
    parser.add_argument("--spopt-seconds", type=float, default=300.0)
    parser.add_argument("--exact-seconds", type=float, default=60.0)
    parser.add_argument("--only-radius", type=float, default=None, help="Run one US instance only.")
    parser.add_argument(
        "--problems",
        nargs="+",
        default=None,
        metavar="FILE",
        help="Proposal problems to run instead of the US instances.",
    )
    args = parser.parse_args()
    folder = Path(args.instances)
    us_files = (
        [Path(p) for p in args.problems]
        if args.problems
        else sorted(folder.glob("us-proposal-*km.json"))
    )
    if not (folder / "world-coverage.json").exists() or not us_files:
        sys.exit(
            f"No instances in {folder}: run `uv run python bench/atlas_make_instances.py` first."
        )
    results: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    if not args.skip_world:
        results["world"] = bench_world(folder / "world-coverage.json", args.repeat)
    results["us"] = []
    for path in us_files:
        if args.only_radius is not None and not path.name.startswith(
            f"us-proposal-{args.only_radius:g}km"
        ):
            continue
        results["us"].append(
            bench_us(
                path,
                with_spopt=args.spopt,
                spopt_seconds=args.spopt_seconds,
                exact_seconds=args.exact_seconds,
            )
        )
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    (folder / f"results-{stamp}.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()

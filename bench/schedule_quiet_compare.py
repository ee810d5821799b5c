"""Ours (30 s, 2 processes, seeds 0-2) against greedy + annealing (120 s, seed 0), one at a
time on an otherwise idle machine."""

import json
import sys
import time

sys.path.insert(0, "bench")
from schedule_baselines import annealing_timetable

from constellation.events.scheduling.evaluate import evaluate
from constellation.events.scheduling.problem import problem_from_json
from constellation.events.scheduling.solver import solve

instances = {
    "S": "bench/data/schedule/conference-S.json",
    "M": "bench/data/schedule/conference-M.json",
    "L": "bench/data/schedule/conference-L.json",
    "ecsite-like": "/work/shared/formats/examples/schedule-ecsite-like.json",
}
out = {}
for name, path in instances.items():
    problem = problem_from_json(json.load(open(path)))
    row = {"ours": [], "annealing": []}
    for seed in (0, 1, 2):
        t = time.time()
        _a, f, info = solve(problem, seconds=30, seed=seed)
        row["ours"].append(round(f.Q, 4))
        print(
            name,
            "ours",
            seed,
            round(f.Q, 4),
            round(time.time() - t, 1),
            info.get("iterations"),
            flush=True,
        )
    t = time.time()
    a = annealing_timetable(problem, seconds=120, seed=0)
    f = evaluate(problem, a)
    row["annealing"].append(round(f.Q, 4))
    print(name, "annealing", 0, round(f.Q, 4), round(time.time() - t, 1), flush=True)
    out[name] = row
    json.dump(out, open("bench/data/schedule/quiet-compare.json", "w"), indent=1)

"""Build realistic conference-timetabling instances (constellation.schedule-problem/1 files).

    uv run python bench/schedule_make_instances.py [--out bench/data/schedule] [--only S M L]

Three sizes, each seeded and reproducible (the same bytes on every run):

    S: 100 sessions,    800 attendees, 3 days x 5 slots, 10 rooms
    M: 300 sessions,  3,000 attendees, 3 days x 6 slots, 22 rooms
    L: 800 sessions, 10,000 attendees, 3 days x 6 slots, 56 rooms

What makes them look like real conferences (cues taken from the shared examples
schedule-small.json and schedule-ecsite-like.json):

- rooms: one plenary hall, two or three auditoriums, many small rooms (30-150 seats); about a
  quarter of the small rooms are "labs" (workshop rooms); seats per slot are about twice the
  number of attendees. The hall scales with the attendance (a 10,000-person meeting has a
  hall for several thousand), so for M and L the biggest rooms are above the ~600 seats of
  the small instances; otherwise the keynotes alone would overflow by thousands whatever the
  timetable.
- tracks: 8-15 themes of Zipf-like sizes, plus a "plenary" track of three fixed sessions
  (opening on day 1 at 9:00, a day-2 keynote, closing in the last slot, all in the hall).
- popularity: lognormal per session (sigma 0.9), and a few "star" sessions (one in 40) get
  three to six times more.
- attendees: 4-15 interests (mean about 9); the three plenaries are wanted by 50, 40 and
  30 % of attendees; the rest is drawn 70 % from their 1-3 favourite tracks
  (weighted by popularity) and 30 % from the whole programme (weighted by popularity), so
  popular sessions collect interest from every track.
- speakers: 1-3 per session; about 15 % of speakers give 2-3 sessions (mostly in one track);
  about 10 % of speakers are unavailable for a day, a half day or a couple of slots;
  about 3 % of sessions have their own unavailable slots.
- about 8 % of sessions are two-slot workshops restricted to the labs; about 7 % need the
  equipment of the hall/auditoriums/large rooms, and 3 % need a lab for one slot.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "data" / "schedule"

SIZES = {
    # name: sessions, attendees, slots per day, rooms, tracks, seed
    "S": dict(sessions=100, attendees=800, per_day=5, rooms=10, tracks=9, seed=101),
    "M": dict(sessions=300, attendees=3000, per_day=6, rooms=22, tracks=12, seed=202),
    "L": dict(sessions=800, attendees=10000, per_day=6, rooms=56, tracks=15, seed=303),
}
DAY_TIMES = {
    5: [("09:00", "10:30"), ("10:45", "12:15"), ("13:30", "15:00"), ("15:15", "16:45"),
        ("17:00", "18:00")],
    6: [("08:30", "09:45"), ("10:00", "11:15"), ("11:30", "12:45"), ("14:00", "15:15"),
        ("15:30", "16:45"), ("17:00", "18:15")],
}
DATES = ["2027-09-14", "2027-09-15", "2027-09-16"]
THEMES = [
    "education", "research", "scicomm", "early years", "access", "biodiversity", "equity",
    "climate", "health", "ai", "space", "business", "heritage", "makers", "policy", "evaluation",
]
FORMATS = ["Panel", "Case studies", "Roundtable", "Talk", "Debate", "Conversation", "Lightning talks",
           "Showcase", "Fishbowl"]
WORKSHOP_FORMATS = ["Hands-on workshop", "Co-creation workshop", "Lab session"]
TOPICS = [
    "school partnerships", "measuring impact", "misinformation", "tactile exhibits",
    "storytelling with data", "community co-design", "volunteer programmes", "open data",
    "visitor research", "digital outreach", "teacher training", "citizen science", "pricing",
    "accessibility audits", "family audiences", "youth panels", "sustainable venues",
    "museum theatre", "maker spaces", "evaluation methods", "funding bids", "local partners",
]


def _slots(per_day: int) -> list[dict]:
    slots = []
    for d, date in enumerate(DATES, start=1):
        for start, end in DAY_TIMES[per_day]:
            slots.append({"id": f"d{d}-{start.replace(':', '')}",
                          "start": f"{date}T{start}", "end": f"{date}T{end}"})
    return slots


def _rooms(count: int, attendees: int, rng: random.Random) -> tuple[list[dict], list[str], list[str]]:
    """Hall, auditoriums, large rooms, small rooms and labs; returns rooms, labs, equipped."""
    hall = max(600, int(round(attendees * 0.55, -2)))
    auditoriums = 2 if count < 20 else (3 if count < 40 else 5)
    large = max(1, count // 6)
    labs = max(3, count // 4)
    small = count - 1 - auditoriums - large - labs
    rooms = [{"id": "hall", "capacity": hall}]
    for k in range(auditoriums):
        rooms.append({"id": f"aud-{chr(97 + k)}",
                      "capacity": int(round(hall * rng.uniform(0.18, 0.35), -1))})
    for k in range(large):
        rooms.append({"id": f"r{1 + k:02d}L", "capacity": rng.choice([120, 140, 150, 180, 200])})
    for k in range(small):
        rooms.append({"id": f"r{1 + k:02d}", "capacity": rng.choice([30, 40, 50, 60, 70, 80, 95, 110])})
    for k in range(labs):
        rooms.append({"id": f"lab{1 + k:02d}", "capacity": rng.choice([30, 40, 45, 50, 60, 95])})
    equipped = [r["id"] for r in rooms[: 1 + auditoriums + large]]
    return rooms, [r["id"] for r in rooms if r["id"].startswith("lab")], equipped


def make(name: str) -> dict:
    cfg = SIZES[name]
    rng = random.Random(cfg["seed"])
    slots = _slots(cfg["per_day"])
    slot_ids = [s["id"] for s in slots]
    per_day = cfg["per_day"]
    days = [slot_ids[d * per_day:(d + 1) * per_day] for d in range(len(DATES))]
    rooms, labs, equipped = _rooms(cfg["rooms"], cfg["attendees"], rng)

    # Tracks of Zipf-like sizes (the plenary track is separate).
    tracks = rng.sample(THEMES, cfg["tracks"])
    weights = [1 / (k + 1) ** 0.8 for k in range(len(tracks))]
    n_regular = cfg["sessions"] - 3
    sizes = [max(2, int(n_regular * w / sum(weights))) for w in weights]
    while sum(sizes) < n_regular:
        sizes[rng.randrange(len(sizes))] += 1
    while sum(sizes) > n_regular:
        k = max(range(len(sizes)), key=lambda i: sizes[i])
        sizes[k] -= 1

    sessions: list[dict] = []
    popularity: dict[str, float] = {}
    people: dict[str, dict] = {}
    speaker_seq = 0

    def new_speaker() -> str:
        nonlocal speaker_seq
        speaker_seq += 1
        pid = f"p{speaker_seq:05d}"
        people[pid] = {"id": pid}
        return pid

    track_speakers: dict[str, list[str]] = {t: [] for t in tracks}
    sid = 0
    plan = [(t, k) for t, n in zip(tracks, sizes, strict=True) for k in range(n)]
    for track, _k in plan:
        sid += 1
        s_id = f"s{sid:03d}"
        workshop = rng.random() < 0.08
        fmt = rng.choice(WORKSHOP_FORMATS if workshop else FORMATS)
        session = {"id": s_id, "title": f"{fmt}: {rng.choice(TOPICS)}", "track": track,
                   "duration": 2 if workshop else 1}
        n_speakers = 1 if workshop and rng.random() < 0.5 else rng.choice([1, 2, 2, 3])
        chosen: list[str] = []
        for _ in range(n_speakers):
            pool = [p for p in track_speakers[track] if p not in chosen]
            # reuse an earlier speaker of the track (or, rarely, of any track): ~15 % repeat
            pool = [p for p in pool if sum(p in s["speakers"] for s in sessions) < 3]
            if pool and rng.random() < 0.12:
                chosen.append(rng.choice(pool))
            elif len(people) > len(chosen) and rng.random() < 0.02:
                others = sorted(set(people) - set(chosen))
                other = rng.choice(others)
                if sum(other in s["speakers"] for s in sessions) < 3:
                    chosen.append(other)
                else:
                    chosen.append(new_speaker())
            else:
                chosen.append(new_speaker())
        session["speakers"] = chosen
        track_speakers[track].extend(p for p in chosen if p not in track_speakers[track])
        if workshop:
            session["rooms"] = list(labs)
        else:
            draw = rng.random()
            if draw < 0.07:
                session["rooms"] = list(equipped)
            elif draw < 0.10:
                session["rooms"] = list(labs)
        if rng.random() < 0.03:
            session["unavailable"] = sorted(rng.sample(slot_ids, rng.randint(1, 3)),
                                            key=slot_ids.index)
        sessions.append(session)
        popularity[s_id] = math.exp(rng.gauss(0, 0.9)) * (0.6 if workshop else 1.0)
    # Plenary: fixed in the hall; the most popular sessions of the meeting.
    plenary_share = {}
    for title, slot, share in [("Opening plenary", slot_ids[0], 0.5),
                               ("Keynote day 2", days[1][0], 0.4),
                               ("Closing plenary", slot_ids[-1], 0.3)]:
        sid += 1
        s_id = f"s{sid:03d}"
        sessions.append({"id": s_id, "title": title, "track": "plenary", "duration": 1,
                         "speakers": [new_speaker() for _ in range(2)],
                         "fixed": {"slot": slot, "room": "hall"}})
        plenary_share[s_id] = share
    # A handful of "star" sessions (famous speaker, hot topic) in regular tracks.
    for s in rng.sample(sessions[:-3], max(3, cfg["sessions"] // 40)):
        popularity[s["id"]] *= rng.uniform(3, 6)
    rng.shuffle(sessions)

    # Unavailable speakers (~10 %): a whole day, a half day or a couple of slots.
    multi = {p for p in people if sum(p in s["speakers"] for s in sessions) > 1}
    fixed_speakers = {p for s in sessions if "fixed" in s for p in s["speakers"]}
    for pid in sorted(people):
        if pid in fixed_speakers or rng.random() >= 0.10:
            continue
        day = rng.choice(days)
        kind = rng.random()
        if kind < 0.4 or pid in multi:
            off = day if pid not in multi else day[: per_day // 2]
        elif kind < 0.7:
            off = day[: per_day // 2] if rng.random() < 0.5 else day[per_day // 2:]
        else:
            off = rng.sample(slot_ids, 2)
        people[pid]["unavailable"] = sorted(off, key=slot_ids.index)

    # Attendees.
    by_track: dict[str, list[str]] = {}
    for s in sessions:
        by_track.setdefault(s["track"], []).append(s["id"])
    all_ids = [s["id"] for s in sessions if s["id"] not in plenary_share]
    all_w = [popularity[i] for i in all_ids]
    track_w = [len(by_track[t]) ** 1.2 for t in tracks]
    attendees = []
    for a in range(cfg["attendees"]):
        k = min(15, 4 + int(rng.expovariate(1 / 6)))
        favourites = set()
        for _ in range(rng.choice([1, 2, 2, 3])):
            favourites.add(rng.choices(tracks, weights=track_w)[0])
        fav_ids = [i for t in sorted(favourites) for i in by_track[t]]
        fav_w = [popularity[i] for i in fav_ids]
        wanted = [i for i, share in plenary_share.items() if rng.random() < share][: k - 2]
        tries = 0
        while len(wanted) < k and tries < 200:
            tries += 1
            if rng.random() < 0.7:
                pick = rng.choices(fav_ids, weights=fav_w)[0]
            else:
                pick = rng.choices(all_ids, weights=all_w)[0]
            if pick not in wanted:
                wanted.append(pick)
        attendees.append({"id": f"a{a + 1:05d}", "interests": sorted(wanted)})

    sessions.sort(key=lambda s: s["id"])
    return {
        "format": "constellation.schedule-problem/1",
        "name": f"Benchmark conference {name} ({cfg['sessions']} sessions, "
                f"{cfg['attendees']} attendees)",
        "slots": slots,
        "rooms": rooms,
        "sessions": sessions,
        "people": [people[p] for p in sorted(people)],
        "attendees": attendees,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", default=list(SIZES), choices=list(SIZES))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.only:
        problem = make(name)
        path = args.out / f"conference-{name}.json"
        path.write_text(json.dumps(problem, indent=None, separators=(",", ":")) + "\n")
        n_int = sum(len(a["interests"]) for a in problem["attendees"])
        print(f"{path}: {len(problem['sessions'])} sessions, {len(problem['attendees'])} "
              f"attendees, {len(problem['slots'])} slots x {len(problem['rooms'])} rooms, "
              f"{n_int} interests")


if __name__ == "__main__":
    main()

"""Write a synthetic organisations CSV for the import benchmark.

    uv run python bench/make_csv.py --rows 10000 --out bench/data/bench_10k.csv

Columns: name, city, country, kinds, website, year_founded, description, networks,
external_id. Cities are real GeoNames places, so the import's offline geocoding finds
them; kinds are written by name and separated by "; " as a spreadsheet would have them;
a tenth of the rows in the larger countries name the country in English ("France")
rather than by its ISO code.
The same seed always writes the same file. No Django needed.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402

COLUMNS = ["name", "city", "country", "kinds", "website", "year_founded", "description", "networks", "external_id"]
KIND_NAMES = {
    "science-centre": "Science centre", "science-museum": "Science museum",
    "natural-history-museum": "Natural history museum", "childrens-museum": "Children's museum",
    "planetarium": "Planetarium", "aquarium": "Aquarium", "zoo": "Zoo", "botanical-garden": "Botanical garden",
    "festival": "Festival", "university": "University", "open-lab": "Open lab / makerspace",
    "company": "Company", "research-organisation": "Research organisation", "network": "Network",
    "government-body": "Government body", "other": "Other",
}

COUNTRY_NAMES = {
    "US": "United States", "GB": "United Kingdom", "FR": "France", "DE": "Germany", "ES": "Spain",
    "IT": "Italy", "BR": "Brazil", "MX": "Mexico", "IN": "India", "JP": "Japan", "CN": "China",
    "CA": "Canada", "AU": "Australia", "ZA": "South Africa", "AR": "Argentina", "PT": "Portugal",
}


def write_csv(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for n in range(1, rows + 1):
            org = synthetic.organisation(rng)
            written_out = org.country in COUNTRY_NAMES and rng.random() < 0.1
            country = COUNTRY_NAMES[org.country] if written_out else org.country
            writer.writerow([
                org.name, org.city.name, country, "; ".join(KIND_NAMES[k] for k in org.kinds), org.website,
                org.year_founded or "", org.descriptions["en"], "; ".join(org.networks), f"BENCH-{n:06d}",
            ])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "data" / "bench_10k.csv")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    write_csv(args.out, args.rows, args.seed)
    print(f"Wrote {args.rows:,} organisations to {args.out}")


if __name__ == "__main__":
    main()

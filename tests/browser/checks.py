"""What every browser test checks on each page it visits: axe-core, and a screenshot for people."""

from __future__ import annotations

import os
from pathlib import Path

AXE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Set CONSTELLATION_SHOTS=/tmp/shots to keep screenshots of the pages the tests visit.
SHOTS_DIR = os.environ.get("CONSTELLATION_SHOTS", "")


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical WCAG 2.2 AA violation on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    violations = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map((n) => n.target.join(" ")),
            }));
        }""",
        AXE_TAGS,
    )
    serious = [v for v in violations if v["impact"] in {"serious", "critical"}]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["targets"][:10])
        for v in serious
    )
    assert serious == [], f"axe found serious violations on {page.url}:\n{report}"


def screenshot(page, name: str) -> None:
    """Keep a full-page screenshot for a human to look at, when CONSTELLATION_SHOTS is set."""
    if SHOTS_DIR:
        Path(SHOTS_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS_DIR) / f"{name}.png"), full_page=True)

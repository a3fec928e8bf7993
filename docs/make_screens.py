"""Regenerate the SVG screenshots in docs/screens/: `python docs/make_screens.py` (about a minute)."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

from mathteam.project import load_project
from mathteam.runner import run_project
from mathteam.tui.app import create_app

HERE = Path(__file__).resolve().parent
QUICKSTART = HERE.parent / "projects" / "quickstart.toml"
GATED = """\
[project]
name = "gated"
goal = "Which of the laws ETP 1-8 imply which, with a person approving each conjecture?"

[domain]
kind = "magma_implications"
laws = "etp:1-8"

[approval]
gates = ["conjecture"]
"""


async def shoot(path: Path, shots: list[tuple[str, list[str]]]) -> None:
    app = create_app(path, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)
        for name, keys in shots:
            await pilot.press(*keys)
            await pilot.pause(0.5)
            app.save_screenshot(filename=f"{name}.svg", path=str(HERE / "screens"))


def main() -> None:
    work = Path(tempfile.mkdtemp())
    try:
        shutil.copy(QUICKSTART, work / "quickstart.toml")
        (work / "gated.toml").write_text(GATED, encoding="utf-8")
        run_project(load_project(work / "quickstart.toml"))
        run_project(load_project(work / "gated.toml"))
        asyncio.run(shoot(work / "quickstart.toml", [
            ("dashboard", ["1"]), ("plan", ["2", "down", "down"]),
            ("claims", ["3", "slash", *"refuted", "escape", "down"]), ("log", ["5"]), ("report", ["6"])]))
        asyncio.run(shoot(work / "gated.toml", [("review", ["4"]), ("review-reject", ["n", *"too strong"])]))
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()

"""Shared fixtures: project files in a temporary folder, the reference data beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import project_text

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ETP_EQUATIONS = SHARED / "data" / "etp" / "equations.txt"


@pytest.fixture
def write_project(tmp_path: Path):
    """Write a project file into a temporary folder; its run folder lands beside it."""

    def write(text: str | None = None, filename: str = "project.toml", **kwargs) -> Path:
        path = tmp_path / filename
        path.write_text(text if text is not None else project_text(**kwargs), encoding="utf-8")
        return path

    return write


@pytest.fixture
def etp_equations() -> list[str]:
    if not ETP_EQUATIONS.exists():
        pytest.skip(f"reference data not found at {ETP_EQUATIONS}")
    return [line.split(": ", 1)[1] for line in ETP_EQUATIONS.read_text(encoding="utf-8").splitlines()]

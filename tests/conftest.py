"""Shared fixtures: project files in a temporary folder, the repository's own files, the reference data beside it.

Paths come from here and only here: the repository is this file's parent folder, and the
reference data (`../shared`) sits beside the repository, wherever the clone is and whatever the
working directory; no test names an absolute path or relies on the working directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import project_text

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ETP_EQUATIONS = SHARED / "data" / "etp" / "equations.txt"


@pytest.fixture
def repo() -> Path:
    """The repository's root: shipped projects (`repo / "projects"`), test fixtures, docs."""
    return REPO


@pytest.fixture
def write_project(tmp_path: Path):
    """Write a project file into a temporary folder; its run folder lands beside it."""

    def write(text: str | None = None, filename: str = "project.toml", **kwargs) -> Path:
        path = tmp_path / filename
        path.write_text(text if text is not None else project_text(**kwargs), encoding="utf-8")
        return path

    return write


@pytest.fixture
def etp_lines() -> list[tuple[str, str]]:
    """The ETP's published laws as (name, text), e.g. ("Equation1", "x = x"); skips without the data."""
    if not ETP_EQUATIONS.exists():
        pytest.skip(f"reference data not found at {ETP_EQUATIONS}")
    return [tuple(line.split(": ", 1)) for line in ETP_EQUATIONS.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture
def etp_equations(etp_lines) -> list[str]:
    return [text for _, text in etp_lines]

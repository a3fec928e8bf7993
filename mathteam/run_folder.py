"""Where a project's run lives (memory, checkpoints, report), read from the project file alone.

Apart from the project-file schema (mathteam.project, which loads pydantic and the laws) so that a
command that needs only the run folder, such as `mathteam review`, answers at once.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from mathteam.errors import NoRunYet, ProjectFileError

if TYPE_CHECKING:
    from mathteam.memory import Memory
    from mathteam.project import Project

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
NAME_MAX_LENGTH = 80


def read_project_toml(path: Path) -> dict:
    """The project file as TOML data; a missing, binary or malformed file is a ProjectFileError."""
    shown = str(path)
    if not path.exists():
        raise ProjectFileError(shown, "file not found")
    if path.is_dir():
        raise ProjectFileError(shown, "is a folder, not a project file")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ProjectFileError(shown, "not a text file (expected UTF-8 TOML)") from None
    except tomllib.TOMLDecodeError as error:
        raise ProjectFileError(shown, f"not valid TOML: {error}") from None


def run_folder(project_path: Path, name: str, output_dir: str | None) -> Path:
    """`output_dir` (relative to the project file's folder), else `runs/<name>` beside the file."""
    return (project_path.parent / (output_dir or f"runs/{name}")).resolve()


def open_existing_memory(project: "Project") -> "Memory":
    """The memory of a project that has run; NoRunYet (with the command to run it) before its first run."""
    from mathteam.memory import Memory  # the store, only for commands that read it

    if not project.memory_path.exists():
        error = NoRunYet(f"{project.path}: no run yet (no memory at {project.memory_path})")
        error.hint = f"mathteam run {project.path}"
        raise error
    return Memory.open(project.memory_path)

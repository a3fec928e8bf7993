"""Where a project's run lives (memory, checkpoints, report), read from the project file alone.

Apart from the project-file schema (mathteam.project, which loads pydantic and the laws) so that a
command that needs only the run folder, such as `mathteam review`, answers at once.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from mathteam.errors import ProjectFileError

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

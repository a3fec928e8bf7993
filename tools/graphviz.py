"""Rendering DOT graphs with Graphviz's `dot`, when it is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def find_dot() -> str | None:
    return shutil.which("dot")


def render_svg(dot_path: Path, timeout_s: float = 60) -> Path | None:
    """Write `<name>.svg` beside the DOT file; None when Graphviz is missing or fails."""
    binary = find_dot()
    if binary is None:
        return None
    target = dot_path.with_suffix(".svg")
    try:
        done = subprocess.run([binary, "-Tsvg", str(dot_path), "-o", str(target)],
                              capture_output=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return None
    return target if done.returncode == 0 and target.exists() else None

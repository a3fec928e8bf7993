"""A run killed at any moment (SIGKILL, Ctrl-C) resumes to the same answers, with no row duplicated."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import project_text
from mathteam.export import claim_rows
from mathteam.memory import Memory
from mathteam.project import load_project

LAWS = '"etp:1-46"'
pytestmark = pytest.mark.slow


RUN_UNTIL = Path(__file__).resolve().parent / "run_until.py"


def start_until(path: Path, point: int) -> subprocess.Popen:
    """`mathteam run --quiet` that stops inside its progress callback once `point` claims are
    settled, says so on stdout, and waits there to be killed (tests/run_until.py)."""
    return subprocess.Popen([sys.executable, str(RUN_UNTIL), str(path), str(point)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def reached(process: subprocess.Popen) -> int:
    """Block until the run reports its stopping point (an event, not a timed poll); the settled count."""
    line = process.stdout.readline()
    assert line.startswith("REACHED "), f"the run ended before its stopping point: {line!r}"
    return int(line.split()[1])


def settled(memory_path: Path) -> int:
    """Settled claims, read the way a second process would (the run holds its own connections)."""
    with sqlite3.connect(f"file:{memory_path}?mode=ro", uri=True, timeout=5) as conn:
        count = conn.execute("select count(*) from claims where status != 'open' "
                             "and status != 'conjectured'").fetchone()[0]
    conn.close()
    return count


def answers(path: Path) -> dict[tuple[str, str], str]:
    with Memory.open(load_project(path).memory_path) as memory:
        return {(row["lhs"], row["rhs"]): row["status"] for row in claim_rows(memory)}


def row_counts(path: Path) -> dict[str, int]:
    with Memory.open(load_project(path).memory_path) as memory:
        counts = {table: memory.db[table].count for table in ("claims", "evidence", "examples")}
        # The engine's proving rounds and searches are a task each; how many a run needs depends on
        # how far the engine's own log got before a kill (it goes on while the progress callback
        # waits), so only the tasks of the plan are compared.
        counts["tasks"] = sum(not task.id.startswith("bulk:") for task in memory.tasks())
        counts["settled"] = sum(n for status, n in memory.claim_counts().items()
                                if status in ("proved", "refuted", "formally_verified"))
        counts["settling evidence"] = len([e for e in memory.evidence() if e.kind != "lean"])
    return counts


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reference") / "project.toml"
    path.write_text(project_text(name="resume", laws=LAWS), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mathteam", "run", "--quiet", str(path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return path


def test_sigkill_at_three_moments_then_resume_gives_the_same_answers(reference, tmp_path):
    path = tmp_path / "project.toml"
    path.write_text(project_text(name="resume", laws=LAWS), encoding="utf-8")
    memory_path = load_project(path).memory_path
    total = row_counts(reference)["claims"]
    kill_points = [1, 1300, 1800]  # planned; refuted by examples; part-way through the proving rounds
    for point in kill_points:
        process = start_until(path, point)
        try:
            assert reached(process) >= point
        finally:
            process.send_signal(signal.SIGKILL)
            process.communicate()
        assert point <= settled(memory_path) < total, "killed part-way, with the work done so far kept"
    finished = subprocess.run([sys.executable, "-m", "mathteam", "run", "--quiet", str(path)],
                              capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert answers(path) == answers(reference)
    counts = row_counts(path)
    assert counts == row_counts(reference)
    assert counts["settling evidence"] == counts["settled"] == total, "one piece of evidence per settled claim"


def test_ctrl_c_exits_130_and_the_next_run_finishes(reference, tmp_path):
    path = tmp_path / "project.toml"
    path.write_text(project_text(name="resume", laws=LAWS), encoding="utf-8")
    process = start_until(path, 1)
    reached(process)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Interrupted" in err and "Traceback" not in err
    finished = subprocess.run([sys.executable, "-m", "mathteam", "run", "--quiet", str(path)],
                              capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert answers(path) == answers(reference)

"""`mathteam export` only reads: no agents, no graph, no engine, nothing written in the run folder."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from helpers import project_text
from test_layers import graph, layer

from mathteam.domain import BUILT_IN, DOMAINS
from mathteam.project import load_project
from mathteam.runner import run_project

LAWS = '"etp:1-6"'
# What an export may not load: the team (agents, graph, runner and commands), LangGraph, the engine.
HEAVY = ("mathteam.agents", "mathteam.graph", "mathteam.runner", "mathteam.commands", "mathteam.tools.bulk_engine",
         "langgraph")
EXPORT_IN_A_FRESH_PROCESS = """
import json, sys
from mathteam.cli import main
code = main(["export", sys.argv[1], "--format", "json", "-o", sys.argv[2]])
loaded = sorted(name for name in sys.modules if name.startswith(tuple(sys.argv[3].split(","))))
print(json.dumps({"code": code, "loaded": loaded}))
"""


def reachable(start: str) -> set[str]:
    edges = graph()
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(edges.get(name, ()))
    return seen


def test_nothing_the_export_imports_is_above_the_core():
    """Read from the source (lazy imports count): export's imports stay in core, tools and domains."""
    above = sorted(f"{name} ({layer(name)})" for name in reachable("mathteam.export")
                   if layer(name) not in ("base", "domains", "tools", "core"))
    assert above == []


def test_each_built_in_domain_exports_the_same_rows_with_or_without_its_agents():
    for kind in BUILT_IN:
        assert DOMAINS.export_rows(kind) is DOMAINS[kind].export_rows, kind


def run_folder_state(project) -> dict[str, tuple[int, int]]:
    return {str(path.relative_to(project.run_dir)): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in sorted(project.run_dir.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("engine", ["pairs", pytest.param("bulk", marks=pytest.mark.skipif(
    shutil.which("eprover") is None, reason="the bulk engine's prover is the E prover"))])
def test_export_of_a_finished_run_loads_no_team_and_writes_nothing_in_the_run(tmp_path, engine):
    path = tmp_path / "project.toml"
    path.write_text(project_text(name=f"reads-{engine}", laws=LAWS, extra=f'engine = "{engine}"'), encoding="utf-8")
    project = load_project(path)
    assert run_project(project).status == "done"
    before = run_folder_state(project)
    target = tmp_path / "rows.json"
    done = subprocess.run([sys.executable, "-c", EXPORT_IN_A_FRESH_PROCESS, str(path), str(target), ",".join(HEAVY)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result == {"code": 0, "loaded": []}
    rows = json.loads(target.read_text(encoding="utf-8"))
    assert len(rows) == 6 * 5 and {row["status"] for row in rows} <= {"proved", "refuted"}
    assert run_folder_state(project) == before, "the export changed the run folder"

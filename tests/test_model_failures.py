"""A failing model never ends a project silently: exit 5 with the reason, a clean memory, a rerun that retries."""

from __future__ import annotations

import json
import sqlite3

import pytest
from llm_helpers import SCRIPT, freeform_text, replies

from mathteam.agents.freeform import lean as freeform_lean
from mathteam.cli import main
from mathteam.memory import Memory
from mathteam.project import load_project
from loopback import LoopbackServer, Step, error, garbage, reply


@pytest.fixture(autouse=True)
def no_lean(monkeypatch):
    monkeypatch.setattr(freeform_lean, "find_toolchain", lambda: None)


def down_url() -> str:
    with LoopbackServer([]) as server:
        return server.base_url  # closed on leaving: nothing listens there any more


WRONG_SHAPE = json.dumps({"summary": "a plan", "tasks": [{"kind": "dance", "title": 3}]})


@pytest.mark.parametrize("server_steps", [
    None,                                                    # nothing listens: connection refused
    [garbage()] * 8,                                         # an HTML error page with status 200
    replies(*[WRONG_SHAPE] * 8),                             # JSON, but not the plan's shape
    [error(500, "CUDA out of memory")] * 8,
], ids=["down", "garbage", "wrong-shape", "error-500"])
def test_a_failing_model_exits_5_naming_provider_url_and_error_and_a_rerun_completes(write_project, capsys,
                                                                                      server_steps):
    if server_steps is None:
        url, sent = down_url(), None
        path = write_project(freeform_text(url))
        code = main(["run", str(path), "--quiet"])
    else:
        with LoopbackServer(server_steps) as server:
            url = server.base_url
            path = write_project(freeform_text(url))
            code = main(["run", str(path), "--quiet"])
            sent = len(server.requests)
    err = capsys.readouterr().err
    assert code == 5
    [line] = [line for line in err.splitlines() if line.startswith("Error:")]
    assert f"model steps failed (1 task(s) could not go on): planner: local (openai_compatible, model " \
           f"loopback-model, at {url}): " in line
    assert "Fix the model and run again: the failed steps are retried" in line
    assert sent is None or sent >= 2
    project = load_project(path)
    with sqlite3.connect(project.memory_path) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    with Memory.open(project.memory_path) as memory:
        assert memory.claims() == [] and memory.task("plan:goal").status == "pending"
        assert [t.id for t in memory.tasks(status="done")] == []

    with LoopbackServer(replies(*SCRIPT)) as server:
        path.write_text(freeform_text(server.base_url))
        assert main(["run", str(path), "--quiet"]) == 0
        assert len(server.requests) == len(SCRIPT)
    with Memory.open(project.memory_path) as memory:
        assert {t.status for t in memory.tasks()} == {"done"}


def sse(text: str) -> bytes:
    chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "loopback-model",
             "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}
    return f"data: {json.dumps(chunk)}\n\n".encode()  # and then nothing: no finish reason, no [DONE]


def test_tokens_of_a_reply_that_broke_off_count_against_the_budget(write_project):
    broken = Step(raw=sse("x" * 4000), headers={"content-type": "text/event-stream"}, tokens=None)
    with LoopbackServer([broken, broken]) as server:
        path = write_project(freeform_text(server.base_url))
        assert main(["run", str(path), "--quiet"]) == 5
    with Memory.open(load_project(path).memory_path) as memory:
        requests = [e.outputs for e in memory.events() if e.action == "model request"]
    assert [r["status"] for r in requests[:2]] == ["failed", "failed"]  # then the spent script answers 503
    assert all(r["tokens_out"] == 1000 and r["tokens_in"] > 0 and r["tokens_estimated"] for r in requests[:2])
    assert all(r["tokens_out"] == 0 for r in requests[2:])

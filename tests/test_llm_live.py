"""A whole free-form run against a real model, when one is configured; skipped otherwise.

``MATHTEAM_LOCAL_BASE_URL`` (an OpenAI-compatible server, model ``$MATHTEAM_LOCAL_MODEL`` or the first it
lists), else ``OPENAI_API_KEY`` (``$MATHTEAM_OPENAI_MODEL``), else ``ANTHROPIC_API_KEY``
(``$MATHTEAM_ANTHROPIC_MODEL``). The budget keeps the run small; a real model's answers differ, so
the test asserts what must hold whatever it says.
"""

from __future__ import annotations

import os
import textwrap

import httpx2
import pytest

from mathteam.memory import SETTLED, Memory
from mathteam.project import load_project
from mathteam.runner import run_project


def _model_table() -> str:
    if os.environ.get("MATHTEAM_LOCAL_BASE_URL"):
        url = os.environ["MATHTEAM_LOCAL_BASE_URL"]
        model = os.environ.get("MATHTEAM_LOCAL_MODEL") or httpx2.get(
            url.rstrip("/") + "/models", timeout=10).json()["data"][0]["id"]
        return f'provider = "openai_compatible"\nmodel = "{model}"\nbase_url = "{url}"\nstructured = "json_object"'
    if os.environ.get("OPENAI_API_KEY"):
        return f'provider = "openai"\nmodel = "{os.environ.get("MATHTEAM_OPENAI_MODEL", "gpt-5.4-mini")}"'
    if os.environ.get("ANTHROPIC_API_KEY"):
        return f'provider = "anthropic"\nmodel = "{os.environ.get("MATHTEAM_ANTHROPIC_MODEL", "claude-haiku-4-5")}"'
    pytest.skip("set MATHTEAM_LOCAL_BASE_URL, OPENAI_API_KEY or ANTHROPIC_API_KEY for a live free-form run")


@pytest.mark.live
def test_live_freeform_run_records_every_request_and_settles_only_through_checkers(tmp_path):
    table = _model_table()
    path = tmp_path / "live.toml"
    path.write_text(textwrap.dedent("""\
        [project]
        name = "live"
        goal = "Is the sum of the first n odd numbers always a perfect square? Compute, conjecture, prove."
        [domain]
        kind = "freeform"
        max_tasks = 4
        [models.m]
        {table}
        timeout_s = 180
        [team]
        planner = "m"
        example_generator = "m"
        conjecturer = "m"
        prover = "m"
        writer = "m"
        [budget]
        calls = 16
        tokens = 60000
        """).replace("{table}", table), encoding="utf-8")
    project = load_project(path)
    outcome = run_project(project, approve_all=True)
    assert outcome.status in ("done", "stopped")
    with Memory.open(project.memory_path) as memory:
        requests = [e for e in memory.events() if e.action == "model request"]
        assert requests and all(e.outputs["tokens_in"] > 0 for e in requests if e.outputs["status"] == "ok")
        for claim in memory.claims(status=list(SETTLED)):
            assert any(e.accepted for e in memory.evidence(claim.id)), claim.id
    assert project.report_path.exists()

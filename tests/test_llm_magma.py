"""A model-brain conjecturer on a magma project: what it says is recorded as its own, and every status
change still comes from a checker."""

from __future__ import annotations

import json

from helpers import law_holds, project_text
from llm_helpers import replies

from mathteam.memory import SETTLED, Memory
from mathteam.project import load_project
from mathteam.runner import run_project
from loopback import LoopbackServer

MODEL_BRAIN = """
[models.local]
provider = "openai_compatible"
model = "loopback-model"
base_url = "{url}"
timeout_s = 2
max_retries = 0

[team]
conjecturer = "local"
"""


def magma_project(write_project, url: str):
    text = project_text(name="magma-model", laws='"etp:1-8"') + MODEL_BRAIN.format(url=url)
    return load_project(write_project(text))


def test_model_conjecturer_picks_are_recorded_as_its_own_and_only_checkers_settle_claims(write_project):
    # The model believes a true implication, a false one that survives no example (already refuted),
    # and makes up an id; it also "knows" the answers, which must change nothing.
    picks = {"conjectures": [
        {"claim": "Equation2=>Equation3", "rationale": "a singleton magma satisfies everything; proved."},
        {"claim": "Equation1=>Equation2", "rationale": "obviously true (it is not)"},
        {"claim": "Equation99=>Equation1", "rationale": "made up"}]}
    with LoopbackServer(replies(picks)) as server:
        project = magma_project(write_project, server.base_url)
        outcome = run_project(project)
        assert len(server.requests) == 1
        prompt = server.requests[0]["messages"][1]["content"]
    assert outcome.status == "done"
    offered = prompt.split("# Implications no computed example refutes")[1]
    assert "Equation2=>Equation3" in offered and "Equation1=>Equation2" not in offered
    with Memory.open(project.memory_path) as memory:
        claims = {c.id: c for c in memory.claims()}
        task = memory.task("conjecture")
        assert task.outputs["picked_by_model"] == ["Equation2=>Equation3"]
        assert claims["Equation1=>Equation2"].status == "refuted"
        assert claims["Equation2=>Equation3"].status == "proved"
        for claim in claims.values():
            if claim.status in SETTLED:
                accepted = [e for e in memory.evidence(claim.id) if e.accepted]
                assert accepted, claim.id
                assert all("local" not in e.author for e in accepted), claim.id
        settling = [e for e in memory.events() if e.action in ("claim proved", "claim refuted",
                                                              "claim formally_verified")]
        assert settling and all(e.brain == "symbolic" for e in settling)
        model_events = [e for e in memory.events() if e.brain == "local"]
        assert {e.action for e in model_events} == {"model request", "claims conjectured", "conjectures picked"}
        [request] = [e for e in model_events if e.action == "model request"]
        assert (request.role, request.outputs["tokens_in"], request.outputs["tokens_out"]) == ("conjecturer", 20, 10)
        # Whatever the model said, the proved claims hold in every computed magma.
        for claim in claims.values():
            if claim.status == "proved":
                for example in memory.examples("magma"):
                    table = example["data"]["table"]
                    if law_holds(table, claim.data["hypothesis_law"]):
                        assert law_holds(table, claim.data["conclusion_law"]), claim.id


def test_magma_run_survives_a_model_that_answers_garbage_by_conjecturing_on_the_data(write_project):
    with LoopbackServer(replies("no JSON here", "still none")) as server:
        project = magma_project(write_project, server.base_url)
        outcome = run_project(project)
    assert outcome.status == "done"
    with Memory.open(project.memory_path) as memory:
        assert memory.task("conjecture").outputs["model"] is False
        [failed] = [e for e in memory.events() if e.action == "model step failed"]
        assert json.dumps(failed.outputs).count("not valid JSON") >= 1
        assert not memory.claims(status="open") or all(
            c.reason and "neither the prover" in c.reason for c in memory.claims(status="open"))

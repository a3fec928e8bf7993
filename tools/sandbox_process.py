"""Process plumbing for the sandbox: capped output capture, group kill, a private pids cgroup."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

CGROUP_ROOTS = (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup"))


class Capture:
    """Reads stdout and stderr on two threads, keeping at most ``cap`` bytes of the two together."""

    def __init__(self, process: subprocess.Popen, cap: int) -> None:
        self.process = process
        self.cap = cap
        self.overflowed = threading.Event()
        self._kept = 0
        self._lock = threading.Lock()
        self._chunks: dict[str, list[bytes]] = {"stdout": [], "stderr": []}
        self._threads = [threading.Thread(target=self._drain, args=(name, stream), daemon=True)
                         for name, stream in (("stdout", process.stdout), ("stderr", process.stderr))]
        for thread in self._threads:
            thread.start()

    def _drain(self, name: str, stream) -> None:
        # Keep reading after the cap so a writer never blocks on a full pipe before it is killed.
        while chunk := os.read(stream.fileno(), 65536):
            with self._lock:
                room = self.cap - self._kept
                if len(chunk) > room:
                    self.overflowed.set()
                    chunk = chunk[:max(room, 0)]
                self._kept += len(chunk)
                self._chunks[name].append(chunk)

    def finish(self, timeout: float = 5.0) -> tuple[str, str]:
        """Wait for both pipes to close (every writer gone) and return the kept text."""
        for thread in self._threads:
            thread.join(timeout)
        for stream in (self.process.stdout, self.process.stderr):
            stream.close()
        with self._lock:
            return tuple(b"".join(self._chunks[name]).decode("utf-8", errors="replace")
                         for name in ("stdout", "stderr"))


def kill_group(pgid: int) -> None:
    """SIGKILL every process of the group; a group already gone is fine."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def tasks_of_uid(uid: int) -> int:
    """How many tasks (threads included) the user runs now: what RLIMIT_NPROC counts."""
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry.name}/task"))
            except OSError:
                continue
    return count


class PidsCgroup:
    """A private cgroup with ``pids.max``: the kernel counts the sandbox's tasks, root included."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.procs_file = path / "cgroup.procs"

    @classmethod
    def create(cls, limit: int) -> PidsCgroup | None:
        """A new cgroup under the first writable pids hierarchy, or None where there is none."""
        for root in CGROUP_ROOTS:
            if not os.access(root / "cgroup.procs", os.W_OK):
                continue
            path = root / f"mathteam-sandbox-{uuid.uuid4().hex[:12]}"
            try:
                path.mkdir()
            except OSError:
                continue
            try:
                (path / "pids.max").write_text(str(limit), encoding="ascii")
                return cls(path)
            except OSError:
                path.rmdir()
        return None

    def pids(self) -> list[int]:
        try:
            return [int(line) for line in self.procs_file.read_text(encoding="ascii").split()]
        except OSError:
            return []

    def empty_and_count_refusals(self, timeout: float = 3.0) -> int:
        """Kill whatever is left in the cgroup; return how many forks ``pids.max`` refused."""
        deadline = time.monotonic() + timeout
        while (left := self.pids()) and time.monotonic() < deadline:
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)
        try:
            events = (self.path / "pids.events").read_text(encoding="ascii").split()
        except OSError:
            return 0
        return int(events[events.index("max") + 1]) if "max" in events else 0

    def remove(self) -> None:
        try:
            self.path.rmdir()
        except OSError:
            pass  # still busy after the kill: the kernel frees it when the last task is reaped

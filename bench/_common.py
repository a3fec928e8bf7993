"""Shared bits of the bench scripts: the machine, peak memory, a one-line progress printer."""

from __future__ import annotations

import os
import platform
import resource
import sys
import time


def machine() -> dict:
    """What the figures were measured on."""
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpus": os.cpu_count(), "memory_gb": round(memory_gb, 1), "python": platform.python_version(),
            "platform": platform.platform(), "load_average_at_start": os.getloadavg()}


def peak_rss_mb() -> dict:
    """Peak resident memory of this process and of its largest finished child (ru_maxrss is in KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self_mb": round(own, 1), "largest_child_mb": round(children, 1)}


class PrintedProgress:
    """The bulk engine's `Progress` callback for the benchmarks: prints one line per report: elapsed time, phase, settled fraction, and the figures given."""

    def __init__(self, pairs: int):
        self.started = time.monotonic()
        self.pairs = pairs

    def __call__(self, phase: str, info: dict) -> None:
        settled = info.get("true", 0) + info.get("false", 0)
        total = self.pairs
        fraction = settled / total if total else 0.0
        bar = "#" * int(30 * fraction) + "." * (30 - int(30 * fraction))
        extra = " ".join(f"{k}={v}" for k, v in info.items() if k not in ("true", "false"))
        print(f"[{bar}] {100 * fraction:7.3f}% {time.monotonic() - self.started:8.1f}s {phase}: {extra}",
              file=sys.stderr, flush=True)

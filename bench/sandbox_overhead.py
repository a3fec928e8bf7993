"""Sandbox overhead: kernel layers (Landlock, seccomp and its supervisor, no capabilities) on vs off.

A trivial run and one writing 1000 files in its folder (each write-open goes through the seccomp
supervisor); five runs each, median and minimum. Run: python bench/sandbox_overhead.py
"""

from __future__ import annotations

import statistics
import time

from mathteam.tools.sandbox import Limits, execute

WRITES = "for i in range(1000):\n    with open(f'f{i}.txt', 'w') as out:\n        out.write('x')"

for label, code in (("trivial", "pass"), ("1000 writes", WRITES)):
    for kernel in (False, True):
        times = []
        for _ in range(5):
            start = time.monotonic()
            run = execute(code, None, Limits(), kernel=kernel)
            assert run.outcome.outcome == "completed", run.outcome
            times.append(time.monotonic() - start)
        print(f"{label:12} kernel={kernel!s:5} median {statistics.median(times):.3f} s  (min {min(times):.3f})")

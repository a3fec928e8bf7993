"""Sandbox run caches for the tests: one in a dict, one as a JSON file per run (the team's own is agents/code_runs.py)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from mathteam.tools.sandbox import SandboxRun


class MemoryRunCache:
    """Runs kept in a dict for the life of the process."""

    def __init__(self) -> None:
        self._runs: dict[str, SandboxRun] = {}

    def get(self, key: str) -> SandboxRun | None:
        return self._runs.get(key)

    def put(self, key: str, run: SandboxRun) -> None:
        self._runs[key] = run

    def __len__(self) -> int:
        return len(self._runs)


class JsonFileRunCache:
    """Runs kept as ``DIRECTORY/<key>.json``, written atomically so a crash leaves no half file."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    def get(self, key: str) -> SandboxRun | None:
        path = self.directory / f"{key}.json"
        if not path.is_file():
            return None
        return SandboxRun.model_validate_json(path.read_text(encoding="utf-8"))

    def put(self, key: str, run: SandboxRun) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(run.model_dump_json())
        os.replace(temporary, self.directory / f"{key}.json")

"""Stored sandbox runs: the cache key and two caches (in-process dict, one JSON file per run)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .sandbox import Limits, SandboxRun


def code_sha256(code: str) -> str:
    """The hex sha256 of the code's UTF-8 text."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def run_cache_key(code: str, inputs: object, limits: Limits) -> str:
    """The key of a run: same code, same inputs (as canonical JSON) and same limits give the same key.

    This is the function the project memory adopts when it stores runs as evidence.
    """
    canonical = json.dumps(
        {"code_sha256": code_sha256(code), "inputs": inputs, "limits": limits.model_dump(mode="json")},
        sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


class RunCache(Protocol):
    """Where finished runs are kept, keyed by :func:`run_cache_key`."""

    def get(self, key: str) -> SandboxRun | None: ...

    def put(self, key: str, run: SandboxRun) -> None: ...


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
        from .sandbox import SandboxRun  # noqa: PLC0415 - the models import this module

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

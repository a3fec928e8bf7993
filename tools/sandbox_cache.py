"""Stored sandbox runs: the cache key and the cache protocol (the project memory's cache is agents/code_runs.py)."""

from __future__ import annotations

import hashlib
import json
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

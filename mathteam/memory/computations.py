"""Sandbox runs kept in the memory: each run as evidence (code, hash, inputs, limits, outcome, time)."""

from __future__ import annotations

import json
from typing import Any

from mathteam.memory.models import Actor
from mathteam.memory.records import Records, now


class ComputationLog(Records):
    """Mixed into Memory: the computations table's named queries.

    Runs are stored as plain JSON (a ``SandboxRun`` dumped with ``mode="json"``), so the memory does
    not depend on the sandbox's models; ``mathteam.agents.code_runs`` turns them back into runs.
    """

    def store_computation(self, key: str, run: dict[str, Any], actor: Actor) -> bool:
        """Keep one run under its cache key (a later run with the same key replaces it); True if new."""
        outcome = run["outcome"]
        with self.atomic():
            new = not list(self.db.query("select 1 from computations where key = ?", [key]))
            self.db["computations"].upsert({
                "key": key, "code_sha256": run["code_sha256"], "code": run["code"],
                "inputs": json.dumps(run["inputs"], sort_keys=True), "limits": json.dumps(run["limits"], sort_keys=True),
                "outcome": outcome["outcome"], "limit_hit": outcome.get("limit"), "seconds": run["seconds"],
                "cpu_seconds": run["cpu_seconds"], "run": json.dumps(run, ensure_ascii=False),
                "author": actor.label(), "created_at": now()}, pk="key")
            self.record_event(actor, "sandbox run", subject=key,
                              inputs={"code_sha256": run["code_sha256"], "inputs": run["inputs"]},
                              outputs={"outcome": outcome["outcome"], "limit": outcome.get("limit"),
                                       "detail": outcome.get("detail") or outcome.get("reason")},
                              seconds=run["seconds"])
        return new

    def computation(self, key: str) -> dict[str, Any] | None:
        """The stored run under this key (as JSON data), or None."""
        rows = list(self.db.query("select run from computations where key = ?", [key]))
        return json.loads(rows[0]["run"]) if rows else None

    def computations(self, code_sha256: str | None = None) -> list[dict[str, Any]]:
        """Summary rows of the stored runs (without the full run), oldest first."""
        sql, params = ("select key, code_sha256, inputs, limits, outcome, limit_hit, seconds, cpu_seconds, "
                       "author, created_at from computations"), []
        if code_sha256 is not None:
            sql += " where code_sha256 = ?"; params.append(code_sha256)
        return [{**row, "inputs": json.loads(row["inputs"]), "limits": json.loads(row["limits"])}
                for row in self.db.query(sql + " order by rowid", params)]

"""The evidence behind a bulk run, as an append-only log: magmas (refutations) and direct proofs.

Every false pair in the implication matrix points at a stored magma table, every true pair at a
direct proof (a syntactic certificate, an E prover output with its status line, or the mirror
image of another proof) from which transitivity derives it. The log is the checkpoint: replaying
it rebuilds the matrix, so a run killed at any point resumes from its last complete line.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from mathteam.domains.magma.implication_matrix import ImplicationMatrix

LOG = "evidence.jsonl"
SNAPSHOT = "matrix.npz"


@dataclass
class EvidenceLog:
    """Magmas and proofs in the order they were applied; ``folder`` holds the log file."""

    folder: Path | None = None
    laws: int = 0
    magmas: list[dict[str, Any]] = field(default_factory=list)
    proofs: list[dict[str, Any]] = field(default_factory=list)
    attempts: list[dict[str, Any]] = field(default_factory=list)
    marks: dict[str, Any] = field(default_factory=dict)
    read_only: bool = False

    # ------------------------------------------------------------------ writing

    def _append(self, record: dict[str, Any]) -> None:
        if self.read_only:
            raise PermissionError(f"the evidence log in {self.folder} was opened read-only")
        if self.folder is None:
            return
        with open(self.folder / LOG, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, separators=(",", ":")) + "\n")

    def add_magmas(self, tables: list[np.ndarray], sat: np.ndarray, source: str) -> np.ndarray:
        """Store tables with their satisfaction rows; returns their magma ids."""
        ids = []
        for table, row in zip(tables, sat):
            record = {"type": "magma", "id": len(self.magmas), "table": np.asarray(table).tolist(),
                      "sat": _pack(row), "source": source}
            self.magmas.append(record)
            self._append(record)
            ids.append(record["id"])
        return np.array(ids, dtype=np.int32)

    def add_model(self, row: np.ndarray, source: str, model: dict[str, Any]) -> int:
        """Store a magma given by a formula, not a table (an infinite counter-model): ``model``
        names its family and parameters, ``row`` says exactly which laws hold in it. Its table is
        empty; readers tell it apart by ``"model" in record``."""
        record = {"type": "magma", "id": len(self.magmas), "table": [], "sat": _pack(row), "source": source,
                  "model": model}
        self.magmas.append(record)
        self._append(record)
        return record["id"]

    def add_proof(self, a: int, b: int, kind: str, **detail: Any) -> int:
        """Store a direct proof of law a ⇒ law b; returns its id."""
        record = {"type": "proof", "id": len(self.proofs), "a": int(a), "b": int(b), "kind": kind, **detail}
        self.proofs.append(record)
        self._append(record)
        return record["id"]

    def add_attempt(self, a: int, b: int, tool: str, effort: float, outcome: str) -> None:
        record = {"type": "attempt", "a": int(a), "b": int(b), "tool": tool, "effort": effort,
                  "outcome": outcome}
        self.attempts.append(record)
        self._append(record)

    def mark(self, name: str, value: Any = True) -> None:
        """Record that a phase finished (with its figures), so a resumed run skips it."""
        self.marks[name] = value
        self._append({"type": "mark", "name": name, "value": value})

    # ------------------------------------------------------------------ reading

    def sat_rows(self, ids: np.ndarray | list[int]) -> np.ndarray:
        return np.stack([_unpack(self.magmas[k]["sat"], self.laws) for k in ids])

    def table(self, k: int) -> list[list[int]]:
        return self.magmas[k]["table"]

    def edges(self) -> np.ndarray:
        return np.array([(p["a"], p["b"]) for p in self.proofs], dtype=np.int64).reshape(-1, 2)

    @classmethod
    def open(cls, folder: Path, laws: int, read_only: bool = False) -> "EvidenceLog":
        """Read the log in ``folder`` (created if missing); a torn last line is dropped.

        ``read_only``: the folder must exist, and nothing is written (a torn last line is skipped,
        not cut off); the log is for reading (a report, an export), never for appending.
        """
        if read_only and not (folder / LOG).is_file():
            raise FileNotFoundError(f"no evidence log at {folder / LOG}")
        if not read_only:
            folder.mkdir(parents=True, exist_ok=True)
        log = cls(folder=None, laws=laws)
        path = folder / LOG
        if path.exists():
            lines = path.read_text(encoding="utf-8").split("\n")
            good = []
            for line in lines:
                if not line:
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    break
                good.append(line)
                {"magma": log.magmas, "proof": log.proofs, "attempt": log.attempts}.get(
                    record["type"], []).append(record)
                if record["type"] == "mark":
                    log.marks[record["name"]] = record["value"]
            if not read_only:
                path.write_text("".join(g + "\n" for g in good), encoding="utf-8")
        log.folder = folder
        log.read_only = read_only
        return log

    def replay(self) -> ImplicationMatrix:
        """Rebuild the matrix: from the snapshot if there is one, then the records written after it.

        Records are applied in log order, consecutive magmas as one batch. The snapshot names how
        many records it reflects; the log only grows, so those records are a prefix of it.
        """
        matrix = ImplicationMatrix(self.laws)
        records = self._ordered()
        start = 0
        path = self.folder / SNAPSHOT if self.folder is not None else None
        if path is not None and path.exists():
            with np.load(path) as data:
                if int(data["records"]) <= len(records) and data["state"].shape == matrix.state.shape:
                    matrix.state[...] = data["state"]
                    matrix.evidence[...] = data["evidence"]
                    start = int(data["records"])
        for kind, items in _runs(records[start:]):
            if kind == "magma":
                ids = np.array([m["id"] for m in items], dtype=np.int32)
                matrix.add_refuting_models(self.sat_rows(ids), ids)
            else:
                for p in items:
                    matrix.add_true(p["a"], p["b"], p["id"])
        return matrix

    def snapshot(self, matrix: ImplicationMatrix) -> None:
        """Save the matrix (a few MB compressed) with the number of records it reflects, atomically."""
        if self.folder is None or self.read_only:
            return
        partial = self.folder / (SNAPSHOT + ".partial.npz")
        np.savez_compressed(partial, state=matrix.state, evidence=matrix.evidence,
                            records=len(self.magmas) + len(self.proofs))
        os.replace(partial, self.folder / SNAPSHOT)

    def _ordered(self) -> list[dict[str, Any]]:
        # Proof and magma ids only grow, and the log was written in application order; re-read it.
        if self.folder is None or not (self.folder / LOG).exists():
            return sorted(self.magmas + self.proofs, key=lambda r: (r["type"] != "magma", r["id"]))
        out = []
        with open(self.folder / LOG, encoding="utf-8") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    break  # a torn last line (read-only logs keep it; `open` drops it otherwise)
                if record["type"] in ("magma", "proof"):
                    out.append(record)
        return out


def _runs(records: list[dict[str, Any]]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    current: list[dict[str, Any]] = []
    for record in records:
        if current and record["type"] != current[0]["type"]:
            yield current[0]["type"], current
            current = []
        current.append(record)
    if current:
        yield current[0]["type"], current


def _pack(row: np.ndarray) -> str:
    return base64.b64encode(np.packbits(np.asarray(row, dtype=bool)).tobytes()).decode()


def _unpack(text: str, count: int) -> np.ndarray:
    bits = np.frombuffer(base64.b64decode(text), dtype=np.uint8)
    return np.unpackbits(bits, count=count).astype(bool)

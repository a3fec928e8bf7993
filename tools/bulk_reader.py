"""Reading a bulk run back: counts by kind of evidence, an export stream, and independent re-checks.

The checks share nothing with the code that produced the evidence: magma tables are re-evaluated
by :mod:`mathteam.domains.magma.finite`'s plain-Python checker, E outputs are re-read for their
status line, syntactic certificates are re-derived, and transitivity chains are re-walked.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from mathteam.domains.magma import finite, infinite_models, noncommutative_models, rewriting, syntactic
from mathteam.domains.magma.implication_matrix import FALSE, REFLEXIVE, TRUE, ImplicationMatrix
from mathteam.domains.magma.laws import canonical_key
from mathteam.domains.magma.terms import Law
from mathteam.tools.bulk_evidence import EvidenceLog

_E_THEOREM = re.compile(r"^# SZS status Theorem\b", re.MULTILINE)


ENGINE_FOLDER = "engine"
"""The bulk engine's evidence log and matrix snapshot, in the run folder."""
TARGETED_SEARCH = "magma (targeted search)"
INFINITE_MODEL = "infinite counter-model"
"""The kind of a magma given by a formula rather than a table (tools/bulk_infinite)."""


def source_kind(source: str) -> str:
    """The kind of evidence a magma's source names, as the report counts it."""
    if source.startswith("exhaustive"):
        return "magma ≤ 3 (exhaustive)"
    if source.startswith("affine"):
        return "affine magma"
    if source.startswith("matrix-affine"):
        return "matrix-affine magma"
    if source.startswith(INFINITE_MODEL):
        return INFINITE_MODEL
    return TARGETED_SEARCH


def count_by_evidence(matrix: ImplicationMatrix, log: EvidenceLog) -> dict[str, int]:
    """Off-diagonal settled pairs by the kind of evidence that settled them."""
    counts: Counter[str] = Counter()
    off = ~np.eye(matrix.size, dtype=bool)
    true = (matrix.state == TRUE) & off
    ev = matrix.evidence[true]
    ii, jj = np.nonzero(true)
    if len(log.proofs):
        edges = log.edges()
        kinds = np.array([p["kind"] for p in log.proofs])
        direct = (edges[ev, 0] == ii) & (edges[ev, 1] == jj)
        for kind, n in zip(*np.unique(kinds[ev[direct]], return_counts=True)):
            counts[f"proof: {kind}"] += int(n)
        counts["proof: transitivity"] += int((~direct).sum())
    false_ev = matrix.evidence[matrix.state == FALSE]
    if len(log.magmas):
        sources = np.array([source_kind(m["source"]) for m in log.magmas])
        for kind, n in zip(*np.unique(sources[false_ev], return_counts=True)):
            counts[f"refuted: {kind}"] += int(n)
    return dict(sorted(counts.items()))


def read_run(folder: Path, laws: int) -> tuple[EvidenceLog, ImplicationMatrix]:
    """A bulk run's evidence log and matrix, read-only: for a report or an export, without an engine.

    The matrix comes from the run's snapshot and the records after it, exactly as a resumed engine
    rebuilds it; nothing in ``folder`` is written. FileNotFoundError when the run has no log yet.
    """
    log = EvidenceLog.open(folder, laws, read_only=True)
    return log, log.replay()


def read_run_so_far(folder: Path, laws: int) -> tuple[EvidenceLog, ImplicationMatrix]:
    """As `read_run`; a run whose engine has logged nothing yet reads as empty (every pair open)."""
    try:
        return read_run(folder, laws)
    except FileNotFoundError:
        log = EvidenceLog(laws=laws)
        return log, log.replay()


def export_rows(matrix: ImplicationMatrix, log: EvidenceLog, names: list[str]) -> Iterator[tuple]:
    """One row per ordered pair: (lhs, rhs, status, evidence kind, evidence id), streamed row by row."""
    edges = log.edges()
    for a in range(matrix.size):
        for b in range(matrix.size):
            if a == b:
                continue
            s, e = int(matrix.state[a, b]), int(matrix.evidence[a, b])
            if s == TRUE:
                direct = tuple(edges[e]) == (a, b)
                kind = log.proofs[e]["kind"] if direct else "transitivity"
                yield names[a], names[b], "proved", kind, f"proof{e}"
            elif s == FALSE:
                kind = INFINITE_MODEL if "model" in log.magmas[e] else "counterexample"
                yield names[a], names[b], "refuted", kind, f"magma{e}"
            else:
                yield names[a], names[b], "open", "", ""


def infinite_model_text(log: EvidenceLog, k: int, conclusion: Law) -> str:
    """An infinite counter-model's formula and a concrete assignment on which ``conclusion`` fails
    (recomputed exactly), e.g. ``x ◇ y = a·x + b·y + c on Q[a,b,c]/(…); fails at x=1, y=0 (lhs − rhs = a - 1)``."""
    from mathteam.domains.magma.terms import VARIABLE_NAMES, format_term, variables

    record = log.magmas[k]
    model = formula_model(record["model"])
    text = record["source"].removeprefix(INFINITE_MODEL + ": ")
    if isinstance(model, rewriting.TermModel):
        sides = model.violation(conclusion)
        if sides is None:
            return text + "; the conclusion holds in it (not a refutation)"
        return (f"{text}; fails with each variable a free generator (normal forms "
                f"{format_term(sides[0])} ≠ {format_term(sides[1])})")
    found = model.violation(conclusion)
    if found is None:
        return text + "; the conclusion holds in it (not a refutation)"
    assignment, difference = found
    if isinstance(model, noncommutative_models.NoncommutativeModel):
        difference = noncommutative_models.format_poly(difference)
    names = [VARIABLE_NAMES[v] if v < len(VARIABLE_NAMES) else f"x{v}"
             for v in variables((conclusion.lhs, conclusion.rhs))]
    values = ", ".join(f"{n}={value}" for n, value in zip(names, assignment))
    return f"{text}; fails at {values} (lhs − rhs = {difference}, not in the ideal)"


def formula_model(model: dict) -> infinite_models.AffineModel | noncommutative_models.NoncommutativeModel \
        | rewriting.TermModel:
    """An infinite counter-model rebuilt from its stored record, by its family (the commutative
    Gröbner basis is recomputed from the generators; a non-commutative basis is checked to be one;
    a rewriting system is certified convergent again)."""
    if model.get("family") == rewriting.FAMILY:
        return rewriting.term_model_from_record(model)
    if model.get("family") == noncommutative_models.FAMILY:
        return noncommutative_models.model_from_record(model)
    return infinite_models.model_from_generators(model["generators"])


# ---------------------------------------------------------------- independent re-checks


def check_magma_bits(log: EvidenceLog, laws: list[Law], magma_ids: list[int]) -> list[str]:
    """Re-evaluate each listed magma on every law with the plain-Python checker; returns disagreements."""
    problems = []
    for k in magma_ids:
        table = log.table(k)
        stored = log.sat_rows([k])[0]
        for i, law in enumerate(laws):
            holds = finite.find_violation(table, law) is None
            if holds != bool(stored[i]):
                problems.append(f"magma{k} on law {i}: stored {bool(stored[i])}, re-check {holds}")
    return problems


def check_refutations(matrix: ImplicationMatrix, log: EvidenceLog, laws: list[Law], fraction: float = 1.0,
                      seed: int = 0) -> dict:
    """Every (or a random ``fraction`` of) false pair re-checked on its stored table.

    A pair's check is ``check_counterexample(table, law a, law b)``; verdicts are memoised per
    (magma, law) because the hypothesis part depends only on those two.
    """
    rng = random.Random(seed)
    holds: dict[tuple[int, int], bool] = {}

    models: dict[int, infinite_models.AffineModel | noncommutative_models.NoncommutativeModel
                 | rewriting.TermModel | None] = {}

    def law_holds(k: int, i: int) -> bool:
        if (k, i) not in holds:
            record = log.magmas[k]
            if "model" in record:  # a formula, decided exactly (Gröbner basis recomputed here)
                if k not in models:
                    try:
                        models[k] = formula_model(record["model"])
                    except ValueError:  # e.g. a stored basis that is not a Gröbner basis: refused
                        models[k] = None
                model = models[k]
                holds[(k, i)] = model is not None and model.infinite and (model.violation(laws[i]) is None)
            else:
                holds[(k, i)] = finite.find_violation(log.table(k), laws[i]) is None
        return holds[(k, i)]

    ii, jj = np.nonzero(matrix.state == FALSE)
    checked = failed = 0
    for a, b in zip(ii.tolist(), jj.tolist()):
        if fraction < 1.0 and rng.random() >= fraction:
            continue
        k = int(matrix.evidence[a, b])
        checked += 1
        if not (law_holds(k, a) and not law_holds(k, b)):
            failed += 1
    return {"false_pairs": int(len(ii)), "checked": checked, "failed": failed,
            "magma_law_evaluations": len(holds)}


def check_proof(log: EvidenceLog, laws: list[Law], k: int) -> bool:
    """Re-check one direct proof from what is stored with it."""
    proof = log.proofs[k]
    a, b, kind = proof["a"], proof["b"], proof["kind"]
    if kind == "eprover":
        from mathteam.tools.bulk_provers import decompress
        output = decompress(proof["output_z"])
        return bool(_E_THEOREM.search(output)) and "# Proof found!" in output
    if kind == "z3":
        from mathteam.tools.bulk_provers import decompress
        return proof.get("status_line") == "unsat" and "; unsat" in decompress(proof["output_z"])
    if kind == "singleton":
        return syntactic.singleton_proof(laws[a]) is not None
    if kind == "reflexivity":
        return laws[b].lhs == laws[b].rhs
    if kind == "instance":
        if proof.get("certificate") == "Substitution":
            certificate = syntactic.Substitution(
                tuple((v, _term(t)) for v, t in proof["mapping"]), bool(proof["swapped"]))
        else:
            certificate = syntactic.syntactic_proof(laws[a], laws[b])
        return certificate is not None and syntactic.check_certificate(laws[a], laws[b], certificate)
    if kind == "dual":
        source = log.proofs[proof["of"]]
        return (canonical_key(laws[source["a"]].dual()) == canonical_key(laws[a])
                and canonical_key(laws[source["b"]].dual()) == canonical_key(laws[b])
                and check_proof(log, laws, proof["of"]))
    return False


def _term(data):
    """A term from its JSON form (nested lists back to nested tuples)."""
    return data if isinstance(data, int) else (_term(data[0]), _term(data[1]))


def check_proofs(matrix: ImplicationMatrix, log: EvidenceLog, laws: list[Law], chains: int = 1000,
                 seed: int = 0) -> dict:
    """Every direct proof re-checked, and ``chains`` random true pairs re-derived link by link."""
    bad_direct = [k for k in range(len(log.proofs)) if not check_proof(log, laws, k)]
    edges = log.edges()
    ii, jj = np.nonzero((matrix.state == TRUE) & (matrix.evidence != REFLEXIVE))
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(ii), size=min(chains, len(ii)), replace=False) if len(ii) else []
    bad_chains = 0
    for p in picks:
        a, b = int(ii[p]), int(jj[p])
        chain = matrix.derivation(a, b, edges)
        at = a
        for k in chain:
            if edges[k][0] != at:
                bad_chains += 1
                break
            at = int(edges[k][1])
        else:
            bad_chains += int(at != b)
    return {"direct_proofs": len(log.proofs), "direct_failed": len(bad_direct),
            "chains_checked": len(picks), "chains_failed": bad_chains}

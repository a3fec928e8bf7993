"""The infinite-model phases of the bulk engine: free affine models over Q[a, b, c]
(domains/magma/infinite_models) and over the non-commutative Q<a, b, c>
(domains/magma/noncommutative_models) on the pairs still open, stored as evidence of their own kind.

For each law h with open pairs in its row (one per class of proven-equivalent laws), the free affine
model of h is built (a Gröbner basis); when its ring is not zero and some open conclusion fails in
it, its exact satisfaction row over every law is computed and it is stored (``EvidenceLog.add_model``)
and applied like any magma: it refutes every a ⇒ b with a holding and b failing in it.

Cost is one Gröbner basis per class with open pairs and one ideal-membership test per (model, law)
needed, which is why the engine runs this phase only once few pairs are open (see
``EngineConfig.infinite_after_unknown``), not while millions of true pairs still look open.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import numpy as np

from mathteam.domains.magma import infinite_models, noncommutative_models
from mathteam.domains.magma.implication_matrix import UNKNOWN, ImplicationMatrix
from mathteam.domains.magma.terms import Law
from mathteam.tools.bulk_evidence import EvidenceLog

ATTEMPT_TOOL = "free-affine-model"
HOLDS_IN_IT = "the conclusion holds in the free affine model over Q (no counter-model there)"
NONCOMMUTATIVE_TOOL = "free-noncommutative-model"
HOLDS_IN_NONCOMMUTATIVE = ("the conclusion holds in the free affine model over Q<a,b,c> (a, b, c not "
                           "commuting; no affine counter-model over any ring)")
SOURCE_PREFIX = "infinite counter-model: "
"""Every stored infinite model's source starts so; the report and the export name the kind by it."""


def refute_with_free_affine_models(laws: list[Law], matrix: ImplicationMatrix, log: EvidenceLog,
                                   deadline: float | None = None,
                                   progress: Callable[[dict], None] = lambda info: None,
                                   wanted: np.ndarray | None = None) -> dict:
    """Build, test and store free affine models on the open pairs (those ``wanted``, when given: a
    small question's pairs held at a gate are left alone); returns figures."""
    open_pairs, labels, representatives = _open_classes(matrix, wanted)
    seen: set[tuple[str, ...]] = set()
    stored: set[tuple[str, ...]] = set()
    figures = {"hypotheses": len(representatives), "models": 0, "stored": 0, "refuted": 0, "zero_rings": 0}
    for h, targets in _still_open(representatives, open_pairs, matrix, deadline, figures):
        model = infinite_models.free_affine_model(laws[h])
        key = tuple(map(str, model.basis))
        if key not in seen:
            seen.add(key)
            figures["models"] += 1
            figures["zero_rings"] += not model.infinite
        if not model.infinite:
            continue
        # A model met before for another hypothesis is tried on this one's open pairs too, unless
        # it was stored: its row then refuted every pair it can.
        if key not in stored and not all(model.holds(laws[int(b)]) for b in targets):
            stored.add(key)
            details = {"family": infinite_models.FAMILY, "generators": list(model.generators), "hypothesis": h}
            _store_and_apply(model, details, laws, matrix, log, figures)
            progress(figures)
        _log_attempts(h, targets, matrix, labels, log, ATTEMPT_TOOL, HOLDS_IN_IT)
    return figures


def refute_with_free_noncommutative_models(laws: list[Law], matrix: ImplicationMatrix, log: EvidenceLog,
                                           deadline: float | None = None,
                                           progress: Callable[[dict], None] = lambda info: None,
                                           wanted: np.ndarray | None = None,
                                           limits: noncommutative_models.Limits = noncommutative_models.Limits()
                                           ) -> dict:
    """The same over Q<a, b, c>: for each class with open pairs, the Gröbner basis of its free
    non-commutative affine model (within ``limits``; none when the completion does not finish),
    stored and applied when an open conclusion fails in it. A ring that turns out commutative is
    skipped: the commutative phase already had its model. Returns figures."""
    open_pairs, labels, representatives = _open_classes(matrix, wanted)
    seen: set[tuple] = set()
    stored: set[tuple] = set()
    figures = {"hypotheses": len(representatives), "models": 0, "unfinished": 0, "commutative": 0,
               "zero_rings": 0, "stored": 0, "refuted": 0}
    for h, targets in _still_open(representatives, open_pairs, matrix, deadline, figures):
        model = noncommutative_models.free_noncommutative_model(laws[h], limits)
        if model is None:
            figures["unfinished"] += 1
            continue
        key = (model.affine, tuple(tuple(sorted(g.items())) for g in model.basis))
        if key not in seen:
            seen.add(key)
            figures["models"] += 1
            figures["zero_rings"] += not model.infinite
            figures["commutative"] += model.infinite and model.commutative
        if not model.infinite or model.commutative:
            continue
        # As in the commutative phase: a model met before is tried here too, unless it was stored.
        if key not in stored and not all(model.holds(laws[int(b)]) for b in targets):
            stored.add(key)
            details = {"family": noncommutative_models.FAMILY, "affine": model.affine,
                       "basis": [noncommutative_models.encode(g) for g in model.basis], "hypothesis": h}
            _store_and_apply(model, details, laws, matrix, log, figures)
            progress(figures)
        _log_attempts(h, targets, matrix, labels, log, NONCOMMUTATIVE_TOOL, HOLDS_IN_NONCOMMUTATIVE)
    return figures


def _open_classes(matrix: ImplicationMatrix, wanted: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """The open pairs (only those ``wanted``, when given), each law's class representative, and the
    representatives with open pairs in their row, most first: equivalent laws hold in the same
    models, so one model per class is enough."""
    open_pairs = matrix.state == UNKNOWN
    if wanted is not None:
        open_pairs &= wanted
    open_rows = np.flatnonzero(open_pairs.any(axis=1))
    labels = matrix.classes()
    representatives = sorted({int(labels[h]) for h in open_rows},
                             key=lambda h: -int(open_pairs[h].sum()))
    return open_pairs, labels, representatives


def _still_open(representatives: list[int], open_pairs: np.ndarray, matrix: ImplicationMatrix,
                deadline: float | None, figures: dict) -> Iterator[tuple[int, np.ndarray]]:
    """Each representative with its conclusions still open, skipping those with none; read when
    its turn comes, as the models stored before it may have closed some. Stops at ``deadline``
    (noted in ``figures``)."""
    for h in representatives:
        if deadline and time.monotonic() > deadline:
            figures["stopped"] = "deadline"
            return
        targets = np.flatnonzero((matrix.state[h] == UNKNOWN) & (open_pairs[h]))
        if len(targets):
            yield h, targets


def _store_and_apply(model, details: dict, laws: list[Law], matrix: ImplicationMatrix, log: EvidenceLog,
                     figures: dict) -> None:
    """Store ``model`` (its satisfaction row over every law, ``details`` to rebuild it) and refute
    with it every pair whose hypothesis holds and conclusion fails in it."""
    row = np.array([model.holds(law) for law in laws], dtype=bool)
    k = log.add_model(row, SOURCE_PREFIX + model.formula, details)
    figures["stored"] += 1
    figures["refuted"] += matrix.add_refuting_models(row[None], np.array([k], dtype=np.int32))


def _log_attempts(h: int, targets: np.ndarray, matrix: ImplicationMatrix, labels: np.ndarray, log: EvidenceLog,
                  tool: str, reason: str) -> None:
    """What was tried on ``h``'s pairs still open, for the open claims; conclusions that are class
    representatives only, to keep the log small."""
    for b in targets:
        if matrix.state[h, b] == UNKNOWN and labels[b] == b:
            log.add_attempt(h, int(b), tool, 0, reason)

"""The infinite-model phase (tools/bulk_infinite): a model met again for another hypothesis is still tried on its pairs."""

from __future__ import annotations

import numpy as np

from mathteam.domains.magma import infinite_models
from mathteam.domains.magma.implication_matrix import FALSE, UNKNOWN, ImplicationMatrix
from mathteam.domains.magma.terms import parse_law
from mathteam.tools import bulk_infinite
from mathteam.tools.bulk_evidence import EvidenceLog

# Both hypotheses ask b = 0 of x ◇ y = a·x + b·y + c: one free affine model, x ◇ y = a·x + c.
LAWS = [parse_law(text) for text in ("x ◇ x = x ◇ y", "x ◇ y = x ◇ z",
                                     "x ◇ (y ◇ z) = x ◇ (w ◇ u)",  # holds in that model
                                     "x = x ◇ x")]                  # fails in it (a·x + c ≠ x)


def test_a_model_shared_by_two_hypotheses_refutes_the_second_ones_open_pair():
    first, second = (infinite_models.free_affine_model(LAWS[h]) for h in (0, 1))
    assert first.basis == second.basis and first.holds(LAWS[2]) and not first.holds(LAWS[3])
    matrix = ImplicationMatrix(len(LAWS))
    off_diagonal = ~np.eye(len(LAWS), dtype=bool)
    matrix.state[off_diagonal] = FALSE
    matrix.state[0, 2] = matrix.state[1, 3] = UNKNOWN  # the first's open pair holds in the model
    log = EvidenceLog(laws=len(LAWS))
    bulk_infinite.refute_with_free_affine_models(LAWS, matrix, log)
    assert matrix.state[1, 3] == FALSE and "model" in log.magmas[int(matrix.evidence[1, 3])]
    assert [(a["a"], a["b"]) for a in log.attempts] == [(0, 2)]

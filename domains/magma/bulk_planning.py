"""Which unknown implications to attack next so that closure settles the most pairs.

Work on classes, not pairs. Take one representative per class of proven-equivalent laws and
conjecture every pair not refuted. If the conjecture were right, proving a cycle through each
conjectured class and the covering edges (Hasse diagram) between classes would settle every other
pair by transitivity, so those "key" pairs are attacked first, widest-reaching first.
"""

from __future__ import annotations

import numpy as np

from mathteam.domains.magma.implication_matrix import FALSE, TRUE, UNKNOWN, ImplicationMatrix
from mathteam.domains.preorder import transitive_closure


def representatives(matrix: ImplicationMatrix) -> np.ndarray:
    """One law per class of proven-equivalent laws: the smallest index."""
    labels = matrix.classes()
    return np.flatnonzero(labels == np.arange(matrix.size))


def key_pairs(conjectured: np.ndarray) -> list[tuple[int, int]]:
    """Pairs whose proofs imply the closure of ``conjectured`` (a relation on representatives).

    A cycle through each strongly connected class, then the covering edges between classes. The
    one source of the key pairs: small and bulk questions run on the same engine.
    """
    reach = transitive_closure(conjectured, reflexive=True)
    mutual = reach & reach.T
    label = np.argmax(mutual, axis=1)
    pairs: list[tuple[int, int]] = []
    heads = np.flatnonzero(label == np.arange(len(label)))
    for head in heads:
        members = np.flatnonzero(label == head)
        if len(members) > 1:
            pairs += [(int(x), int(y)) for x, y in zip(members, np.roll(members, -1))]
    strict = reach[np.ix_(heads, heads)].copy()
    np.fill_diagonal(strict, False)
    f = strict.astype(np.float32)
    covering = strict & ~((f @ f) > 0)
    for s, t in zip(*np.nonzero(covering)):
        pairs.append((int(heads[s]), int(heads[t])))
    return pairs


def next_targets(matrix: ImplicationMatrix, blocked: np.ndarray | None = None, limit: int | None = None,
                 fallback: bool = True) -> list[tuple[int, int]]:
    """Unknown pairs (law indices) to attack next, most pairs settled on success first.

    ``blocked[a, b]`` marks pairs already tried without success at the current effort; they are
    still conjectured (they may be true) but never returned. When the key pairs are all blocked
    or settled, any unknown, unblocked pair between representatives is offered instead, unless
    ``fallback`` is False.
    """
    reps = representatives(matrix)
    sub = matrix.state[np.ix_(reps, reps)]
    key = key_pairs(sub != FALSE)
    true = matrix.state == TRUE
    implied_by = true.sum(axis=0)  # how many laws imply each law
    implies = true.sum(axis=1)  # how many laws each law implies
    open_sub = sub == UNKNOWN
    if blocked is not None:
        open_sub &= ~blocked[np.ix_(reps, reps)]
    chosen = np.array([(s, t) for s, t in key if open_sub[s, t]], dtype=np.int64).reshape(-1, 2)
    if not len(chosen) and fallback:
        chosen = np.argwhere(open_sub)
    pairs = reps[chosen]
    # Proving a ⇒ b settles at most |above(a)| × |below(b)| pairs: widest first.
    score = implied_by[pairs[:, 0]].astype(np.int64) * implies[pairs[:, 1]]
    order = np.argsort(-score, kind="stable")
    if limit:
        order = order[:limit]
    return [(int(a), int(b)) for a, b in pairs[order]]

"""The implication state of L laws as numpy matrices: closure under transitivity, falsity propagation, classes.

``state[a, b]`` is UNKNOWN, TRUE (law a implies law b) or FALSE; ``evidence[a, b]`` says why, as an
integer the caller owns: for a TRUE pair the id of the direct result (a proof) whose insertion made
it true, so the derivation is recoverable (:meth:`ImplicationMatrix.derivation`); for a FALSE pair
the id of a refuting object (a magma). The diagonal is TRUE with evidence ``REFLEXIVE``.

Both closure rules keep the evidence meaningful. Transitivity: adding ``u ⇒ v`` makes every
``i ⇒ j`` with ``i ⇒ u`` and ``v ⇒ j`` true. Falsity: if ``a ⇏ c`` then ``b ⇏ d`` for every ``b``
implied by ``a`` and every ``d`` implying ``c``; a magma refuting ``a ⇒ c`` satisfies every such
``b`` and violates every such ``d``, so the same magma is the evidence for the whole rectangle.
"""

from __future__ import annotations

import numpy as np

UNKNOWN, TRUE, FALSE = 0, 1, 2
REFLEXIVE = -2
NONE = -1


class Contradiction(RuntimeError):
    """A pair was about to be both true and false: some evidence is wrong (a bug, never an outcome)."""

    def __init__(self, pairs: list[tuple[int, int]], what: str):
        self.pairs = pairs
        super().__init__(f"{what} contradicts settled pairs {pairs[:5]}{'…' if len(pairs) > 5 else ''}")


class ImplicationMatrix:
    """Implication states over ``size`` laws, closed under transitivity and falsity propagation."""

    def __init__(self, size: int):
        self.size = size
        self.state = np.zeros((size, size), dtype=np.uint8)
        self.evidence = np.full((size, size), NONE, dtype=np.int32)
        np.fill_diagonal(self.state, TRUE)
        np.fill_diagonal(self.evidence, REFLEXIVE)

    # ------------------------------------------------------------------ counts and views

    def counts(self) -> dict[str, int]:
        """How many ordered pairs (diagonal included) are true, false and unknown."""
        tally = np.bincount(self.state.ravel(), minlength=3)
        return {"true": int(tally[TRUE]), "false": int(tally[FALSE]), "unknown": int(tally[UNKNOWN])}

    def implies(self, a: int, b: int) -> bool:
        return bool(self.state[a, b] == TRUE)

    def above(self, a: int) -> np.ndarray:
        """Indices of the laws known to imply ``a`` (``a`` included)."""
        return np.flatnonzero(self.state[:, a] == TRUE)

    def below(self, a: int) -> np.ndarray:
        """Indices of the laws ``a`` is known to imply (``a`` included)."""
        return np.flatnonzero(self.state[a] == TRUE)

    # ------------------------------------------------------------------ truths

    def add_true(self, a: int, b: int, evidence: int) -> int:
        """Record a direct proof of ``a ⇒ b`` and close: returns how many pairs became true."""
        if self.state[a, b] == TRUE:
            return 0
        if self.state[a, b] == FALSE:
            raise Contradiction([(a, b)], f"a proof of {a} ⇒ {b}")
        rows, cols = self.above(a), self.below(b)
        block = self.state[np.ix_(rows, cols)]
        if (block == FALSE).any():
            bad = np.argwhere(block == FALSE)[:5]
            raise Contradiction([(int(rows[i]), int(cols[j])) for i, j in bad], f"a proof of {a} ⇒ {b}")
        fresh = block == UNKNOWN
        ii, jj = np.nonzero(fresh)
        self.state[rows[ii], cols[jj]] = TRUE
        self.evidence[rows[ii], cols[jj]] = evidence
        # New truths extend falsities; see _propagate_false_through for why row a and column b suffice.
        self._propagate_false_through(a, b, rows, cols)
        return int(len(ii))

    def _propagate_false_through(self, a: int, b: int, rows: np.ndarray, cols: np.ndarray) -> None:
        """After ``rows ⇒ cols`` became true (rows = above(a), cols = below(b)), spread falsities.

        Forward, i ⇒ j and i ⇏ y give j ⇏ y; backward, i ⇒ j and x ⇏ j give x ⇏ i. The false
        pairs were closed before, so i ⇏ y with i ⇒ a already gave a ⇏ y, and x ⇏ j with b ⇒ j
        already gave x ⇏ b: row a and column b hold every source. The model refuting a ⇒ y
        satisfies a, hence every j in cols, and violates y, so it is the evidence for j ⇏ y.
        """
        ys = np.flatnonzero(self.state[a] == FALSE)
        if len(ys):
            self._false_block(cols, ys, np.broadcast_to(self.evidence[a, ys][None, :], (len(cols), len(ys))))
        xs = np.flatnonzero(self.state[:, b] == FALSE)
        if len(xs):
            self._false_block(xs, rows, np.broadcast_to(self.evidence[xs, b][:, None], (len(xs), len(rows))))

    def _false_block(self, rows: np.ndarray, cols: np.ndarray, evidence: np.ndarray) -> None:
        """Make ``rows × cols`` false where unknown, with ``evidence[i, j]``; a true entry is a contradiction."""
        block = self.state[np.ix_(rows, cols)]
        if (block == TRUE).any():
            bad = np.argwhere(block == TRUE)[:5]
            raise Contradiction([(int(rows[i]), int(cols[j])) for i, j in bad], "a refutation")
        ii, jj = np.nonzero(block == UNKNOWN)
        if len(ii):
            self.state[rows[ii], cols[jj]] = FALSE
            self.evidence[rows[ii], cols[jj]] = evidence[ii, jj]

    # ------------------------------------------------------------------ falsities

    def _set_false(self, ii: np.ndarray, jj: np.ndarray, evidence: np.ndarray | int) -> int:
        current = self.state[ii, jj]
        if (current == TRUE).any():
            bad = np.flatnonzero(current == TRUE)[:5]
            raise Contradiction([(int(ii[k]), int(jj[k])) for k in bad], "a refutation")
        fresh = current == UNKNOWN
        ev = evidence if np.isscalar(evidence) else np.asarray(evidence)[fresh]
        self.state[ii[fresh], jj[fresh]] = FALSE
        self.evidence[ii[fresh], jj[fresh]] = ev
        return int(fresh.sum())

    def add_false(self, a: int, c: int, evidence: int) -> int:
        """Record a refutation of ``a ⇒ c`` and propagate it to ``below(a) × above(c)``."""
        rows, cols = self.below(a), self.above(c)
        unknown = int((self.state[np.ix_(rows, cols)] == UNKNOWN).sum())
        self._false_block(rows, cols, np.full((len(rows), len(cols)), evidence, dtype=np.int32))
        return unknown

    def add_refuting_models(self, satisfied: np.ndarray, ids: np.ndarray, chunk: int = 64) -> int:
        """Models with ``satisfied[k, a]`` (law a holds in model k) refute every a ⇒ b with a held, b not.

        Each new false pair gets the id of the first model (in the given order) refuting it.
        Raises :class:`Contradiction` if a model refutes a pair already true, which would mean the
        satisfaction data or a proof is wrong. The contradiction test runs on packed bits over all
        models; witnesses are looked up chunk by chunk, so strong models listed first keep it short.
        """
        satisfied = np.asarray(satisfied, dtype=bool)
        ids = np.asarray(ids, dtype=np.int32)
        violated_bits = np.packbits(~satisfied, axis=1)
        added = 0
        for a in range(self.size):
            holders = np.flatnonzero(satisfied[:, a])
            if len(holders) == 0:
                continue
            refuted = np.unpackbits(np.bitwise_or.reduce(violated_bits[holders], axis=0),
                                    count=self.size).astype(bool)
            line = self.state[a]
            clash = refuted & (line == TRUE)
            if clash.any():
                b = int(np.flatnonzero(clash)[0])
                raise Contradiction([(a, b)], f"model {int(ids[holders[~satisfied[holders, b]][0]])}")
            todo = refuted & (line == UNKNOWN)
            added += int(todo.sum())
            for start in range(0, len(holders), chunk):
                if not todo.any():
                    break
                group = holders[start:start + chunk]
                block = ~satisfied[np.ix_(group, np.flatnonzero(todo))]
                hit = block.any(axis=0)
                columns = np.flatnonzero(todo)[hit]
                self.evidence[a, columns] = ids[group[np.argmax(block[:, hit], axis=0)]]
                line[columns] = FALSE
                todo[columns] = False
        return added

    # ------------------------------------------------------------------ duality

    def mirror_false(self, dual: np.ndarray, evidence_of=None) -> int:
        """Copy every falsity a ⇏ b to dual(a) ⇏ dual(b) (laws with ``dual[a] < 0`` are skipped).

        The evidence is mapped by ``evidence_of`` (e.g. to the id of the transposed magma); without
        it the ids are copied unchanged.
        """
        dual = np.asarray(dual)
        ok = np.flatnonzero(dual >= 0)
        sub = self.state[np.ix_(ok, ok)] == FALSE
        ii, jj = np.nonzero(sub)
        src_i, src_j = ok[ii], ok[jj]
        ev = self.evidence[src_i, src_j]
        if evidence_of is not None:
            ev = evidence_of(ev)
        return self._set_false(dual[src_i], dual[src_j], ev)

    # ------------------------------------------------------------------ derivations and classes

    def derivation(self, a: int, b: int, edges: "list[tuple[int, int]] | np.ndarray") -> list[int]:
        """Ids of direct proofs forming a chain from ``a`` to ``b``, in order (empty for ``a == b``).

        ``edges[k]`` is the ``(u, v)`` of direct proof ``k``. Pair (a, b) was set by proof
        k = evidence[a, b] from a ⇒ u and v ⇒ b, both true earlier, so the expansion ends.
        """
        if self.state[a, b] != TRUE:
            raise ValueError(f"{a} ⇒ {b} is not known to be true")
        out: list[int] = []
        todo: list[tuple[int, int] | int] = [(a, b)]
        while todo:
            item = todo.pop()
            if isinstance(item, int):
                out.append(item)
                continue
            x, y = item
            if x == y:
                continue
            k = int(self.evidence[x, y])
            u, v = int(edges[k][0]), int(edges[k][1])
            todo.extend([(v, y), k, (x, u)])
        return out

    def classes(self) -> np.ndarray:
        """For each law, the smallest index of its class of proven-equivalent laws."""
        true = self.state == TRUE
        mutual = true & true.T
        return np.argmax(mutual, axis=1)

    def class_count(self) -> int:
        labels = self.classes()
        return int((labels == np.arange(self.size)).sum())


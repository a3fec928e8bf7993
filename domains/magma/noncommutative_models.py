"""Infinite counter-models over non-commutative rings, decided exactly (no sampling).

The free non-commutative affine model of a law h: the carrier is the ring

    R_h = Q<a, b, c> / I_h,    x ◇ y = a·x + b·y + c    (x, y ∈ R_h, products in R_h),

a, b, c not commuting, I_h the two-sided ideal of what h asks of the coefficients. Every term
evaluates to ``Σ_v P_v·x_v + K·c`` with ``P_v``, ``K`` non-commutative polynomials in a, b (sums of
words read from the outermost operation in), so a law ``s = t`` holds for every assignment exactly
when each ``P_v^s − P_v^t`` and ``(K^s − K^t)·c`` lies in I_h (x_v = 1, the others 0, gives the
first; all variables 0 the second). This is the most general affine model of h over any ring, in
particular over rings where a one-sided inverse need not be two-sided (``p·q = 1 ≠ q·p``), which
is what finite rings — and so finite affine magmas and the commutative free model of
infinite_models — cannot do.

Membership in a two-sided ideal of a free algebra is undecidable in general. Here it is decided by
a Gröbner basis for the deg-lex order (Buchberger's algorithm for free algebras, Bergman's diamond
lemma): the completion runs within explicit bounds and the model counts only when it finished,
so that every composition (overlap) of the basis reduces to 0; then a polynomial lies in I_h
exactly when its normal form is 0, and 1 ∉ I_h exactly when no basis element is a constant
(then R_h contains Q and is infinite). A completion that hits its bounds yields no model.

Measured (bench/README.md, issue 18): for each of the six hypotheses of the 16 pairs that
etp-order3 leaves open, the completed basis contains ``b·a − a·b``: the free ring is commutative,
so no affine model over any ring refutes those pairs. The family is kept for the laws whose free
ring is not commutative.

Pure Python (fractions); the engine (tools/bulk_infinite) decides when to build models and stores
them; bench/recheck.py re-derives them with its own code.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

from mathteam.domains.magma.terms import Law, Term, variables

FAMILY = "free noncommutative affine"
LETTERS = "abc"
A, B, C = 0, 1, 2

Word = tuple[int, ...]
Poly = dict[Word, Fraction]
"""A non-commutative polynomial: word (letters 0 = a, 1 = b, 2 = c) → nonzero rational coefficient."""

ONE: Word = ()


@dataclass(frozen=True)
class Limits:
    """Bounds on one completion; hitting any of them means no model (never a wrong one)."""

    max_degree: int = 10
    """No basis element with a leading word longer than this."""
    max_basis: int = 40
    """No more basis elements than this at once."""
    max_steps: int = 2000
    """No more reductions (S-polynomials and inputs) than this."""
    max_rewrites: int = 50_000
    """No more single rewriting steps, all reductions together (one reduction can otherwise blow up)."""
    max_terms: int = 500
    """No polynomial met on the way with more terms than this."""
    max_coefficient_bits: int = 64
    """No coefficient whose numerator or denominator has more bits than this."""


class _OutOfRewrites(Exception):
    pass


def _key(word: Word) -> tuple[int, Word]:
    return len(word), word


def leading(poly: Poly) -> Word:
    """The deg-lex largest word of ``poly`` (a < b < c)."""
    return max(poly, key=_key)


def _add(p: Poly, q: Poly, factor: Fraction = Fraction(1)) -> Poly:
    result = dict(p)
    for word, coefficient in q.items():
        value = result.get(word, 0) + factor * coefficient
        if value:
            result[word] = value
        else:
            result.pop(word, None)
    return result


def _times(left: Word, poly: Poly, right: Word) -> Poly:
    return {left + word + right: coefficient for word, coefficient in poly.items()}


def _find(word: Word, sub: Word) -> int:
    m = len(sub)
    for i in range(len(word) - m + 1):
        if word[i:i + m] == sub:
            return i
    return -1


def normal_form(poly: Poly, basis: Sequence[Poly], budget: list[int] | None = None) -> Poly:
    """``poly`` reduced modulo ``basis`` (monic polynomials): no word of the result contains a
    leading word of the basis. With a Gröbner basis it is 0 exactly on the ideal's members.
    ``budget[0]`` (when given) is decremented per rewriting step; at 0 the reduction gives up."""
    heads = [(leading(g), g) for g in basis]
    poly, result = dict(poly), {}
    while poly:
        word = leading(poly)
        coefficient = poly[word]
        for head, g in heads:
            i = _find(word, head)
            if i >= 0:
                if budget is not None:
                    budget[0] -= 1
                    if budget[0] < 0:
                        raise _OutOfRewrites
                poly = _add(poly, _times(word[:i], g, word[i + len(head):]), -coefficient)
                break
        else:
            result[word] = coefficient
            del poly[word]
    return result


def _monic(poly: Poly) -> Poly:
    lead = poly[leading(poly)]
    return {word: Fraction(value) / lead for word, value in poly.items()}


def _overlaps(u: Word, v: Word) -> Iterable[int]:
    """Lengths k of the proper overlaps: the last k letters of u are the first k of v."""
    for k in range(1, min(len(u), len(v))):
        if u[-k:] == v[:k]:
            yield k


def compositions(basis: Sequence[Poly]) -> Iterable[Poly]:
    """Every overlap composition ``g·v' − u'·h`` (u = u'·s, v = s·v' leading words of g, h); the
    basis is a Gröbner basis exactly when each reduces to 0 and no leading word contains another."""
    heads = [leading(g) for g in basis]
    for g, u in zip(basis, heads):
        for h, v in zip(basis, heads):
            for k in _overlaps(u, v):
                yield _add(_times(ONE, g, v[k:]), _times(u[:-k], h, ONE), Fraction(-1))


def groebner(generators: Sequence[Poly], limits: Limits = Limits()) -> list[Poly] | None:
    """The reduced deg-lex Gröbner basis of the two-sided ideal of ``generators``, or None when the
    completion hit ``limits``. ``[{(): 1}]`` is the whole ring."""
    try:
        return _complete(generators, limits, [limits.max_rewrites])
    except _OutOfRewrites:
        return None


def _complete(generators: Sequence[Poly], limits: Limits, budget: list[int]) -> list[Poly] | None:
    basis: dict[int, Poly] = {}
    inputs: deque[Poly] = deque(p for p in generators if p)
    pending: deque[tuple[int, int, int]] = deque()
    fresh, steps = 0, 0
    while inputs or pending:
        steps += 1
        if steps > limits.max_steps:
            return None
        if inputs:
            poly = inputs.popleft()
        else:
            i, j, k = pending.popleft()
            if i not in basis or j not in basis:
                continue
            g, h = basis[i], basis[j]
            u, v = leading(g), leading(h)
            poly = _add(_times(ONE, g, v[k:]), _times(u[:-k], h, ONE), Fraction(-1))
        poly = normal_form(poly, list(basis.values()), budget)
        if not poly:
            continue
        if len(poly) > limits.max_terms:
            return None
        poly = _monic(poly)
        if any(max(abs(x.numerator), x.denominator).bit_length() > limits.max_coefficient_bits for x in poly.values()):
            return None
        head = leading(poly)
        if head == ONE:
            return [{ONE: Fraction(1)}]
        if len(head) > limits.max_degree or len(basis) >= limits.max_basis:
            return None
        # Elements whose leading word contains the new one go back to be reduced again.
        for i in [i for i, g in basis.items() if _find(leading(g), head) >= 0]:
            inputs.append(basis.pop(i))
        n, fresh = fresh, fresh + 1
        basis[n] = poly
        for i, g in basis.items():
            pending.extend((i, n, k) for k in _overlaps(leading(g), head))
            if i != n:
                pending.extend((n, i, k) for k in _overlaps(head, leading(g)))
    reduced = list(basis.values())
    return [_monic({leading(g): g[leading(g)],
                    **normal_form({w: c for w, c in g.items() if w != leading(g)}, reduced[:i] + reduced[i + 1:],
                                  budget)})
            for i, g in enumerate(reduced)]


# ---------------------------------------------------------------- terms and laws


@lru_cache(maxsize=None)
def _form(term: Term) -> tuple[tuple[tuple[int, tuple[tuple[Word, Fraction], ...]], ...],
                                tuple[tuple[Word, Fraction], ...]]:
    """(per-variable coefficient, constant coefficient K) of ``term``, hashable."""
    if isinstance(term, int):
        return ((term, ((ONE, Fraction(1)),)),), ()
    (left, left_k), (right, right_k) = _form(term[0]), _form(term[1])
    coefficients: dict[int, Poly] = {}
    for letter, part in ((A, left), (B, right)):
        for v, p in part:
            coefficients[v] = _add(coefficients.get(v, {}), _times((letter,), dict(p), ONE))
    constant = _add(_add(_times((A,), dict(left_k), ONE), _times((B,), dict(right_k), ONE)), {ONE: Fraction(1)})
    return (tuple((v, tuple(p.items())) for v, p in sorted(coefficients.items())), tuple(constant.items()))


@lru_cache(maxsize=None)
def law_conditions(law: Law, affine: bool = True) -> tuple[tuple[tuple[Word, Fraction], ...], ...]:
    """The polynomials that must lie in the ideal for ``law`` to hold: per variable, then (K^s − K^t)·c
    (only when ``affine``; with c = 0 the model is linear)."""
    (lhs, lk), (rhs, rk) = _form(law.lhs), _form(law.rhs)
    left, right = {v: dict(p) for v, p in lhs}, {v: dict(p) for v, p in rhs}
    conditions = [_add(left.get(v, {}), right.get(v, {}), Fraction(-1)) for v in sorted(set(left) | set(right))]
    if affine:
        conditions.append(_times(ONE, _add(dict(lk), dict(rk), Fraction(-1)), (C,)))
    return tuple(tuple(sorted(p.items())) for p in conditions if p)


def evaluate(term: Term, values: dict[int, Poly], affine: bool = True) -> Poly:
    """``term`` in the magma, as an element of Q<a, b, c> before reduction modulo the ideal."""
    if isinstance(term, int):
        return values[term]
    value = _add(_times((A,), evaluate(term[0], values, affine), ONE), _times((B,), evaluate(term[1], values, affine), ONE))
    return _add(value, {(C,): Fraction(1)}) if affine else value


# ---------------------------------------------------------------- text


def format_poly(poly: Poly) -> str:
    """``a·a·b - 1``-style text (deg-lex descending); ``0`` for the zero polynomial."""
    if not poly:
        return "0"
    parts = []
    for word in sorted(poly, key=_key, reverse=True):
        coefficient = poly[word]
        body = "·".join(LETTERS[x] for x in word)
        magnitude = abs(coefficient)
        text = body if body and magnitude == 1 else (f"{magnitude}·{body}" if body else f"{magnitude}")
        parts.append(("- " if coefficient < 0 else "+ ") + text)
    first = parts[0]
    return (first[2:] if first.startswith("+") else "-" + first[2:]) + "".join(" " + p for p in parts[1:])


def encode(poly: Poly) -> list[list[str]]:
    """JSON form: ``[[word, coefficient], …]``, e.g. ``[["aab", "1"], ["", "-1"]]``."""
    return [["".join(LETTERS[x] for x in word), str(coefficient)] for word, coefficient in
            sorted(poly.items(), key=lambda item: _key(item[0]), reverse=True)]


def decode(encoded: Sequence[Sequence[str]]) -> Poly:
    """Inverse of :func:`encode`; raises ValueError on a letter other than a, b, c."""
    poly: Poly = {}
    for word, coefficient in encoded:
        if any(letter not in LETTERS for letter in word):
            raise ValueError(f"{word!r}: letters must be a, b, c")
        poly = _add(poly, {tuple(LETTERS.index(x) for x in word): Fraction(coefficient)})
    return poly


# ---------------------------------------------------------------- the model


@dataclass
class NoncommutativeModel:
    """x ◇ y = a·x + b·y (+ c when ``affine``) on Q<a, b, c> / (basis), ``basis`` a completed Gröbner basis."""

    basis: list[Poly]
    affine: bool = True
    _zero: dict[tuple, bool] = field(default_factory=dict, repr=False)

    @property
    def formula(self) -> str:
        ideal = ", ".join(format_poly(g) for g in self.basis) or "0"
        operation = "a·x + b·y + c" if self.affine else "a·x + b·y"
        letters = "a,b,c" if self.affine else "a,b"
        return f"x ◇ y = {operation} on Q<{letters}>/({ideal}), a, b, c not commuting"

    @property
    def infinite(self) -> bool:
        """1 ∉ I: the ring contains Q, so the carrier is infinite (and not the zero ring)."""
        return not any(leading(g) == ONE for g in self.basis)

    def is_zero(self, poly: Poly) -> bool:
        """Exact: ``poly`` lies in the ideal (normal form 0 modulo the Gröbner basis)."""
        key = tuple(sorted(poly.items()))
        if key not in self._zero:
            self._zero[key] = not normal_form(poly, self.basis)
        return self._zero[key]

    def holds(self, law: Law) -> bool:
        return all(self.is_zero(dict(p)) for p in law_conditions(law, self.affine))

    def violation(self, law: Law) -> tuple[tuple[int, ...], Poly] | None:
        """A concrete assignment (0/1 per variable, in order of first appearance) on which ``law``
        fails, with the normal form of lhs − rhs there (nonzero); None when the law holds."""
        order = variables((law.lhs, law.rhs))
        for unit in [None, *order]:
            assignment = tuple(1 if v == unit else 0 for v in order)
            values = {v: ({ONE: Fraction(1)} if value else {}) for v, value in zip(order, assignment)}
            difference = _add(evaluate(law.lhs, values, self.affine), evaluate(law.rhs, values, self.affine),
                              Fraction(-1))
            remainder = normal_form(difference, self.basis)
            if remainder:
                return assignment, remainder
        return None

    @property
    def commutative(self) -> bool:
        """a·b = b·a in the ring (then it is no more general than the commutative free model)."""
        return self.is_zero({(A, B): Fraction(1), (B, A): Fraction(-1)})


def free_noncommutative_model(hypothesis: Law, limits: Limits = Limits()) -> NoncommutativeModel | None:
    """The most general affine model of ``hypothesis`` over a ring, when the completion finishes
    within ``limits``; else the linear one (c = 0, fewer letters, so it finishes more often); else None."""
    for affine in (True, False):
        basis = groebner([dict(p) for p in law_conditions(hypothesis, affine)], limits)
        if basis is not None:
            return NoncommutativeModel(basis, affine)
    return None


def model_from_record(record: dict) -> NoncommutativeModel:
    """Rebuild a stored model (``{"basis": [encoded…], "affine": bool}``); the basis is used as
    stored after checking that it is a Gröbner basis (ValueError if not; bench/recheck.py checks it
    again with its own code)."""
    basis = [decode(g) for g in record["basis"]]
    if not is_groebner(basis):
        raise ValueError("the stored basis is not a Gröbner basis (an overlap does not reduce to 0)")
    return NoncommutativeModel(basis, bool(record.get("affine", True)))


def refutes(model: NoncommutativeModel, hypothesis: Law, conclusion: Law) -> bool:
    return model.infinite and model.holds(hypothesis) and not model.holds(conclusion)


def is_groebner(basis: Sequence[Poly]) -> bool:
    """Bergman's criterion: every overlap composition reduces to 0 modulo ``basis``."""
    monic = [_monic(g) for g in basis if g]
    return all(not normal_form(s, monic) for s in compositions(monic))

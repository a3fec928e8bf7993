"""Re-check every answer of a bulk run, with code the engine does not use for deciding.

    /work/.venv/bin/python bench/recheck.py projects/runs/etp-full/engine [--laws etp:1-4694 ...]

* Refutations, all of them: every false pair (a, b) is checked on the magma named as its witness:
  it satisfies law a (``finite.satisfies``, every assignment evaluated) and violates law b. The
  engine decides with other code: early-filtered evaluation, polynomial criteria, SAT models.
  Witnesses of size ≤ 4 are evaluated on every law at once; larger ones only on the laws they are
  used for, with ``finite.find_violation`` (plain Python) for the violated side.
* Infinite counter-models (a magma given by a formula, no table): the ring's Gröbner basis is
  recomputed here from the stored generators with sympy's expression API (the engine uses its
  polynomial rings), each hypothesis law is evaluated on symbolic variables and every coefficient of
  lhs − rhs must reduce to 0 (an identity of the model, not a sample), the ring must not be zero
  (1 ∉ ideal, so it contains Q and is infinite), and each conclusion law must fail on a concrete
  0/1 assignment, evaluated exactly.
* Infinite counter-models over the non-commutative Q<a, b, c>: the stored basis is checked to be a
  Gröbner basis here (every overlap composition reduces to 0, with string rewriting written here),
  the hypothesis's terms are expanded with sympy's non-commuting symbols and every coefficient must
  reduce to 0, and each conclusion must fail on a concrete 0/1 assignment.
* Infinite counter-models presented by convergent rewriting systems (the free magma of a
  hypothesis): the stored rules are parsed and checked here with code of this file (every rule
  decreasing in the record's reduction order: KBO, LPO or RPO with multiset status, the
  right-to-left ones as the left-to-right ones on mirror images; every critical pair joinable by
  outermost rewriting); each hypothesis
  must have both sides with one normal form, each conclusion two different ones (mirrored first
  for a stored opposite magma).
* Proofs, all of them: every direct proof is re-checked (``bulk_reader.check_proof``), and the set
  of true pairs must lie inside the reflexive-transitive closure of the direct proofs' edges,
  recomputed here by boolean matrix products rather than by the engine's incremental closure.

Prints a JSON summary; exits 1 if anything fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import peak_rss_mb  # noqa: E402

from mathteam.domains.magma import finite  # noqa: E402
from mathteam.domains.preorder import transitive_closure  # noqa: E402
from mathteam.domains.magma.implication_matrix import FALSE, TRUE  # noqa: E402
from mathteam.domains.magma.laws import LawSpecError, parse_law_spec  # noqa: E402
from mathteam.tools.bulk_evidence import EvidenceLog  # noqa: E402
from mathteam.tools.bulk_reader import check_proof  # noqa: E402


SMALL = 4
"""Witnesses up to this size are evaluated on every law at once; larger ones only where used."""


def small_witness_satisfaction(log: EvidenceLog, laws: list, witnesses: list[int]) -> dict[int, np.ndarray]:
    """Every law on each small witness, by evaluating every assignment (grouped by size)."""
    rows: dict[int, np.ndarray] = {}
    by_size: dict[int, list[int]] = {}
    for k in witnesses:
        by_size.setdefault(len(log.table(k)), []).append(k)
    for size, group in sorted(by_size.items()):
        tables = np.array([log.table(k) for k in group], dtype=np.uint8)
        started = time.monotonic()
        sat = np.stack([finite.satisfies(tables, law) for law in laws], axis=1)
        rows.update(zip(group, sat))
        print(f"  size {size}: {len(group)} witnesses on every law, {time.monotonic() - started:.1f} s",
              file=sys.stderr, flush=True)
    return rows


def large_witness_verdicts(table: list[list[int]], laws: list, hypotheses: np.ndarray,
                           conclusions: np.ndarray) -> tuple[dict[int, bool], dict[int, bool]]:
    """For one large witness: which of its hypothesis laws hold (every assignment evaluated) and
    which of its conclusion laws fail (plain Python, stopping at the first failing assignment)."""
    flat = np.array(table, dtype=np.uint8)[None]
    holds = {int(a): bool(finite.satisfies(flat, laws[a])[0]) for a in hypotheses}
    fails = {int(b): finite.find_violation(table, laws[b]) is not None for b in conclusions}
    return holds, fails


def _affine_value(term, values: dict, a, b, c):
    if isinstance(term, int):
        return values[term]
    return a * _affine_value(term[0], values, a, b, c) + b * _affine_value(term[1], values, a, b, c) + c


def infinite_model_verdicts(record: dict, laws: list, hypotheses: np.ndarray,
                            conclusions: np.ndarray) -> tuple[dict[int, bool], dict[int, bool]]:
    """For one infinite counter-model: which hypothesis laws are identities of it (symbolically) and
    which conclusion laws fail on a concrete assignment (exactly); all False if its ring is zero."""
    import sympy

    a, b, c = sympy.symbols("a b c")
    ideal = [sympy.sympify(g, locals={"a": a, "b": b, "c": c}) for g in record["model"]["generators"]]
    basis = sympy.groebner(ideal or [sympy.Integer(0)], a, b, c, order="lex", domain=sympy.QQ)
    zero_ring = any(g.is_number and g != 0 for g in basis.exprs)

    def vanishes(expression) -> bool:
        expression = sympy.expand(expression)
        return expression == 0 or (bool(ideal) and basis.contains(expression))

    def identity(law) -> bool:
        names = sorted(set(_leaves(law.lhs)) | set(_leaves(law.rhs)))
        symbols = {v: sympy.Symbol(f"v{v}") for v in names}
        difference = sympy.expand(_affine_value(law.lhs, symbols, a, b, c) - _affine_value(law.rhs, symbols, a, b, c))
        coefficients = sympy.Poly(difference, *symbols.values()).coeffs() if difference != 0 else []
        return all(vanishes(k) for k in coefficients)

    def violated(law) -> bool:
        names = sorted(set(_leaves(law.lhs)) | set(_leaves(law.rhs)))
        for unit in [None, *names]:
            values = {v: sympy.Integer(int(v == unit)) for v in names}
            if not vanishes(_affine_value(law.lhs, values, a, b, c) - _affine_value(law.rhs, values, a, b, c)):
                return True
        return False

    holds = {int(h): not zero_ring and identity(laws[h]) for h in hypotheses}
    fails = {int(k): not zero_ring and violated(laws[k]) for k in conclusions}
    return holds, fails


def _string_poly(expression, letters: dict) -> dict[str, object]:
    """A sympy expression in non-commuting a, b, c (expanded) as {word: coefficient}, words as strings."""
    import sympy

    poly: dict[str, object] = {}
    for term in sympy.Add.make_args(sympy.expand(expression)):
        coefficient, factors = term.args_cnc()
        word = ""
        for factor in factors:
            base, exponent = factor.as_base_exp()
            word += letters[base] * int(exponent)
        value = sympy.Mul(*coefficient) if coefficient else sympy.Integer(1)
        poly[word] = poly.get(word, 0) + value
    return {w: v for w, v in poly.items() if v != 0}


def _reduce_words(poly: dict, rules: list[tuple[str, dict]]) -> dict:
    """Rewrite ``poly`` with ``rules`` (leading word → monic polynomial) until no word contains a
    leading word (deg-lex: longer words are larger, then a < b < c)."""
    poly = dict(poly)
    result: dict = {}
    while poly:
        word = max(poly, key=lambda w: (len(w), w))
        coefficient = poly.pop(word)
        for head, rule in rules:
            at = word.find(head)
            if at >= 0:
                for other, value in rule.items():
                    if other == head:
                        continue
                    key = word[:at] + other + word[at + len(head):]
                    poly[key] = poly.get(key, 0) - coefficient * value
                    if poly[key] == 0:
                        del poly[key]
                break
        else:
            result[word] = coefficient
    return result


def noncommutative_model_verdicts(record: dict, laws: list, hypotheses: np.ndarray,
                                  conclusions: np.ndarray) -> tuple[dict[int, bool], dict[int, bool]]:
    """For one infinite counter-model over Q<a, b, c>: the stored basis must be a Gröbner basis
    (every overlap of two leading words reduces to 0: Bergman's diamond lemma, so normal forms decide
    membership), it must not contain a constant (the ring is not zero), each hypothesis must be an
    identity (its terms expanded with sympy's non-commuting symbols, every coefficient of every
    variable reducing to 0) and each conclusion must fail on a concrete 0/1 assignment."""
    import sympy

    a, b, c = sympy.symbols("a b c", commutative=False)
    letters = {a: "a", b: "b", c: "c"}
    affine = bool(record["model"].get("affine", True))
    rules = []
    for encoded in record["model"]["basis"]:
        poly = {word: sympy.Rational(value) for word, value in encoded}
        head = max(poly, key=lambda w: (len(w), w))
        rules.append((head, {w: v / poly[head] for w, v in poly.items()}))
    heads = [head for head, _ in rules]
    # Reduced (no leading word inside another) and no constant (else the ring is zero).
    valid = "" not in heads and not any(i != j and h in g for i, h in enumerate(heads) for j, g in enumerate(heads))
    for u, g in rules:
        for v, h in rules:
            for k in range(1, min(len(u), len(v))):
                if u[-k:] == v[:k]:
                    composition = {w + v[k:]: x for w, x in g.items()}
                    for w, x in h.items():
                        key = u[:-k] + w
                        composition[key] = composition.get(key, 0) - x
                    if _reduce_words({w: x for w, x in composition.items() if x != 0}, rules):
                        valid = False

    def value(term, values):
        if isinstance(term, int):
            return values[term]
        result = a * value(term[0], values) + b * value(term[1], values)
        return result + c if affine else result

    def identity(law) -> bool:
        names = sorted(set(_leaves(law.lhs)) | set(_leaves(law.rhs)))
        symbols = {v: sympy.Symbol(f"v{v}", commutative=False) for v in names}
        difference = sympy.expand(value(law.lhs, symbols) - value(law.rhs, symbols))
        # Group the monomials by their last factor: a variable (its coefficient is the word before
        # it) or c (the constant part, kept whole); each group must reduce to 0.
        groups: dict = {}
        for term in sympy.Add.make_args(difference):
            if term == 0:
                continue
            coefficient, factors = term.args_cnc()
            last = factors[-1]
            word = factors[:-1] if last in symbols.values() else factors
            groups.setdefault(last if last in symbols.values() else c, []).append(
                sympy.Mul(*coefficient) * sympy.Mul(*word) if word else sympy.Mul(*coefficient))
        return not any(_reduce_words(_string_poly(sympy.Add(*group), letters), rules) for group in groups.values())

    def violated(law) -> bool:
        names = sorted(set(_leaves(law.lhs)) | set(_leaves(law.rhs)))
        for unit in [None, *names]:
            values = {v: sympy.Integer(int(v == unit)) for v in names}
            if _reduce_words(_string_poly(value(law.lhs, values) - value(law.rhs, values), letters), rules):
                return True
        return False

    holds = {int(h): valid and identity(laws[h]) for h in hypotheses}
    fails = {int(k): valid and violated(laws[k]) for k in conclusions}
    return holds, fails


def _parse_rewriting_term(text: str):
    """``m(X0,m(X1,X0))`` as nested ('m', left, right) / ('X', n) tuples (a representation of its own)."""
    stack: list[list] = [[]]
    i = 0
    while i < len(text):
        if text.startswith("m(", i):
            stack.append(["m"])
            i += 2
        elif text[i] == "X":
            j = i + 1
            while j < len(text) and text[j].isdigit():
                j += 1
            if j == i + 1:
                raise ValueError(text)
            stack[-1].append(("X", int(text[i + 1:j])))
            i = j
        elif text[i] == ",":
            i += 1
        elif text[i] == ")":
            node = stack.pop()
            if len(node) != 3 or not stack:
                raise ValueError(text)
            stack[-1].append(("m", node[1], node[2]))
            i += 1
        else:
            raise ValueError(text)
    if len(stack) != 1 or len(stack[0]) != 1:
        raise ValueError(text)
    return stack[0][0]


def _from_law_term(term):
    return ("X", term) if isinstance(term, int) else ("m", _from_law_term(term[0]), _from_law_term(term[1]))


def _mirror_term(term):
    return term if term[0] == "X" else ("m", _mirror_term(term[2]), _mirror_term(term[1]))


def _symbols(term) -> list:
    """Preorder list of symbols: 'm' for each product, ('X', n) for each variable occurrence."""
    return [term] if term[0] == "X" else ["m", *_symbols(term[1]), *_symbols(term[2])]


def _kbo(s, t) -> bool:
    """s > t in the Knuth–Bendix order, every symbol of weight 1 (variable condition checked)."""
    from collections import Counter

    vs, vt = Counter(x for x in _symbols(s) if x != "m"), Counter(x for x in _symbols(t) if x != "m")
    if vt - vs:
        return False
    if len(_symbols(s)) != len(_symbols(t)):
        return len(_symbols(s)) > len(_symbols(t))
    if s[0] == "X" or t[0] == "X":
        return False
    return _kbo(s[1], t[1]) if s[1] != t[1] else _kbo(s[2], t[2])


def _path_greater(s, t, multiset: bool) -> bool:
    """s > t in the path order of one binary symbol: the lexicographic path order (arguments left to
    right) or, with ``multiset``, the recursive path order with multiset status."""
    if s[0] == "X" or s == t:
        return False
    if any(arg == t or _path_greater(arg, t, multiset) for arg in (s[1], s[2])):
        return True
    if t[0] == "X":
        return False
    if multiset:
        left, right = [s[1], s[2]], [t[1], t[2]]
        for item in list(left):
            if item in right:
                left.remove(item)
                right.remove(item)
        return bool(left) and all(any(_path_greater(a, b, True) for a in left) for b in right)
    if not (_path_greater(s, t[1], False) and _path_greater(s, t[2], False)):
        return False
    return _path_greater(s[1], t[1], False) if s[1] != t[1] else _path_greater(s[2], t[2], False)


def _decreasing(order: str, s, t) -> bool:
    """s > t in the named reduction order; the right-to-left orders are the left-to-right ones on
    mirror images (comparing arguments right to left is comparing the mirrors' left to right)."""
    if order.endswith("-rl"):
        return _decreasing(order.removesuffix("-rl"), _mirror_term(s), _mirror_term(t))
    if order == "kbo":
        return _kbo(s, t)
    if order in ("lpo", "rpo-mul"):
        return _path_greater(s, t, order == "rpo-mul")
    raise ValueError(f"unknown reduction order {order!r}")


def _apply(term, sigma: dict):
    """Apply an idempotent substitution (variables to terms already fully applied)."""
    if term[0] == "X":
        return sigma.get(term, term)
    return ("m", _apply(term[1], sigma), _apply(term[2], sigma))


def _mgu(a, b):
    """Most general unifier as an idempotent substitution (applied eagerly), or None."""
    sigma: dict = {}
    todo = [(a, b)]
    while todo:
        x, y = todo.pop()
        x, y = _apply(x, sigma), _apply(y, sigma)
        if x == y:
            continue
        if y[0] == "X" and x[0] != "X":
            x, y = y, x
        if x[0] == "X":
            if x in _symbols(y):
                return None
            sigma = {v: _apply(t, {x: y}) for v, t in sigma.items()}
            sigma[x] = y
        else:
            todo += [(x[1], y[1]), (x[2], y[2])]
    return sigma


def _instance_of(pattern, term, sigma: dict) -> bool:
    if pattern[0] == "X":
        if pattern in sigma:
            return sigma[pattern] == term
        sigma[pattern] = term
        return True
    return term[0] == "m" and _instance_of(pattern[1], term[1], sigma) and _instance_of(pattern[2], term[2], sigma)


def _one_step(term, rules):
    """One outermost-leftmost rewrite step, or None when ``term`` is in normal form."""
    for lhs, rhs in rules:
        sigma: dict = {}
        if _instance_of(lhs, term, sigma):
            return _apply(rhs, sigma)
    if term[0] == "m":
        for side in (1, 2):
            step = _one_step(term[side], rules)
            if step is not None:
                return ("m", step, term[2]) if side == 1 else ("m", term[1], step)
    return None


def _normalise(term, rules, limit: int = 200_000):
    for _ in range(limit):
        step = _one_step(term, rules)
        if step is None:
            return term
        term = step
    raise ValueError("normalisation did not end")


def _positions(term, path=()):
    if term[0] == "m":
        yield path, term
        yield from _positions(term[1], path + (1,))
        yield from _positions(term[2], path + (2,))


def _put(term, path, new):
    if not path:
        return new
    return ("m", _put(term[1], path[1:], new), term[2]) if path[0] == 1 else ("m", term[1], _put(term[2], path[1:], new))


def rewriting_system_is_convergent(rules: list, order: str = "kbo") -> bool:
    """Every rule decreasing in the named reduction order (so rewriting terminates) and every
    critical pair joinable (so, by Newman's lemma, confluent)."""
    if not rules or not all(_decreasing(order, lhs, rhs) for lhs, rhs in rules):
        return False

    def renamed(term):
        return ("X", ("second", term[1])) if term[0] == "X" else ("m", renamed(term[1]), renamed(term[2]))

    for i, (l1, r1) in enumerate(rules):
        for j, (l2, r2) in enumerate(rules):
            l2, r2 = renamed(l2), renamed(r2)
            for path, sub in _positions(l1):
                if i == j and not path:
                    continue
                sigma = _mgu(sub, l2)
                if sigma is None:
                    continue
                one, two = _apply(_put(l1, path, r2), sigma), _apply(r1, sigma)
                if _normalise(one, rules) != _normalise(two, rules):
                    return False
    return True


def rewriting_model_verdicts(record: dict, laws: list, hypotheses: np.ndarray,
                             conclusions: np.ndarray) -> tuple[dict[int, bool], dict[int, bool]]:
    """For one term model of a rewriting system (or its opposite magma): the stored rules must be
    convergent (checked here: KBO orientation, every critical pair joinable); a hypothesis holds when
    both sides (mirrored for the opposite magma) have one normal form, a conclusion fails when they
    do not (each variable a free generator)."""
    try:
        rules = [(_parse_rewriting_term(lhs), _parse_rewriting_term(rhs)) for lhs, rhs in record["model"]["rules"]]
        valid = rewriting_system_is_convergent(rules, str(record["model"].get("order", "kbo")))
    except (ValueError, TypeError, KeyError):
        valid = False
    mirrored = bool(record["model"].get("opposite", False))

    def joinable(law) -> bool:
        lhs, rhs = _from_law_term(law.lhs), _from_law_term(law.rhs)
        if mirrored:
            lhs, rhs = _mirror_term(lhs), _mirror_term(rhs)
        return _normalise(lhs, rules) == _normalise(rhs, rules)

    holds = {int(h): valid and joinable(laws[h]) for h in hypotheses}
    fails = {int(k): valid and not joinable(laws[k]) for k in conclusions}
    return holds, fails


def _leaves(term) -> list[int]:
    return [term] if isinstance(term, int) else _leaves(term[0]) + _leaves(term[1])


def check_all_refutations(state: np.ndarray, evidence: np.ndarray, log: EvidenceLog, laws: list) -> dict:
    ii, jj = np.nonzero(state == FALSE)
    witness = evidence[ii, jj]
    good = np.zeros(len(ii), dtype=bool)
    order = np.argsort(witness, kind="stable")
    bounds = np.flatnonzero(np.diff(witness[order])) + 1
    groups = [g for g in np.split(order, bounds) if len(g)]  # none at all when nothing is refuted
    small = [int(witness[g[0]]) for g in groups if 0 < len(log.table(int(witness[g[0]]))) <= SMALL]
    rows = small_witness_satisfaction(log, laws, small)
    started, large, infinite = time.monotonic(), 0, 0
    for group in groups:
        k = int(witness[group[0]])
        if k in rows:
            good[group] = rows[k][ii[group]] & ~rows[k][jj[group]]
            continue
        if "model" in log.magmas[k]:
            infinite += 1
            family = log.magmas[k]["model"].get("family")
            verdicts = noncommutative_model_verdicts if family == "free noncommutative affine" else \
                rewriting_model_verdicts if family == "convergent rewriting system" else infinite_model_verdicts
            holds, fails = verdicts(log.magmas[k], laws, np.unique(ii[group]), np.unique(jj[group]))
            good[group] = [holds[a] and fails[b] for a, b in zip(ii[group].tolist(), jj[group].tolist())]
            continue
        large += 1
        holds, fails = large_witness_verdicts(log.table(k), laws, np.unique(ii[group]), np.unique(jj[group]))
        good[group] = [holds[a] and fails[b] for a, b in zip(ii[group].tolist(), jj[group].tolist())]
    print(f"  {large} larger witnesses and {infinite} infinite counter-models where used, "
          f"{time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
    bad = np.flatnonzero(~good)
    return {"false_pairs": int(len(ii)), "witness_magmas": len(groups), "infinite_models": infinite,
            "pairs_by_infinite_models": int(sum(len(g) for g in groups if "model" in log.magmas[int(witness[g[0]])])),
            "failed": int(len(bad)),
            "first_failures": [(int(ii[p]), int(jj[p]), int(witness[p])) for p in bad[:5]]}


def check_all_proofs(state: np.ndarray, log: EvidenceLog, laws: list) -> dict:
    bad_direct = [k for k in range(len(log.proofs)) if not check_proof(log, laws, k)]
    relation = np.zeros(state.shape, dtype=bool)
    edges = log.edges()
    if len(edges):
        relation[edges[:, 0], edges[:, 1]] = True
    closure = transitive_closure(relation, reflexive=True)
    true = state == TRUE
    outside = np.argwhere(true & ~closure)
    return {"direct_proofs": len(log.proofs), "direct_failed": len(bad_direct),
            "true_pairs": int(true.sum()), "true_outside_closure": int(len(outside)),
            "closure_pairs_not_marked_true": int((closure & ~true).sum()),
            "first_failures": [tuple(map(int, p)) for p in outside[:5]] + bad_direct[:5]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the engine folder (evidence.jsonl, matrix.npz)")
    parser.add_argument("--laws", nargs="+", default=["etp:1-4694"],
                        help="the laws of the run, as the items of a project file's `laws`")
    args = parser.parse_args()
    if not (args.folder / "evidence.jsonl").is_file():
        print(f"Error: {args.folder}: no evidence.jsonl here (give a run's engine folder, "
              "e.g. projects/runs/etp-full/engine)", file=sys.stderr)
        return 2
    try:
        laws = [item.law for item in parse_law_spec(args.laws)]
    except LawSpecError as error:
        print(f"Error: --laws: {error}", file=sys.stderr)
        return 2
    log = EvidenceLog.open(args.folder, len(laws))
    matrix = log.replay()
    started = time.monotonic()
    refutations = check_all_refutations(matrix.state, matrix.evidence, log, laws)
    refutation_seconds = time.monotonic() - started
    proofs = check_all_proofs(matrix.state, log, laws)
    result = {"counts": matrix.counts(), "refutations": refutations, "proofs": proofs,
              "seconds": {"refutations": round(refutation_seconds, 1),
                          "proofs": round(time.monotonic() - started - refutation_seconds, 1)},
              "peak_memory": peak_rss_mb()}
    print(json.dumps(result, indent=2))
    failed = refutations["failed"] or proofs["direct_failed"] or proofs["true_outside_closure"]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

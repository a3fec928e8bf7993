"""Rebuild a checked equational derivation from an E prover proof object (unit equality), for Lean.

E's proof object lists clauses with the inference that made each (``spm``, ``rw``, ``sr``, ``cn``,
``er``), often nested, without the substitutions or positions. We replay each inference with our
own unification and matching, which yields the instances of earlier clauses it used; each printed
equation then becomes a lemma proved by a rewrite chain found among those instances, and the final
contradiction a chain from the conclusion's left side to its right. Everything is re-checked by
``derivation.check_derivation``; a proof we cannot replay yields ``Unreconstructed(reason)``, never a guess.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .derivation import (HYPOTHESIS, Derivation, DTerm, Equation, Lemma, Step, check_derivation,
                         law_equation, leaves, replace, substitute, subterm)
from .eproof_terms import (Inference, ReplayError, constants, describe, is_var, match, match_pair, ordered_leaves,
                          parse_clause, parse_source, positions, replace_all, resolve, size, unify, variables_of)
from .terms import Law

_CANDIDATES = 256     # candidates kept per (nested) inference
_SEARCH_NODES = 20000  # terms visited when searching one rewrite chain
_SEARCH_DEPTH = 10


class ProofLine(Protocol):
    """One TPTP line of E's proof object (``tools.eprover.ProofStep`` has this shape)."""

    kind: str
    name: str
    role: str
    formula: str
    source: str


@dataclass(frozen=True)
class Unreconstructed:
    """No derivation was rebuilt; the claim keeps its prover evidence and gets no Lean proof."""

    reason: str


@dataclass(frozen=True)
class _Fact:
    """A derived unit clause and the instances it rests on.

    ``sign`` is True for ``lhs = rhs`` (derivable from ``uses`` by rewriting, variables held fixed),
    False for ``lhs != rhs`` (the goal follows from ``uses`` plus ``lhs = rhs``), None for ``$false``
    (the goal follows from ``uses``). ``uses`` pairs a lemma name with its arguments by binder.
    """

    sign: bool | None
    lhs: DTerm
    rhs: DTerm
    uses: tuple[tuple[str, tuple[tuple[str, DTerm], ...]], ...]


def reconstruct(hypothesis: Law, conclusion: Law, lines: Sequence[ProofLine]) -> Derivation | Unreconstructed:
    """A checked derivation of ``conclusion`` from ``hypothesis`` following E's proof, or why there is none."""
    try:
        return _Replay(hypothesis, conclusion, lines).run()
    except ReplayError as up:
        return Unreconstructed(str(up))


class _Replay:
    def __init__(self, hypothesis: Law, conclusion: Law, lines: Sequence[ProofLine]):
        self.hypothesis = law_equation(hypothesis)
        self.goal = law_equation(conclusion)
        self.lines = {line.name: line for line in lines}
        self.order = [line for line in lines if line.kind == "cnf"]
        self.equations: dict[str, Equation] = {HYPOTHESIS: self.hypothesis}
        self.facts: dict[str, _Fact] = {}
        self.lemmas: list[Lemma] = []
        self.skolems: dict[str, str] = {}

    def run(self) -> Derivation:
        if not self.order:
            raise ReplayError("no clauses in the proof object")
        final = None
        for line in self.order:
            printed = _Fact(*parse_clause(line.formula), ())
            source = parse_source(line.source)
            if isinstance(source, Inference) and all(
                    isinstance(p, str) and self.lines.get(p, line).kind == "fof" for p in source.parents):
                fact = self._input_clause(line, printed)
            else:
                fact = self._replay_printed(line.name, source, printed)
            if fact.sign is None:
                final = fact
                break
            if fact.sign:
                fact = self._lemma(line.name, fact)
            self.facts[line.name] = fact
        if final is None:
            raise ReplayError("the proof object ends without $false")
        goal = self._chain("goal", self.goal, final.uses)
        derivation = Derivation(self.hypothesis, (*self.lemmas, goal))
        problems = check_derivation(derivation)
        if problems:
            raise ReplayError("our checker rejected the rebuilt derivation: " + "; ".join(problems))
        return derivation

    # --- clauses that come straight from the problem ----------------------------------------

    def _input_clause(self, line: ProofLine, printed: _Fact) -> _Fact:
        if line.role == "negated_conjecture":
            if printed.sign is not False:
                raise ReplayError(f"{line.name}: the negated conjecture is not a disequation")
            for lhs, rhs in ((printed.lhs, printed.rhs), (printed.rhs, printed.lhs)):
                mapping = match_pair((self.goal.lhs, self.goal.rhs), (lhs, rhs), set(self.goal.binders))
                values = list(mapping.values()) if mapping is not None else []
                if mapping is not None and len(set(values)) == len(values) and all(
                        isinstance(t, str) and not is_var(t) for t in values):
                    self.skolems = {skolem: name for name, skolem in mapping.items()}
                    return _Fact(False, lhs, rhs, ())
            raise ReplayError(f"{line.name}: the negated conjecture is not the conclusion's negation")
        if printed.sign is not True:
            raise ReplayError(f"{line.name}: an input clause that is not an equation")
        for lhs, rhs in ((self.hypothesis.lhs, self.hypothesis.rhs), (self.hypothesis.rhs, self.hypothesis.lhs)):
            mapping = match_pair((lhs, rhs), (printed.lhs, printed.rhs), set(self.hypothesis.binders))
            if mapping is not None:
                uses = ((HYPOTHESIS, tuple(sorted(mapping.items()))),)
                return _Fact(True, printed.lhs, printed.rhs, uses)
        raise ReplayError(f"{line.name}: an input clause that is not an instance of the hypothesis")

    # --- replaying inferences ----------------------------------------------------------------

    def _replay_printed(self, name: str, source, printed: _Fact) -> _Fact:
        for candidate in self._evaluate(source):
            renamed = _as_variant(candidate, printed)
            if renamed is not None:
                return renamed
        raise ReplayError(f"{name}: replaying {describe(source)} does not give the printed clause")

    def _evaluate(self, source) -> list[_Fact]:
        if isinstance(source, str):
            if source not in self.facts:
                raise ReplayError(f"the clause {source} is used before it is derived")
            return [self.facts[source]]
        if not isinstance(source, Inference):
            raise ReplayError(f"cannot read the source {source!r}")
        children = [self._evaluate(parent) for parent in source.parents]
        rule = _RULES.get(source.rule)
        if rule is None:
            raise ReplayError(f"the inference rule {source.rule!r} is not supported")
        results: list[_Fact] = []
        seen: set = set()
        for combination in itertools.islice(itertools.product(*children), _CANDIDATES):
            for fact in rule(list(combination)):
                key = (fact.sign, fact.lhs, fact.rhs)
                if key not in seen:
                    seen.add(key)
                    results.append(fact)
                if len(results) >= _CANDIDATES:
                    return results
        return results

    # --- lemmas --------------------------------------------------------------------------------

    def _lemma(self, name: str, fact: _Fact) -> _Fact:
        binders = tuple(ordered_leaves((fact.lhs, fact.rhs)))
        equation = Equation(binders, fact.lhs, fact.rhs)
        lemma = self._chain(name, equation, fact.uses)
        self.lemmas.append(lemma)
        self.equations[name] = equation
        return _Fact(True, fact.lhs, fact.rhs, ((name, tuple((b, b) for b in binders)),))

    def _chain(self, name: str, equation: Equation, uses) -> Lemma:
        """A rewrite chain for ``equation`` built from ``uses``, with skolems and stray variables fixed."""
        fill = equation.binders[0] if equation.binders else None
        renaming = dict(self.skolems) if name == "goal" else {}
        rules = []
        for by, args in uses:
            target = self.equations[by]
            mapping = dict(args)
            values = []
            for binder in target.binders:
                value = substitute(mapping.get(binder, binder if by != HYPOTHESIS else fill), renaming)
                stray = {leaf for leaf in leaves(value) if leaf not in equation.binders}
                if stray and fill is None:
                    raise ReplayError(f"{name}: no term to instantiate {sorted(stray)} with")
                value = substitute(value, {leaf: fill for leaf in stray})
                values.append(value)
            rules.append((by, tuple(values)))
        steps = _search(self.equations, equation.lhs, equation.rhs, rules)
        if steps is None:
            raise ReplayError(f"{name}: no rewrite chain of at most {_SEARCH_DEPTH} steps from its instances")
        return Lemma(name if name != "goal" else "goal", equation, tuple(steps))


def _search(equations: dict[str, Equation], start: DTerm, goal: DTerm, rules) -> list[Step] | None:
    """Breadth-first search for a chain of ground rewrites with the given instances, both ways."""
    oriented = []
    for by, args in rules:
        eq = equations[by]
        mapping = dict(zip(eq.binders, args))
        lhs, rhs = substitute(eq.lhs, mapping), substitute(eq.rhs, mapping)
        oriented += [(lhs, rhs, by, args, False), (rhs, lhs, by, args, True)]
    limit = 2 * max([size(start), size(goal)] + [size(o[0]) for o in oriented]) + 2
    previous: dict[DTerm, tuple[DTerm, Step] | None] = {start: None}
    queue = deque([(start, 0)])
    while queue and len(previous) < _SEARCH_NODES:
        term, depth = queue.popleft()
        if term == goal:
            steps = []
            while previous[term] is not None:
                term, step = previous[term]
                steps.append(step)
            return steps[::-1]
        if depth >= _SEARCH_DEPTH:
            continue
        for path in positions(term):
            here = subterm(term, path)
            for source, target, by, args, backwards in oriented:
                if here == source:
                    after = replace(term, path, target)
                    if after not in previous and size(after) <= limit:
                        previous[after] = (term, Step(by, args, backwards, path))
                        queue.append((after, depth + 1))
    return None


# --- the inference rules, over candidate facts -----------------------------------------------------

def _spm(parents: list[_Fact]) -> list[_Fact]:
    """Paramodulation from one equation into the other clause, at one position or at every copy."""
    if len(parents) != 2:
        return []
    out = []
    for source, into in (parents, parents[::-1]):
        if source.sign is not True or into.sign is None:
            continue
        source = _rename(source)
        for u, v in ((source.lhs, source.rhs), (source.rhs, source.lhs)):
            if is_var(u) and u in leaves(v):
                continue  # a variable side is smaller than a side that contains it: never used
            for side in (0, 1):
                term = (into.lhs, into.rhs)[side]
                for path in positions(term):
                    inner = subterm(term, path)
                    if is_var(inner):
                        continue
                    sigma = unify(u, inner, {})
                    if sigma is None:
                        continue
                    sides = [resolve(into.lhs, sigma), resolve(into.rhs, sigma)]
                    new_u, new_v = resolve(u, sigma), resolve(v, sigma)
                    one = list(sides)
                    one[side] = replace(sides[side], path, new_v)
                    every = [replace_all(s, new_u, new_v) for s in sides]
                    uses = _resolve_uses(source.uses + into.uses, sigma)
                    for lhs, rhs in (one, every):
                        out.append(_Fact(into.sign, lhs, rhs, uses))
    return out


def _rw(parents: list[_Fact]) -> list[_Fact]:
    """Demodulation: rewrite the first clause with instances of the others (their variables only)."""
    facts = [parents[0]]
    for demodulator in parents[1:]:
        if demodulator.sign is not True:
            return []
        facts = [result for fact in facts for result in _rewrite_with(fact, demodulator)][:_CANDIDATES]
    return facts


def _rewrite_with(fact: _Fact, demodulator: _Fact) -> list[_Fact]:
    if fact.sign is None:
        return []
    demodulator = _rename(demodulator)
    out, frontier = [], [fact]
    for _ in range(4):  # E may rewrite several times with one demodulator in one `rw`
        following = []
        for current in frontier:
            for l, r in ((demodulator.lhs, demodulator.rhs), (demodulator.rhs, demodulator.lhs)):
                # E rewrites only downwards in its term ordering, never to a bigger term.
                if not leaves(r) <= leaves(l) | constants(r) or size(r) > size(l):
                    continue
                for side in (0, 1):
                    term = (current.lhs, current.rhs)[side]
                    for path in positions(term):
                        sigma = match(l, subterm(term, path), set(variables_of(l)))
                        if sigma is None:
                            continue
                        sides = [current.lhs, current.rhs]
                        sides[side] = replace(term, path, substitute(r, sigma))
                        uses = current.uses + _resolve_uses(demodulator.uses, sigma)
                        following.append(_Fact(current.sign, sides[0], sides[1], uses))
        out += following
        frontier = following[:_CANDIDATES]
        if not frontier:
            break
    return out


def _cn(parents: list[_Fact]) -> list[_Fact]:
    """Clause normalisation: a disequation ``t != t`` is false; anything else stays."""
    fact = parents[0]
    if fact.sign is False and fact.lhs == fact.rhs:
        return [_Fact(None, fact.lhs, fact.rhs, fact.uses)]
    return [fact] if len(parents) == 1 else []


def _sr(parents: list[_Fact]) -> list[_Fact]:
    """Simplify-reflect: a disequation that is an instance of an equation is false."""
    out = []
    for negative, positive in (parents, parents[::-1]):
        if negative.sign is not False or positive.sign is not True:
            continue
        positive = _rename(positive)
        for l, r in ((positive.lhs, positive.rhs), (positive.rhs, positive.lhs)):
            sigma = match_pair((l, r), (negative.lhs, negative.rhs), set(variables_of((l, r))))
            if sigma is not None:
                uses = negative.uses + _resolve_uses(positive.uses, sigma)
                out.append(_Fact(None, negative.lhs, negative.rhs, uses))
    return out


def _er(parents: list[_Fact]) -> list[_Fact]:
    """Equality resolution: a disequation whose sides unify is false."""
    fact = parents[0]
    if fact.sign is not False:
        return []
    sigma = unify(fact.lhs, fact.rhs, {})
    if sigma is None:
        return []
    return [_Fact(None, fact.lhs, fact.rhs, _resolve_uses(fact.uses, sigma))]


_RULES = {"spm": _spm, "pm": _spm, "rw": _rw, "cn": _cn, "sr": _sr, "er": _er}


_FRESH = itertools.count(1)


def _rename(fact: _Fact) -> _Fact:
    """The fact with its variables renamed apart (``X1`` becomes ``X1_7``), uses included."""
    suffix = f"_{next(_FRESH)}"
    mapping = {v: v + suffix for v in variables_of((fact.lhs, fact.rhs))}
    for _, args in fact.uses:
        mapping.update({v: v + suffix for _, value in args for v in variables_of(value)})
    return _Fact(fact.sign, substitute(fact.lhs, mapping), substitute(fact.rhs, mapping),
                 _substitute_uses(fact.uses, mapping))


def _substitute_uses(uses, mapping: dict):
    return tuple((by, tuple((b, substitute(t, mapping)) for b, t in args)) for by, args in uses)


def _resolve_uses(uses, sigma: dict):
    return tuple((by, tuple((b, resolve(t, sigma)) for b, t in args)) for by, args in uses)


def _as_variant(candidate: _Fact, printed: _Fact) -> _Fact | None:
    """``candidate`` renamed to ``printed``'s variables (sides possibly swapped), or None if not a variant."""
    if candidate.sign != printed.sign:
        return None
    if printed.sign is None:
        return candidate
    for lhs, rhs in ((candidate.lhs, candidate.rhs), (candidate.rhs, candidate.lhs)):
        names = set(variables_of((lhs, rhs)))
        sigma = match_pair((lhs, rhs), (printed.lhs, printed.rhs), names)
        if sigma is None or not all(is_var(t) for t in sigma.values()) or len(set(sigma.values())) != len(sigma):
            continue
        uses = _substitute_uses(candidate.uses, sigma)
        # Variables that vanished from the clause may still occur in its instances: give them fresh
        # names, so that the lemma's own binders are not captured (they are filled in later).
        stray = {v for _, args in uses for _, t in args for v in variables_of(t)} - set(variables_of((printed.lhs, printed.rhs)))
        uses = _substitute_uses(uses, {v: f"{v}'" for v in stray})
        return _Fact(printed.sign, printed.lhs, printed.rhs, uses)
    return None



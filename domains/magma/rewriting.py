"""Infinite counter-models presented by convergent term rewriting systems, certified here.

A finite set R of rules ``l → r`` over the one binary operation ◇ and variables is *convergent*
when

- every rule has ``l >_KBO r`` for the Knuth–Bendix order with every symbol and every variable of
  weight 1 (variable condition included), or every rule decreases in one of the other reduction
  orders of domains/magma/reduction_orders (KBO comparing arguments right to left, the lexicographic
  path order either way, the recursive path order with multiset status). Each is a reduction
  order (well-founded, closed under contexts and substitutions), so rewriting with R terminates; and
- every critical pair of R (the two results of two rules overlapping on a term, at a non-variable
  position of one left side) reduces to one normal form: R is locally confluent (the critical pair
  lemma), so with termination confluent (Newman's lemma).

Then every term has one normal form, and the normal forms of terms over countably many variables
(taken as free generators) form a magma M, ``a ◇ b := nf(a ◇ b)``: the term model T(X)/=_R. A
law ``s = t`` holds in M exactly when ``nf(s) = nf(t)`` as open terms: if so, every instance
rewrites to the same instance of it (rewriting is stable under substitution); if not, the
generators named by the variables of s and t give two different elements. So when the hypothesis
H holds in M and the conclusion C does not, M is an infinite magma that satisfies H and violates C.

Where R comes from does not matter to the refutation: when its rules are consequences of H (E's
saturated set of H alone, tools/eprover.saturate), M is the free magma of H; any R that passes the
checks here gives a model of H (and of R) all the same. Nothing is taken on trust from E: the
orientation, every critical pair and the two laws are checked by this module.

Pure Python; the engine (tools/bulk_rewriting) proposes systems and stores them, and
bench/recheck.py re-checks every stored one with its own code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from mathteam.domains.magma.reduction_orders import ORDER_NAMES, ORDERS
from mathteam.domains.magma.reduction_orders import orient as orient_in
from mathteam.domains.magma.terms import Law, Term, format_term, substitute, variables

FAMILY = "convergent rewriting system"
"""The family name of the stored evidence record."""
MAX_NORMALISATION_STEPS = 100_000
"""Rewrite steps allowed for one normal form; KBO guarantees termination, this bounds the time a
pathological system (terms that grow in weight-preserving loops of huge length) may take."""


@dataclass(frozen=True)
class Rule:
    """A rewrite rule ``lhs → rhs`` (variables are ints, shared between the two sides)."""

    lhs: Term
    rhs: Term

    def __str__(self) -> str:
        return f"{format_term(self.lhs)} → {format_term(self.rhs)}"


@dataclass(frozen=True)
class NotCertified:
    """Why a set of equations gives no certified convergent system."""

    reason: str


class NormalisationTooLong(RuntimeError):
    """More than MAX_NORMALISATION_STEPS rewrite steps for one term."""


# ------------------------------------------------------------------ the Knuth–Bendix order

def weight(term: Term) -> int:
    """Every symbol and every variable has weight 1: the number of symbols and variable occurrences."""
    if isinstance(term, int):
        return 1
    return 1 + weight(term[0]) + weight(term[1])


def _occurrences(term: Term, counts: dict[int, int]) -> dict[int, int]:
    if isinstance(term, int):
        counts[term] = counts.get(term, 0) + 1
    else:
        _occurrences(term[0], counts)
        _occurrences(term[1], counts)
    return counts


def kbo_greater(s: Term, t: Term) -> bool:
    """``s >_KBO t``: each variable occurs in s at least as often as in t, and s is heavier, or as
    heavy and both are products with (s₁, s₂) greater than (t₁, t₂) lexicographically. (With one
    binary symbol and no unary symbol of weight 0, a variable is never greater than anything, and
    a term as heavy as a variable is a variable.)"""
    occurs_s, occurs_t = _occurrences(s, {}), _occurrences(t, {})
    if any(occurs_s.get(v, 0) < n for v, n in occurs_t.items()):
        return False
    ws, wt = weight(s), weight(t)
    if ws != wt:
        return ws > wt
    if isinstance(s, int) or isinstance(t, int):
        return False
    if s[0] != t[0]:
        return kbo_greater(s[0], t[0])
    return kbo_greater(s[1], t[1])


def orient(equation: Law) -> Rule | None:
    """The equation as a rule from its KBO-greater side, or None when neither side is greater
    (commutativity, for instance: no reduction order orients it)."""
    if kbo_greater(equation.lhs, equation.rhs):
        return Rule(equation.lhs, equation.rhs)
    if kbo_greater(equation.rhs, equation.lhs):
        return Rule(equation.rhs, equation.lhs)
    return None


# ------------------------------------------------------------------ matching, unification, overlaps

def match(pattern: Term, term: Term, binding: dict[int, Term] | None = None) -> dict[int, Term] | None:
    """The substitution σ with σ(pattern) = term extending ``binding``, or None."""
    binding = {} if binding is None else binding
    return binding if _match_into(pattern, term, binding) else None


def _match_into(pattern: Term, term: Term, binding: dict[int, Term]) -> bool:
    # Recursive and short-circuiting: this is the hot path of every normal form and of completion.
    if isinstance(pattern, int):
        bound = binding.get(pattern)
        if bound is None:
            binding[pattern] = term
            return True
        return bound == term
    if isinstance(term, int):
        return False
    return _match_into(pattern[0], term[0], binding) and _match_into(pattern[1], term[1], binding)


def _walk(term: Term, binding: dict[int, Term]) -> Term:
    while isinstance(term, int) and term in binding:
        term = binding[term]
    return term


def _occurs(v: int, term: Term, binding: dict[int, Term]) -> bool:
    term = _walk(term, binding)
    if isinstance(term, int):
        return term == v
    return _occurs(v, term[0], binding) or _occurs(v, term[1], binding)


def unify(a: Term, b: Term) -> dict[int, Term] | None:
    """A most general unifier of ``a`` and ``b`` (triangular: apply with `resolve`), or None."""
    binding: dict[int, Term] = {}
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        x, y = _walk(x, binding), _walk(y, binding)
        if x == y:
            continue
        if isinstance(x, int) or isinstance(y, int):
            v, other = (x, y) if isinstance(x, int) else (y, x)
            if _occurs(v, other, binding):
                return None
            binding[v] = other
        else:
            stack.append((x[1], y[1]))
            stack.append((x[0], y[0]))
    return binding


def resolve(term: Term, binding: dict[int, Term]) -> Term:
    """``term`` with a triangular substitution applied all the way down."""
    term = _walk(term, binding)
    if isinstance(term, int):
        return term
    return (resolve(term[0], binding), resolve(term[1], binding))


def shift(term: Term, offset: int) -> Term:
    """``term`` with every variable number raised by ``offset`` (renaming apart)."""
    if isinstance(term, int):
        return term + offset
    return (shift(term[0], offset), shift(term[1], offset))


def subterms(term: Term, path: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], Term]]:
    """Non-variable subterms with their positions."""
    if not isinstance(term, int):
        yield path, term
        yield from subterms(term[0], path + (0,))
        yield from subterms(term[1], path + (1,))


def replace_at(term: Term, path: tuple[int, ...], new: Term) -> Term:
    """``term`` with the subterm at ``path`` replaced by ``new``."""
    if not path:
        return new
    if path[0] == 0:
        return (replace_at(term[0], path[1:], new), term[1])
    return (term[0], replace_at(term[1], path[1:], new))


def overlaps(outer: tuple[Term, Term], inner: tuple[Term, Term], same: bool) -> Iterator[tuple[Term, Term]]:
    """The critical pairs ``(σ(l₁[r₂]_p), σ(r₁))`` of ``inner = (l₂, r₂)`` (variables renamed apart)
    overlapping ``outer = (l₁, r₁)``'s left side at a non-variable position p, σ the most general
    unifier; ``same`` (one rule with itself) leaves out the root, whose two results are equal."""
    offset = 1 + max(variables(outer), default=0)
    inner_lhs, inner_rhs = shift(inner[0], offset), shift(inner[1], offset)
    for path, sub in subterms(outer[0]):
        if same and not path:
            continue
        binding = unify(sub, inner_lhs)
        if binding is not None:
            yield resolve(replace_at(outer[0], path, inner_rhs), binding), resolve(outer[1], binding)


def critical_pairs(rules: Sequence[Rule]) -> Iterator[tuple[Term, Term]]:
    """Every critical pair of ``rules``: each rule's left side overlapped by each rule (`overlaps`)."""
    for i, first in enumerate(rules):
        for j, second in enumerate(rules):
            yield from overlaps((first.lhs, first.rhs), (second.lhs, second.rhs), i == j)


# ------------------------------------------------------------------ the certified system

@dataclass(frozen=True)
class ConvergentSystem:
    """A rewriting system certified convergent by `certify`: decides every law of its term model."""

    rules: tuple[Rule, ...]
    _cache: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    def normal_form(self, term: Term) -> Term:
        """The one normal form of ``term`` (innermost rewriting; results cached)."""
        budget = [MAX_NORMALISATION_STEPS]
        return self._normal(term, budget)

    def _normal(self, term: Term, budget: list[int]) -> Term:
        cached = self._cache.get(term)
        if cached is not None:
            return cached
        original = term
        while True:
            if not isinstance(term, int):
                term = (self._normal(term[0], budget), self._normal(term[1], budget))
            step = self._rewrite_at_root(term)
            if step is None:
                break
            budget[0] -= 1
            if budget[0] < 0:
                raise NormalisationTooLong(f"more than {MAX_NORMALISATION_STEPS} rewrite steps")
            term = step
        self._cache[original] = term
        return term

    def _rewrite_at_root(self, term: Term) -> Term | None:
        for rule in self.rules:
            binding = match(rule.lhs, term)
            if binding is not None:
                # A matcher is applied once (substitute), never chased like a unifier: the subject's
                # variables share the pattern's numbers.
                return substitute(rule.rhs, binding)
        return None

    def holds(self, law: Law) -> bool:
        """Whether ``law`` holds in the term model: both sides have the same normal form."""
        return self.normal_form(law.lhs) == self.normal_form(law.rhs)

    def refutes(self, hypothesis: Law, conclusion: Law) -> bool:
        """The term model satisfies ``hypothesis`` and violates ``conclusion``."""
        return self.holds(hypothesis) and not self.holds(conclusion)

    infinite = True
    """Its term model is infinite: no left side is a variable (a variable is never KBO-greater than
    anything), so the generators are distinct normal forms, one per variable."""

    def violation(self, law: Law) -> tuple[Term, Term] | None:
        """The two different normal forms of ``law``'s sides (each variable a free generator), or
        None when the law holds."""
        left, right = self.normal_form(law.lhs), self.normal_form(law.rhs)
        return None if left == right else (left, right)

    @property
    def formula(self) -> str:
        """How the report names the model."""
        rules = "; ".join(map(str, self.rules))
        return (f"the free magma of the hypothesis, presented by a convergent rewriting system of "
                f"{len(self.rules)} rule{'s' if len(self.rules) != 1 else ''}: {rules}")


def decreasing_order(rules: Sequence[Rule]) -> str | None:
    """The first order of `ORDER_NAMES` in which every rule decreases: ``kbo`` (the KBO above) when
    it does, else one of the other reduction orders; None when there is none."""
    if all(kbo_greater(rule.lhs, rule.rhs) for rule in rules):
        return "kbo"
    for name in ORDER_NAMES:
        if all(ORDERS[name](rule.lhs, rule.rhs) for rule in rules):
            return name
    return None


def certify_rules(rules: Iterable[Rule]) -> ConvergentSystem | NotCertified:
    """The rules as a `ConvergentSystem` when all decrease in one reduction order (`decreasing_order`)
    and every critical pair is joinable; else why not."""
    rules = tuple(dict.fromkeys(rules))
    if not rules:
        return NotCertified("no rules")
    if decreasing_order(rules) is None:
        stuck = next(rule for rule in rules if not kbo_greater(rule.lhs, rule.rhs))
        return NotCertified(f"no reduction order makes every rule decrease (rule {stuck} is not decreasing in "
                            f"the Knuth–Bendix order, nor are all rules in {', '.join(ORDER_NAMES[1:])})")
    system = ConvergentSystem(rules)
    try:
        for left, right in critical_pairs(rules):
            if system.normal_form(left) != system.normal_form(right):
                return NotCertified(f"critical pair {format_term(left)} = {format_term(right)} is not joinable")
    except NormalisationTooLong as error:
        return NotCertified(str(error))
    return system


def certify(equations: Iterable[Law]) -> ConvergentSystem | NotCertified:
    """Orient each equation by the KBO and certify the rules; when an equation cannot be oriented so,
    or the rules are not confluent, the same with each other order of `ORDER_NAMES` in turn (the
    first reason is kept). Trivial equations (``t = t``) are dropped."""
    equations = [equation for equation in equations if equation.lhs != equation.rhs]
    first: NotCertified | None = None
    for name in ORDER_NAMES:
        oriented = orient_in([(equation.lhs, equation.rhs) for equation in equations], name)
        if oriented is None:
            if name == "kbo":
                stuck = next(equation for equation in equations if orient(equation) is None)
                first = NotCertified(f"{stuck} cannot be oriented by the Knuth–Bendix order")
            continue
        result = certify_rules(Rule(lhs, rhs) for lhs, rhs in oriented)
        if isinstance(result, ConvergentSystem):
            return result
        first = first or result
    return first or NotCertified("no rules")


# ------------------------------------------------------------------ the stored record

def encode_term(term: Term) -> str:
    """``m(X0,m(X1,X0))``: the record's spelling of a term (variables numbered)."""
    if isinstance(term, int):
        return f"X{term}"
    return f"m({encode_term(term[0])},{encode_term(term[1])})"


_TOKEN = re.compile(r"m\(|X\d+|,|\)")


def decode_term(text: str) -> Term:
    """The inverse of `encode_term`; ValueError on anything else."""
    tokens = _TOKEN.findall(text)
    if "".join(tokens) != text:
        raise ValueError(f"not a term: {text!r}")
    position = 0

    def term() -> Term:
        nonlocal position
        if position >= len(tokens):
            raise ValueError(f"not a term: {text!r}")
        token = tokens[position]
        position += 1
        if token.startswith("X"):
            return int(token[1:])
        if token != "m(":
            raise ValueError(f"not a term: {text!r}")
        left = term()
        expect(",")
        right = term()
        expect(")")
        return (left, right)

    def expect(symbol: str) -> None:
        nonlocal position
        if position >= len(tokens) or tokens[position] != symbol:
            raise ValueError(f"not a term: {text!r}")
        position += 1

    result = term()
    if position != len(tokens):
        raise ValueError(f"not a term: {text!r}")
    return result


def encode(system: ConvergentSystem | Sequence[Rule]) -> list[list[str]]:
    """The rules as ``[[lhs, rhs], ...]`` in `encode_term`'s spelling (JSON-ready)."""
    rules = system.rules if isinstance(system, ConvergentSystem) else system
    return [[encode_term(rule.lhs), encode_term(rule.rhs)] for rule in rules]


def decode(rules: object) -> list[Rule]:
    """The rules of a stored record (not certified: pass them to `certify_rules`); ValueError when
    the record is not a list of [lhs, rhs] term pairs."""
    if isinstance(rules, str):
        rules = json.loads(rules)
    if not isinstance(rules, list) or not all(isinstance(r, list) and len(r) == 2 for r in rules):
        raise ValueError("rules must be a list of [lhs, rhs] pairs")
    return [Rule(decode_term(lhs), decode_term(rhs)) for lhs, rhs in rules]


@dataclass(frozen=True)
class TermModel:
    """A stored counter-model: the term model of a certified system, or its opposite magma
    (``x ◇ y := y ◇ x``, in which a law holds exactly when its mirror image holds in the term model)."""

    system: ConvergentSystem
    opposite: bool = False
    infinite = True

    def violation(self, law: Law) -> tuple[Term, Term] | None:
        """The different normal forms of the law's sides (of its mirror image's, in the opposite
        magma), or None when the law holds."""
        return self.system.violation(law.dual() if self.opposite else law)

    def holds(self, law: Law) -> bool:
        return self.violation(law) is None


def term_model_from_record(model: dict) -> TermModel:
    """The model of a stored record (``{"family": FAMILY, "rules": [[lhs, rhs], ...], "opposite":
    bool}``), its system certified again here; ValueError when the record is malformed or the rules
    are not convergent."""
    result = certify_rules(decode(model.get("rules")))
    if isinstance(result, NotCertified):
        raise ValueError(f"stored rewriting system refused: {result.reason}")
    return TermModel(result, bool(model.get("opposite", False)))

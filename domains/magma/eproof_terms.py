"""Terms with variables for replaying E proofs: unification, matching, and reading E's TPTP clauses and sources.

Variables are capitalised names (``X1``), as in E's output; lower-case names are constants (E's
skolem constants, or a lemma's fixed variables). Terms are ``derivation.DTerm``s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .derivation import DTerm, leaves


class ReplayError(ValueError):
    """An E proof cannot be replayed (unreadable, or an inference we cannot redo); the message says why."""


# --- terms: variables (capitalised), unification, matching -----------------------------------------

def is_var(term: DTerm) -> bool:
    return isinstance(term, str) and term[:1].isupper()


def variables_of(term) -> list[str]:
    return [leaf for leaf in ordered_leaves(term) if is_var(leaf)]


def constants(term: DTerm) -> set[str]:
    return {leaf for leaf in leaves(term) if not is_var(leaf)}


def ordered_leaves(term) -> list[str]:
    found: list[str] = []

    def walk(t):
        if isinstance(t, str):
            if t not in found:
                found.append(t)
        else:
            walk(t[0])
            walk(t[1])

    walk(term)
    return found


def size(term: DTerm) -> int:
    return 1 if isinstance(term, str) else 1 + size(term[0]) + size(term[1])


def positions(term: DTerm, prefix: tuple[int, ...] = ()) -> list[tuple[int, ...]]:
    if isinstance(term, str):
        return [prefix]
    return [prefix] + positions(term[0], prefix + (0,)) + positions(term[1], prefix + (1,))


def _walk(term: DTerm, sigma: dict) -> DTerm:
    while is_var(term) and term in sigma:
        term = sigma[term]
    return term


def resolve(term: DTerm, sigma: dict) -> DTerm:
    term = _walk(term, sigma)
    if isinstance(term, str):
        return term
    return (resolve(term[0], sigma), resolve(term[1], sigma))


def unify(a: DTerm, b: DTerm, sigma: dict) -> dict | None:
    sigma = dict(sigma)
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        x, y = _walk(x, sigma), _walk(y, sigma)
        if x == y:
            continue
        if is_var(x) or is_var(y):
            var, other = (x, y) if is_var(x) else (y, x)
            if var in leaves(resolve(other, sigma)):
                return None
            sigma[var] = other
        elif isinstance(x, tuple) and isinstance(y, tuple):
            stack += [(x[0], y[0]), (x[1], y[1])]
        else:
            return None
    return sigma


def match(pattern: DTerm, term: DTerm, variables: set[str], sigma: dict | None = None) -> dict | None:
    """σ with σ(pattern) = term, binding only ``variables``."""
    sigma = dict(sigma or {})
    stack = [(pattern, term)]
    while stack:
        p, t = stack.pop()
        if isinstance(p, str) and p in variables:
            if sigma.setdefault(p, t) != t:
                return None
        elif isinstance(p, tuple) and isinstance(t, tuple):
            stack += [(p[0], t[0]), (p[1], t[1])]
        elif p != t:
            return None
    return sigma


def match_pair(patterns, terms, variables: set[str]) -> dict | None:
    sigma = match(patterns[0], terms[0], variables)
    return None if sigma is None else match(patterns[1], terms[1], variables, sigma)


def replace_all(term: DTerm, old: DTerm, new: DTerm) -> DTerm:
    if term == old:
        return new
    if isinstance(term, str):
        return term
    return (replace_all(term[0], old, new), replace_all(term[1], old, new))


# --- reading E's TPTP --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Inference:
    rule: str
    parents: tuple


_TOKEN = re.compile(r"\s*('[^']*'|[A-Za-z0-9_$]+|\(|\)|\[|\]|,|!=|=|~|:)")


def _tokens(text: str) -> list[str]:
    out, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ReplayError(f"cannot read {text!r}")
        out.append(match.group(1))
        position = match.end()
    return out


def parse_clause(formula: str) -> tuple[bool | None, DTerm, DTerm]:
    """``(True, l, r)`` for ``l=r``, ``(False, l, r)`` for ``l!=r``, ``(None, '', '')`` for ``$false``."""
    tokens = _tokens(formula)
    while tokens and tokens[0] == "(" and tokens[-1] == ")":
        tokens = tokens[1:-1]
    if tokens == ["$false"]:
        return None, "", ""
    for operator, sign in (("!=", False), ("=", True)):
        if operator in tokens:
            cut = tokens.index(operator)
            return sign, _parse_term(tokens[:cut]), _parse_term(tokens[cut + 1:])
    raise ReplayError(f"not a unit equation: {formula}")


def _parse_term(tokens: list[str]) -> DTerm:
    term, rest = _term(tokens)
    if rest:
        raise ReplayError(f"trailing tokens in a term: {rest}")
    return term


def _term(tokens: list[str]) -> tuple[DTerm, list[str]]:
    if not tokens:
        raise ReplayError("empty term")
    head, rest = tokens[0], tokens[1:]
    if head == "m" and rest[:1] == ["("]:
        left, rest = _term(rest[1:])
        if rest[:1] != [","]:
            raise ReplayError("expected ',' in m(_,_)")
        right, rest = _term(rest[1:])
        if rest[:1] != [")"]:
            raise ReplayError("expected ')' in m(_,_)")
        return (left, right), rest[1:]
    if rest[:1] == ["("] or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", head):
        raise ReplayError(f"unexpected symbol {head!r} (only the operation m and constants)")
    return head, rest


def parse_source(source: str):
    """``inference(rule, [...], [parents])`` as an ``Inference`` (parents: names or inferences); else the text."""
    tokens = _tokens(source)
    value, _ = _read(tokens)
    return _inference(value)


def _read(tokens: list[str]):
    """One TPTP general term: ``name``, ``name(args)`` or ``[args]``, as str, ``(name, args)`` or list."""
    if not tokens:
        raise ReplayError("the source ends early")
    head, rest = tokens[0], tokens[1:]
    if head in ("[", "("):
        closing = "]" if head == "[" else ")"
        items = []
        while rest and rest[0] != closing:
            item, rest = _read(rest)
            items.append(item)
            if rest[:1] == [","]:
                rest = rest[1:]
        if not rest:
            raise ReplayError("unbalanced brackets in a source")
        return items, rest[1:]
    if rest[:1] == ["("]:
        args, rest = _read(rest)
        return (head, args), rest
    return head, rest


def _inference(value):
    if isinstance(value, tuple) and value[0] == "inference" and len(value[1]) >= 3:
        rule, _, parents = value[1][:3]
        return Inference(rule, tuple(_inference(p) for p in parents))
    return value


def describe(source) -> str:
    if isinstance(source, Inference):
        return f"{source.rule}({', '.join(describe(p) for p in source.parents)})"
    return str(source)

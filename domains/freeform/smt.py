"""SMT-LIB 2 terms for free-form claims: read the s-expression, split off the outer universal binders, and
evaluate a quantifier-free body on given values in plain Python (to re-check a solver's model).

Only the core theories a claim about integers, reals and booleans needs are evaluated: ``+ - * / div mod
abs``, comparisons, ``= distinct``, ``and or not => xor ite``. Integer ``div``/``mod`` follow SMT-LIB
(Euclidean: the remainder is never negative).
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Union

SExpr = Union[str, list["SExpr"]]
SORTS = ("Int", "Real", "Bool")
MAX_TEXT = 20_000
_TOKEN = re.compile(r"\s*(?:(\()|(\))|([^\s()]+))")


class SmtError(ValueError):
    """The text is not a term this module reads."""


def parse_sexpr(text: str) -> SExpr:
    """One s-expression; atoms stay strings."""
    if len(text) > MAX_TEXT:
        raise SmtError(f"longer than {MAX_TEXT} characters")
    text = re.sub(r";[^\n]*", "", text)
    stack: list[list[SExpr]] = [[]]
    position = 0
    while position < len(text.rstrip()):
        match = _TOKEN.match(text, position)
        if match is None:
            raise SmtError(f"unexpected character at {position}")
        position = match.end()
        if match.group(1):
            stack.append([])
        elif match.group(2):
            if len(stack) == 1:
                raise SmtError("unbalanced ')'")
            done = stack.pop()
            stack[-1].append(done)
        else:
            stack[-1].append(match.group(3))
    if len(stack) != 1:
        raise SmtError("unbalanced '('")
    if len(stack[0]) != 1:
        raise SmtError(f"expected one term, found {len(stack[0])}")
    return stack[0][0]


def show(term: SExpr) -> str:
    return term if isinstance(term, str) else "(" + " ".join(show(part) for part in term) + ")"


def split_universal(term: SExpr) -> tuple[list[tuple[str, str]], SExpr]:
    """The variables bound by the outer ``forall``s (name, sort) and the body under them."""
    binders: list[tuple[str, str]] = []
    while isinstance(term, list) and len(term) == 3 and term[0] == "forall":
        declared = term[1]
        if not isinstance(declared, list) or not declared:
            raise SmtError("forall needs a list of (name Sort) pairs")
        for pair in declared:
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
                raise SmtError(f"bad binder {show(pair)}")
            if pair[1] not in SORTS:
                raise SmtError(f"sort {pair[1]} is not one of {', '.join(SORTS)}")
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.']*", pair[0]):
                raise SmtError(f"bad variable name {pair[0]!r}")
            binders.append((pair[0], pair[1]))
        term = term[2]
    return binders, term


def has_quantifier(term: SExpr) -> bool:
    if isinstance(term, str):
        return False
    return (bool(term) and term[0] in ("forall", "exists", "let")) or any(has_quantifier(t) for t in term)


def negation_script(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The SMT-LIB script asserting the negation of the claim's body, with the outer variables declared as
    constants (so a model names their values), and those variables."""
    binders, body = split_universal(parse_sexpr(text))
    lines = [f"(declare-const {name} {sort})" for name, sort in binders]
    lines.append(f"(assert (not {show(body)}))")
    return "\n".join(lines), binders


Value = Union[int, Fraction, bool]


def evaluate(term: SExpr, values: dict[str, Value]) -> Value:
    """The value of a quantifier-free term under ``values``; SmtError for what it does not evaluate."""
    if isinstance(term, str):
        if term in values:
            return values[term]
        if term in ("true", "false"):
            return term == "true"
        if re.fullmatch(r"\d+", term):
            return int(term)
        if re.fullmatch(r"\d+\.\d+", term):
            return Fraction(term)
        raise SmtError(f"unknown symbol {term!r}")
    if not term:
        raise SmtError("empty application ()")
    head, args = term[0], term[1:]
    if head == "ite":
        return evaluate(args[1] if _bool(evaluate(args[0], values)) else args[2], values)
    if head in ("forall", "exists", "let"):
        raise SmtError(f"{head} inside the body is not evaluated")
    operands = [evaluate(arg, values) for arg in args]
    return _apply(head, operands)


def _bool(value: Value) -> bool:
    if not isinstance(value, bool):
        raise SmtError("expected a boolean")
    return value


def _number(value: Value) -> int | Fraction:
    if isinstance(value, bool):
        raise SmtError("expected a number")
    return value


def _apply(head: str, xs: list[Value]) -> Value:
    if head == "not":
        return not _bool(xs[0])
    if head == "and":
        return all(_bool(x) for x in xs)
    if head == "or":
        return any(_bool(x) for x in xs)
    if head == "xor":
        return sum(_bool(x) for x in xs) % 2 == 1
    if head == "=>":
        result = _bool(xs[-1])
        for premise in reversed(xs[:-1]):
            result = (not _bool(premise)) or result
        return result
    if head == "=":
        return all(x == xs[0] for x in xs[1:])
    if head == "distinct":
        return len(set(xs)) == len(xs)
    numbers = [_number(x) for x in xs]
    if head == "+":
        return sum(numbers)
    if head == "*":
        product: int | Fraction = 1
        for x in numbers:
            product *= x
        return product
    if head == "-":
        return -numbers[0] if len(numbers) == 1 else numbers[0] - sum(numbers[1:])
    if head == "/":
        result = Fraction(numbers[0])
        for x in numbers[1:]:
            if x == 0:
                raise SmtError("division by zero")
            result /= x
        return result
    if head in ("div", "mod"):
        a, b = numbers
        if b == 0:
            raise SmtError("division by zero")
        quotient = a // b if b > 0 else -(a // -b)
        return quotient if head == "div" else a - b * quotient
    if head == "abs":
        return abs(numbers[0])
    comparisons = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
                   ">=": lambda a, b: a >= b}
    if head in comparisons:
        return all(comparisons[head](a, b) for a, b in zip(numbers, numbers[1:]))
    raise SmtError(f"operator {head!r} is not evaluated")


def body_of(text: str) -> SExpr:
    return split_universal(parse_sexpr(text))[1]

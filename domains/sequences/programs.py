"""A small language of loops and arithmetic for integer sequences, searched by size (in the spirit of
LODA, much smaller).

A program is either an expression in ``n``, or a loop: ``s = c; for k = 1..n: s = E(s, k)``, with
``a(n) = s`` at the end. Expressions are built from the variables, the constants 1, 2, 3 and the
operations ``+ - * // % **`` (``**`` only with an exponent between 0 and 64). The size of a program
is its number of nodes (a loop adds one for its start value). ``bank`` enumerates every program up to
``MAX_SIZE`` (expressions) and ``MAX_LOOP_SIZE`` (loop bodies), smallest first, and keeps one program
per list of values (the first found), which is what a search by size needs.
"""

from __future__ import annotations

import ast
import operator
from functools import lru_cache
from itertools import product
from typing import Callable

MAX_SIZE = 7
"""Largest expression in n searched (nodes)."""
MAX_LOOP_SIZE = 5
"""Largest loop body E(s, k) searched (nodes)."""
LIMIT = 10**60
"""Values beyond this size end a program's evaluation (it is dropped from the search)."""
CONSTANTS = (1, 2, 3)
OPERATIONS = ("+", "-", "*", "//", "%", "**")


class Program:
    """``expression`` (Python syntax over n, or over s and k for a loop) and the loop's start value."""

    __slots__ = ("expression", "start")

    def __init__(self, expression: str, start: int | None = None):
        self.expression = expression
        self.start = start


def show(program: Program) -> str:
    if program.start is None:
        return program.expression
    return f"s(n), where s(0) = {program.start} and s(k) = {program.expression.replace('s', 's(k - 1)')} for k >= 1"


def parse(text: str) -> Program:
    """Back from ``show``'s text; raises ValueError on anything outside the language."""
    if text.startswith("s(n), where s(0) = "):
        head, _, body = text.partition(" and s(k) = ")
        start = int(head.removeprefix("s(n), where s(0) = "))
        expression = body.removesuffix(" for k >= 1").replace("s(k - 1)", "s")
        _check(expression, {"s", "k"})
        return Program(expression, start)
    _check(text, {"n"})
    return Program(text)


_ALLOWED = (ast.Expression, ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod, ast.Pow, ast.Name,
            ast.Load, ast.Constant, ast.UnaryOp, ast.USub)


def _check(expression: str, names: set[str]) -> None:
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as error:
        raise ValueError(f"not a program: {expression}") from error
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED) or (isinstance(node, ast.Name) and node.id not in names) or (
                isinstance(node, ast.Constant) and not isinstance(node.value, int)):
            raise ValueError(f"not a program of the loop language: {expression}")


@lru_cache(maxsize=4096)
def _compiled(expression: str, names: tuple[str, ...]) -> Callable:
    return eval(f"lambda {', '.join(names)}: {expression}", {"__builtins__": {}})  # noqa: S307 (checked above)


def _power(base: int, exponent: int) -> int:
    if exponent < 0 or exponent > 64:
        raise ValueError("exponent outside 0..64")
    return base ** exponent


def run(program: Program, offset: int, count: int, limit: int | None = None) -> list[int]:
    """a(offset), ..., a(offset + count - 1); with a ``limit`` (the search's), raises ValueError when a
    value grows beyond it."""
    def _bounded(value: int) -> int:
        if limit is not None and abs(value) > limit:
            raise ValueError("value beyond the search's range")
        return value

    if program.start is None:
        function = _compiled(_guarded(program.expression), ("n", "_pow"))
        return [_bounded(function(offset + i, _power)) for i in range(count)]
    step = _compiled(_guarded(program.expression), ("s", "k", "_pow"))
    if offset < 0:
        raise ValueError("a loop needs n >= 0")
    s = program.start
    values = [s] if offset == 0 and count > 0 else []
    for m in range(1, offset + count):
        s = step(s, m, _power)
        if limit is not None and abs(s) > limit:
            raise ValueError("value beyond the search's range")
        if m >= offset:
            values.append(s)
    return values


@lru_cache(maxsize=1 << 14)
def _guarded(expression: str) -> str:
    """``a ** b`` as ``_pow(a, b)`` so that huge exponents are refused rather than computed."""
    tree = ast.parse(expression, mode="eval")

    class Powers(ast.NodeTransformer):
        def visit_BinOp(self, node):
            self.generic_visit(node)
            if isinstance(node.op, ast.Pow):
                return ast.Call(func=ast.Name("_pow", ast.Load()), args=[node.left, node.right], keywords=[])
            return node
    return ast.unparse(Powers().visit(tree))


def _apply(op: str, left: int, right: int) -> int:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "//":
        return left // right
    if op == "%":
        return left % right
    return _power(left, right)


_OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "//": operator.floordiv, "%": operator.mod}


def _combine(op: str, left: tuple, right: tuple) -> tuple | None:
    """``_apply`` on each pair of values, or None where it fails at some point or a value exceeds LIMIT;
    by ``map`` over the operator (the bank's inner loop: it runs on every point of every pair of terms)."""
    try:
        if op == "**":
            if right and (min(right) < 0 or max(right) > 64):
                return None  # what _power refuses
            values = tuple(map(pow, left, right))
        else:
            values = tuple(map(_OPERATORS[op], left, right))
    except (ZeroDivisionError, ValueError, OverflowError):
        return None
    return values if not values or max(map(abs, values)) <= LIMIT else None


def _text(op: str, left: tuple[str, int], right: tuple[str, int]) -> str:
    """Infix text with parentheses where precedence needs them (every compound operand is wrapped)."""
    def wrap(part):
        text, size = part
        return text if size == 1 else f"({text})"
    return f"{wrap(left)} {op} {wrap(right)}"


def _enumerate(points: dict[str, tuple], max_size: int) -> list[tuple[int, str, tuple]]:
    """(size, text, values at the points) for every expression up to max_size, one per distinct values."""
    length = len(next(iter(points.values())))
    levels: dict[int, list[tuple[str, tuple]]] = {1: []}
    seen: set[tuple] = set()
    for name, values in points.items():
        if values not in seen:
            seen.add(values)
            levels[1].append((name, values))
    for c in CONSTANTS:
        values = (c,) * length
        if values not in seen:
            seen.add(values)
            levels[1].append((str(c), values))
    for size in range(3, max_size + 1, 2):
        level = []
        for left_size in range(1, size - 1, 2):
            right_size = size - 1 - left_size
            for (left_text, left), (right_text, right), op in product(levels[left_size], levels[right_size],
                                                                       OPERATIONS):
                values = _combine(op, left, right)
                if values is None or values in seen:
                    continue
                seen.add(values)
                level.append((_text(op, (left_text, left_size), (right_text, right_size)), values))
        levels[size] = level
    return [(size, text, values) for size in sorted(levels) for text, values in levels[size]]


_GRID = tuple(product((0, 1, 2, 3, 5, 7, 12), (1, 2, 3, 4, 6, 9)))
"""(s, k) points that tell loop bodies apart before they are run."""


@lru_cache(maxsize=1)
def _loop_bodies() -> tuple[tuple[int, str], ...]:
    """(size, text) of the loop bodies E(s, k) that use s, one per list of values on ``_GRID``, smallest
    first (the same for every offset and length: built once)."""
    bodies = _enumerate({"s": tuple(s for s, _ in _GRID), "k": tuple(k for _, k in _GRID)}, MAX_LOOP_SIZE)
    # a body without s is an expression in n, searched by the bank directly
    return tuple((size, text) for size, text, _ in bodies if "s" in text)


@lru_cache(maxsize=8)
def bank(offset: int, count: int) -> tuple[tuple[int, Program, list[int]], ...]:
    """Every program up to the size bounds with its values a(offset..offset+count-1), smallest first,
    one program per list of values."""
    found: dict[tuple, tuple[int, Program]] = {}
    indices = tuple(range(offset, offset + count))
    for size, text, values in _enumerate({"n": indices}, MAX_SIZE):
        found.setdefault(values, (size, Program(text)))
    if offset >= 0:
        for size, text in _loop_bodies():
            for start in (0, 1, 2):
                program = Program(text, start)
                try:
                    values = tuple(run(program, offset, count, LIMIT))
                except (ZeroDivisionError, ValueError, OverflowError):
                    continue
                if values not in found or found[values][0] > size + 1:
                    found[values] = (size + 1, program)
    ordered = sorted(((size, program, list(values)) for values, (size, program) in found.items()),
                     key=lambda item: item[0])
    return tuple(ordered)

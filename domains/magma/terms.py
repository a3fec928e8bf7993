"""Terms and laws of magmas: the immutable representation, a parser and the ETP-style printer.

A term is either a variable, written as its index (``0`` is ``x``, ``1`` is ``y``, ...), or a pair
``(left, right)`` meaning ``left ◇ right``. Plain ints and tuples keep terms hashable, cheap to
build in bulk and trivially picklable for process pools.

A law ``lhs = rhs`` is canonical when its variables are numbered in order of first appearance,
reading the left side and then the right side, so two laws that differ only by renaming compare
equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

Term = Union[int, tuple["Term", "Term"]]

OP = "◇"
#: Names used when printing variables; the first six are the ETP's own (x y z w u v).
VARIABLE_NAMES = ("x", "y", "z", "w", "u", "v", "r", "s", "t", "a", "b", "c", "d", "e")


class LawSyntaxError(ValueError):
    """A law's text does not parse; ``position`` is the offending character's index."""

    def __init__(self, text: str, position: int, problem: str):
        self.text = text
        self.position = position
        self.problem = problem
        super().__init__(f"cannot parse law {text!r}: {problem} at character {position + 1}")


def order(term: Term) -> int:
    """Number of ◇ operations in ``term``."""
    if isinstance(term, int):
        return 0
    return 1 + order(term[0]) + order(term[1])


def variables(term: Term) -> list[int]:
    """Variables of ``term`` in order of first appearance, without repeats."""
    seen: list[int] = []

    def walk(t: Term) -> None:
        if isinstance(t, int):
            if t not in seen:
                seen.append(t)
        else:
            walk(t[0])
            walk(t[1])

    walk(term)
    return seen


def leaves(term: Term) -> list[int]:
    """Variables of ``term`` read left to right, with repeats."""
    if isinstance(term, int):
        return [term]
    return leaves(term[0]) + leaves(term[1])


def substitute(term: Term, mapping: dict[int, Term]) -> Term:
    """Replace each variable ``v`` of ``term`` by ``mapping[v]`` (variables not mapped stay)."""
    if isinstance(term, int):
        return mapping.get(term, term)
    return (substitute(term[0], mapping), substitute(term[1], mapping))


def dual(term: Term) -> Term:
    """The mirror image of ``term``: ``a ◇ b`` becomes ``b' ◇ a'`` all the way down."""
    if isinstance(term, int):
        return term
    return (dual(term[1]), dual(term[0]))


def format_term(term: Term, names: tuple[str, ...] = VARIABLE_NAMES, top: bool = True) -> str:
    """ETP notation: ``x ◇ (y ◇ z)``; parentheses around every compound operand."""
    if isinstance(term, int):
        return names[term] if term < len(names) else f"x{term}"
    text = f"{format_term(term[0], names, False)} {OP} {format_term(term[1], names, False)}"
    return text if top else f"({text})"


@dataclass(frozen=True)
class Law:
    """An equation ``lhs = rhs`` between magma terms, with canonically numbered variables."""

    lhs: Term
    rhs: Term

    @classmethod
    def of(cls, lhs: Term, rhs: Term) -> "Law":
        """The law ``lhs = rhs`` with its variables renumbered in order of first appearance."""
        renaming = {v: i for i, v in enumerate(variables((lhs, rhs)))}
        return cls(substitute(lhs, renaming), substitute(rhs, renaming))

    @property
    def order(self) -> int:
        return order(self.lhs) + order(self.rhs)

    @property
    def variable_count(self) -> int:
        return len(variables((self.lhs, self.rhs)))

    def swapped(self) -> "Law":
        """``rhs = lhs``, renumbered."""
        return Law.of(self.rhs, self.lhs)

    def dual(self) -> "Law":
        """The law satisfied by the opposite magma (``x ◇ y := y ◇ x``), renumbered."""
        return Law.of(dual(self.lhs), dual(self.rhs))

    def __str__(self) -> str:
        return f"{format_term(self.lhs)} = {format_term(self.rhs)}"


_TOKEN = re.compile(r"\s*(?:(?P<var>[A-Za-z_][A-Za-z_0-9']*)|(?P<sym>[()=*◇∘·]))")
#: A variable is one letter, optionally followed by digits (``x1``, ``x_2``) and primes (``y'``).
_VARIABLE = re.compile(r"[A-Za-z](?:_?[0-9]+)?'*$")


def _not_a_variable(name: str) -> str:
    """Why ``name`` is refused: ``xy`` would otherwise be one variable, making ``xy = yx`` read ``x = y``."""
    if name.isalpha():
        return (f"juxtaposition is not read as the operation (write {' ◇ '.join(name)}) and variables are one "
                f"letter (x, y1, z'): cannot read {name!r}")
    return f"variables are one letter, optionally with digits or primes (x, y1, z'): cannot read {name!r}"


def parse_law(text: str) -> Law:
    """Parse ``"x ◇ y = y ◇ x"`` (``*``, ``∘`` or ``·`` also accepted for ◇; ◇ groups to the left).

    A variable is one letter, optionally followed by digits and primes (``x``, ``y1``, ``z'``); they
    are renumbered in order of first appearance. The operation is always written: ``xy`` and ``x y``
    are refused (never read as one variable, nor as ``x ◇ y``), so ``xy = yx`` cannot silently mean
    ``x = y``.
    """
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    stripped_end = len(text.rstrip())
    while pos < stripped_end:
        match = _TOKEN.match(text, pos)
        if not match:
            raise LawSyntaxError(text, pos + len(text[pos:]) - len(text[pos:].lstrip()), "unexpected character")
        if match.group("var"):
            if not _VARIABLE.match(match.group("var")):
                raise LawSyntaxError(text, match.start("var"), _not_a_variable(match.group("var")))
            tokens.append(("var", match.group("var"), match.start("var")))
        else:
            symbol = match.group("sym")
            kind = "op" if symbol in "*◇∘·" else symbol
            tokens.append((kind, symbol, match.start("sym")))
        pos = match.end()
    tokens.append(("end", "", len(text)))

    names: dict[str, int] = {}
    index = 0

    def peek() -> tuple[str, str, int]:
        return tokens[index]

    def take(kind: str, what: str) -> tuple[str, str, int]:
        nonlocal index
        token = tokens[index]
        if token[0] != kind:
            found = "end of text" if token[0] == "end" else repr(token[1])
            raise LawSyntaxError(text, token[2], f"expected {what}, found {found}")
        index += 1
        return token

    def atom() -> Term:
        kind, value, _ = peek()
        if kind == "(":
            take("(", "'('")
            inner = expression()
            take(")", "')'")
            return inner
        _, name, _ = take("var", "a variable or '('")
        return names.setdefault(name, len(names))

    def expression() -> Term:
        term = atom()
        while peek()[0] in ("op", "var", "("):
            if peek()[0] != "op":
                raise LawSyntaxError(text, peek()[2], "juxtaposition is not read as the operation: write ◇ "
                                                      f"(or *) between the two terms side by side before {peek()[1]!r}")
            take("op", "◇")
            term = (term, atom())
        return term

    lhs = expression()
    take("=", "'='")
    rhs = expression()
    take("end", "end of law")
    return Law.of(lhs, rhs)


def parse_implication(text: str) -> tuple[Law, Law]:
    """Parse ``"x ◇ y = y ◇ x => x = x ◇ x"`` (``⇒`` also accepted) into (hypothesis, conclusion)."""
    parts = re.split(r"=>|⇒", text)
    if len(parts) != 2:
        raise LawSyntaxError(text, 0, "expected one implication written 'LAW => LAW'")
    return parse_law(parts[0].strip()), parse_law(parts[1].strip())

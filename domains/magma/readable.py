"""Magmas and proofs as a mathematician reads them: operation tables, decoded example codes, equational chains."""

from __future__ import annotations

import re

from .derivation import HYPOTHESIS, Derivation, apply_step, lean_term

_CODE = re.compile(r"^magma(\d+):((?:\d|\[\d+\])+)$")
_ENTRY = re.compile(r"\d|\[(\d+)\]")


def example_id(table: list[list[int]]) -> str:
    """Content address of a magma: its size and its table read row by row."""
    return f"magma{len(table)}:" + "".join(str(entry) if entry < 10 else f"[{entry}]"
                                            for row in table for entry in row)


def decode_example_id(code: str) -> list[list[int]]:
    """The operation table behind a code `magma<n>:<entries row by row>` (entries of 10 and up in
    brackets), the inverse of `example_id`; ValueError for anything else."""
    found = _CODE.match(code)
    if not found:
        raise ValueError(f"{code!r} is not a magma code (expected magma<n>:<n*n entries>)")
    size = int(found.group(1))
    entries = [int(m.group(1) or m.group(0)) for m in _ENTRY.finditer(found.group(2))]
    if size < 1 or len(entries) != size * size or any(e >= size for e in entries):
        raise ValueError(f"{code!r}: a magma of size {size} has {size * size} entries below {size}")
    return [entries[row * size:(row + 1) * size] for row in range(size)]


def table_rows(table: list[list[int]]) -> str:
    """One line: the table's rows, `x ◇ y` with x the row, y the column, e.g. `0 1 / 1 0`."""
    return " / ".join(" ".join(str(entry) for entry in row) for row in table)


def table_markdown(table: list[list[int]]) -> list[str]:
    """The operation table as a Markdown table: row x, column y holds x ◇ y."""
    size = len(table)
    lines = ["| ◇ | " + " | ".join(str(y) for y in range(size)) + " |",
             "|---|" + "---|" * size]
    lines += [f"| **{x}** | " + " | ".join(str(entry) for entry in row) + " |" for x, row in enumerate(table)]
    return lines


def equational_chain(derivation: Derivation) -> list[str]:
    """A checked derivation as lines of equational reasoning: each lemma, then the chain of terms
    that proves it, each step naming the equation used (`h` is the hypothesis), its instance and
    whether it was used right to left."""
    equations = {HYPOTHESIS: derivation.hypothesis}
    hypothesis = derivation.hypothesis
    lines = [f"h:    {_forall(hypothesis.binders)}{lean_term(hypothesis.lhs)} = {lean_term(hypothesis.rhs)}"]
    for number, lemma in enumerate(derivation.lemmas):
        equation = lemma.equation
        last = number == len(derivation.lemmas) - 1
        label = "goal" if last else lemma.name
        lines += ["", f"{label}: {_forall(equation.binders)}{lean_term(equation.lhs)} = {lean_term(equation.rhs)}"]
        term = equation.lhs
        lines.append(f"      {lean_term(term)}")
        if not lemma.steps:
            lines.append("      (both sides are the same term)")
        for step in lemma.steps:
            after = apply_step(equations, term, step)
            binders = equations[step.by].binders
            instance = ", ".join(f"{b} := {lean_term(a)}" for b, a in zip(binders, step.args))
            how = step.by + (" right to left" if step.backwards else "") + (f" with {instance}" if instance else "")
            lines.append(f"    = {lean_term(after)}    [{how}]")
            term = after
        equations[lemma.name] = equation
    return lines


def _forall(binders: tuple[str, ...]) -> str:
    return f"∀ {' '.join(binders)}, " if binders else ""

"""A free-form claim's forms (its words and what a machine can check), their pin (sha256), and a side-by-side view."""

from __future__ import annotations

import ast
import hashlib
import json

FORM_FIELDS = ("statement", "python", "instances", "sympy", "smt", "lean")
"""The fields of a claim, in the order a person reads them."""
CHECKABLE = ("python", "sympy", "smt", "lean")


def forms_of(data: dict) -> dict[str, str]:
    """The forms present in ``data`` (a claim's statement and its checkable forms), nothing else."""
    return {name: data[name] for name in FORM_FIELDS if data.get(name)}


def forms_sha256(forms: dict[str, str]) -> str:
    """The pin of exactly these forms: what a person approves at the statement gate is what gets checked."""
    canonical = json.dumps(forms_of(forms), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def side_by_side(forms: dict[str, str]) -> str:
    """The words and every form, one after another, labelled: what the statement gate shows."""
    labels = {"statement": "words", "python": "python (defines holds(x))", "instances": "instances",
              "sympy": "sympy identity", "smt": "SMT-LIB term (z3)", "lean": "Lean statement"}
    parts = []
    for name, text in forms_of(forms).items():
        parts.append(f"--- {labels[name]} ---\n{text.strip()}")
    return "\n".join(parts)


def defines(source: str, name: str) -> bool:
    """Whether ``source`` defines a top-level function ``name`` (read, not run)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return any(isinstance(node, ast.FunctionDef) and node.name == name for node in tree.body)


def python_problem(source: str) -> str | None:
    """Why ``source`` cannot be a predicate (syntax, or no ``holds``), checked without running it."""
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        return f"not valid Python: {error.msg} (line {error.lineno})"
    if not any(isinstance(node, ast.FunctionDef) and node.name == "holds" for node in tree.body):
        return "defines no function holds(x) at the top level"
    return None


def instances_problem(expression: str) -> str | None:
    """Why ``expression`` cannot be an instance space (it must be one Python expression)."""
    try:
        ast.parse(expression.strip(), mode="eval")
    except SyntaxError as error:
        return f"not a Python expression: {error.msg}"
    return None

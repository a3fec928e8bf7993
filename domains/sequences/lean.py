"""Lean 4 text for sequences (core Lean only): a function defined by a recurrence, its first terms
decided by `decide`, and conjectured closed forms stated (cleared of denominators) with small cases decided.

Nothing here is a proof of a conjecture about all n: the general statements are `Prop` definitions
without proofs. The theorems only evaluate finitely many cases.
"""

from __future__ import annotations

import sympy as sp

from .guess import ClosedForm, Recurrence, n, parse

HELPERS = """\
/-- Binomial coefficients by Pascal's rule (core Lean has none). -/
def binom : Nat → Nat → Nat
  | _, 0 => 1
  | 0, _ + 1 => 0
  | m + 1, k + 1 => binom m k + binom m (k + 1)

/-- The factorial. -/
def fact : Nat → Nat
  | 0 => 1
  | m + 1 => (m + 1) * fact m
"""


class Untranslatable(ValueError):
    """The expression uses something the Lean printer does not know."""


def recurrence_function(name: str, recurrence: Recurrence, terms: list[int]) -> str | None:
    """``def name : Nat → Int`` with ``name m = a(m + offset)``, from the recurrence and the first terms.

    None when the terms do not cover the values the recurrence leaves undetermined.
    """
    order, offset = recurrence.order, recurrence.offset
    polys = recurrence.polynomials()
    m = sp.Symbol("m", integer=True, nonnegative=True)
    roots = sorted(int(r) for r in sp.roots(sp.Poly(polys[-1], n)) if r.is_integer and r >= offset)
    given = sorted(set(range(order)) | {r - offset + order for r in roots})
    if given[-1] >= len(terms):
        return None
    lines = [f"def {name} : Nat → Int"]
    lines += [f"  | {i} => {terms[i]}" for i in given]
    # p_r(n)·a(n + r) = -(sum_{i < r} p_i(n)·a(n + i)), with n = m + offset
    shifted = [sp.expand(p.subs(n, m + offset)) for p in polys]
    rest = ""
    for i in range(order):
        c = sp.expand(-shifted[i])
        if c == 0:
            continue
        negative = c.as_coeff_Mul()[0] < 0
        size = -c if negative else c
        term = f"{name} {_nat_arg(i)}" if size == 1 else f"{_factor(size, m)} * {name} {_nat_arg(i)}"
        rest = (f"{rest} - " if rest else "-") + term if negative else (f"{rest} + " if rest else "") + term
    q = sp.expand(recurrence.right_side().subs(n, m + offset))
    if q != 0:  # the inhomogeneous part: p_r(n)·a(n + r) = ... + q(n)
        negative = q.as_coeff_Mul()[0] < 0 if not isinstance(q, sp.Add) else False
        text = _factor(-q if negative else q, m)
        rest = (f"{rest} - " if rest else "-") + text if negative else (f"{rest} + " if rest else "") + text
    rest = rest or "0"
    leading = shifted[-1]
    body = rest if leading == 1 else f"({rest}) / {_factor(leading, m)}"
    lines.append(f"  | m + {order} => {body}")
    return "\n".join(lines) + "\n"


def first_terms_theorem(name: str, terms: list[int]) -> str:
    """The function's first values equal the computed terms, decided by evaluation."""
    values = ", ".join(str(t) for t in terms)
    return (f"theorem {name}_first_terms :\n    (List.range {len(terms)}).map {name} = [{values}] := by\n"
            f"  decide\n")


def closed_form_statement(name: str, closed: ClosedForm, offset: int, checked: int) -> str:
    """The conjecture ``name m = f(m + offset)`` for all m, cleared of denominators, as a `Prop`,
    and the same identity for ``m < checked`` decided. Raises Untranslatable for unknown functions."""
    if closed.start is not None:
        raise Untranslatable(f"the closed form holds only from n = {closed.start}")
    numerator, denominator = sp.fraction(sp.together(parse(closed.expression)))
    m = sp.Symbol("m", integer=True, nonnegative=True)
    lhs = sp.expand(denominator.subs(n, m + offset))
    rhs = _int(numerator.subs(n, m + offset), m)
    left = f"{name} m" if lhs == 1 else f"{_factor(lhs, m)} * {name} m"
    body = f"{left} = {rhs}"
    where = f", with n = m + {offset}" if offset else ""
    return (f"/-- Conjecture (not proved): a(n) = {closed.expression}{where}. -/\n"
            f"def {name}_closed_form : Prop :=\n  ∀ m : Nat, {body}\n\n"
            f"theorem {name}_closed_form_small :\n    ∀ m : Nat, m < {checked} → {body} := by\n  decide\n")


def terms_definition(name: str, terms: list[int], why: str) -> str:
    values = ", ".join(str(t) for t in terms)
    return f"/-- {why} -/\ndef {name}_terms : List Int := [{values}]\n"


def _nat_arg(i: int) -> str:
    return "m" if i == 0 else f"(m + {i})"


def _int(expression: sp.Expr, m: sp.Symbol) -> str:
    """An Int-valued Lean expression for a sympy expression in m (polynomials, powers, binom, fact)."""
    expression = sp.sympify(expression)
    if expression.is_Integer:
        return str(expression)
    if expression == m:
        return "(m : Int)"
    if isinstance(expression, sp.Add):
        terms = expression.as_ordered_terms()
        text = _int(terms[0], m)
        for term in terms[1:]:
            negative = term.as_coeff_Mul()[0] < 0
            text += f" - {_factor(-term, m)}" if negative else f" + {_factor(term, m)}"
        return text
    if isinstance(expression, sp.Mul):
        coefficient, rest = expression.as_coeff_Mul()
        factors = " * ".join(_factor(f, m) for f in rest.as_ordered_factors())
        if coefficient == 1:
            return factors
        return f"-{factors}" if coefficient == -1 else f"{coefficient} * {factors}"
    if isinstance(expression, sp.Pow) and expression.exp.is_Integer and expression.exp >= 0:
        return f"{_factor(expression.base, m)} ^ {expression.exp}"
    if isinstance(expression, sp.Pow) and expression.base.is_Integer and expression.base > 0:
        return f"({expression.base} : Int) ^ {_nat_atom(expression.exp, m)}"
    if isinstance(expression, sp.binomial):
        top, bottom = expression.args
        return f"(binom {_nat_atom(top, m)} {_nat_atom(bottom, m)} : Int)"
    if isinstance(expression, sp.factorial):
        return f"(fact {_nat_atom(expression.args[0], m)} : Int)"
    raise Untranslatable(f"no Lean translation for {expression}")


def _factor(expression: sp.Expr, m: sp.Symbol) -> str:
    """``_int`` in parentheses unless it is one atom."""
    text = _int(expression, m)
    atomic = text.lstrip("-").isdigit() and not text.startswith("-") or text == "(m : Int)" or (
        text.startswith("(") and _balanced(text))
    return text if atomic else f"({text})"


def _nat_atom(expression: sp.Expr, m: sp.Symbol) -> str:
    text = _nat(expression, m)
    return text if text.isalnum() else f"({text})"


def _nat(expression: sp.Expr, m: sp.Symbol) -> str:
    """A Nat-valued Lean expression for a polynomial in m with non-negative integer coefficients."""
    poly = sp.Poly(sp.expand(expression), m)
    if any(c < 0 or not c.is_Integer for c in poly.coeffs()):
        raise Untranslatable(f"{expression} is not a polynomial with natural coefficients")
    parts = []
    for (power,), c in sorted(poly.terms(), reverse=True):
        variable = "" if power == 0 else ("m" if power == 1 else f"m ^ {power}")
        parts.append(str(c) if not variable else (variable if c == 1 else f"{c} * {variable}"))
    return " + ".join(parts) or "0"


def _balanced(text: str) -> bool:
    """The whole text is one parenthesised group."""
    depth = 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and i < len(text) - 1:
            return False
    return depth == 0

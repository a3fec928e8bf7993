"""Lean proofs by duality: `A → B` from the already proved `A' → B'` applied to the opposite magma.

In the opposite magma (``x ◇' y := y ◇ x``) a law holds exactly when its mirror image holds in the
original. So `A' → B'` at the opposite magma turns `h : A` (read as `A'` there) into `B'` there,
which is `B` here. Both conversions are plain instances of a variable renaming (maybe read
backwards); Lean checks them by unfolding the opposite operation definitionally.
"""

from __future__ import annotations

from .derivation import DTerm, Equation, lean_term, law_equation
from .lean import implication_name
from .eproof_terms import match_pair
from .terms import Law


def _mirror(term: DTerm) -> DTerm:
    return term if isinstance(term, str) else (_mirror(term[1]), _mirror(term[0]))


def _renaming(source: Equation, target: tuple[DTerm, DTerm]) -> tuple[list[DTerm], bool] | None:
    """Arguments for ``source``'s binders making it read as ``target`` (sides swapped: True), or None."""
    for swapped, sides in ((False, (source.lhs, source.rhs)), (True, (source.rhs, source.lhs))):
        sigma = match_pair(sides, target, set(source.binders))
        if sigma is not None:
            return [sigma.get(v, v) for v in source.binders], swapped
    return None


def _apply(name: str, args: list[DTerm], swapped: bool) -> str:
    applied = " ".join([name, *(lean_term(a, False) for a in args)])
    return f"({applied}).symm" if swapped else applied


def duality_theorem(hyp_name: str, hyp: Law, concl_name: str, concl: Law,
                    dual_hyp_name: str, dual_hyp: Law, dual_concl_name: str, dual_concl: Law) -> str:
    """``theorem {hyp}_implies_{concl}`` from ``{dual_hyp}_implies_{dual_concl}`` at the opposite magma.

    ``ValueError`` unless ``dual_hyp`` mirrors to ``hyp`` and ``dual_concl`` to ``concl`` (up to
    renaming and swapping sides): the proof is only written when both conversions are checked here.
    """
    a, b = law_equation(hyp), law_equation(concl)
    a2, b2 = law_equation(dual_hyp), law_equation(dual_concl)
    # h : A, wanted: A' in the opposite magma, i.e. mirror(A'.lhs) = mirror(A'.rhs) over A''s binders.
    premise = _renaming(a, (_mirror(a2.lhs), _mirror(a2.rhs)))
    # hdual : B' in the opposite magma, i.e. mirror(B'.lhs) = mirror(B'.rhs); wanted B over B's binders.
    mirrored_b2 = Equation(b2.binders, _mirror(b2.lhs), _mirror(b2.rhs))
    conclusion = _renaming(mirrored_b2, (b.lhs, b.rhs))
    if premise is None or conclusion is None:
        raise ValueError(f"{dual_hyp_name} => {dual_concl_name} is not the mirror image of {hyp_name} => {concl_name}")
    if len(set(premise[0])) != len(a.binders) or len(set(conclusion[0])) != len(b2.binders):
        raise ValueError("the mirror images are not renamings of each other")
    dual = implication_name(dual_hyp_name, dual_concl_name)
    return (
        f"theorem {implication_name(hyp_name, concl_name)} (G : Type) [Magma G] (h : {hyp_name} G) : {concl_name} G :=\n"
        f"  have hdual := @{dual} G ⟨fun p q => Magma.op q p⟩ (fun {' '.join(a2.binders)} => {_apply('h', *premise)})\n"
        f"  fun {' '.join(b.binders)} => {_apply('hdual', *conclusion)}\n"
    )

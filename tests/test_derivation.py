"""Equational derivations: our checker, the Lean `calc` emitter, and rebuilding derivations from real E proofs."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from mathteam.domains.magma.derivation import (
    Derivation,
    Equation,
    Lemma,
    Step,
    check_derivation,
    law_equation,
    lean_theorem,
)
from mathteam.domains.magma.laws import etp_law
from mathteam.domains.magma.lean_eproof import Unreconstructed, reconstruct
from mathteam.domains.magma.terms import parse_law
from mathteam.tools.eprover import extract_proof_steps

FIXTURES = Path(__file__).parent / "fixtures" / "eprover"
RECORDED = sorted(FIXTURES.glob("proof_Equation*_Equation*.txt"))

LEFT = parse_law("x = x ◇ y")
GOAL = parse_law("x ◇ y = x ◇ z")


def hand_derivation() -> Derivation:
    """x ◇ y = x  (h backwards)  = x ◇ z  (h forwards)."""
    goal = Lemma("goal", law_equation(GOAL), (
        Step("h", ("x", "y"), True, ()),
        Step("h", ("x", "z"), False, ()),
    ))
    return Derivation(law_equation(LEFT), (goal,))


def test_checker_accepts_a_chain_of_hypothesis_instances():
    assert check_derivation(hand_derivation()) == []


@pytest.mark.parametrize("broken, message", [
    (Step("h", ("x", "z"), True, ()), "goal step 1: the subterm at [] is not x ◇ z"),
    (Step("h", ("x",), True, ()), "goal step 1: h takes 2 arguments, not 1"),
    (Step("later", ("x", "y"), True, ()), "goal step 1: later is neither the hypothesis nor an earlier lemma"),
    (Step("h", ("x", "q"), True, ()), "goal step 1: arguments use unbound names ['q']"),
    (Step("h", ("x", "y"), True, (0,)), "goal step 1: the subterm at [0] is not x ◇ y"),
])
def test_checker_rejects_a_step_that_is_not_an_instance_at_its_position(broken, message):
    derivation = hand_derivation()
    goal = derivation.lemmas[0]
    bad = Derivation(derivation.hypothesis, (dataclasses.replace(goal, steps=(broken, goal.steps[1])),))
    assert message in check_derivation(bad)


def test_checker_rejects_a_chain_that_stops_short():
    derivation = hand_derivation()
    short = dataclasses.replace(derivation.lemmas[0], steps=derivation.lemmas[0].steps[:1])
    assert check_derivation(Derivation(derivation.hypothesis, (short,))) == [
        "goal: the chain ends at 'x', not at the right side"]


def test_lemmas_may_use_only_earlier_lemmas():
    first = Lemma("l1", Equation(("a", "b"), "a", ("a", "b")), (Step("h", ("a", "b"), False, ()),))
    uses_later = Lemma("l0", Equation(("a",), "a", ("a", "a")), (Step("l1", ("a", "a"), False, ()),))
    assert "l0 step 1: l1 is neither the hypothesis nor an earlier lemma" in check_derivation(
        Derivation(law_equation(LEFT), (uses_later, first)))


def test_lean_calc_steps_are_instances_wrapped_in_congruence():
    inner = Lemma("goal", Equation(("x", "y", "z"), ("x", "y"), ("x", "z")), (
        Step("h", ("x", "y"), True, ()), Step("h", ("x", "z"), False, ())))
    text = lean_theorem("Equation4", LEFT, "Equation5", GOAL, Derivation(law_equation(LEFT), (inner,)))
    assert text == (
        "theorem Equation4_implies_Equation5 (G : Type) [Magma G] (h : Equation4 G) : Equation5 G :=\n"
        "  fun x y z =>\n"
        "    calc x ◇ y = x := (h x y).symm\n"
        "      _ = x ◇ z := h x z\n")
    nested = Lemma("goal", Equation(("x", "y", "z"), (("x", "y"), "z"), ("x", "z")), (
        Step("h", ("x", "y"), True, (0,)),))
    deeper = lean_theorem("A", LEFT, "B", parse_law("(x ◇ y) ◇ z = x ◇ z"), Derivation(law_equation(LEFT), (nested,)))
    assert deeper.endswith("    calc (x ◇ y) ◇ z = x ◇ z := congrArg (fun ξ : G => ξ ◇ z) ((h x y).symm)\n")


def test_lean_emitter_refuses_an_unchecked_or_mismatched_derivation():
    derivation = hand_derivation()
    wrong = dataclasses.replace(derivation.lemmas[0], steps=derivation.lemmas[0].steps[:1])
    with pytest.raises(ValueError, match="not a checked derivation"):
        lean_theorem("A", LEFT, "B", GOAL, Derivation(derivation.hypothesis, (wrong,)))
    with pytest.raises(ValueError, match="conclusion is not B"):
        lean_theorem("A", LEFT, "B", parse_law("x ◇ y = z ◇ y"), derivation)


def _pair(path: Path) -> tuple[str, str]:
    a, b = re.fullmatch(r"proof_(Equation\d+)_(Equation\d+)\.txt", path.name).groups()
    return a, b


@pytest.mark.parametrize("path", RECORDED, ids=lambda p: p.stem)
def test_recorded_e_proofs_become_checked_derivations_and_calc_chains(path):
    a, b = _pair(path)
    hypothesis, conclusion = etp_law(int(a[8:])), etp_law(int(b[8:]))
    derivation = reconstruct(hypothesis, conclusion, extract_proof_steps(path.read_text()))
    assert isinstance(derivation, Derivation), derivation
    assert check_derivation(derivation) == []
    assert derivation.hypothesis == law_equation(hypothesis)
    assert derivation.conclusion == law_equation(conclusion)
    text = lean_theorem(a, hypothesis, b, conclusion, derivation)
    assert text.startswith(f"theorem {a}_implies_{b} (G : Type) [Magma G] (h : {a} G) : {b} G :=\n")
    assert not re.search(r"\b(sorry|simp|aesop|decide|rw|omega)\b", text)
    assert text.count(" := ") >= sum(len(lemma.steps) for lemma in derivation.lemmas)


def test_a_proof_of_a_different_conclusion_is_not_reconstructed():
    path = FIXTURES / "proof_Equation13_Equation39.txt"
    outcome = reconstruct(etp_law(13), etp_law(40), extract_proof_steps(path.read_text()))
    assert isinstance(outcome, Unreconstructed)
    assert "negated conjecture is not the conclusion's negation" in outcome.reason


def test_a_tampered_clause_is_not_reconstructed():
    text = (FIXTURES / "proof_Equation13_Equation39.txt").read_text()
    tampered = text.replace("cnf(c_0_7, plain, (m(X1,X2)=m(X2,X2))", "cnf(c_0_7, plain, (m(X1,X2)=m(X1,X1))")
    assert tampered != text
    outcome = reconstruct(etp_law(13), etp_law(39), extract_proof_steps(tampered))
    assert isinstance(outcome, Unreconstructed)
    assert "c_0_7: replaying spm(c_0_5, c_0_5) does not give the printed clause" in outcome.reason


def test_an_unknown_inference_rule_is_not_reconstructed():
    text = (FIXTURES / "proof_Equation13_Equation39.txt").read_text().replace("inference(spm,", "inference(magic,")
    outcome = reconstruct(etp_law(13), etp_law(39), extract_proof_steps(text))
    assert isinstance(outcome, Unreconstructed)
    assert "the inference rule 'magic' is not supported" in outcome.reason


def test_output_without_a_proof_is_not_reconstructed():
    outcome = reconstruct(etp_law(13), etp_law(39), [])
    assert outcome == Unreconstructed("no clauses in the proof object")

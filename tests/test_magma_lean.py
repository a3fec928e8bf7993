"""Lean source generation for magma laws: shape, self-checks and refusal of false claims."""

from __future__ import annotations

import re

import pytest

from mathteam.domains.magma.lean import (
    FORBIDDEN_WORDS,
    check_table,
    decode_table,
    embedded_tables,
    encode_table,
    forbidden_constructs,
    instance_proof_theorem,
    lakefile_text,
    law_definition,
    lean_module,
    preamble,
    project_files,
    reflexivity_theorem,
    refutation_theorem,
    singleton_theorem,
    toolchain_text,
)
from mathteam.domains.magma.terms import parse_law

E1 = parse_law("x = x")
E3 = parse_law("x = x ◇ x")
E4 = parse_law("x = x ◇ y")
E7 = parse_law("x = y ◇ z")
E43 = parse_law("x ◇ y = y ◇ x")
LEFT_PROJECTION = [[0, 0, 0], [1, 1, 1], [2, 2, 2]]  # a ◇ b = a: satisfies E4, not E43


def sample_module() -> str:
    theorems = [
        refutation_theorem("Equation4", E4, "Equation43", E43, LEFT_PROJECTION),
        instance_proof_theorem("Equation4", E4, "Equation3", E3, {1: 0}, False, False),
        singleton_theorem("Equation7", E7, "Equation43", E43),
        reflexivity_theorem("Equation4", E4, "Equation1", E1),
    ]
    laws = {"Equation1": E1, "Equation3": E3, "Equation4": E4, "Equation7": E7, "Equation43": E43}
    return lean_module("Sample", theorems, laws)


def test_law_definition_binds_every_variable_in_etp_notation():
    assert law_definition("Equation4", E4) == "abbrev Equation4 (G : Type) [Magma G] := ∀ x y : G, x = x ◇ y\n"
    assert "∀ x y z : G, x = y ◇ z" in law_definition("Equation7", E7)
    assert "∀ x y : G, x ◇ (y ◇ x) = (x ◇ y) ◇ y" in law_definition("E", parse_law("x*(y*x) = (x*y)*y"))


def test_law_definition_rejects_a_name_lean_cannot_parse():
    with pytest.raises(ValueError, match="identifier"):
        law_definition("Equation 4", E4)


def test_preamble_declares_magma_notation_and_table_operation_in_a_namespace():
    text = preamble()
    assert text.startswith("namespace MathTeam\n")
    assert "class Magma (α : Type) where\n  op : α → α → α" in text
    assert 'infixl:65 " ◇ " => Magma.op' in text
    assert "def tableOp" in text


def test_check_table_lists_every_problem():
    assert check_table(LEFT_PROJECTION) == []
    assert check_table([]) == ["the table must be a non-empty list of rows"]
    problems = check_table([[0, 1], [2, "1"], [True]])
    assert "row 0 has 2 entries, expected 3 (the table must be square)" in problems
    assert "entry (1, 0) is 2, outside 0..2" not in problems  # 2 is in range for n = 3
    assert "entry (1, 1) is '1', not an int" in problems
    assert "entry (2, 0) is True, not an int" in problems
    assert check_table([[0, 5], [1, 0]]) == ["entry (0, 1) is 5, outside 0..1"]


@pytest.mark.parametrize("table", [[[0]], [[1, 0], [0, 1]], LEFT_PROJECTION, [[3, 2, 0, 1]] * 4])
def test_table_encoding_round_trips(table):
    assert decode_table(len(table), encode_table(table)) == table


def test_table_encoding_matches_the_lean_lookup_formula():
    # tableOp reads `(t / n ^ (a.val * n + b.val)) % n`; evaluate that formula here, independently.
    assert "(t / n ^ (a.val * n + b.val)) % n" in preamble()
    table = [[2, 0, 1], [1, 1, 0], [0, 2, 2]]
    code = encode_table(table)
    assert [[(code // 3 ** (a * 3 + b)) % 3 for b in range(3)] for a in range(3)] == table
    assert encode_table([[0, 0], [1, 1]]) == 1 * 2**2 + 1 * 2**3


def test_refutation_states_the_etp_existential_and_decides_both_halves():
    text = refutation_theorem("Equation4", E4, "Equation43", E43, LEFT_PROJECTION)
    assert "theorem Equation4_not_implies_Equation43 :\n" in text
    assert "∃ (G : Type) (_ : Magma G), Equation4 G ∧ ¬ Equation43 G :=" in text
    assert re.search(r"⟨Fin 3, ⟨fun a b => tableOp \d+ a b⟩, by decide, by decide⟩", text)


def test_refutation_embedded_table_parses_back_to_the_input_table():
    table = [[1, 0], [0, 0]]  # NAND-like: satisfies commutativity, not x = x ◇ y
    text = refutation_theorem("Equation43", E43, "Equation4", E4, table)
    assert embedded_tables(text) == [table]
    # The human-readable copy in the doc comment says the same as the number Lean evaluates.
    assert "[[1,0],[0,0]]" in text


def test_refutation_refuses_a_table_that_does_not_refute():
    with pytest.raises(ValueError, match="does not satisfy Equation43"):
        refutation_theorem("Equation43", E43, "Equation4", E4, LEFT_PROJECTION)
    with pytest.raises(ValueError, match="so it refutes nothing"):
        refutation_theorem("Equation4", E4, "Equation3", E3, LEFT_PROJECTION)
    with pytest.raises(ValueError, match="not a magma table"):
        refutation_theorem("Equation4", E4, "Equation43", E43, [[0, 1], [1]])


def test_instance_proof_applies_the_hypothesis_to_the_substituted_terms():
    text = instance_proof_theorem("Equation4", E4, "Equation3", E3, {1: 0}, False, False)
    assert text == (
        "theorem Equation4_implies_Equation3 (G : Type) [Magma G] (h : Equation4 G) : Equation3 G :=\n"
        "  fun x => h x x\n"
    )
    # x = x ◇ y instantiated at y := y ◇ z gives x = x ◇ (y ◇ z); compound arguments get parentheses.
    deep = parse_law("x = x ◇ (y ◇ z)")
    text = instance_proof_theorem("Equation4", E4, "D", deep, {1: (1, 2)}, False, False)
    assert "fun x y z => h x (y ◇ z)\n" in text


def test_instance_proof_uses_symm_when_exactly_one_side_is_read_backwards():
    e3_backwards = parse_law("x ◇ x = x")
    text = instance_proof_theorem("Equation4", E4, "Equation3r", e3_backwards, {1: 0}, False, True)
    assert "fun x => (h x x).symm\n" in text
    e4_backwards = parse_law("x ◇ y = x")
    both = instance_proof_theorem("Equation4r", e4_backwards, "Equation3r", e3_backwards, {1: 0}, True, True)
    assert "fun x => h x x\n" in both


def test_instance_proof_refuses_a_substitution_that_does_not_match():
    with pytest.raises(ValueError, match="does not turn Equation4"):
        instance_proof_theorem("Equation4", E4, "Equation43", E43, {1: 0}, False, False)
    with pytest.raises(ValueError, match="does not turn"):  # right substitution, wrong orientation flags
        instance_proof_theorem("Equation4", E4, "Equation3", E3, {1: 0}, True, False)


def test_singleton_proof_collapses_the_magma_then_closes_any_conclusion():
    text = singleton_theorem("Equation7", E7, "Equation43", E43)
    assert "have all_eq : ∀ a b : G, a = b := fun a b => (h a a a).trans (h b a a).symm\n" in text
    assert text.endswith("  fun _ _ => all_eq _ _\n")
    # The lone variable on the right (y ◇ z = x renumbers to x ◇ y = z) flips the chain.
    right = singleton_theorem("E", parse_law("y ◇ z = x"), "Equation4", E4)
    assert "(h a a a).symm.trans (h a a b)" in right


def test_singleton_proof_refuses_a_hypothesis_without_a_lone_variable():
    with pytest.raises(ValueError, match="no side that is a variable absent"):
        singleton_theorem("Equation4", E4, "Equation43", E43)


def test_reflexivity_proof_needs_a_trivial_conclusion():
    text = reflexivity_theorem("Equation4", E4, "Equation1", E1)
    assert text.endswith("(h : Equation4 G) : Equation1 G :=\n  fun _ => rfl\n")
    with pytest.raises(ValueError, match="not of the form t = t"):
        reflexivity_theorem("Equation4", E4, "Equation43", E43)


def test_generated_module_is_closed_and_free_of_unsound_constructs():
    text = sample_module()
    assert forbidden_constructs(text) == []
    assert text.count("namespace MathTeam") == 1 and text.rstrip().endswith("end MathTeam")
    assert "import" not in text  # core Lean only
    # Every law a theorem mentions is defined before use.
    for name in re.findall(r"(Equation\d+) G", text):
        assert text.index(f"abbrev {name} ") < text.index(f"{name} G")


def test_forbidden_constructs_finds_words_not_substrings():
    assert forbidden_constructs("theorem t : 1 = 1 := by sorry") == ["sorry"]
    assert forbidden_constructs("example := by native_decide\naxiom bad : False") == ["native_decide", "axiom"]
    assert forbidden_constructs("def sorryCount := 0 -- the word decide is fine") == []
    assert set(FORBIDDEN_WORDS) >= {"sorry", "admit", "axiom", "native_decide"}


def test_project_files_lay_out_a_lake_project_that_builds_every_module():
    files = project_files("mathteam_proofs", {"Sample": sample_module()})
    assert set(files) == {"lakefile.lean", "lean-toolchain", "MathTeamProofs/Sample.lean"}
    assert files["lean-toolchain"] == toolchain_text() == "leanprover/lean4:v4.15.0\n"
    lakefile = lakefile_text("mathteam_proofs")
    assert files["lakefile.lean"] == lakefile
    assert "package «mathteam_proofs»" in lakefile
    assert "globs := #[.submodules `MathTeamProofs]" in lakefile


def test_the_statement_a_person_approves_is_built_from_what_the_gate_enforces():
    from mathteam.domains.magma import lean

    laws = {"Equation2": parse_law("x = y"), "Equation3": parse_law("x = x ◇ x")}
    shown = lean.reviewed_statement("Equation2", laws["Equation2"], "Equation3", laws["Equation3"])
    *definitions, theorem = shown.splitlines()
    header = lean.module_header("Implications", laws).splitlines()
    assert definitions and all(line in header for line in definitions), "the laws mean what the module says"
    assert theorem == "theorem Equation2_implies_Equation3 " + lean.approved_statement("Equation2", "Equation3")
    assert theorem == "theorem Equation2_implies_Equation3 (G : Type) [Magma G] (h : Equation2 G) : Equation3 G"

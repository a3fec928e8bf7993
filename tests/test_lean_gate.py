"""The acceptance gate: only a compiled file proving exactly the approved statements from standard axioms passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from mathteam.domains.magma.lean import (
    NAMESPACE,
    approved_statement,
    lean_module,
    module_header,
    refutation_theorem,
    singleton_theorem,
)
from mathteam.domains.magma.terms import parse_law
from mathteam.tools.lean_check import LeanToolchain, check_lean_file
from mathteam.tools.lean_gate import (
    Accepted,
    Rejected,
    approve,
    gate,
    normalise,
    printed_axioms,
    theorem_statements,
    with_axiom_prints,
)
from mathteam.tools.runner import RunOutput

FIXTURES = Path(__file__).parent / "fixtures" / "lean"
LAWS = {"Equation2": parse_law("x = y"), "Equation4": parse_law("x = x ◇ y"),
        "Equation43": parse_law("x ◇ y = y ◇ x")}
REFUTATION = "Equation4_not_implies_Equation43"
PROOF = "Equation2_implies_Equation43"


def clean_source() -> str:
    theorems = [
        refutation_theorem("Equation4", LAWS["Equation4"], "Equation43", LAWS["Equation43"], [[0, 0], [1, 1]]),
        singleton_theorem("Equation2", LAWS["Equation2"], "Equation43", LAWS["Equation43"]),
    ]
    source = lean_module("Gate", theorems, LAWS)
    return with_axiom_prints(source, [f"{NAMESPACE}.{REFUTATION}", f"{NAMESPACE}.{PROOF}"])


def approval():
    return approve(module_header("Gate", LAWS), {
        REFUTATION: approved_statement("Equation4", "Equation43", proves=False),
        PROOF: approved_statement("Equation2", "Equation43"),
    }, namespace=NAMESPACE)


def checked(tmp_path: Path, source: str, fixture: str | None = "gate_clean.jsonl", *, exit_code=0,
            timed_out=False, stderr=""):
    """``check_lean_file`` on ``source`` with Lean replaced by a runner that prints the fixture."""
    path = tmp_path / "Gate.lean"
    path.write_text(source)
    stdout = (FIXTURES / fixture).read_text() if fixture else ""

    def runner(command, stdin, timeout):
        return RunOutput(stdout, stderr, None if timed_out else exit_code, timed_out)

    return check_lean_file(path, LeanToolchain(command=("lean",)), timeout_s=5, runner=runner)


def reasons(outcome) -> str:
    assert isinstance(outcome, Rejected), outcome
    return "\n".join(outcome.reasons)


def test_clean_file_with_standard_axioms_is_accepted(tmp_path):
    source = clean_source()
    outcome = gate(source, checked(tmp_path, source), approval())
    assert outcome == Accepted(axioms={REFUTATION: (), PROOF: ("propext",)})


def test_statements_are_compared_after_normalising_whitespace_and_comments(tmp_path):
    source = clean_source().replace(
        f"theorem {PROOF} (G : Type)", f"theorem {PROOF}  -- spacing and a comment\n    (G : Type)")
    assert isinstance(gate(source, checked(tmp_path, source), approval()), Accepted)


def test_sorry_is_rejected_by_the_check_and_by_the_source_scan(tmp_path):
    source = clean_source().replace("all_eq _ _\n", "sorry\n")
    text = reasons(gate(source, checked(tmp_path, source, "gate_sorry.jsonl"), approval()))
    assert "did not compile the file: failed (declaration uses 'sorry')" in text
    assert "forbidden constructs: sorry" in text


def test_sorry_in_the_source_is_rejected_even_when_the_check_looks_clean(tmp_path):
    source = clean_source().replace("all_eq _ _\n", "admit\n")
    assert "forbidden constructs: admit" in reasons(gate(source, checked(tmp_path, source), approval()))


def test_a_smuggled_axiom_is_rejected(tmp_path):
    source = clean_source().replace(f"theorem {PROOF}", f"axiom cheat : False\n\ntheorem {PROOF}").replace(
        "all_eq _ _\n", "cheat.elim\n")
    text = reasons(gate(source, checked(tmp_path, source, "gate_nonstandard_axiom.jsonl"), approval()))
    assert "forbidden constructs: axiom" in text
    assert f"{NAMESPACE}.{PROOF} depends on non-standard axioms: MathTeam.cheat" in text


def test_a_non_standard_axiom_in_print_axioms_alone_is_enough(tmp_path):
    source = clean_source()
    text = reasons(gate(source, checked(tmp_path, source, "gate_nonstandard_axiom.jsonl"), approval()))
    assert text == f"{NAMESPACE}.{PROOF} depends on non-standard axioms: MathTeam.cheat"


def test_native_decide_is_rejected(tmp_path):
    source = clean_source().replace("by decide", "by native_decide")
    assert "forbidden constructs: native_decide" in reasons(gate(source, checked(tmp_path, source), approval()))


@pytest.mark.parametrize("trick", ["@[implemented_by foo]", "@[extern \"c_fn\"]", "unsafe def f : Nat := 0"])
def test_compiler_tricks_are_rejected(tmp_path, trick):
    source = clean_source().replace(f"theorem {PROOF}", f"{trick}\ntheorem {PROOF}")
    assert "forbidden constructs" in reasons(gate(source, checked(tmp_path, source), approval()))


def test_a_changed_statement_is_rejected(tmp_path):
    source = clean_source().replace("(h : Equation2 G) : Equation43 G", "(h : Equation2 G) : Equation2 G")
    text = reasons(gate(source, checked(tmp_path, source), approval()))
    assert f"theorem {PROOF} states '(G : Type) [Magma G] (h : Equation2 G) : Equation2 G'" in text


def test_a_changed_law_definition_is_rejected_even_with_the_same_statements(tmp_path):
    source = clean_source().replace("∀ x y : G, x ◇ y = y ◇ x", "∀ x y : G, x ◇ y = x ◇ y")
    assert "header (preamble and definitions) differs" in reasons(
        gate(source, checked(tmp_path, source), approval()))


def test_a_smuggled_instance_between_theorems_is_rejected(tmp_path):
    source = clean_source().replace(
        f"theorem {PROOF}", f"instance (priority := high) bad (G : Type) : Magma G := ⟨fun a _ => a⟩\n"
                            f"theorem {PROOF}")
    assert "commands other than the approved theorems: instance" in reasons(
        gate(source, checked(tmp_path, source), approval()))


def test_a_missing_or_extra_theorem_is_rejected(tmp_path):
    source = clean_source().replace(f"theorem {PROOF}", "theorem extra (G : Type) : True := trivial\n"
                                                        f"theorem {PROOF}")
    assert "theorem extra was not approved" in reasons(gate(source, checked(tmp_path, source), approval()))
    without = clean_source().split(f"theorem {PROOF}")[0] + "end MathTeam\n"
    assert f"approved theorem {PROOF} is missing" in reasons(gate(without, checked(tmp_path, without), approval()))


def test_a_compiled_file_without_print_axioms_output_is_rejected(tmp_path):
    source = clean_source()
    text = reasons(gate(source, checked(tmp_path, source, None), approval()))
    assert f"no `#print axioms` output for {NAMESPACE}.{REFUTATION}" in text


def test_a_timed_out_check_is_never_accepted(tmp_path):
    source = clean_source()
    text = reasons(gate(source, checked(tmp_path, source, "gate_clean.jsonl", timed_out=True), approval()))
    assert text.startswith("the check did not compile the file: timed_out")


def test_a_crashed_check_is_never_accepted(tmp_path):
    source = clean_source()
    result = checked(tmp_path, source, None, exit_code=139, stderr="Segmentation fault")
    assert reasons(gate(source, result, approval())).startswith(
        "the check did not compile the file: crashed (Segmentation fault)")


def test_an_unchecked_file_is_never_accepted(tmp_path, monkeypatch):
    from mathteam.tools.lean_check import NotChecked
    source = clean_source()
    assert "not_checked" in reasons(gate(source, NotChecked(reason="no Lean"), approval()))


def test_helpers_read_statements_and_axiom_lines(tmp_path):
    source = clean_source()
    assert dict(theorem_statements(source))[PROOF] == "(G : Type) [Magma G] (h : Equation2 G) : Equation43 G"
    assert printed_axioms(checked(tmp_path, source)) == {
        f"{NAMESPACE}.{REFUTATION}": (), f"{NAMESPACE}.{PROOF}": ("propext",)}
    assert normalise("a  -- c\n /- x /- nested -/ -/ b") == "a b"

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
from mathteam.tools.lean_check import (
    Crashed,
    Failed,
    LeanMessage,
    LeanPosition,
    LeanToolchain,
    OutOfMemory,
    check_lean_file,
)
from mathteam.tools.lean_gate import (
    Accepted,
    Rejected,
    TheoremAccepted,
    TheoremRejected,
    approve,
    gate,
    gate_theorems,
    normalise,
    printed_axioms,
    theorem_statements,
    with_axiom_prints,
)
from mathteam.tools.command_runner import RunOutput

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
    assert "sorry at line 27: declaration uses 'sorry'" in text
    assert f"{NAMESPACE}.{PROOF} depends on non-standard axioms: sorryAx" in text
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


USES = "Equation2_implies_Equation4"


def one_broken_source() -> str:
    """Three theorems: a clean refutation, a proof with a type error, and a proof that uses the broken one."""
    theorems = [
        refutation_theorem("Equation4", LAWS["Equation4"], "Equation43", LAWS["Equation43"], [[0, 0], [1, 1]]),
        singleton_theorem("Equation2", LAWS["Equation2"], "Equation43", LAWS["Equation43"]).replace(
            "all_eq _ _\n", "all_eq _\n"),
        f"theorem {USES} (G : Type) [Magma G] (h : Equation2 G) : Equation4 G :=\n"
        f"  have _comm := {PROOF} G h\n  fun x y => h x (x ◇ y)\n",
    ]
    return with_axiom_prints(lean_module("Gate", theorems, LAWS), [f"{NAMESPACE}.{n}" for n in (REFUTATION, PROOF, USES)])


def three_approval():
    return approve(module_header("Gate", LAWS), {
        REFUTATION: approved_statement("Equation4", "Equation43", proves=False),
        PROOF: approved_statement("Equation2", "Equation43"),
        USES: approved_statement("Equation2", "Equation4"),
    }, namespace=NAMESPACE)


def test_one_broken_theorem_leaves_the_others_accepted_and_rejects_what_uses_it(tmp_path):
    source = one_broken_source()
    # The fixture's error sits on the broken theorem's last line: keep the module and the fixture in step.
    assert source.splitlines()[28] == "  fun _ _ => all_eq _"
    result = checked(tmp_path, source, "gate_one_broken.jsonl", exit_code=1)
    report = gate_theorems(source, result, three_approval())
    assert report.file_reasons == ()
    assert report.theorems[REFUTATION] == TheoremAccepted(axioms=())
    broken = report.theorems[PROOF]
    assert isinstance(broken, TheoremRejected)
    assert broken.reasons[0].startswith("error at line 29: type mismatch")
    assert f"{NAMESPACE}.{PROOF} depends on non-standard axioms: sorryAx" in broken.reasons
    # No error lies in the third theorem's text: only its axioms give it away.
    assert report.theorems[USES] == TheoremRejected(
        reasons=(f"{NAMESPACE}.{USES} depends on non-standard axioms: sorryAx",))
    assert report.accepted == {REFUTATION: ()}
    assert isinstance(gate(source, result, three_approval()), Rejected)


def test_an_error_outside_every_theorem_rejects_them_all(tmp_path):
    source = clean_source()
    header_error = LeanMessage(severity="error", text="unknown identifier 'Nat.mod_lt'", file_name="Gate.lean",
                               pos=LeanPosition(line=14, column=39))
    clean = checked(tmp_path, source)
    failed = Failed(errors=(header_error,), uses_sorry=False, messages=clean.messages, command=clean.command,
                    seconds=0.1)
    report = gate_theorems(source, failed, approval())
    assert report.file_reasons == ("error outside the approved theorems at line 14: unknown identifier 'Nat.mod_lt'",)
    assert report.accepted == {}


def test_an_error_at_the_next_theorems_keyword_counts_against_both(tmp_path):
    source = clean_source()
    clean = checked(tmp_path, source)
    cut_short = LeanMessage(severity="error", text="unexpected token 'theorem'; expected term",
                            file_name="Gate.lean", pos=LeanPosition(line=27, column=0))
    failed = Failed(errors=(cut_short,), uses_sorry=False, messages=clean.messages, command=clean.command,
                    seconds=0.1)
    report = gate_theorems(source, failed, approval())
    assert set(report.theorems) == {REFUTATION, PROOF}
    assert report.accepted == {}


def test_a_theorem_whose_print_axioms_line_errs_is_rejected_alone(tmp_path):
    source = clean_source()
    assert source.splitlines()[33] == f"#print axioms {NAMESPACE}.{PROOF}"
    unknown = LeanMessage(severity="error", text=f"unknown constant '{NAMESPACE}.{PROOF}'", file_name="Gate.lean",
                          pos=LeanPosition(line=34, column=14))
    clean = checked(tmp_path, source)
    refutation_only = tuple(m for m in clean.messages if PROOF not in m.text)
    failed = Failed(errors=(unknown,), uses_sorry=False, messages=refutation_only, command=clean.command,
                    seconds=0.1)
    report = gate_theorems(source, failed, approval())
    assert report.accepted == {REFUTATION: ()}
    assert report.theorems[PROOF].reasons[0] == f"error at line 34: unknown constant '{NAMESPACE}.{PROOF}'"


@pytest.mark.parametrize("stopped", [
    OutOfMemory(limit_mb=64, exit_code=1, stderr="INTERNAL PANIC: out of memory", command=("lean",)),
    Crashed(exit_code=-9, stderr="killed by signal 9", command=("lean",)),
])
def test_a_check_that_stopped_early_accepts_no_theorem(stopped):
    report = gate_theorems(clean_source(), stopped, approval())
    assert report.accepted == {}
    assert report.file_reasons[0].startswith(f"the check did not compile the file: {stopped.outcome}")
    assert all(isinstance(v, TheoremRejected) for v in report.theorems.values())


def test_a_changed_statement_rejects_only_that_theorem(tmp_path):
    source = clean_source().replace("(h : Equation2 G) : Equation43 G", "(h : Equation2 G) : Equation2 G")
    report = gate_theorems(source, checked(tmp_path, source), approval())
    assert report.accepted == {REFUTATION: ()}
    assert "not the approved" in report.theorems[PROOF].reasons[0]

"""The formalizer end to end with a fake `lean` on PATH: only gate-accepted output makes a claim formally verified.

The fake Lean compiles nothing: it prints format-faithful ``--json`` messages (hand-written to Lean's
documented formats, like the fixtures in ``fixtures/lean``), including one ``#print axioms`` line per
``#print axioms`` command in the file. It proves the routing — check, gate, evidence, status — not
that Lean would accept the generated proofs.
"""

from __future__ import annotations

import stat
import sys
import textwrap
from pathlib import Path

import pytest

from mathteam.agents.magma.lean import formalize
from mathteam.agents.magma.question import MagmaQuestion
from mathteam.domains.magma.laws import NamedLaw, etp_law
from mathteam.domains.magma.terms import parse_law
from mathteam.memory import Actor, Claim, Evidence, Memory
from mathteam.tools.eprover import find_eprover, prove_with_e
from mathteam.tools.lean_check import NO_TOOLCHAIN, find_lean

E_PROOF = Path(__file__).parent / "fixtures" / "eprover" / "proof_Equation13_Equation39.txt"
TEST = Actor.role("prover", tool="test")
FAKE_LEAN = textwrap.dedent("""\
    import json, os, re, sys
    if sys.argv[1:] == ["--version"]:
        print("Lean (version 4.15.0, x86_64-unknown-linux-gnu, fake for tests)")
        sys.exit(0)
    path = sys.argv[-1]
    mode = os.environ.get("FAKE_LEAN_MODE", "clean")
    # FAKE_LEAN_BROKEN names theorems whose proof "fails to elaborate": Lean reports an error in
    # the proof, adds the theorem with sorryAx, and every theorem using it then depends on sorryAx.
    broken = set(filter(None, os.environ.get("FAKE_LEAN_BROKEN", "").split(",")))

    def message(line, column, severity, text):
        print(json.dumps({"fileName": path, "pos": {"line": line, "column": column},
                          "endPos": {"line": line, "column": column + 5}, "keepFullRange": False,
                          "severity": severity, "caption": "", "data": text}))

    lines = open(path, encoding="utf-8").read().split("\\n")
    tainted, current, failed = set(), None, False
    for number, line in enumerate(lines, 1):
        found = re.match(r"theorem (\\S+)", line)
        if found:
            current, failed = found.group(1), False
            if mode == "sorry" and current.startswith("Equation2_implies"):
                message(number, 8, "warning", "declaration uses 'sorry'")
            continue
        if line.startswith(("end ", "#print")):
            current = None
        if current is None or not line.strip():
            continue
        if current in broken and not failed:
            failed = True
            message(number, len(line) - len(line.lstrip()), "error", "type mismatch")
        if current in broken or any(name in line for name in tainted):
            tainted.add(current)
    for number, line in enumerate(lines, 1):
        found = re.match(r"#print axioms (\\S+)", line)
        if found:
            name = found.group(1)
            short = name.split(".")[-1]
            if mode == "axiom" and "_implies_" in name and "_not_" not in name:
                message(number, 0, "information", f"'{name}' depends on axioms: [propext, MathTeam.cheat]")
            elif short in tainted or (mode == "sorry" and "Equation2_implies" in name):
                message(number, 0, "information", f"'{name}' depends on axioms: [sorryAx]")
            else:
                message(number, 0, "information", f"'{name}' depends on axioms: [propext]")
    sys.exit(1 if tainted & broken else 0)
    """)


@pytest.fixture
def fake_lean(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "lean"
    script.write_text(f"#!{sys.executable}\n" + FAKE_LEAN)
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delenv("MATHTEAM_LEAN_PROJECT", raising=False)
    monkeypatch.delenv("MATHTEAM_LEAN_REPL", raising=False)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path / "home"))
    return monkeypatch


def question() -> MagmaQuestion:
    return MagmaQuestion((
        NamedLaw("Equation2", parse_law("x = y"), 2), NamedLaw("Equation4", parse_law("x = x ◇ y"), 4),
        NamedLaw("Equation13", etp_law(13), 13), NamedLaw("Equation39", etp_law(39), 39),
        NamedLaw("Equation43", parse_law("x ◇ y = y ◇ x"), 43)))


def settled_memory(e_output: str | None = None) -> Memory:
    memory = Memory.open(":memory:")
    ids = ["Equation2=>Equation43", "Equation13=>Equation39", "Equation4=>Equation43"]
    memory.add_claims([Claim(id=i, kind="implication", statement=i, status="conjectured", author="test",
                             data={"hypothesis": i.split("=>")[0], "conclusion": i.split("=>")[1]})
                       for i in ids], TEST)
    memory.settle_claim(Evidence(claim_id=ids[0], kind="syntactic_proof", verdict="proves", accepted=True,
                                 checker="test", payload={"certificate": "SingletonHypothesis"}), TEST)
    memory.settle_claim(Evidence(claim_id=ids[1], kind="atp_proof", verdict="proves", accepted=True,
                                 checker="test", payload={"tool": "eprover",
                                                          "output": e_output or E_PROOF.read_text()}), TEST)
    memory.settle_claim(Evidence(claim_id=ids[2], kind="counterexample", verdict="refutes", accepted=True,
                                 checker="test", payload={"table": [[0, 0], [1, 1]]}), TEST)
    return memory


def statuses(memory: Memory) -> dict[str, str]:
    return {claim.id: claim.status for claim in memory.claims()}


def test_clean_lean_output_through_the_gate_makes_proved_claims_formally_verified(fake_lean, tmp_path):
    memory = settled_memory()
    outputs = formalize(memory, question(), tmp_path / "lean")
    assert outputs["check"] == "lean" and outputs["formally_verified"] == 2
    assert statuses(memory) == {"Equation2=>Equation43": "formally_verified",
                                "Equation13=>Equation39": "formally_verified",
                                "Equation4=>Equation43": "refuted"}
    [lean_evidence] = memory.evidence("Equation13=>Equation39", kind="lean")
    assert lean_evidence.accepted
    assert lean_evidence.checker == "Lean (version 4.15.0, x86_64-unknown-linux-gnu, fake for tests) + acceptance gate"
    assert lean_evidence.payload["theorem"] == "MathTeam.Equation13_implies_Equation39"
    assert lean_evidence.payload["axioms"] == ["propext"]
    assert len(memory.evidence("Equation4=>Equation43", kind="lean")) == 1
    assert {a.check_status for a in memory.artifacts(kind="lean")} == {"compiled"}
    source = (tmp_path / "lean" / "MathTeamProofs" / "Implications.lean").read_text()
    assert "#print axioms MathTeam.Equation13_implies_Equation39" in source
    assert "calc" in source


def test_a_second_pass_adds_no_duplicate_lean_evidence(fake_lean, tmp_path):
    memory = settled_memory()
    formalize(memory, question(), tmp_path / "lean")
    again = formalize(memory, question(), tmp_path / "lean")
    assert again["formally_verified"] == 0 and again["proofs"] == 2
    assert len(memory.evidence("Equation2=>Equation43", kind="lean")) == 1


def test_sorry_in_one_theorem_rejects_that_theorem_only(fake_lean, tmp_path):
    fake_lean.setenv("FAKE_LEAN_MODE", "sorry")
    memory = settled_memory()
    outputs = formalize(memory, question(), tmp_path / "lean")
    assert outputs["formally_verified"] == 1 and outputs["rejected_by_gate"] == 1
    assert statuses(memory)["Equation2=>Equation43"] == "proved"
    assert statuses(memory)["Equation13=>Equation39"] == "formally_verified"
    assert sorted(e.claim_id for e in memory.evidence(kind="lean")) == ["Equation13=>Equation39",
                                                                        "Equation4=>Equation43"]
    artifacts = {a.id: a for a in memory.artifacts(kind="lean")}
    assert artifacts["lean:lean/MathTeamProofs/Implications.lean"].check_status == "failed"
    assert "passed 1 of 2 theorems" in artifacts["lean:lean/MathTeamProofs/Implications.lean"].detail
    rejected = artifacts["lean:Equation2=>Equation43"]
    assert rejected.check_status == "failed"
    assert "sorry at line" in rejected.detail and "declaration uses 'sorry'" in rejected.detail
    assert artifacts["lean:Equation13=>Equation39"].check_status == "compiled"


def test_one_broken_theorem_rejects_itself_and_what_uses_it_and_nothing_else(fake_lean, tmp_path):
    fake_lean.setenv("FAKE_LEAN_BROKEN", "Equation2_implies_Equation13")
    memory = settled_memory()
    # Equation2 ⇒ Equation39 through Equation13: its Lean proof applies the broken theorem.
    ids = ["Equation2=>Equation13", "Equation2=>Equation39"]
    memory.add_claims([Claim(id=i, kind="implication", statement=i, status="conjectured", author="test",
                             data={"hypothesis": "Equation2", "conclusion": i.split("=>")[1]}) for i in ids], TEST)
    memory.settle_claim(Evidence(claim_id=ids[0], kind="syntactic_proof", verdict="proves", accepted=True,
                                 checker="test", payload={"certificate": "SingletonHypothesis"}), TEST)
    memory.settle_claim(Evidence(claim_id=ids[1], kind="transitivity", verdict="proves", accepted=True,
                                 checker="test", payload={"chain": [ids[0], "Equation13=>Equation39"]}), TEST)
    outputs = formalize(memory, question(), tmp_path / "lean")
    source = (tmp_path / "lean" / "MathTeamProofs" / "Implications.lean").read_text()
    assert "(Equation2_implies_Equation13 G h)" in source  # the composition really uses the broken theorem
    assert statuses(memory) == {"Equation2=>Equation43": "formally_verified",
                                "Equation13=>Equation39": "formally_verified",
                                "Equation4=>Equation43": "refuted",
                                "Equation2=>Equation13": "proved",
                                "Equation2=>Equation39": "proved"}
    assert outputs["formally_verified"] == 2 and outputs["rejected_by_gate"] == 2
    artifacts = {a.id: a for a in memory.artifacts(kind="lean")}
    broken, user = artifacts["lean:Equation2=>Equation13"], artifacts["lean:Equation2=>Equation39"]
    assert broken.check_status == user.check_status == "failed"
    assert "error at line" in broken.detail and "type mismatch" in broken.detail
    assert "depends on non-standard axioms: sorryAx" in broken.detail
    assert "error at line" not in user.detail
    assert user.detail == "rejected: MathTeam.Equation2_implies_Equation39 depends on non-standard axioms: sorryAx"
    [event] = [e for e in memory.events() if e.action == "Lean theorems rejected"]
    assert set(event.outputs["reasons"]) == set(ids)


def test_a_non_standard_axiom_verifies_nothing(fake_lean, tmp_path):
    fake_lean.setenv("FAKE_LEAN_MODE", "axiom")
    memory = settled_memory()
    formalize(memory, question(), tmp_path / "lean")
    assert "formally_verified" not in statuses(memory).values()
    [module] = [a for a in memory.artifacts(kind="lean") if a.id == "lean:lean/MathTeamProofs/Implications.lean"]
    assert module.check_status == "failed"
    assert "depends on non-standard axioms: MathTeam.cheat" in module.detail


def test_a_configured_repl_checks_the_modules_instead_of_lean_per_file(fake_lean, tmp_path):
    from test_lean_repl import FAKE_REPL

    repl = tmp_path / "bin" / "repl"
    repl.write_text(f"#!{sys.executable}\n" + FAKE_REPL)
    repl.chmod(repl.stat().st_mode | stat.S_IXUSR)
    fake_lean.setenv("MATHTEAM_LEAN_REPL", str(repl))
    fake_lean.setenv("FAKE_LEAN_MODE", "axiom")  # what `lean FILE` would say; the REPL must be the one asked
    memory = settled_memory()
    outputs = formalize(memory, question(), tmp_path / "lean")
    assert outputs["formally_verified"] == 2
    assert statuses(memory)["Equation13=>Equation39"] == "formally_verified"


def test_without_lean_everything_is_not_checked(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("MATHTEAM_LEAN_PROJECT", raising=False)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path / "home"))
    memory = settled_memory()
    outputs = formalize(memory, question(), tmp_path / "lean")
    assert outputs["check"] == "not checked" and outputs["formally_verified"] == 0
    assert statuses(memory)["Equation13=>Equation39"] == "proved"
    assert {a.check_status for a in memory.artifacts(kind="lean")} == {"not checked"}


def test_an_e_proof_that_cannot_be_replayed_gets_no_lean_and_a_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    tampered = E_PROOF.read_text().replace("inference(spm,", "inference(magic,")
    memory = settled_memory(tampered)
    outputs = formalize(memory, question(), tmp_path / "lean")
    assert outputs["without_lean"] == {"atp_proof": 1}
    [event] = [e for e in memory.events() if e.action == "no Lean proof"]
    assert "the inference rule 'magic' is not supported" in event.outputs["reasons"]["Equation13=>Equation39"]
    source = (tmp_path / "lean" / "MathTeamProofs" / "Implications.lean").read_text()
    assert "Equation13_implies_Equation39" not in source and "sorry" not in source


@pytest.mark.live
@pytest.mark.skipif(find_lean() is None, reason=NO_TOOLCHAIN)
@pytest.mark.skipif(find_eprover() is None, reason="eprover is not on PATH")
def test_real_lean_accepts_calc_chains_from_e_and_duality_through_the_gate(tmp_path):
    # Equation24 ⇒ Equation25 is the mirror image of Equation13 ⇒ Equation10 (an E proof).
    laws = [NamedLaw(f"Equation{n}", etp_law(n), n) for n in (13, 10, 24, 25)]
    memory = Memory.open(":memory:")
    ids = ["Equation13=>Equation10", "Equation24=>Equation25"]
    memory.add_claims([Claim(id=i, kind="implication", statement=i, status="conjectured", author="test",
                             data={"hypothesis": i.split("=>")[0], "conclusion": i.split("=>")[1]})
                       for i in ids], TEST)
    output = prove_with_e(etp_law(13), etp_law(10), 5).output
    memory.settle_claim(Evidence(claim_id=ids[0], kind="atp_proof", verdict="proves", accepted=True,
                                 checker="test", payload={"tool": "eprover", "output": output}), TEST)
    memory.settle_claim(Evidence(claim_id=ids[1], kind="duality", verdict="proves", accepted=True,
                                 checker="test", payload={"dual_claim": ids[0]}), TEST)
    outputs = formalize(memory, MagmaQuestion(tuple(laws)), tmp_path / "lean")
    assert outputs["formally_verified"] == 2, [a.detail for a in memory.artifacts(kind="lean")]

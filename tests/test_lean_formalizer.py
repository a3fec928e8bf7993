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

from mathteam.agents.formalizer import formalize
from mathteam.agents.magma_question import MagmaQuestion
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

    def message(line, severity, text):
        print(json.dumps({"fileName": path, "pos": {"line": line, "column": 0},
                          "endPos": {"line": line, "column": 13}, "keepFullRange": False,
                          "severity": severity, "caption": "", "data": text}))

    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        if mode == "sorry" and line.startswith("theorem Equation2_implies"):
            message(number, "warning", "declaration uses 'sorry'")
        found = re.match(r"#print axioms (\\S+)", line)
        if found:
            name = found.group(1)
            if mode == "axiom" and "_implies_" in name and "_not_" not in name:
                message(number, "information", f"'{name}' depends on axioms: [propext, MathTeam.cheat]")
            elif mode == "sorry" and "Equation2_implies" in name:
                message(number, "information", f"'{name}' depends on axioms: [sorryAx]")
            else:
                message(number, "information", f"'{name}' depends on axioms: [propext]")
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


def test_sorry_in_lean_output_verifies_nothing(fake_lean, tmp_path):
    fake_lean.setenv("FAKE_LEAN_MODE", "sorry")
    memory = settled_memory()
    outputs = formalize(memory, question(), tmp_path / "lean")
    assert outputs["formally_verified"] == 0
    assert statuses(memory)["Equation2=>Equation43"] == "proved"
    assert statuses(memory)["Equation13=>Equation39"] == "proved"
    # The refutations module is a separate file and passed; the implications module verified nothing.
    assert [e.claim_id for e in memory.evidence(kind="lean")] == ["Equation4=>Equation43"]
    implications = [a for a in memory.artifacts(kind="lean") if a.path.endswith("Implications.lean")]
    assert {a.check_status for a in implications} == {"failed"}
    assert "declaration uses 'sorry'" in implications[0].detail


def test_a_non_standard_axiom_verifies_nothing(fake_lean, tmp_path):
    fake_lean.setenv("FAKE_LEAN_MODE", "axiom")
    memory = settled_memory()
    formalize(memory, question(), tmp_path / "lean")
    assert "formally_verified" not in statuses(memory).values()
    [module] = [a for a in memory.artifacts(kind="lean") if a.id == "lean:lean/MathTeamProofs/Implications.lean"]
    assert module.check_status == "failed"
    assert "depends on non-standard axioms: MathTeam.cheat" in module.detail


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

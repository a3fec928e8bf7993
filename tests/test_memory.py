"""The project memory: evidence gates every settled status, writes are atomic, migrations idempotent."""

from __future__ import annotations

import threading

import pytest

from mathteam.errors import EvidenceError
from mathteam.memory import Actor, Claim, Evidence, Memory, Task

PROVER = Actor.role("prover", tool="eprover", tool_version="2.6")


@pytest.fixture
def memory() -> Memory:
    memory = Memory.open(":memory:")
    memory.add_claims([Claim(id="A=>B", kind="implication", statement="A implies B", author="planner",
                             data={"hypothesis": "A", "conclusion": "B"})], Actor.role("planner"))
    return memory


def evidence(accepted: bool = True, verdict: str = "proves") -> Evidence:
    return Evidence(claim_id="A=>B", kind="atp_proof", verdict=verdict, checker="status line re-read",
                    accepted=accepted, payload={"output": "# SZS status Theorem"})


def test_claim_cannot_become_proved_without_evidence_a_checker_accepted(memory):
    with pytest.raises(EvidenceError, match="did not accept"):
        memory.settle_claim(evidence(accepted=False), PROVER)
    assert memory.claim("A=>B").status == "open"
    assert memory.evidence("A=>B") == []


def test_marking_a_claim_proved_without_evidence_is_refused(memory):
    with pytest.raises(EvidenceError):
        memory.mark_claims(["A=>B"], "proved", "trust me", PROVER)
    assert memory.claim("A=>B").status == "open"


def test_accepted_evidence_settles_the_claim_and_records_who_did_it(memory):
    memory.settle_claim(evidence(), PROVER)
    claim = memory.claim("A=>B")
    assert claim.status == "proved"
    [stored] = memory.evidence("A=>B")
    assert stored.author == "prover (symbolic, eprover 2.6)"
    last = memory.events()[-1]
    assert (last.action, last.subject, last.role, last.tool) == ("claim proved", "A=>B", "prover", "eprover")


def test_evidence_that_refutes_cannot_prove(memory):
    with pytest.raises(EvidenceError, match="refutes"):
        memory.settle_claim(evidence(verdict="refutes"), PROVER, status="proved")
    assert memory.claim("A=>B").status == "open"


def test_a_failed_step_leaves_nothing_half_written(memory):
    with pytest.raises(RuntimeError):
        with memory.atomic():
            memory.add_tasks([Task(id="t", kind="k", role="prover", title="t")], PROVER)
            memory.settle_claim(evidence(), PROVER)
            raise RuntimeError("crash in the middle of a step")
    assert memory.tasks() == []
    assert memory.claim("A=>B").status == "open"
    assert memory.evidence() == []


def test_adding_the_same_tasks_twice_adds_them_once(memory):
    tasks = [Task(id=f"t{i}", kind="k", role="prover", title="t") for i in range(3)]
    assert memory.add_tasks(tasks, PROVER) == 3
    assert memory.add_tasks(tasks, PROVER) == 0
    assert len(memory.tasks()) == 3


def test_migrations_apply_once_and_reopening_keeps_the_data(tmp_path):
    path = tmp_path / "memory.sqlite"
    with Memory.open(path) as first:
        version = first.schema_version
        first.set_meta("goal", "g")
    with Memory.open(path) as again:
        assert again.schema_version == version >= 1
        assert again.get_meta("goal") == "g"


def test_two_connections_writing_at_once_never_see_database_is_locked(tmp_path):
    path = tmp_path / "memory.sqlite"
    Memory.open(path).close()
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            with Memory.open(path) as memory:
                for i in range(150):
                    with memory.atomic():
                        memory.get_meta("x")  # read, then write: the case that deadlocks deferred transactions
                        memory.set_meta(f"w{worker}-{i}", "v")
                        memory.record_event(PROVER, "tick")
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(k,)) for k in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Memory.open(path) as memory:
        assert len(memory.events()) == 450

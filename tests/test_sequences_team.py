"""The sequences project end to end: classical answers found, only agreements proved, Bell left alone,
runs stored and reused, model code held at the run_code gate, a report with a table and a plot."""

from __future__ import annotations

import shutil
import textwrap
from math import comb
from pathlib import Path
from types import SimpleNamespace

import pytest
import sympy as sp

from mathteam.agents import code_runs
from mathteam.agents.sequences import terms as terms_module
from mathteam.agents.sequences.proofs import recheck
from mathteam.domains.sequences.guess import Recurrence, n, parse
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Memory, Task
from mathteam.project import load_project
from mathteam.runner import run_project
from mathteam.tools.sandbox import Limits

SHIPPED = Path(__file__).resolve().parents[1] / "projects" / "sequences.toml"
TABLES = ("tasks", "claims", "evidence", "examples", "computations", "artifacts", "reviews")


def catalan(i: int) -> int:
    return comb(2 * i, i) // (i + 1)


def motzkin(i: int) -> int:
    return sum(comb(i, 2 * k) * catalan(k) for k in range(i // 2 + 1))


def fibonacci(i: int) -> int:
    a, b = 0, 1
    for _ in range(i):
        a, b = b, a + b
    return a


@pytest.fixture(scope="module")
def shipped_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sequences")
    shutil.copy(SHIPPED, folder / "sequences.toml")
    project = load_project(folder / "sequences.toml")
    return project, run_project(project)


def recurrence_of(memory: Memory, name: str) -> Recurrence:
    return Recurrence.model_validate(memory.claim(f"{name}:recurrence").data["guess"])


def holds_far_beyond_the_data(recurrence: Recurrence, a, upto: int = 60) -> bool:
    polys = [sp.lambdify(n, p) for p in recurrence.polynomials()]
    return all(sum(int(p(m)) * a(m + i) for i, p in enumerate(polys)) == 0 for m in range(upto))


def test_conjectured_recurrences_are_the_classical_ones(shipped_run):
    project, outcome = shipped_run
    assert outcome.status == "done"
    with Memory.open(project.memory_path) as memory:
        assert memory.claim("dyck:recurrence").data["guess"]["equation"] == "(n + 2)*a(n + 1) = (4*n + 2)*a(n)"
        assert memory.claim("motzkin:recurrence").data["guess"]["equation"] == \
            "(n + 4)*a(n + 2) = (2*n + 5)*a(n + 1) + (3*n + 3)*a(n)"
        assert memory.claim("no_11:recurrence").data["guess"]["equation"] == "a(n + 2) = a(n + 1) + a(n)"
        # Compared with the known formulas far beyond the terms the team computed.
        assert holds_far_beyond_the_data(recurrence_of(memory, "dyck"), catalan)
        assert holds_far_beyond_the_data(recurrence_of(memory, "binary_trees"), catalan)
        assert holds_far_beyond_the_data(recurrence_of(memory, "motzkin"), motzkin)
        assert holds_far_beyond_the_data(recurrence_of(memory, "no_11"), lambda i: fibonacci(i + 2))
        closed = parse(memory.claim("dyck:closed_form").data["guess"]["expression"])
        assert sp.simplify(closed - sp.binomial(2 * n, n) / (n + 1)) == 0
        assert memory.claim("triangular:closed_form").data["guess"]["expression"] == "n*(n + 1)/2"
        assert memory.claim("subsets:closed_form").data["guess"]["expression"] == "2**n"


def test_every_guess_is_conjectured_with_how_far_it_was_checked(shipped_run):
    project, _ = shipped_run
    with Memory.open(project.memory_path) as memory:
        claim = memory.claim("motzkin:recurrence")
        assert claim.status == "conjectured"
        assert claim.reason == "checked up to n = 13: fitted on the first 7 terms, confirmed by the next 7 (5 free parameters)"
        task = memory.task("prove:motzkin:recurrence")
        assert task.status == "done" and task.outputs["result"] == "conjectured"
        assert "defined by counting: not proved by sympy" in task.outputs["reason"]
        assert "checked up to n = 13" in task.outputs["reason"]


def test_only_agreements_of_two_descriptions_are_proved_and_each_proof_rechecks(shipped_run):
    project, _ = shipped_run
    with Memory.open(project.memory_path) as memory:
        proved = memory.claims(status="proved")
        assert {c.id for c in proved} >= {"dyck:closed_form=recurrence", "central_binomial:closed_form=recurrence",
                                          "triangular:closed_form=recurrence", "no_11:rational_gf=recurrence",
                                          "fibonacci:rational_gf=recurrence"}
        assert {c.kind for c in proved} == {"sequence_agreement"}
        for claim in proved:
            [evidence] = [e for e in memory.evidence(claim.id) if e.accepted]
            assert evidence.kind == "symbolic_proof" and evidence.checker.startswith("sympy ")
            assert recheck(evidence.payload), claim.id
            tampered = {**evidence.payload, "terms": [t + 1 for t in evidence.payload["terms"]]}
            assert not recheck(tampered), claim.id
        not_agreements = [c for c in memory.claims() if c.kind != "sequence_agreement"]
        assert not_agreements and all(c.status == "conjectured" for c in not_agreements)


def test_bell_numbers_get_only_their_exponential_transform_and_the_searched_bounds_are_kept(shipped_run):
    project, _ = shipped_run
    with Memory.open(project.memory_path) as memory:
        claims = [c for c in memory.claims() if "bell" in c.id or c.data.get("sequence") == "bell"]
        # The one claim: the exponential transform of c(n) = 1 (transforms.py), conjectured, not proved.
        assert [c.id for c in claims] == ["bell:description"]
        assert "exponential transform" in claims[0].statement and claims[0].status == "conjectured"
        not_found = memory.task("guess:bell").outputs["not_found"]
        assert set(not_found) == {"recurrence", "closed_form", "rational_gf", "algebraic_gf"}
        # Only what was searched is claimed: order 4, degree 3 needs 44 terms, and the reason says so.
        assert "no recurrence fits 30 terms among the shapes searched" in not_found["recurrence"]
        assert "4/3 44" in not_found["recurrence"]
        assert memory.example("terms:bell")["data"]["terms"][:8] == [1, 1, 2, 5, 15, 52, 203, 877]
    assert "no recurrence fits 30 terms among the shapes searched" in project.report_path.read_text()


def test_relations_between_the_sequences_are_found(shipped_run):
    project, _ = shipped_run
    with Memory.open(project.memory_path) as memory:
        relations = {c.statement: c for c in memory.claims() if c.kind == "sequence_relation"}
    assert set(relations) == {
        "dyck(n) = binary_trees(n) for every n >= 0",
        "no_11(n) = fibonacci(n + 2) for every n >= 0",
        "central_binomial(n) = (n + 1)*dyck(n) for every n >= 0",
    }  # (n + 1)*binary_trees(n) follows from the first and the third, so it is not proposed
    assert relations["no_11(n) = fibonacci(n + 2) for every n >= 0"].reason == "checked up to n = 15"
    assert all(c.status == "conjectured" for c in relations.values())


def test_every_computation_is_stored_with_code_hash_inputs_limits_and_time(shipped_run):
    project, _ = shipped_run
    with Memory.open(project.memory_path) as memory:
        runs = memory.computations()
        assert len(runs) == 8  # every sequence but fibonacci, whose terms are given
        example = memory.example("terms:dyck")
        stored = memory.computation(example["data"]["run"])
    assert stored["outcome"]["outcome"] == "completed" and stored["outcome"]["result"][:5] == [1, 1, 2, 5, 14]
    assert stored["inputs"] == {"offset": 0, "count": 12} and stored["limits"]["cpu_seconds"] == 20
    assert len(stored["code_sha256"]) == 64 and "def a(n)" in stored["code"] and stored["seconds"] > 0


def test_report_has_the_table_the_conjectures_and_a_png_plot(shipped_run):
    project, _ = shipped_run
    text = project.report_path.read_text(encoding="utf-8")
    assert "| name | counts | source | first terms | computed |" in text
    assert "| dyck | Dyck paths of semilength n" in text and "1, 1, 2, 5, 14, 42, 132, 429, 1430, 4862, …" in text
    # triangular(0) = 0 and fibonacci(0) = 0: a log axis cannot show them, a symmetric log axis does
    assert "![the first terms, symmetric log scale, linear between -1 and 1](sequences.png)" in text
    assert "| dyck: (n + 2)*a(n + 1) = (4*n + 2)*a(n) for every n >= 0 | **conjectured** |" in text
    assert "**proved** | symbolic_proof by prover" in text
    assert "`lean/Sequences.lean`: not checked" in text
    assert (project.run_dir / "sequences.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_lean_file_defines_recurrences_and_decides_only_small_cases(shipped_run):
    project, _ = shipped_run
    source = (project.run_dir / "lean" / "Sequences.lean").read_text(encoding="utf-8")
    assert "| m + 2 => no_11 m + no_11 (m + 1)" in source
    assert "| m + 1 => ((4 * (m : Int) + 2) * dyck m) / ((m : Int) + 2)" in source
    assert "∀ m : Nat, m < 12 → ((m : Int) + 1) * dyck m = (binom (2 * m) m : Int) := by\n  decide" in source
    assert "sorry" not in source and "native_decide" not in source
    with Memory.open(project.memory_path) as memory:
        assert {a.check_status for a in memory.artifacts(kind="lean")} == {"not checked"}


def test_running_again_redoes_nothing_and_duplicates_nothing(shipped_run):
    project, _ = shipped_run
    with Memory.open(project.memory_path) as memory:
        before = {table: memory.db[table].count for table in TABLES}
        events_before = len(memory.events())
    assert run_project(project).status == "done"
    with Memory.open(project.memory_path) as memory:
        assert {table: memory.db[table].count for table in TABLES} == before
        actions = [e.action for e in memory.events()[events_before:]]
    assert not [a for a in actions if a.startswith(("claim", "sandbox")) or a == "task done"], actions


SMALL = textwrap.dedent('''\
    [project]
    name = "{name}"
    goal = "Small sequences."

    [domain]
    kind = "sequences"

    [[domain.sequences]]
    name = "dyck"
    description = "Dyck paths"
    count = 10
    code = """
    def a(n):
        def paths(up, down, height):
            if up == down == 0:
                return 1
            total = paths(up - 1, down, height + 1) if up else 0
            return total + (paths(up, down - 1, height - 1) if down and height else 0)
        return paths(n, n, 0)
    """

    [[domain.sequences]]
    name = "slow"
    description = "powers of 3, the last terms after an endless loop"
    count = 10
    code = """
    def a(n):
        while n >= {stop}:
            pass
        return 3 ** n
    """

    [approval]
    gates = {gates}
    ''')


def small_project(write_project, name: str, stop: int = 100, gates: str = "[]"):
    return load_project(write_project(SMALL.format(name=name, stop=stop, gates=gates)))


def test_a_step_stopped_by_a_limit_says_which_and_keeps_the_terms_it_had(write_project, monkeypatch):
    monkeypatch.setattr(terms_module, "LIMITS", Limits(cpu_seconds=1, wall_seconds=10))
    project = small_project(write_project, "limits", stop=9)
    assert run_project(project).status == "done"
    with Memory.open(project.memory_path) as memory:
        outputs = memory.task("terms:slow").outputs
        assert outputs["result"] == "limit_hit" and outputs["limit"] == "cpu"
        assert "9 of 10 terms were computed before" in outputs["detail"]
        assert memory.example("terms:slow")["data"]["terms"] == [3 ** i for i in range(9)]
        assert memory.claim("slow:closed_form").data["guess"]["expression"] == "3**n"
        assert [r["limit_hit"] for r in memory.computations()] == [None, "cpu"]
    assert "stopped by the cpu limit" in project.report_path.read_text()


def test_a_run_interrupted_before_its_step_finished_is_answered_from_the_memory(write_project):
    project = small_project(write_project, "resume")
    assert run_project(project).status == "done"
    with Memory.open(project.memory_path) as memory:
        runs = memory.computations()
        # What a crash between the sandbox run and the step's transaction leaves behind.
        with memory.atomic():
            memory.db.execute("delete from examples where id = 'terms:dyck'")
            memory.db.execute("update tasks set status = 'pending' where id = 'terms:dyck'")
    assert run_project(project).status == "done"
    with Memory.open(project.memory_path) as memory:
        assert memory.computations() == runs
        assert memory.task("terms:dyck").outputs["cached"] is True
        assert memory.example("terms:dyck")["data"]["terms"][:5] == [1, 1, 2, 5, 14]
        assert "sandbox run reused" in [e.action for e in memory.events()]


def test_model_written_code_waits_at_the_run_code_gate_and_runs_once_approved(write_project):
    project = small_project(write_project, "gated", gates='["run_code"]')
    model_code = "def a(n):\n    return 2 ** n\n"
    with Memory.open(project.memory_path) as memory:
        memory.add_tasks([Task(id="terms:dyck:model", kind="sequence_terms", role="example_generator",
                               title="A model's program for dyck",
                               inputs={"sequence": "dyck", "origin": "model", "code": model_code})],
                         terms_module.ACTOR)
    paused = run_project(project)
    assert paused.status == "paused"
    assert [(item["gate"], item["subject"]) for item in paused.waiting] == [("run_code", "terms:dyck:model")]
    with Memory.open(project.memory_path) as memory:
        codes = {memory.computation(r["key"])["code"] for r in memory.computations()}
        assert not any("2 ** n" in code for code in codes), "model code ran before approval"
        [item] = memory.reviews(gate="run_code")
        assert item.evidence["code"] == model_code
        memory.decide_review(item.id, "approved", Actor.person("ada"))
    assert run_project(project).status == "done"
    with Memory.open(project.memory_path) as memory:
        task = memory.task("terms:dyck:model")
        assert task.status == "done" and task.outputs["result"] == "completed"
        assert memory.computation(task.outputs["run"])["outcome"]["result"][:4] == [1, 2, 4, 8]


def test_rejected_model_code_never_runs_and_person_code_needs_no_approval(write_project):
    project = small_project(write_project, "rejected", gates='["run_code"]')
    runtime = SimpleNamespace(context=TeamContext(project=project), stream_writer=lambda _: None)
    task = Task(id="terms:dyck:model", kind="sequence_terms", role="example_generator", title="model code",
                inputs={"sequence": "dyck", "origin": "model", "code": "def a(n):\n    return n\n"})
    project.run_dir.mkdir(parents=True)
    with Memory.open(project.memory_path) as memory:
        memory.add_tasks([task], terms_module.ACTOR)
        terms_module.compute_terms(memory, memory.task(task.id), runtime, {})
        assert code_runs.awaits_person(memory, memory.task(task.id))
        [item] = memory.reviews(status="pending")
        memory.decide_review(item.id, "rejected", Actor.person("ada"), reason="no loops please")
        terms_module.compute_terms(memory, memory.task(task.id), runtime, {})
        assert memory.task(task.id).status == "done"
        assert memory.task(task.id).outputs == {"result": "rejected", "reason": "no loops please"}
        assert memory.computations() == []
        person = Task(id="terms:dyck", kind="sequence_terms", role="example_generator", title="person's code",
                      inputs={"sequence": "dyck", "origin": "project"})
        memory.add_tasks([person], terms_module.ACTOR)
        terms_module.compute_terms(memory, memory.task(person.id), runtime, {})
        assert memory.task(person.id).outputs["result"] == "completed"
        assert len(memory.reviews()) == 1

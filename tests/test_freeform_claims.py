"""Claims posed in the project file, checked with no model: schema errors, verdicts, the statement gate's pin, export."""

from __future__ import annotations

import json
import textwrap

import pytest

from mathteam.cli import main
from mathteam.memory import Memory
from mathteam.project import load_project
from mathteam.runner import run_project

HEAD = textwrap.dedent("""\
    [project]
    name = "claims"
    goal = "Settle some claims"

    [domain]
    kind = "freeform"
    """)
EULER = '''
[[domain.claims]]
statement = "n^2 + n + 41 is prime for every natural number n"
python = """
from sympy import isprime
def holds(n):
    return isprime(n * n + n + 41)
def domain(n):
    return n >= 0
"""
instances = "range(0, 40)"
'''
CUBES = '''
[[domain.claims]]
statement = "The sum of the first n cubes is the square of the n-th triangular number"
sympy = "Eq(Sum(k**3, (k, 1, n)), (n*(n + 1)/2)**2)"
'''
AM_GM = '''
[[domain.claims]]
statement = "a^2 + b^2 >= 2ab for all integers a and b"
smt = "(forall ((a Int) (b Int)) (>= (+ (* a a) (* b b)) (* 2 a b)))"
'''
SMALL = '''
[[domain.claims]]
statement = "n^2 - n + 41 is prime for n = 0, ..., 40"
python = """
from sympy import isprime
def holds(n):
    return isprime(n * n - n + 41)
"""
instances = "range(0, 41)"
'''


@pytest.mark.parametrize("claim, expected", [
    ('statement = "x"\npython = "def holds(n): return True"\n',
     "[[domain.claims]] #1: give `python` and `instances` together"),
    ('statement = "x"\npython = "def f(n): return True"\ninstances = "range(3)"\n',
     "[[domain.claims]] #1: python: defines no function holds(x) at the top level"),
    ('statement = "x"\nsympy = "Eq(n.__class__, 1)"\n', "[[domain.claims]] #1: sympy: Attribute is not accepted"),
    ('statement = "x"\nsmt = "(forall ((a Int)) (>= a"\n', "[[domain.claims]] #1: smt: unbalanced '('"),
    ('statement = "x"\nproof = "trivial"\n', "[[domain.claims]] #1 proof: unknown field (expected one of: statement"),
    ('statement = ""\n', "[[domain.claims]] #1 statement:"),
])
def test_a_bad_claim_is_one_line_naming_the_claim_and_the_field_with_exit_2(write_project, capsys, claim, expected):
    path = write_project(HEAD + "\n[[domain.claims]]\n" + claim)
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and expected in err, err


def test_without_claims_or_a_model_the_planner_setting_is_named(write_project, capsys):
    path = write_project(HEAD)
    assert main(["run", str(path)]) == 2
    assert "[team] planner: a freeform project without [[domain.claims]] needs a model brain" in capsys.readouterr().err


def test_posed_claims_run_offline_to_their_verdicts_with_evidence(write_project, capsys):
    path = write_project(HEAD + EULER + CUBES + AM_GM + SMALL)
    assert main(["run", str(path), "--quiet"]) == 0
    project = load_project(path)
    with Memory.open(project.memory_path) as memory:
        status = {c.id: c.status for c in memory.claims()}
        # claim 1 holds on its 40 instances; the hunt beyond them (within domain(x)) finds n = 40.
        assert status == {"claim:1": "refuted", "claim:2": "proved", "claim:3": "proved", "claim:4": "checked"}
        [counterexample] = [e for e in memory.evidence("claim:1") if e.accepted and e.verdict == "refutes"]
        assert counterexample.payload["counterexample"] == "40" and counterexample.payload["step"] == "hunt"
        [proof] = [e for e in memory.evidence("claim:2") if e.accepted]
        assert proof.kind == "symbolic_proof" and "cancel(lhs - rhs) == 0" in proof.payload["detail"]
        [smt] = [e for e in memory.evidence("claim:3") if e.accepted]
        assert smt.kind == "smt_proof" and smt.checker.startswith("z3 ")
        assert [e.kind for e in memory.evidence("claim:4") if e.accepted] == ["instance_check"]
    report = project.report_path.read_text(encoding="utf-8")
    assert "holds for all 41 instances tried (the instances range(0, 41))" in report
    assert "not run: the python form defines no domain(x)" in report
    assert "**Status: checked.**" in report and "it is not a proof" in report
    capsys.readouterr()

    assert main(["export", str(path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_statement = {row["statement"]: row for row in rows}
    assert by_statement["n^2 - n + 41 is prime for n = 0, ..., 40"]["status"] == "checked"
    assert by_statement["a^2 + b^2 >= 2ab for all integers a and b"]["status"] == "proved"
    assert "holds(40) is False" in by_statement["n^2 + n + 41 is prime for every natural number n"]["evidence"]


def test_the_statement_gate_shows_every_form_and_checks_exactly_what_was_approved(write_project, capsys):
    path = write_project(HEAD + CUBES + '\n[approval]\ngates = ["statement"]\n')
    outcome = run_project(load_project(path))
    assert outcome.status == "paused"
    project = load_project(path)
    with Memory.open(project.memory_path) as memory:
        [item] = memory.reviews(status="pending")
        assert item.gate == "statement" and item.subject == "claim:1"
        assert "--- words ---\nThe sum of the first n cubes" in item.evidence["forms"]
        assert "--- sympy identity ---\nEq(Sum(k**3, (k, 1, n)), (n*(n + 1)/2)**2)" in item.evidence["forms"]
        pinned = item.evidence["forms_sha256"]
        assert memory.claim("claim:1").data["forms_sha256"] == pinned
        # Someone changes the claim's forms in the memory after asking: what runs must be what was approved.
        memory.db.execute("update claims set data = json_set(data, '$.forms.sympy', 'Eq(n, n)') where id = 'claim:1'")
    assert main(["review", str(path), "approve", str(item.id), "--as", "alice"]) == 0
    assert run_project(load_project(path)).status == "done"
    with Memory.open(project.memory_path) as memory:
        assert memory.claim("claim:1").status == "open"
        assert "the forms changed since they were approved" in memory.task("check:claim:1").outputs["result"]


def test_an_approved_claim_is_checked(write_project):
    path = write_project(HEAD + CUBES + '\n[approval]\ngates = ["statement"]\n')
    assert run_project(load_project(path), approve_all=True).status == "done"
    with Memory.open(load_project(path).memory_path) as memory:
        assert memory.claim("claim:1").status == "proved"


def test_a_claim_the_memory_already_contradicts_is_refuted_at_once_with_that_datum(write_project):
    # Claim 1's counterexample (n = 40) is in the memory when claim 2, tested only on 0..9, is checked.
    second = EULER.replace("n^2 + n + 41 is prime for every natural number n",
                           "n^2 + n + 41 is prime for n >= 0 (again)").replace("range(0, 40)", "range(0, 10)")
    path = write_project(HEAD + EULER + second)
    assert main(["run", str(path), "--quiet"]) == 0
    with Memory.open(load_project(path).memory_path) as memory:
        assert memory.claim("claim:2").status == "refuted"
        [against] = [e for e in memory.evidence("claim:2") if e.accepted]
        assert against.payload["step"] == "memory data" and against.payload["counterexample"] == "40"
        assert against.payload["source"] == "data in the memory"
        assert memory.task("check:claim:2").outputs["verdicts"].keys() == {"memory data"}  # nothing else ran


def test_hostile_predicates_in_a_run_give_no_verdict_and_the_report_says_why(write_project):
    hostile = '''
[[domain.claims]]
statement = "this predicate never returns"
python = """
def holds(n):
    while True:
        pass
"""
instances = "range(3)"

[[domain.claims]]
statement = "this predicate answers 1, not True"
python = "def holds(n):\\n    return 1\\n"
instances = "range(3)"
'''
    path = write_project(HEAD + hostile + "\n[budget]\nsearch_seconds = 1\n")
    from mathteam.agents.freeform import checks
    from mathteam.tools import claim_checks
    from mathteam.tools.sandbox import Limits

    # The CPU limit stops the endless loop; the wall clock (a backstop) must not stop claim 2's
    # one-line predicate while a loaded machine starts its sandbox.
    quick = Limits(cpu_seconds=2, wall_seconds=120, memory_mb=512, output_bytes=20_000)
    original = claim_checks.check_predicate
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(checks, "check_predicate", lambda python, instances, run: original(python, instances, run, quick))
        assert main(["run", str(path), "--quiet"]) == 0
    project = load_project(path)
    with Memory.open(project.memory_path) as memory:
        assert {c.status for c in memory.claims()} == {"open"}
        reasons = {e.claim_id: e.payload["detail"] for e in memory.evidence(kind="unsettled_check")}
    assert reasons["claim:1"].startswith("no verdict: the sandbox stopped it")
    assert "returned int, not bool" in reasons["claim:2"]
    report = project.report_path.read_text(encoding="utf-8")
    assert "instances: **none**" in report and "returned int, not bool" in report

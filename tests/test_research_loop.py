"""The free-form research loop end to end through `mathteam run`, against a server that answers by schema:
conjectures with checkable forms, proofs through sympy, refutations by the example-generator's hunt,
claims that stay `checked`, refuted conjectures back to the conjecturer, and a loop that says why it stopped."""

from __future__ import annotations

import textwrap

import pytest
from research_server import SchemaServer

from mathteam.cli import main
from mathteam.memory import Memory
from mathteam.project import load_project

PLAN = {"summary": "Conjecture from small cases, check, prove.", "tasks": [
    {"key": "guess", "kind": "conjecture", "title": "Conjectures about the goal"}]}
NOTHING_NEW = {"conjectures": []}
NO_PROOF = {"verdict": "no_proof", "argument": "I do not see it.", "gaps": ["everything"], "sketch": ""}
PROSE = {"summary": "What the checkers found, in words (not checked)."}

ODD_SUM = {"statement": "The sum of the first n odd numbers is n^2",
           "sympy": "Eq(Sum(2*k - 1, (k, 1, n)), n**2)", "rationale": "1, 4, 9, 16"}
EULER = {"statement": "n^2 + n + 41 is prime for every natural number n",
         "python": "from sympy import isprime\ndef holds(n):\n    return isprime(n * n + n + 41)\n"
                   "def domain(n):\n    return n >= 0\n",
         "instances": "range(0, 40)", "rationale": "prime for n < 40"}
GOLDBACH = {"statement": "Every even number from 4 to 5000 is a sum of two primes",
            "python": "from sympy import isprime\ndef holds(n):\n"
                      "    return any(isprime(p) and isprime(n - p) for p in range(2, n // 2 + 1))\n"
                      "def domain(n):\n    return n % 2 == 0 and 4 <= n <= 5000\n",
            "instances": "range(4, 200, 2)", "rationale": "true up to 200"}
EULER_FIXED = {"statement": "n^2 + n + 41 is prime for n = 0, ..., 39",
               "python": "from sympy import isprime\ndef holds(n):\n    return isprime(n * n + n + 41)\n"
                         "def domain(n):\n    return 0 <= n <= 39\n",
               "instances": "range(0, 40)", "rationale": "the counterexample n = 40 bounds it"}


def project_text(url: str, *, prover: str = "local", rounds: int = 3, idle: int = 1, candidates: int = 4) -> str:
    return textwrap.dedent(f"""\
        [project]
        name = "research"
        goal = "Find and settle facts about small integer formulas"

        [domain]
        kind = "freeform"
        max_rounds = {rounds}

        [models.local]
        provider = "openai_compatible"
        model = "loopback-model"
        base_url = "{url}"
        timeout_s = 5
        max_retries = 0

        [team]
        planner = "local"
        conjecturer = "local"
        prover = "{prover}"
        writer = "local"
        conjecture_candidates = {candidates}

        [budget]
        search_seconds = 3
        max_rounds_without_progress = {idle}
        """)


def run(write_project, scripts: dict, **settings) -> tuple[int, SchemaServer, object]:
    with SchemaServer({"Plan": [PLAN], "Prose": [PROSE], "InformalProof": [NO_PROOF], **scripts}) as server:
        path = write_project(project_text(server.base_url, **settings))
        code = main(["run", str(path), "--quiet"])
    return code, server, load_project(path)


def claim_by_statement(memory: Memory, statement: str):
    [claim] = [c for c in memory.claims() if c.statement == statement]
    return claim


def test_a_conjecture_with_a_sympy_form_ends_proved(write_project, capsys):
    code, server, project = run(write_project, {"Conjectures": [{"conjectures": [ODD_SUM]}, NOTHING_NEW]})
    assert code == 0
    with Memory.open(project.memory_path) as memory:
        claim = claim_by_statement(memory, ODD_SUM["statement"])
        assert claim.status == "proved" and claim.author == "conjecturer (local, openai_compatible loopback-model)"
        [proof] = [e for e in memory.evidence(claim.id) if e.accepted]
        assert proof.kind == "symbolic_proof" and "cancel(lhs - rhs) == 0" in proof.payload["detail"]
    out = capsys.readouterr().out
    assert "research loop stopped: 1 round(s) in a row settled or checked nothing new" in out
    report = project.report_path.read_text(encoding="utf-8")
    assert "| conjecturer (local, openai_compatible loopback-model) | 1 | 0 | 0 | 1 |" in report
    assert "Stopped: 1 round(s) in a row settled or checked nothing new" in report


def test_a_conjecture_true_on_its_instances_is_refuted_by_the_hunt_and_the_counterexample_goes_back(
        write_project, capsys):
    code, server, project = run(write_project, {"Conjectures": [{"conjectures": [EULER]},
                                                                {"conjectures": [EULER_FIXED]}, NOTHING_NEW]},
                                prover="symbolic")
    assert code == 0
    with Memory.open(project.memory_path) as memory:
        claim = claim_by_statement(memory, EULER["statement"])
        assert claim.status == "refuted"
        [against] = [e for e in memory.evidence(claim.id) if e.accepted and e.verdict == "refutes"]
        # The conjecturer looked at 0..39; the example-generator found 40 beyond them.
        assert against.payload["step"] == "hunt" and against.payload["counterexample"] == "40"
        assert against.author == "example_generator (symbolic, sandbox)"
        check = [e for e in memory.evidence(claim.id) if e.accepted and e.verdict == "supports"]
        assert check and "holds for all 40 instances tried" in check[0].payload["detail"]
        # The next round's request told the conjecturer, and its corrected conjecture is checked.
        assert claim_by_statement(memory, EULER_FIXED["statement"]).status == "checked"
    second = server.told("Conjectures")[1]
    assert EULER["statement"] in second and "holds(40) is False" in second
    assert server.told("Conjectures")[0].count("Propose 4 new candidate conjectures") == 1


def test_a_conjecture_that_survives_the_hunt_stays_checked_and_goes_to_the_prover(write_project, capsys):
    code, server, project = run(write_project, {"Conjectures": [{"conjectures": [GOLDBACH]}, NOTHING_NEW]})
    assert code == 0
    with Memory.open(project.memory_path) as memory:
        claim = claim_by_statement(memory, GOLDBACH["statement"])
        assert claim.status == "checked"
        details = [e.payload["detail"] for e in memory.evidence(claim.id) if e.accepted]
        assert details[0] == "holds for all 98 instances tried (the instances range(4, 200, 2))"
        assert "no counterexample among" in details[1] and "in domain(x)" in details[1]
    # Checked claims go to the prover: its request names the claim.
    assert any(GOLDBACH["statement"] in text for text in server.told("InformalProof"))
    report = project.report_path.read_text(encoding="utf-8")
    assert "**Status: checked.**" in report and "| 1 | 0 | 1 | 0 |" in report


def test_the_provers_sympy_form_for_a_checked_claim_is_checked_and_proves_it(write_project):
    gauss = {"statement": "1 + 2 + ... + n = n(n+1)/2",
             "python": "def holds(n):\n    return sum(range(n + 1)) * 2 == n * (n + 1)\n"
                       "def domain(n):\n    return n >= 0\n", "instances": "range(0, 50)"}
    proof = {"verdict": "proof", "argument": "Pair k with n + 1 - k.", "gaps": [], "sketch": "Gauss",
             "sympy": "Eq(Sum(k, (k, 1, n)), n*(n + 1)/2)"}
    code, server, project = run(write_project, {"Conjectures": [{"conjectures": [gauss]}, NOTHING_NEW],
                                                "InformalProof": [proof]})
    assert code == 0
    with Memory.open(project.memory_path) as memory:
        claim = claim_by_statement(memory, gauss["statement"])
        assert claim.status == "proved" and claim.data["forms"]["sympy"] == proof["sympy"]
        assert [e.kind for e in memory.evidence(claim.id) if e.accepted][-1] == "symbolic_proof"
        [sketch] = memory.evidence(claim.id, kind="informal_proof")
        assert not sketch.accepted


def test_best_of_n_every_candidate_is_checked_and_the_loop_stops_at_max_rounds(write_project, capsys):
    candidates = [ODD_SUM, EULER, GOLDBACH]
    rounds = [{"conjectures": candidates}] + [
        {"conjectures": [{**ODD_SUM, "statement": f"Variant {k}: the sum of the first n odd numbers is n^2"}]}
        for k in range(5)]
    code, server, project = run(write_project, {"Conjectures": rounds}, prover="symbolic", rounds=2, idle=5,
                                candidates=3)
    assert code == 0
    with Memory.open(project.memory_path) as memory:
        status = {c.statement: c.status for c in memory.claims()}
    assert status[ODD_SUM["statement"]] == "proved" and status[EULER["statement"]] == "refuted"
    assert status[GOLDBACH["statement"]] == "checked"
    assert len(status) == 5  # three candidates, then one per research round, two rounds
    assert "research loop stopped: max_rounds = 2 research round(s) after the first plan are done" in \
        capsys.readouterr().out


def test_the_loop_stops_once_the_goals_own_claims_are_settled(write_project, capsys):
    plan = {**PLAN, "claims": [{"statement": "The sum of the first n cubes is the square of the n-th triangular "
                                             "number", "sympy": "Eq(Sum(k**3, (k, 1, n)), (n*(n + 1)/2)**2)"}]}
    code, server, project = run(write_project, {"Plan": [plan], "Conjectures": [NOTHING_NEW]}, idle=3)
    assert code == 0
    with Memory.open(project.memory_path) as memory:
        assert memory.claim("goal:1").status == "proved"
    assert "research loop stopped: the goal's claims are settled (after round 1)" in capsys.readouterr().out
    assert server.asked["Conjectures"] == 1  # the first plan's conjecture task only: no further round


def test_a_models_predicate_runs_only_after_the_run_code_gate_allows_exactly_it(write_project, capsys):
    scripts = {"Plan": [PLAN], "Prose": [PROSE], "InformalProof": [NO_PROOF],
               "Conjectures": [{"conjectures": [GOLDBACH]}, NOTHING_NEW]}
    with SchemaServer(scripts) as server:
        path = write_project(project_text(server.base_url, prover="symbolic", rounds=1)
                             + '\n[approval]\ngates = ["run_code"]\n')
        assert main(["run", str(path), "--quiet"]) == 3
        project = load_project(path)
        with Memory.open(project.memory_path) as memory:
            [item] = memory.reviews(status="pending")
            assert item.gate == "run_code" and "def holds(n):" in item.evidence["code"]
            assert "# instances: range(4, 200, 2)" in item.evidence["code"]
            assert memory.computations() == []  # nothing of the model's ran
            claim = claim_by_statement(memory, GOLDBACH["statement"])
            assert claim.status == "conjectured"
        assert main(["review", str(path), "approve", str(item.id), "--as", "alice"]) == 0
        assert main(["run", str(path), "--quiet"]) == 0
    with Memory.open(project.memory_path) as memory:
        assert claim_by_statement(memory, GOLDBACH["statement"]).status == "checked"

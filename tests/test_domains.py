"""Domains as plug-ins: a toy domain that lives in tests/ runs end to end through the real team.

The toy (tests/toy_primes.py) is registered by the fixture below, without touching any file of the
package: the project file names its kind, and the real graph, memory, gates, report and export do
the rest.
"""

from __future__ import annotations

import csv
import io
import textwrap

import pytest

import toy_primes
from mathteam import review
from mathteam.cli import main
from mathteam.domain import DOMAINS, UnknownDomain, register
from mathteam.errors import ProjectFileError, ReviewError
from mathteam.memory import Memory
from mathteam.project import load_project
from mathteam.runner import run_project


@pytest.fixture
def toy_domain():
    register(toy_primes.DOMAIN)
    yield toy_primes.DOMAIN
    DOMAINS.unregister(toy_primes.KIND)


def toy_text(approval: str = "", numbers: str = "[7, 9, 10, 13, 91, 97]") -> str:
    return textwrap.dedent(f"""\
        [project]
        name = "toy"
        goal = "Which of these numbers are prime?"

        [domain]
        kind = "toy_primes"
        numbers = {numbers}
        search_up_to = 5

        [approval]
        {approval}
        """)


def test_toy_domain_runs_end_to_end_through_the_team(toy_domain, write_project, capsys):
    path = write_project(toy_text())
    assert main(["run", "--quiet", str(path)]) == 0
    project = load_project(path)
    with Memory.open(project.memory_path) as memory:
        status = {claim.id: claim.status for claim in memory.claims()}
        # 91 = 7·13 has no factor up to the search's bound 5: conjectured, then refuted by the prover.
        assert status == {"prime:7": "proved", "prime:9": "refuted", "prime:10": "refuted",
                          "prime:13": "proved", "prime:91": "refuted", "prime:97": "proved"}
        assert {t.status for t in memory.tasks()} == {"done"}
        assert memory.evidence("prime:9")[0].payload == {"factor": 3}
        assert [(e.payload, e.author) for e in memory.evidence("prime:91")] == [
            ({"factor": 7}, toy_primes.PROVER.label())]
    report = project.report_path.read_text(encoding="utf-8")
    assert "| 97 | proved | symbolic_proof (every divisor up to the square root re-tried) |" in report
    assert "| 9 | refuted | counterexample (the factor re-divided) |" in report

    capsys.readouterr()
    assert main(["export", str(path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {row["id"]: row["claim_status"] for row in rows}["prime:13"] == "proved"


def test_toy_domain_waits_at_the_conjecture_gate_and_obeys_the_decisions(toy_domain, write_project):
    path = write_project(toy_text(approval='gates = ["conjecture"]', numbers="[7, 8, 11]"))
    outcome = run_project(load_project(path))
    assert outcome.status == "paused"
    assert {item["subject"] for item in outcome.waiting} == {"prime:7", "prime:11"}
    with Memory.open(load_project(path).memory_path) as memory:
        assert memory.claim_counts() == {"conjectured": 2, "refuted": 1}, "nothing is proved before a decision"
        asked = {item.subject: item.id for item in review.pending(memory)}
        with pytest.raises(ReviewError, match="primality claims cannot be edited"):
            review.decide(memory, asked["prime:7"], "edited", "alice", edit="7 is odd")
        review.decide(memory, asked["prime:7"], "approved", "alice")
        review.decide(memory, asked["prime:11"], "rejected", "bob", reason="not today")
    assert run_project(load_project(path)).status == "done"
    with Memory.open(load_project(path).memory_path) as memory:
        assert memory.claim("prime:7").status == "proved"
        rejected = memory.claim("prime:11")
        assert rejected.status == "open" and "rejected at the conjecture gate by bob" in rejected.reason
    report = load_project(path).report_path.read_text(encoding="utf-8")
    assert "| bob | conjecture | rejected | 1 |" in report


def test_a_kind_nobody_registered_is_one_line_naming_the_known_ones(write_project):
    path = write_project(toy_text())
    with pytest.raises(ProjectFileError) as caught:
        load_project(path)
    assert caught.value.field == "[domain] kind"
    assert "unknown domain 'toy_primes'" in caught.value.problem
    assert "'magma_implications', 'sequences', 'freeform'" in caught.value.problem
    with pytest.raises(UnknownDomain):
        DOMAINS["toy_primes"]


def test_the_toy_sections_own_fields_are_checked_like_any_other(toy_domain, write_project):
    path = write_project(toy_text().replace("search_up_to = 5", "search_up_to = 5\nbound = 3"))
    with pytest.raises(ProjectFileError) as caught:
        load_project(path)
    assert caught.value.field == "[domain] bound"
    assert "expected one of: kind, numbers, search_up_to" in caught.value.problem

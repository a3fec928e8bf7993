"""SAT model search: the same answers as exhaustive enumeration, proofs that a size is empty, deadlines kept."""

from __future__ import annotations

import random

import numpy as np

from mathteam.domains.magma import finite
from mathteam.domains.magma.laws import enumerate_laws
from mathteam.domains.magma.model_cnf import counterexample_cnf
from mathteam.domains.magma.terms import parse_law
from mathteam.tools.results import Found, NotFound
from mathteam.tools.sat_search import find_counterexample


def test_size_3_answers_agree_with_enumerating_every_size_3_magma():
    laws = random.Random(11).sample(enumerate_laws(4), 24)
    magmas = finite.all_magmas(3)
    holds = np.array([finite.satisfies(magmas, law) for law in laws])
    found = 0
    for a, hypothesis in enumerate(laws[:12]):
        for b, conclusion in enumerate(laws[12:], start=12):
            expected = bool((holds[a] & ~holds[b]).any())
            result = find_counterexample(hypothesis, conclusion, sizes=[3], seconds=20)
            assert isinstance(result, Found) == expected, (hypothesis, conclusion)
            if isinstance(result, Found):
                found += 1
                table = [list(row) for row in result.table]
                assert finite.find_violation(table, hypothesis) is None
                assert finite.find_violation(table, conclusion) is not None
            else:
                assert result.sizes_exhausted == (3,)
    assert 0 < found < 144  # both answers occur, so the comparison means something


def test_it_reaches_size_8_where_every_smaller_size_is_proved_empty():
    # ETP Equation898 ⇏ Equation43: no counterexample below 8 elements; one of size 8 exists.
    e898, e43 = parse_law("x = y ◇ ((x ◇ z) ◇ (z ◇ y))"), parse_law("x ◇ y = y ◇ x")
    result = find_counterexample(e898, e43, sizes=range(2, 9), seconds=60)
    assert isinstance(result, Found) and result.size == 8
    assert finite.find_violation([list(r) for r in result.table], e898) is None
    assert finite.find_violation([list(r) for r in result.table], e43) is not None
    empty = find_counterexample(e898, e43, sizes=range(2, 8), seconds=60)
    assert isinstance(empty, NotFound) and empty.reason == "exhausted" and empty.sizes_exhausted == tuple(range(2, 8))


def test_a_law_that_forces_one_element_is_impossible_without_a_solver():
    cnf = counterexample_cnf([parse_law("x = y")], parse_law("x ◇ y = y ◇ x"), 3)
    assert cnf.impossible


def test_the_deadline_holds_while_grounding_a_large_size():
    # 12**5 = 248,832 ground instances, the clock read every 256 of them (about 970 reads if grounding
    # ran to the end); a clock ticking once per read runs out after a few, whatever the machine's speed.
    big = parse_law("x ◇ (y ◇ z) = (w ◇ u) ◇ x")
    reads = 0

    def ticking_clock() -> float:
        nonlocal reads
        reads += 1
        return reads * 0.1

    result = find_counterexample(big, parse_law("x = y"), sizes=[12], seconds=0.5, clock=ticking_clock)
    assert isinstance(result, NotFound) and result.reason == "budget" and result.sizes_exhausted == ()
    assert 4 < reads < 20  # read while grounding (four reads happen outside it), stopped at the deadline

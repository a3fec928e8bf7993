"""The targeted search's helpers: least-number symmetry breaking and seeds (consequences E derives
from the hypothesis). Neither may lose a model up to isomorphism; every table is re-checked here."""

from __future__ import annotations

import random

import pytest
from pysat.solvers import Solver

from mathteam.domains.magma import finite
from mathteam.domains.magma.laws import parse_law_spec
from mathteam.domains.magma.model_cnf import choose_seeds, counterexample_cnf
from mathteam.domains.magma.terms import parse_law
from mathteam.tools.bulk_provers import SearchOptions, search_pairs
from mathteam.tools.eprover import derived_equations, find_eprover
from mathteam.tools.results import Found
from mathteam.tools.sat_search import find_counterexample

needs_e = pytest.mark.skipif(find_eprover() is None, reason="the E prover is not installed")
LAWS = [item.law for item in parse_law_spec(["etp:1-410"])]
EQUATION_14 = parse_law("x = y ◇ (x ◇ y)")
EQUATION_43 = parse_law("x ◇ y = y ◇ x")


def _solve(hypothesis, conclusion, size, symmetry, extra=()):
    cnf = counterexample_cnf([hypothesis], conclusion, size, symmetry=symmetry)
    if cnf.impossible:
        return None
    with Solver(name="glucose4", bootstrap_with=cnf.clauses + [list(c) for c in extra]) as solver:
        return cnf.table(solver.get_model()) if solver.solve() else None, cnf


def test_symmetry_breaking_keeps_exactly_the_sizes_that_have_a_counterexample():
    rng = random.Random(7)
    pairs = [(rng.randrange(410), rng.randrange(410)) for _ in range(120)] + [(13, 42)]
    for a, b in pairs:
        for size in (2, 3, 4):
            plain, with_symmetry = _solve(LAWS[a], LAWS[b], size, False), _solve(LAWS[a], LAWS[b], size, True)
            if plain is None or with_symmetry is None:
                assert plain is None and with_symmetry is None
                continue
            assert (plain[0] is None) == (with_symmetry[0] is None), (a + 1, b + 1, size)
            if with_symmetry[0] is not None:
                check = finite.check_counterexample([list(r) for r in with_symmetry[0]], LAWS[a], LAWS[b])
                assert check.ok, check.reason


def test_symmetry_breaking_refuses_a_table_whose_first_cell_takes_a_fresh_element_out_of_order():
    # x ◇ x = x fails somewhere with x = 0 (one variable): cell (0,0) may be 0 or 1, never 2 or 3.
    hypothesis, conclusion = parse_law("x ◇ y = y ◇ x"), parse_law("x = x ◇ x")
    cnf = counterexample_cnf([hypothesis], conclusion, 4, symmetry=True)
    with Solver(name="glucose4", bootstrap_with=cnf.clauses) as solver:
        assert not solver.solve(assumptions=[cnf.cell[0][0][3]])
        assert not solver.solve(assumptions=[cnf.cell[0][0][2]])
        assert solver.solve(assumptions=[cnf.cell[0][0][1]])
    plain = counterexample_cnf([hypothesis], conclusion, 4)
    with Solver(name="glucose4", bootstrap_with=plain.clauses) as solver:
        assert solver.solve(assumptions=[plain.cell[0][0][3]])


def test_choose_seeds_takes_the_smallest_new_consequences_with_few_variables():
    hypothesis = parse_law("x = y ◇ (x ◇ y)")
    derived = [parse_law("y = x ◇ (y ◇ x)"),  # the hypothesis renamed
               parse_law("x = x"), parse_law("x ◇ (y ◇ (z ◇ w)) = w"),
               parse_law("(x ◇ y) ◇ x = y ◇ (x ◇ (y ◇ x))"), parse_law("x ◇ (x ◇ x) = x")]
    seeds = choose_seeds(hypothesis, derived, limit=2)
    # x ◇ (x ◇ x) = x (order 2), then the order-5 one: the order-3 law has 4 variables, too many.
    assert [str(s) for s in seeds] == [str(parse_law("x ◇ (x ◇ x) = x")), str(derived[3])]
    assert all(s.variable_count <= 3 for s in seeds)


@needs_e
def test_equations_e_derives_hold_in_every_small_model_of_the_hypothesis():
    hypothesis = parse_law("x = y ◇ (x ◇ (y ◇ x))")
    derived = derived_equations(hypothesis, 60)
    assert len(derived) > 5
    models = [t for size in (1, 2, 3) for t in finite.all_magmas(size) if finite.satisfies(t[None], hypothesis)[0]]
    assert models
    for law in choose_seeds(hypothesis, derived, limit=6):
        assert all(finite.satisfies(t[None], law)[0] for t in models), str(law)


@needs_e
def test_a_seeded_symmetric_search_finds_a_size_four_counterexample_that_rechecks():
    seeds = choose_seeds(EQUATION_14, derived_equations(EQUATION_14, 60))
    result = find_counterexample(EQUATION_14, EQUATION_43, sizes=range(2, 7), seconds=30, seeds=seeds,
                                 symmetry=True)
    assert isinstance(result, Found) and result.size == 4
    check = finite.check_counterexample([list(r) for r in result.table], EQUATION_14, EQUATION_43)
    assert check.ok, check.reason


def test_search_pairs_passes_its_options_to_the_workers():
    pairs = [(13, 42)]  # Equation14 ⇏ Equation43, first at size 4
    found = dict(search_pairs(LAWS, pairs, (4,), 30.0, lambda a, b: True, 1,
                              options=SearchOptions(symmetry=True)))
    assert isinstance(found[(13, 42)], Found)
    table = [list(r) for r in found[(13, 42)].table]
    assert finite.check_counterexample(table, LAWS[13], LAWS[42]).ok

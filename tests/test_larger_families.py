"""Larger finite families: translation-invariant magmas searched by SAT, affine magmas over larger rings,
and the engine phases that use them (tools/bulk_larger)."""

from __future__ import annotations

import itertools
import random

import numpy as np
from pysat.solvers import Solver

from mathteam.domains.magma import bulk_families, finite, ring_families
from mathteam.domains.magma.groups import group_named, small_groups
from mathteam.domains.magma.implication_matrix import FALSE, UNKNOWN
from mathteam.domains.magma.laws import enumerate_laws
from mathteam.domains.magma.terms import parse_law
from mathteam.domains.magma.translation_cnf import (
    counterexample_cnf, transitive_satisfaction, translation_table,
)
from mathteam.tools import bulk_larger
from mathteam.tools.bulk_engine import BulkEngine, EngineConfig

LAWS = enumerate_laws(3)[::5]
# A law with models x + f(y − x) on Z/5 and none on Z/4 (Equation73 of the ETP), and the singleton law.
HYPOTHESIS = parse_law("x = y ◇ (x ◇ (x ◇ y))")
SINGLETON = parse_law("x = y")
NONE = EngineConfig(exhaustive_sizes=(1,), affine_moduli=(), matrix_rings=(), e_seconds=(), infinite_models=False)


def test_anchored_evaluation_agrees_with_every_assignment_on_translation_invariant_tables():
    rng = np.random.default_rng(7)
    for n in (4, 5, 6):
        for _ in range(3):
            table = translation_table(rng.integers(0, n, n))
            expected = [bool(finite.satisfies(table[None], law)[0]) for law in LAWS]
            assert transitive_satisfaction(table, LAWS).tolist() == expected


def test_the_translation_search_agrees_with_trying_every_function():
    conclusion = parse_law("x ◇ y = y ◇ x")
    for n in (3, 4, 5):
        brute = [f for f in itertools.product(range(n), repeat=n)
                 if finite.satisfies(translation_table(f)[None], HYPOTHESIS)[0]
                 and not finite.satisfies(translation_table(f)[None], conclusion)[0]]
        cnf = counterexample_cnf([HYPOTHESIS], [conclusion], n)
        with Solver(name="glucose4", bootstrap_with=cnf.clauses) as solver:
            found = solver.solve()
            f = cnf.function(solver.get_model()) if found else None
        assert found == bool(brute), n
        if found:
            assert f in brute


def test_a_translation_job_drops_each_refuted_conclusion_and_goes_on():
    conclusions = (SINGLETON, parse_law("x ◇ y = y ◇ x"), parse_law("x = x"))
    result = bulk_larger.translation_job(HYPOTHESIS, conclusions, (4, 5, 6), 30.0)
    assert result.functions and all(name == "Z5" and len(f) == 5 for name, f in result.functions)
    tables = [translation_table(f) for _, f in result.functions]
    assert all(finite.satisfies(table[None], HYPOTHESIS)[0] for table in tables)
    failing = {i for table in tables for i, law in enumerate(conclusions) if not finite.satisfies(table[None], law)[0]}
    assert 0 in failing and 2 not in failing  # x = x never fails
    # Z/4 has no model at all; on Z/5 and Z/6 only x = x (and what no f fails) remains.
    assert result.sizes_exhausted == ("Z4", "Z5", "Z6")


def test_left_invariant_magmas_on_other_groups_are_searched_and_evaluated_exactly():
    groups = small_groups((4, 6, 8), cyclic_only=False)
    assert [g.name for g in groups] == ["Z4", "Z2×Z2", "Z6", "D3", "Z8", "Z4×Z2", "Z2×Z2×Z2", "D4", "Q8"]
    for group in groups:
        n = group.size
        assert all(group.mul[group.mul[a, b], c] == group.mul[a, group.mul[b, c]]
                   for a in range(n) for b in range(n) for c in range(n)), group.name
        assert group_named(group.name).mul.tolist() == group.mul.tolist()
        table = translation_table(np.random.default_rng(n).integers(0, n, n), group)
        expected = [bool(finite.satisfies(table[None], law)[0]) for law in LAWS]
        assert transitive_satisfaction(table, LAWS).tolist() == expected, group.name
    # An idempotent magma that is not commutative, on the non-abelian D3: found, and its table re-checks.
    idempotent, commutative = parse_law("x ◇ x = x"), parse_law("x ◇ y = y ◇ x")
    cnf = counterexample_cnf([idempotent], [commutative], group_named("D3"))
    with Solver(name="glucose4", bootstrap_with=cnf.clauses) as solver:
        assert solver.solve()
        f = cnf.function(solver.get_model())
    table = translation_table(f, group_named("D3"))
    assert finite.check_counterexample(table.tolist(), idempotent, commutative).ok


def test_larger_affine_rings_agree_with_evaluating_their_tables():
    laws = LAWS[::3]
    assert ring_families.prime_powers(10, 32) == (11, 13, 16, 17, 19, 23, 25, 27, 29, 31, 32)
    params, sat = ring_families.affine_rows(laws, 16)
    assert set(params[:, 2].tolist()) == {0, 1, 2, 4, 8}
    for r in random.Random(1).sample(range(len(params)), 6):
        table = bulk_families.affine_table(16, *params[r]).tolist()
        assert sat[r].tolist() == [finite.find_violation(table, law) is None for law in laws]
    for k, m, sample in ((2, 3, 0), (2, 4, 0), (2, 3, 20)):
        As, Bs = next(ring_families.matrix_pair_chunks(k, m, sample))
        params, sat = ring_families.matrix_rows(laws, As, Bs, m)
        for r in random.Random(k + m + sample).sample(range(len(params)), 4):
            table = bulk_families.matrix_affine_table(*params[r], m).tolist()
            assert sat[r].tolist() == [finite.find_violation(table, law) is None for law in laws], (k, m, r)


def test_one_ring_row_over_other_laws_agrees_with_the_batch():
    laws = LAWS[::2]
    params, sat = ring_families.affine_rows(laws, 13)
    for r in random.Random(2).sample(range(len(params)), 8):
        assert ring_families.affine_row(laws, 13, *params[r]).tolist() == sat[r].tolist()
    As, Bs = next(ring_families.matrix_pair_chunks(2, 3, 0))
    params, sat = ring_families.matrix_rows(laws, As, Bs, 3)
    for r in random.Random(3).sample(range(len(params)), 8):
        assert ring_families.matrix_row(laws, *params[r], 3).tolist() == sat[r].tolist()
    # Only rows that refute an open pair are offered, one per signature.
    open_pairs = np.zeros((len(laws), len(laws)), dtype=bool)
    assert list(bulk_larger.refuting_rows(sat, open_pairs)) == []
    open_pairs[:] = True
    rows = list(bulk_larger.refuting_rows(sat, open_pairs))
    assert rows and len({sat[r].tobytes() for r in rows}) == len(rows)


def test_field_elements_form_a_field():
    field = ring_families.field_elements(2, 3)
    codes = {tuple(e.reshape(-1)) for e in field}
    assert len(field) == len(codes) == 9
    for a, b in itertools.product(field, repeat=2):
        product = tuple((a @ b % 3).reshape(-1))
        assert product in codes and product == tuple((b @ a % 3).reshape(-1))
    assert all(ring_families._invertible(e, 3) for e in field if e.any())


def test_the_larger_rings_phase_runs_late_and_on_resume_and_its_witnesses_recheck(tmp_path):
    laws = [SINGLETON, parse_law("x = (y ◇ x) ◇ y"), parse_law("x ◇ y = y ◇ x"), parse_law("x = x ◇ (x ◇ y)")]
    engine = BulkEngine(laws, tmp_path, NONE)
    engine.refute_with_families()
    engine.late_families()  # a version without the larger rings: nothing to do
    assert (engine.matrix.state == UNKNOWN).sum() > 0 and "larger_rings" not in engine.log.marks
    larger = NONE.model_copy(update={"larger_moduli": (5, 13), "larger_rings": ((2, 3, 0),)})
    resumed = BulkEngine(laws, tmp_path, larger)
    resumed.late_families()  # as before each proving or search round
    # Not before few pairs are open (most open pairs are true ones not yet proved).
    crowded = BulkEngine(laws, tmp_path / "crowded", larger.model_copy(update={"infinite_after_unknown": 1}))
    crowded.refute_with_families()
    crowded.late_families()
    assert "larger_rings" not in crowded.log.marks
    assert resumed.log.marks["larger_rings"] is True
    ii, jj = np.nonzero(resumed.matrix.state == FALSE)
    assert len(ii)
    for a, b in zip(ii, jj):
        table = resumed.log.table(int(resumed.matrix.evidence[a, b]))
        assert finite.check_counterexample(table, laws[a], laws[b]).ok


def test_the_translation_phase_stores_rechecked_magmas_and_logs_what_it_tried(tmp_path):
    laws = [HYPOTHESIS, SINGLETON, parse_law("x = x ◇ y")]
    engine = BulkEngine(laws, tmp_path, NONE.model_copy(update={"translation_sizes": (4, 5), "workers": 1}))
    engine.refute_with_families()
    blocked = engine.matrix.state == UNKNOWN
    assert blocked[0, 1]
    stored = engine._translation(blocked, None)
    assert stored >= 2 and engine.matrix.state[0, 1] == FALSE
    table = engine.log.table(int(engine.matrix.evidence[0, 1]))
    assert len(table) == 5 and "on Z/5" in engine.log.magmas[int(engine.matrix.evidence[0, 1])]["source"]
    assert len(table) == 5 and finite.check_counterexample(table, laws[0], laws[1]).ok
    tried = {(a["a"], a["b"]) for a in engine.log.attempts if a["tool"] == bulk_larger.TRANSLATION_TOOL}
    assert (0, 1) in tried
    # A second pass does not search the same pairs again.
    assert engine._translation(blocked, None) == 0


def test_the_translation_phase_gives_way_after_fruitless_hypotheses(tmp_path):
    # Two hypotheses whose only open conclusion is x = x: nothing fails it, so each job is
    # fruitless, and with give_way_after = 1 the phase stops after the first.
    laws = [HYPOTHESIS, parse_law("x = y ◇ (y ◇ x)"), parse_law("x = x")]
    config = NONE.model_copy(update={"translation_sizes": (4,), "workers": 1, "give_way_after": 1})
    engine = BulkEngine(laws, tmp_path, config)
    blocked = np.zeros((3, 3), dtype=bool)
    blocked[0, 2] = blocked[1, 2] = True
    engine._translation(blocked, None, "translation:1")
    tried = [(a["a"], a["b"]) for a in engine.log.attempts if a["tool"] == bulk_larger.TRANSLATION_TOOL]
    assert len(tried) == 1 and engine.log.marks["gave_way:translation:1"]
    assert engine.search_round(1.0) == 0  # marked: a later round (or a resumed run) skips the phase

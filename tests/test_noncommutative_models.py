"""Infinite counter-models over the non-commutative Q<a, b, c>: exact Gröbner bases of two-sided
ideals, the engine's phase, its evidence, the export, and the independent re-check in bench/recheck.py."""

from __future__ import annotations

from fractions import Fraction

import pytest

from helpers import load_bench_script
from mathteam.domains.magma import infinite_models, noncommutative_models as nc
from mathteam.domains.magma.laws import etp_law
from mathteam.domains.magma.terms import parse_law
from mathteam.tools import bulk_infinite, bulk_reader
from mathteam.tools.bulk_engine import INFINITE_PHASE, NONCOMMUTATIVE_PHASE, BulkEngine, EngineConfig
from mathteam.tools.bulk_evidence import EvidenceLog

# Knuth's central groupoid law: its affine models need a·b + b·a = 1 with a² = b² = 0, which no
# commutative ring but the zero ring has, and 2×2 matrices do.
CENTRAL = parse_law("x = (y * x) * (x * z)")
COMMUTATIVE = parse_law("x * y = y * x")
LAWS = [CENTRAL, COMMUTATIVE, parse_law("(x * y) * z = x * (y * z)"), parse_law("x * x = x"),
        parse_law("x * (x * y) = y")]
# Only the one-element magma refutes: the infinite models are the only other refuters.
ONLY_INFINITE = EngineConfig(exhaustive_sizes=(1,), affine_moduli=(), matrix_rings=(), e_seconds=(),
                             search_pairs_per_level=0)


def _poly(**terms: int) -> nc.Poly:
    return {tuple(nc.LETTERS.index(x) for x in word.replace("one", "")): Fraction(v) for word, v in terms.items()}


def test_the_completion_finds_the_two_by_two_matrices_of_the_central_groupoid_law():
    model = nc.free_noncommutative_model(CENTRAL)
    assert model is not None and model.affine and model.infinite and not model.commutative
    assert model.holds(CENTRAL)
    assert nc.is_groebner(model.basis)
    # a·a = 0, b·b = 0 and b·a = 1 − a·b in the ring; a·b is not 0 and not 1.
    assert model.is_zero(_poly(aa=1)) and model.is_zero(_poly(bb=1))
    assert model.is_zero(_poly(ba=1, ab=1, one=-1))
    assert not model.is_zero(_poly(ab=1)) and not model.is_zero(_poly(ab=1, one=-1))
    assignment, difference = model.violation(COMMUTATIVE)
    assert assignment == (1, 0) and difference == _poly(a=1, b=-1)
    # The commutative free model of the same law is the zero ring: it refutes nothing.
    assert not infinite_models.free_affine_model(CENTRAL).infinite
    assert nc.refutes(model, CENTRAL, COMMUTATIVE)


def test_the_hypotheses_left_open_by_etp_order3_have_commutative_free_rings():
    # Measured and kept as a fact: no affine model over any ring refutes these laws' open pairs.
    for number in (65, 73, 118, 229, 261, 274):
        model = nc.free_noncommutative_model(etp_law(number))
        assert model is not None and model.infinite and model.commutative, number


def test_a_completion_that_hits_its_limits_gives_no_model():
    assert nc.free_noncommutative_model(etp_law(620), nc.Limits(max_steps=3)) is None
    assert nc.groebner([_poly(aab=1, one=-1), _poly(aaa=1, ab=1, b=1)], nc.Limits(max_basis=1)) is None


def test_the_whole_ring_and_the_zero_ring():
    assert nc.groebner([_poly(ab=1, ba=-1), _poly(one=1)]) == [{(): Fraction(1)}]
    model = nc.free_noncommutative_model(parse_law("x = y"))
    assert not model.infinite and not nc.refutes(model, parse_law("x = y"), COMMUTATIVE)


def test_encoding_round_trips_and_rejects_unknown_letters():
    model = nc.free_noncommutative_model(CENTRAL)
    again = nc.model_from_record({"basis": [nc.encode(g) for g in model.basis], "affine": True})
    assert again.basis == model.basis
    with pytest.raises(ValueError, match="letters"):
        nc.decode([["ax", "1"]])
    with pytest.raises(ValueError, match="not a Gröbner basis"):
        nc.model_from_record({"basis": [[["bb", "1"], ["a", "-1"]], [["ab", "1"], ["", "-1"]]]})


@pytest.fixture()
def engine(tmp_path):
    engine = BulkEngine(LAWS, tmp_path, ONLY_INFINITE)
    engine.refute_with_families()
    engine.syntactic_phase()
    engine.late_families()
    return engine


def test_the_engine_phase_refutes_what_the_commutative_models_cannot_and_both_rechecks_accept(engine):
    figures = engine.log.marks[NONCOMMUTATIVE_PHASE]
    assert figures["stored"] == 1 and figures["refuted"] > 0
    record = next(m for m in engine.log.magmas if "model" in m and m["model"]["family"] == nc.FAMILY)
    assert record["source"].startswith(bulk_infinite.SOURCE_PREFIX + "x ◇ y = a·x + b·y + c on Q<a,b,c>/(")
    assert engine.matrix.state[0, 1] == -1 or engine.matrix.counts()["false"] > 0
    assert bulk_reader.check_refutations(engine.matrix, engine.log, LAWS)["failed"] == 0
    result = load_bench_script("recheck").check_all_refutations(engine.matrix.state, engine.matrix.evidence, engine.log, LAWS)
    assert result["failed"] == 0
    names = [f"L{i}" for i in range(len(LAWS))]
    rows = [row for row in bulk_reader.export_rows(engine.matrix, engine.log, names)
            if row[0] == "L0" and row[2] == "refuted"]
    assert rows and all(row[3] == "infinite counter-model" for row in rows)
    text = bulk_reader.infinite_model_text(engine.log, int(rows[0][4].removeprefix("magma")), LAWS[names.index(rows[0][1])])
    assert "Q<a,b,c>/(" in text and "; fails at x=" in text and "not in the ideal" in text


@pytest.mark.parametrize("forge", ["drop a basis element", "add a constant", "not a Gröbner basis",
                                   "another law's model"])
def test_a_doctored_noncommutative_model_is_caught(engine, forge):
    log = EvidenceLog.open(engine.folder, len(LAWS), read_only=True)
    matrix = log.replay()
    k = next(i for i, m in enumerate(log.magmas) if "model" in m and m["model"]["family"] == nc.FAMILY)
    model = dict(log.magmas[k]["model"])
    basis = list(model["basis"])
    if forge == "drop a basis element":
        model["basis"] = basis[1:]
    elif forge == "add a constant":
        model["basis"] = basis + [[["", "1"]]]
    elif forge == "not a Gröbner basis":
        # a·a − b (its overlap with itself and with a·a's old rules no longer resolves)
        model["basis"] = [[["ab", "1"], ["", "-1"]], [["ba", "1"], ["", "-1"]], [["aa", "1"], ["b", "-1"]]]
    else:  # a valid model, of x ◇ (x ◇ y) = y: the central groupoid law fails in it
        model["basis"] = [nc.encode(g) for g in nc.free_noncommutative_model(LAWS[4]).basis]
    log.magmas[k]["model"] = model
    result = load_bench_script("recheck").check_all_refutations(matrix.state, matrix.evidence, log, LAWS)
    assert result["failed"] > 0
    # The team's own re-check (the report's sample) refuses it too, without raising.
    assert bulk_reader.check_refutations(matrix, log, LAWS)["failed"] > 0


def test_a_resumed_run_whose_log_lacks_the_phase_runs_it(tmp_path, monkeypatch):
    # A run logged before the phase existed: the commutative phase is marked, this one is not.
    monkeypatch.setattr(bulk_infinite, "refute_with_free_noncommutative_models",
                        lambda *args, **kwargs: {"stopped": "deadline"})
    old = BulkEngine(LAWS, tmp_path, ONLY_INFINITE)
    old.refute_with_families()
    old.syntactic_phase()
    old.late_families()
    assert INFINITE_PHASE in old.log.marks and NONCOMMUTATIVE_PHASE not in old.log.marks
    before = old.matrix.counts()
    monkeypatch.undo()
    resumed = BulkEngine(LAWS, tmp_path, ONLY_INFINITE)
    resumed.late_families()
    assert resumed.log.marks[NONCOMMUTATIVE_PHASE]["refuted"] > 0
    assert resumed.matrix.counts()["false"] > before["false"]
    # Marked now: a further resume redoes nothing.
    lines = (tmp_path / "evidence.jsonl").read_text().count("\n")
    BulkEngine(LAWS, tmp_path, ONLY_INFINITE).late_families()
    assert (tmp_path / "evidence.jsonl").read_text().count("\n") == lines

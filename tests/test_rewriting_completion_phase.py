"""The rewriting phase's completion pass (tools/bulk_rewriting.refute_with_completed_laws): our own
Knuth–Bendix completion of every law, no E, each certified free magma applied to every open pair,
and bench/recheck.py accepting what it stored."""

from __future__ import annotations

from helpers import load_bench_script
from mathteam.domains.magma import rewriting
from mathteam.domains.magma.implication_matrix import FALSE, UNKNOWN
from mathteam.domains.magma.terms import parse_law
from mathteam.tools import bulk_rewriting
from mathteam.tools.bulk_engine import COMPLETION_PHASE, REWRITING_PHASE, BulkEngine, EngineConfig

# ETP 1485, whose own completion does not finish within the bounds, follows from the central
# groupoid law (ETP 168), whose completion is Knuth's three rules: the central groupoid's free magma
# refutes 1485's pairs too.
EQ1485 = parse_law("x = (y * x) * (x * (z * y))")
COMMUTATIVE = parse_law("x * y = y * x")
CENTRAL = parse_law("x = (y * x) * (x * z)")
DUPLICATING = parse_law("x * x = (x * y) * z")  # ETP 363: only a path order orients it
IDEMPOTENT = parse_law("x * x = x")
LAWS = [EQ1485, COMMUTATIVE, CENTRAL, DUPLICATING, IDEMPOTENT]
COMPLETION_ONLY = EngineConfig(exhaustive_sizes=(1,), affine_moduli=(), matrix_rings=(), e_seconds=(),
                               search_pairs_per_level=0, infinite_models=False, rewriting_seconds=0.0,
                               rewriting_completion=True, workers=1)


def _engine(folder, config=COMPLETION_ONLY) -> BulkEngine:
    engine = BulkEngine(LAWS, folder, config)
    engine.refute_with_families()
    engine.syntactic_phase()
    engine.late_families()
    return engine


def test_completed_laws_refute_pairs_of_other_hypotheses_without_e(tmp_path, monkeypatch):
    monkeypatch.setattr("mathteam.tools.bulk_engine.find_eprover", lambda: None)
    assert bulk_rewriting.completion.convergent_system(EQ1485) is None  # its own completion stops at a bound
    engine = _engine(tmp_path)
    figures = engine.log.marks[COMPLETION_PHASE]
    assert figures["certified"] >= 2 and figures["refuted"] > 0 and REWRITING_PHASE not in engine.log.marks
    state, evidence = engine.matrix.state, engine.matrix.evidence
    assert state[0, 1] == FALSE  # 1485 ⇏ commutative, by the central groupoid's free magma
    model = engine.log.magmas[int(evidence[0, 1])]["model"]
    assert model["family"] == rewriting.FAMILY and model["hypothesis"] == 2
    assert state[2, 0] != FALSE  # the central groupoid law implies 1485: never refuted
    assert state[3, 4] == FALSE  # 363 ⇏ idempotent, by a system decreasing in the LPO only
    assert engine.log.magmas[int(evidence[3, 4])]["model"]["order"] == "lpo"
    recheck = load_bench_script("recheck").check_all_refutations(state, evidence, engine.log, LAWS)
    assert recheck["failed"] == 0 and recheck["pairs_by_infinite_models"] > 0


def test_the_pass_is_off_unless_asked_and_runs_once(tmp_path, monkeypatch):
    monkeypatch.setattr("mathteam.tools.bulk_engine.find_eprover", lambda: None)
    off = _engine(tmp_path / "off", COMPLETION_ONLY.model_copy(update={"rewriting_completion": False}))
    assert COMPLETION_PHASE not in off.log.marks and off.matrix.state[0, 1] == UNKNOWN
    engine = _engine(tmp_path / "on")
    lines = (tmp_path / "on" / "evidence.jsonl").read_text().count("\n")
    _engine(tmp_path / "on")  # marked: a resumed run redoes nothing
    assert (tmp_path / "on" / "evidence.jsonl").read_text().count("\n") == lines
    assert engine.log.marks[COMPLETION_PHASE]["laws"] == len(LAWS)


def test_the_strategies_bench_counts_pairs_refuted_by_each_strategy():
    import numpy as np

    bench = load_bench_script("rewriting_strategies")
    state = np.full((len(LAWS), len(LAWS)), FALSE, dtype=np.int8)
    state[0, 1] = state[0, 4] = state[3, 1] = UNKNOWN  # 1485 ⇏ commutative, idempotent; 363 ⇏ commutative
    labels = np.arange(len(LAWS))
    result = bench.measure(LAWS, state, labels, ["completion", "all-laws"], e_seconds=1.0)
    completion_row, all_laws_row = result["strategies"]
    # per hypothesis: 1485 gets no system, 363 does (refuting its own pair)
    assert completion_row["certified"] == 1 and completion_row["refuted"] == 1
    # every law: the central groupoid's free magma refutes 1485's pairs as well
    assert all_laws_row["refuted"] == 3 and all_laws_row["new"] == 2 and result["refuted_by_any"] == 3
    # x ◇ x = y ◇ y: its sides share no variable, so no convergent system presents its theory
    reach = bench.out_of_reach([parse_law("x * x = y * y"), CENTRAL], {0: [(0, 1)], 1: [(1, 0), (1, 1)]})
    assert reach["classes"] == 1 and reach["pairs"] == 1
    assert reach["which"]["x ◇ x = y ◇ y"]["why"] == "the two sides share no variable"

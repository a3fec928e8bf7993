"""Infinite counter-models (free affine models over Q[a, b, c]): exact decisions, the engine's phase,
its evidence in the log, the export, and the independent re-check in bench/recheck.py."""

from __future__ import annotations

import json

import numpy as np
import pytest

from helpers import load_bench_script
from mathteam.domains.magma import infinite_models
from mathteam.domains.magma.implication_matrix import FALSE
from mathteam.domains.magma.laws import parse_law_spec
from mathteam.domains.magma.terms import parse_law
from mathteam.tools import bulk_reader
from mathteam.tools.bulk_engine import INFINITE_PHASE, BulkEngine, EngineConfig
from mathteam.tools.bulk_evidence import EvidenceLog

COMMUTATIVE = parse_law("x * y = y * x")
ASSOCIATIVE = parse_law("(x * y) * z = x * (y * z)")
# Only the one-element magma refutes here: the free affine models are the only other refuters.
ONLY_INFINITE = EngineConfig(exhaustive_sizes=(1,), affine_moduli=(), matrix_rings=(), e_seconds=(),
                             search_pairs_per_level=0)


def test_the_free_affine_model_of_a_law_satisfies_it_and_refutes_with_a_concrete_assignment():
    model = infinite_models.free_affine_model(COMMUTATIVE)
    assert model.infinite and model.holds(COMMUTATIVE)
    assignment, difference = model.violation(ASSOCIATIVE)
    # x ◇ y = a·x + a·y + c (a = b in the ring): (x◇y)◇z − x◇(y◇z) at x=1, y=z=0 is a² − a, not 0 in Q[a, c].
    assert assignment == (1, 0, 0)
    assert not model.is_zero(difference)
    assert model.violation(COMMUTATIVE) is None
    assert infinite_models.refutes(model, COMMUTATIVE, ASSOCIATIVE)


def test_a_law_without_nontrivial_affine_models_gives_the_zero_ring_which_refutes_nothing():
    model = infinite_models.free_affine_model(parse_law("x = y"))
    assert not model.infinite
    assert not infinite_models.refutes(model, parse_law("x = y"), ASSOCIATIVE)


def test_a_stored_model_rebuilt_from_its_generators_decides_the_same():
    laws = [item.law for item in parse_law_spec(["etp:1-60"])]
    model = infinite_models.free_affine_model(laws[42])
    again = infinite_models.model_from_generators(model.generators)
    assert [model.holds(law) for law in laws] == [again.holds(law) for law in laws]


@pytest.fixture(scope="module")
def only_infinite(tmp_path_factory):
    laws = [item.law for item in parse_law_spec(["etp:1-60"])]
    folder = tmp_path_factory.mktemp("infinite")
    engine = BulkEngine(laws, folder, ONLY_INFINITE)
    engine.refute_with_families()
    engine.syntactic_phase()
    before = engine.matrix.counts()
    engine.late_families()
    return laws, folder, engine, before


def test_the_engine_phase_refutes_pairs_and_both_rechecks_accept_every_one(only_infinite):
    laws, folder, engine, before = only_infinite
    figures = engine.log.marks[INFINITE_PHASE]
    assert figures["stored"] > 0 and engine.matrix.counts()["false"] - before["false"] == figures["refuted"] > 0
    by_kind = bulk_reader.count_by_evidence(engine.matrix, engine.log)
    assert by_kind["refuted: infinite counter-model"] == figures["refuted"]
    assert bulk_reader.check_refutations(engine.matrix, engine.log, laws)["failed"] == 0
    result = load_bench_script("recheck").check_all_refutations(engine.matrix.state, engine.matrix.evidence, engine.log, laws)
    assert result["failed"] == 0 and result["pairs_by_infinite_models"] == figures["refuted"]
    # The open key pairs say the model was tried on them, and the conclusion does hold in it.
    tried = [a for a in engine.log.attempts if a["tool"] == "free-affine-model"]
    assert tried and all(engine.matrix.state[a["a"], a["b"]] != FALSE for a in tried)
    model = infinite_models.free_affine_model(laws[tried[0]["a"]])
    assert model.holds(laws[tried[0]["b"]])


def test_a_doctored_infinite_model_is_caught(only_infinite):
    laws, folder, engine, _ = only_infinite
    log = EvidenceLog.open(folder, len(laws), read_only=True)
    matrix = log.replay()
    k = next(i for i, m in enumerate(log.magmas) if "model" in m and m["model"]["generators"])
    hypothesis = log.magmas[k]["model"]["hypothesis"]
    # The zero ring (1 in the ideal) satisfies every law and so refutes nothing; dropping the ideal
    # (the free magma's linear image) no longer satisfies the hypothesis.
    for forged in (["1"], []):
        log.magmas[k]["model"] = {**log.magmas[k]["model"], "generators": forged}
        assert bulk_reader.check_refutations(matrix, log, laws)["failed"] > 0
        result = load_bench_script("recheck").check_all_refutations(matrix.state, matrix.evidence, log, laws)
        assert result["failed"] > 0
    assert matrix.state[hypothesis].tolist().count(FALSE) > 0


def test_the_export_names_the_infinite_counter_model_with_its_failing_assignment(only_infinite):
    laws, folder, engine, _ = only_infinite
    names = [f"Equation{i + 1}" for i in range(len(laws))]
    rows = [row for row in bulk_reader.export_rows(engine.matrix, engine.log, names) if row[3] == "infinite counter-model"]
    assert rows
    lhs, rhs, status, kind, evidence_id = rows[0]
    assert status == "refuted"
    text = bulk_reader.infinite_model_text(engine.log, int(evidence_id.removeprefix("magma")), laws[names.index(rhs)])
    assert text.startswith("x ◇ y = a·x + b·y + c on Q[a,b,c]/(") and "; fails at x=" in text


def test_the_phase_runs_once_survives_replay_and_a_resume_does_it_if_cut_short(only_infinite, tmp_path):
    laws, folder, engine, _ = only_infinite
    replayed = EvidenceLog.open(folder, len(laws), read_only=True).replay()
    assert (replayed.state == engine.matrix.state).all()
    lines = (folder / "evidence.jsonl").read_text().count("\n")
    again = BulkEngine(laws, folder, ONLY_INFINITE)
    again.late_families()
    assert (folder / "evidence.jsonl").read_text().count("\n") == lines  # marked done: nothing redone
    # Cut short by the deadline: not marked, so the resumed run does it.
    cut = BulkEngine(laws, tmp_path, ONLY_INFINITE)
    cut.refute_with_families()
    cut.syntactic_phase()
    cut.late_families(deadline=0.5)  # long past (monotonic clock)
    assert INFINITE_PHASE not in cut.log.marks
    resumed = BulkEngine(laws, tmp_path, ONLY_INFINITE)
    resumed.late_families()
    assert resumed.log.marks[INFINITE_PHASE]["stored"] > 0
    assert (resumed.matrix.state == engine.matrix.state).all()


def test_the_phase_waits_until_few_pairs_are_open(tmp_path):
    laws = [item.law for item in parse_law_spec(["etp:1-20"])]
    engine = BulkEngine(laws, tmp_path, ONLY_INFINITE.model_copy(update={"infinite_after_unknown": 5}))
    engine.refute_with_families()
    assert engine.matrix.counts()["unknown"] > 5
    engine.late_families()
    assert INFINITE_PHASE not in engine.log.marks
    lines = [json.loads(line) for line in (tmp_path / "evidence.jsonl").read_text().splitlines()]
    assert not any("model" in line for line in lines)
    assert np.asarray(engine.matrix.state).shape == (20, 20)


def test_the_report_lists_the_infinite_counter_models_with_their_formula(only_infinite):
    from mathteam.agents.magma.bulk_report import infinite_models_section

    laws, folder, engine, _ = only_infinite
    named = parse_law_spec(["etp:1-60"])
    lines = infinite_models_section(engine.matrix, engine.log, named)
    text = "\n".join(lines)
    assert lines[0] == "## Infinite counter-models"
    assert "x ◇ y = a·x + b·y + c on Q[a,b,c]/(" in text and "fails at" in text
    assert f"{engine.log.marks[INFINITE_PHASE]['stored']} infinite magmas" in text


def test_laws_given_as_text_of_order_five_get_the_same_evidence_and_rechecks(tmp_path):
    texts = ["a * b = b * a", "a * (b * c) = (a * b) * c", "a = a * a", "a * (a * b) = b",
             "((a * b) * c) * (d * e) = a * e", "a = (b * a) * (c * b)", "a * b = a",
             "(a * a) * (a * a) = a * (a * (a * a))", "a = b * ((a * b) * (b * (b * a)))"]
    laws = [parse_law(t) for t in texts]
    assert max(law.order for law in laws) >= 5
    engine = BulkEngine(laws, tmp_path, ONLY_INFINITE)
    engine.refute_with_families()
    engine.syntactic_phase()
    engine.late_families()
    assert engine.log.marks[INFINITE_PHASE]["refuted"] > 0
    assert bulk_reader.check_refutations(engine.matrix, engine.log, laws)["failed"] == 0
    result = load_bench_script("recheck").check_all_refutations(engine.matrix.state, engine.matrix.evidence, engine.log, laws)
    assert result["failed"] == 0 and result["pairs_by_infinite_models"] == engine.log.marks[INFINITE_PHASE]["refuted"]


def test_pairs_held_at_a_gate_are_left_alone_and_the_phase_waits_for_them(tmp_path):
    laws = [item.law for item in parse_law_spec(["etp:1-60"])]
    engine = BulkEngine(laws, tmp_path, ONLY_INFINITE)
    engine.refute_with_families()
    engine.syntactic_phase()
    before = engine.matrix.counts()
    held = np.ones((len(laws),) * 2, dtype=bool)
    engine.late_families(held=held)
    assert engine.matrix.counts() == before and engine.log.attempts == []
    assert INFINITE_PHASE not in engine.log.marks  # some pairs held: not done yet
    engine.late_families(held=np.zeros_like(held))
    assert engine.log.marks[INFINITE_PHASE]["refuted"] > 0

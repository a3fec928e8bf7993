"""The bulk engine on laws 1–46: the same answers as the pair-by-pair team run, checkable evidence, resume."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mathteam.domains.magma.implication_matrix import FALSE, TRUE, UNKNOWN
from mathteam.domains.magma.laws import enumerate_laws
from mathteam.tools import bulk_reader
from mathteam.tools.bulk_engine import FIRST_STEP, BulkEngine, EngineConfig, Step, next_step
from mathteam.tools.bulk_evidence import EvidenceLog
from mathteam.tools.bulk_provers import compress, decompress
from mathteam.tools.eprover import find_eprover

FIXTURE = Path(__file__).parent / "fixtures" / "etp46_team_answers.txt"
LAWS = enumerate_laws(2)
CONFIG = EngineConfig(e_seconds=(1.0,), search_pairs_per_level=20)

needs_e = pytest.mark.skipif(find_eprover() is None, reason="the E prover is not installed")


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bulk46")
    engine = BulkEngine(LAWS, folder, CONFIG, cache_dir=folder / "cache")
    summary = engine.run()
    return folder, engine, summary


@needs_e
def test_every_pair_of_laws_1_to_46_gets_the_team_runs_answer(finished):
    _, engine, summary = finished
    answers = [line.split() for line in FIXTURE.read_text().splitlines() if not line.startswith("#")]
    assert len(answers) == 46 * 45
    expected = {"proved": TRUE, "refuted": FALSE}
    wrong = [(a, b, s) for a, b, s in answers if engine.matrix.state[int(a) - 1, int(b) - 1] != expected[s]]
    assert wrong == []
    assert summary["counts"]["unknown"] == 0 and summary["classes"] == 23


@needs_e
def test_every_refutation_and_proof_is_rechecked_independently(finished):
    _, engine, _ = finished
    refutations = bulk_reader.check_refutations(engine.matrix, engine.log, LAWS)
    assert refutations["checked"] == refutations["false_pairs"] > 1000 and refutations["failed"] == 0
    proofs = bulk_reader.check_proofs(engine.matrix, engine.log, LAWS, chains=300)
    assert proofs["direct_failed"] == 0 and proofs["chains_failed"] == 0 and proofs["chains_checked"] == 300


@needs_e
def test_a_wrong_witness_or_a_doctored_prover_output_is_caught(finished):
    folder, engine, _ = finished
    log = EvidenceLog.open(folder, len(LAWS))
    matrix = log.replay()
    a, b = (int(x[0]) for x in np.nonzero(matrix.state == FALSE))
    # Point the refutation at the one-element magma, which satisfies every law and so refutes nothing.
    log.magmas.append({"id": len(log.magmas), "table": [[0]], "sat": log.magmas[0]["sat"], "source": "forged"})
    matrix.evidence[a, b] = len(log.magmas) - 1
    assert bulk_reader.check_refutations(matrix, log, LAWS)["failed"] == 1
    k = next(i for i, p in enumerate(log.proofs) if p["kind"] == "eprover")
    assert bulk_reader.check_proof(log, LAWS, k)
    text = decompress(log.proofs[k]["output_z"]).replace("SZS status Theorem", "SZS status GaveUp")
    log.proofs[k]["output_z"] = compress(text)
    assert not bulk_reader.check_proof(log, LAWS, k)


@needs_e
def test_replaying_the_log_rebuilds_the_matrix_and_a_rerun_adds_nothing(finished):
    folder, engine, summary = finished
    lines_before = (folder / "evidence.jsonl").read_text().count("\n")
    again = BulkEngine(LAWS, folder, CONFIG, cache_dir=folder / "cache")
    assert (again.matrix.state == engine.matrix.state).all()
    assert again.run()["counts"] == summary["counts"]
    added = (folder / "evidence.jsonl").read_text().splitlines()[lines_before:]
    assert all('"type":"mark"' in line for line in added)


@needs_e
def test_resuming_from_the_snapshot_and_from_the_log_alone_give_the_same_matrix(finished, tmp_path):
    folder, engine, _ = finished
    assert (folder / "matrix.npz").exists()
    (tmp_path / "evidence.jsonl").write_text((folder / "evidence.jsonl").read_text())
    from_log = EvidenceLog.open(tmp_path, len(LAWS)).replay()
    from_snapshot = EvidenceLog.open(folder, len(LAWS)).replay()
    assert (from_log.state == from_snapshot.state).all() and (from_log.state == engine.matrix.state).all()
    # Every true pair of the log-only replay still derives from direct proofs: evidence ids are consistent.
    log = EvidenceLog.open(tmp_path, len(LAWS))
    assert bulk_reader.check_proofs(from_log, log, LAWS, chains=200)["chains_failed"] == 0


def test_a_run_cut_short_resumes_where_it_stopped(tmp_path):
    engine = BulkEngine(LAWS, tmp_path, EngineConfig(e_seconds=()), cache_dir=tmp_path / "cache")
    first = engine.run()
    assert first["counts"]["unknown"] > 0  # no proving level: the syntactic phase leaves pairs open
    with open(tmp_path / "evidence.jsonl", "a") as handle:
        handle.write('{"type":"proof","id":')  # a torn last line, as after a kill mid-write
    resumed = BulkEngine(LAWS, tmp_path, EngineConfig(e_seconds=()), cache_dir=tmp_path / "cache")
    assert (resumed.matrix.state == engine.matrix.state).all()
    assert resumed.run()["counts"] == first["counts"]
    assert resumed.matrix.state[0, 0] == TRUE and (resumed.matrix.state == UNKNOWN).sum() == first["counts"]["unknown"]


def test_export_streams_one_row_per_ordered_pair(tmp_path):
    engine = BulkEngine(LAWS[:10], tmp_path, EngineConfig(e_seconds=()), cache_dir=tmp_path / "cache")
    engine.run()
    names = [f"Equation{i + 1}" for i in range(10)]
    rows = list(bulk_reader.export_rows(engine.matrix, engine.log, names))
    assert len(rows) == 90
    assert {row[2] for row in rows} <= {"proved", "refuted", "open"}
    assert all(row[4].startswith("magma") for row in rows if row[2] == "refuted")


@needs_e
def test_laws_given_as_text_of_order_five_are_settled_with_checkable_evidence(tmp_path):
    from mathteam.domains.magma.terms import parse_law

    texts = ["a * b = b * a", "a * (b * c) = (a * b) * c", "a = a * a", "a * (a * b) = b",
             "((a * b) * c) * (d * e) = a * e", "a = (b * a) * (c * b)", "a * b = a",
             "(a * a) * (a * a) = a * (a * (a * a))"]
    laws = [parse_law(t) for t in texts]
    assert max(law.order for law in laws) >= 5
    engine = BulkEngine(laws, tmp_path, EngineConfig(e_seconds=(1.0,), search_pairs_per_level=10))
    summary = engine.run()
    assert summary["counts"]["unknown"] == 0
    assert bulk_reader.check_refutations(engine.matrix, engine.log, laws)["failed"] == 0
    assert bulk_reader.check_proofs(engine.matrix, engine.log, laws)["direct_failed"] == 0
    assert engine.matrix.implies(6, 1) and not engine.matrix.implies(1, 0)  # left zero ⇒ associative


def test_a_longer_e_limit_skips_pairs_e_already_saturated(tmp_path):
    engine = BulkEngine(LAWS[:5], tmp_path, CONFIG)
    engine.log.add_attempt(1, 2, "eprover", 1.0, "ResourceOut")
    engine.log.add_attempt(1, 3, "eprover", 1.0, "disproved")
    engine.log.add_attempt(2, 3, "eprover", 1.0, "GaveUp")
    engine.log.add_attempt(3, 4, "sat-search", 5.0, "no magma of size 4, 5")
    at_one, at_ten = engine._blocked(1.0), engine._blocked(10.0)
    assert {tuple(p) for p in np.argwhere(at_one)} == {(1, 2), (1, 3), (2, 3)}
    assert {tuple(p) for p in np.argwhere(at_ten)} == {(1, 3), (2, 3)}  # only the time-out is retried


def test_the_proving_loop_searches_after_each_round_and_moves_up_a_level_when_both_did_nothing():
    # The one loop: BulkEngine.run takes it, and so does the team's driver (agents/magma/bulk.py).
    assert next_step(2, FIRST_STEP, tried=7, found=None) == Step("search", 0, 1)
    assert next_step(2, Step("search", 0, 1), tried=7, found=0) == Step("prove", 0, 2)
    assert next_step(2, Step("search", 0, 2), tried=0, found=3) == Step("prove", 0, 3)
    assert next_step(2, Step("search", 0, 3), tried=0, found=0) == Step("prove", 1, 1)
    assert next_step(2, Step("search", 1, 4), tried=0, found=0) is None


def test_run_takes_the_steps_of_the_loop_in_order(tmp_path):
    phases = []
    engine = BulkEngine(LAWS[:6], tmp_path, EngineConfig(e_seconds=(1.0, 2.0), search_pairs_per_level=5),
                        # a phase's end reports its seconds; reports inside a long phase do not
                        progress=lambda phase, info: phases.append(phase) if ":" in phase and "seconds" in info
                        else None)
    engine.run()
    rounds = [phase.split(":")[0] for phase in phases]
    assert rounds[:2] == ["prove", "search"] and rounds[-2:] == ["prove", "search"]
    assert all(a != b for a, b in zip(rounds, rounds[1:])), "a search after every proving round"
    assert "prove:2" in phases and phases.index("prove:2") > phases.index("search:1")


def _fruitless_prover(calls: list):
    from mathteam.tools.results import TimedOut

    def prove_pairs(laws, pairs, seconds, still_wanted, workers=2, **_executors):
        for a, b in pairs:
            if still_wanted(a, b):
                calls.append((a, b))
                yield (a, b), TimedOut(tool="eprover", version="fake", limit=seconds, reason="ResourceOut",
                                       output="", seconds=seconds)
    return prove_pairs


def _fruitless_search(calls: list):
    from mathteam.tools.results import NotFound

    def search_pairs(laws, pairs, sizes, seconds, still_wanted, workers=2, **_options):
        for a, b in pairs:
            if still_wanted(a, b):
                calls.append((a, b))
                yield (a, b), NotFound(sizes_tried=tuple(sizes), sizes_exhausted=tuple(sizes), reason="exhausted",
                                       seconds=0.0)
    return search_pairs


def test_a_level_that_settles_nothing_gives_way_and_a_resumed_run_skips_it(tmp_path, monkeypatch):
    from mathteam.tools import bulk_provers

    config = EngineConfig(exhaustive_sizes=(1,), affine_moduli=(), matrix_rings=(), e_seconds=(1.0, 10.0),
                          give_way_after=3, infinite_models=False)
    engine = BulkEngine(LAWS, tmp_path, config)
    engine.refute_with_families()
    engine.syntactic_phase()
    proved, searched = [], []
    monkeypatch.setattr(bulk_provers, "prove_pairs", _fruitless_prover(proved))
    monkeypatch.setattr(bulk_provers, "search_pairs", _fruitless_search(searched))
    # The first level is never cut: every key pair of its round gets its attempt.
    first = engine.prove_round(1.0)
    assert len(proved) == first > 3
    assert "gave_way:prove:1" not in engine.log.marks
    # Its searches are cut after 3 fruitless ones in a row, and later search rounds at that level do nothing.
    assert engine.search_round(1.0) == 0 and len(searched) == 3
    assert engine.log.marks["gave_way:search:1"]["attempts_in_a_row"] == 3
    assert engine.search_round(1.0) == 0 and len(searched) == 3
    # The 10 s level gives way after 3 attempts in a row without a proof.
    proved.clear()
    engine.prove_round(10.0)
    assert len(proved) == 3 and engine.log.marks["gave_way:prove:10"]
    assert engine.prove_round(10.0) == 0 and len(proved) == 3
    # Resumed from the log: the marks hold, nothing is attempted again at those steps.
    resumed = BulkEngine(LAWS, tmp_path, config)
    assert resumed.prove_round(10.0) == 0 and resumed.search_round(1.0) == 0
    assert len(proved) == 3 and len(searched) == 3


@needs_e
def test_held_pairs_are_left_alone_until_released(tmp_path):
    # A small question's pairs waiting at a gate are held from the engine (agents/magma/pairs.py).
    engine = BulkEngine(LAWS[:12], tmp_path, EngineConfig(e_seconds=(1.0,), search_pairs_per_level=5))
    engine.refute_with_families()
    engine.syntactic_phase()
    held = np.ones((12, 12), dtype=bool)
    assert engine.prove_round(1.0, held=held) == 0 and engine.search_round(1.0, held=held) == 0
    assert engine.log.attempts == [] and (engine.matrix.state == UNKNOWN).any()
    a, b = (int(x[0]) for x in np.nonzero(engine.matrix.state == UNKNOWN))
    held[a, b] = False
    labels = engine.matrix.classes()  # the engine works on class representatives
    assert engine.prove_round(1.0, held=held) == 1
    assert all((t["a"], t["b"]) == (labels[a], labels[b]) for t in engine.log.attempts)


def test_with_z3_as_the_prover_every_pair_is_settled_and_its_proofs_recheck(tmp_path):
    # `[tools] prover = "z3"` (or `auto` where E is not installed): the same engine, z3 proving.
    laws = LAWS[:16]
    engine = BulkEngine(laws, tmp_path, EngineConfig(prover="z3", e_seconds=(2.0,), search_pairs_per_level=20))
    assert engine.run()["counts"]["unknown"] == 0
    assert any(proof["kind"] == "z3" for proof in engine.log.proofs)
    assert bulk_reader.check_proofs(engine.matrix, engine.log, laws)["direct_failed"] == 0

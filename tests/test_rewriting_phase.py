"""The bulk engine's rewriting phase (tools/bulk_rewriting): E proposes, our code certifies, the
free magma of the hypothesis is stored as an infinite counter-model, the export names it, and
bench/recheck.py re-checks it with its own code (and catches doctored records)."""

from __future__ import annotations

import pytest

from helpers import load_bench_script
from mathteam.domains.magma import rewriting
from mathteam.domains.magma.implication_matrix import FALSE, UNKNOWN
from mathteam.domains.magma.terms import parse_law
from mathteam.tools import bulk_reader, bulk_rewriting
from mathteam.tools.bulk_engine import REWRITING_PHASE, BulkEngine, EngineConfig
from mathteam.tools.bulk_evidence import EvidenceLog
from mathteam.tools.eprover import Saturation, find_eprover

ABSORPTION = parse_law("x * (y * x) = x")
MIRROR_ABSORPTION = parse_law("(x * y) * x = x")
COMMUTATIVE = parse_law("x * y = y * x")
LAWS = [ABSORPTION, COMMUTATIVE, parse_law("(x * y) * z = x * (y * z)"), parse_law("x * x = x"),
        MIRROR_ABSORPTION, parse_law("(x * y) * y = x * y")]
# Only the one-element magma refutes: the rewriting phase is the only other refuter.
ONLY_REWRITING = EngineConfig(exhaustive_sizes=(1,), affine_moduli=(), matrix_rings=(), e_seconds=(),
                              search_pairs_per_level=0, infinite_models=False, rewriting_seconds=2.0, workers=1)
live = pytest.mark.skipif(find_eprover() is None, reason="eprover is not on PATH (apt install eprover)")


def _engine(folder, config=ONLY_REWRITING) -> BulkEngine:
    engine = BulkEngine(LAWS, folder, config)
    engine.refute_with_families()
    engine.syntactic_phase()
    engine.late_families()
    return engine


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    if find_eprover() is None:
        pytest.skip("eprover is not on PATH (apt install eprover)")
    return _engine(tmp_path_factory.mktemp("rewriting"))


def _records(log: EvidenceLog) -> list[int]:
    return [k for k, m in enumerate(log.magmas) if "model" in m and m["model"]["family"] == rewriting.FAMILY]


@live
def test_the_phase_refutes_with_the_free_magma_and_its_opposite(engine):
    figures = engine.log.marks[REWRITING_PHASE]
    assert figures["certified"] >= 1 and figures["refuted"] > 0
    state = engine.matrix.state
    assert state[0, 1] == FALSE and state[0, 3] == FALSE  # absorption ⇏ commutative, idempotent
    assert state[4, 1] == FALSE  # the mirror law, by the opposite magma, without a second E call
    opposite = [k for k in _records(engine.log) if engine.log.magmas[k]["model"]["opposite"]]
    assert opposite and int(engine.matrix.evidence[4, 1]) in opposite
    assert state[0, 5] != FALSE  # (x ◇ y) ◇ y = x ◇ y follows from absorption: never refuted
    assert all(engine.log.magmas[k]["model"]["order"] == "kbo" for k in _records(engine.log))


@live
def test_both_rechecks_accept_and_the_export_names_an_infinite_counter_model(engine):
    assert bulk_reader.check_refutations(engine.matrix, engine.log, LAWS)["failed"] == 0
    result = load_bench_script("recheck").check_all_refutations(engine.matrix.state, engine.matrix.evidence,
                                                                engine.log, LAWS)
    assert result["failed"] == 0 and result["pairs_by_infinite_models"] > 0
    names = [f"L{i}" for i in range(len(LAWS))]
    rows = [row for row in bulk_reader.export_rows(engine.matrix, engine.log, names) if row[:2] == ("L0", "L1")]
    assert rows[0][2:4] == ("refuted", "infinite counter-model")
    text = bulk_reader.infinite_model_text(engine.log, int(rows[0][4].removeprefix("magma")), COMMUTATIVE)
    assert "the free magma of the hypothesis, presented by a convergent rewriting system of" in text
    assert "fails with each variable a free generator" in text


@live
@pytest.mark.parametrize("forge", ["drop a rule", "reverse a rule", "another law's system", "not a term"])
def test_a_doctored_rewriting_record_is_caught(engine, forge):
    log = EvidenceLog.open(engine.folder, len(LAWS), read_only=True)
    matrix = log.replay()
    k = int(matrix.evidence[0, 1])
    model = dict(log.magmas[k]["model"])
    rules = [list(rule) for rule in model["rules"]]
    if forge == "drop a rule":  # absorption alone: a critical pair no longer joins
        model["rules"] = [rule for rule in rules if rule[0] == "m(X0,m(X1,X0))"]
    elif forge == "reverse a rule":
        model["rules"] = [rules[0][::-1], *rules[1:]]
    elif forge == "another law's system":  # commutativity's conclusion... x ◇ x → x: absorption fails there
        model["rules"] = [["m(X0,X0)", "X0"]]
    else:
        model["rules"] = [["m(X0,Y)", "X0"]]
    log.magmas[k]["model"] = model
    result = load_bench_script("recheck").check_all_refutations(matrix.state, matrix.evidence, log, LAWS)
    assert result["failed"] > 0
    assert bulk_reader.check_refutations(matrix, log, LAWS)["failed"] > 0


def test_recheck_refuses_a_pair_whose_conclusion_holds():
    recheck = load_bench_script("recheck")
    record = {"model": {"family": rewriting.FAMILY, "opposite": False,
                        "rules": [["m(X0,m(X1,X0))", "X0"], ["m(m(X0,X1),X1)", "m(X0,X1)"]]}}
    holds, fails = recheck.rewriting_model_verdicts(record, LAWS, [0], [1, 5])
    assert holds[0] and fails[1] and not fails[5]
    opposite = {"model": {**record["model"], "opposite": True}}
    holds, fails = recheck.rewriting_model_verdicts(opposite, LAWS, [0, 4], [1])
    assert not holds[0] and holds[4] and fails[1]


def test_the_phase_gives_way_after_classes_that_refute_nothing(tmp_path, monkeypatch):
    calls = []

    def resource_out(hypothesis, seconds, strategy):
        calls.append(hypothesis)
        return Saturation("ResourceOut", (), 0, strategy.name, seconds)

    monkeypatch.setattr(bulk_rewriting, "saturate", resource_out)
    monkeypatch.setattr("mathteam.tools.bulk_engine.find_eprover", lambda: "eprover")
    engine = _engine(tmp_path, ONLY_REWRITING.model_copy(update={"rewriting_give_way_after": 2}))
    figures = engine.log.marks[REWRITING_PHASE]
    assert figures["gave_way"] and len(calls) == 2 and figures["refuted"] == 0
    attempts = [a for a in engine.log.attempts if a["tool"] == bulk_rewriting.TOOL]
    assert attempts and all("ResourceOut" in a["outcome"] for a in attempts)


def test_a_resumed_run_whose_log_lacks_the_phase_runs_it(tmp_path, monkeypatch):
    saturated = Saturation("Satisfiable", (ABSORPTION, parse_law("(x * y) * y = x * y")), 0, "auto", 0.1)
    monkeypatch.setattr(bulk_rewriting, "saturate",
                        lambda hypothesis, seconds, strategy: saturated if hypothesis == ABSORPTION
                        else Saturation("ResourceOut", (), 0, "auto", seconds))
    monkeypatch.setattr("mathteam.tools.bulk_engine.find_eprover", lambda: "eprover")
    old = _engine(tmp_path, ONLY_REWRITING.model_copy(update={"rewriting_seconds": 0.0}))
    assert REWRITING_PHASE not in old.log.marks
    before = old.matrix.counts()["false"]
    resumed = _engine(tmp_path)
    assert resumed.log.marks[REWRITING_PHASE]["refuted"] > 0 and resumed.matrix.counts()["false"] > before
    lines = (tmp_path / "evidence.jsonl").read_text().count("\n")
    _engine(tmp_path)  # marked now: a further resume redoes nothing
    assert (tmp_path / "evidence.jsonl").read_text().count("\n") == lines


def test_recheck_orients_in_the_records_order_with_orders_of_its_own():
    recheck = load_bench_script("recheck")
    rules = [["m(X0,m(X1,X0))", "X0"], ["m(m(X0,X1),X1)", "m(X0,X1)"]]
    for order, accepted in (("kbo", True), ("lpo", True), ("rpo-mul", True), ("no-such-order", False)):
        record = {"model": {"family": rewriting.FAMILY, "rules": rules, "order": order}}
        assert recheck.rewriting_model_verdicts(record, LAWS, [0], [1])[0][0] is accepted, order
    # y ◇ (x ◇ x) → x ◇ y decreases in the KBO but not in the LPO.
    parsed = [(recheck._parse_rewriting_term("m(X1,m(X0,X0))"), recheck._parse_rewriting_term("m(X0,X1)"))]
    assert not recheck.rewriting_system_is_convergent(parsed, "lpo")
    # The re-check's orders agree with the engine's (domains/magma/reduction_orders) on every pair
    # of sides of the laws of order ≤ 3, both ways round.
    from mathteam.domains.magma.laws import enumerate_laws
    from mathteam.domains.magma.reduction_orders import ORDERS

    for law in enumerate_laws(3):
        for s, t in ((law.lhs, law.rhs), (law.rhs, law.lhs)):
            for name, greater in ORDERS.items():
                assert recheck._decreasing(name, recheck._from_law_term(s), recheck._from_law_term(t)) == \
                    greater(s, t), (name, str(law))


@live
def test_the_report_describes_the_presented_free_magmas(engine):
    from types import SimpleNamespace

    from mathteam.agents.magma.bulk_report import infinite_models_section

    named = [SimpleNamespace(name=f"L{i}", law=law) for i, law in enumerate(LAWS)]
    text = "\n".join(infinite_models_section(engine.matrix, engine.log, named))
    stored = engine.log.marks[REWRITING_PHASE]["stored"]
    assert f"{stored} infinite magmas" in text and f"{stored} are the free magma of one law" in text
    assert "free affine model" not in text  # no affine model was stored here
    assert "presented by a convergent rewriting system of" in text and "fails with each variable" in text


def test_classes_where_e_saturated_a_pair_go_first(tmp_path, monkeypatch):
    order = []

    def resource_out(hypothesis, seconds, strategy):
        order.append(hypothesis)
        return Saturation("ResourceOut", (), 0, strategy.name, seconds)

    monkeypatch.setattr(bulk_rewriting, "saturate", resource_out)
    engine = _engine(tmp_path, ONLY_REWRITING.model_copy(update={"rewriting_seconds": 0.0}))
    bulk_rewriting.refute_with_rewriting_systems(LAWS, engine.matrix, engine.log, 1.0)
    assert len(order) > 2
    last = LAWS.index(order[-1])
    b = int(next(b for b in range(len(LAWS)) if engine.matrix.state[last, b] == UNKNOWN))
    order.clear()
    figures = bulk_rewriting.refute_with_rewriting_systems(LAWS, engine.matrix, engine.log, 1.0,
                                                           saturated_pairs=[(last, b)])
    assert order[0] == LAWS[last] and figures["sequence"][0][0] == last


def test_a_strategy_whose_saturated_set_does_not_certify_is_followed_by_the_next(monkeypatch):
    from mathteam.tools.eprover import SaturationStrategy

    unorientable = Saturation("Satisfiable", (COMMUTATIVE,), 0, "first", 0.1)
    convergent = Saturation("Satisfiable", (ABSORPTION, parse_law("(x * y) * y = x * y")), 0, "second", 0.1)
    replies = {"first": unorientable, "second": convergent, "third": convergent}
    called = []

    def fake(hypothesis, seconds, strategy):
        called.append(strategy.name)
        return replies[strategy.name]

    strategies = [SaturationStrategy(name, ()) for name in ("first", "second", "third")]
    monkeypatch.setattr(bulk_rewriting, "saturate", fake)
    results = bulk_rewriting._saturation_job(ABSORPTION, 1.0, strategies)
    assert called == ["first", "second"]
    system = bulk_rewriting.convergent_system(ABSORPTION, results)
    assert isinstance(system, rewriting.ConvergentSystem) and system.refutes(ABSORPTION, COMMUTATIVE)
    assert "cannot be oriented" in bulk_rewriting.convergent_system(ABSORPTION, results[:1])

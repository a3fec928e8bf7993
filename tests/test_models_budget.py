"""The budget ledger: per-run and per-role limits on tokens, cost, calls and model seconds; replay after a resume."""

from __future__ import annotations

import threading

from mathteam.tools.models import BudgetExhausted, BudgetLedger, Limits, ModelBudget, RetryPolicy, retry_after_seconds


def event(role="prover", tokens_in=100, tokens_out=50, cost=0.01, seconds=2.0):
    return {"kind": "model_request", "role": role, "model": "m", "tokens_in": tokens_in, "tokens_out": tokens_out,
            "cost_usd": cost, "latency_s": seconds}


def spend(ledger: BudgetLedger, role: str | None, **fields):
    assert ledger.reserve(role) is None
    ledger.record(event(role=role, **fields))


def test_unlimited_ledger_never_refuses_but_counts_everything():
    ledger = BudgetLedger()
    for _ in range(5):
        spend(ledger, "prover")
    totals = ledger.spent()
    assert (totals.calls, totals.tokens, round(totals.cost_usd, 6), totals.seconds) == (5, 750, 0.05, 10.0)
    assert ledger.spent("prover").calls == 5 and ledger.spent("writer").calls == 0


def test_each_kind_of_run_budget_names_itself_when_spent():
    cases = [(Limits(tokens=150), "tokens", 150), (Limits(cost_usd=0.01), "cost", 0.01),
             (Limits(calls=1), "calls", 1), (Limits(model_seconds=2), "wall_clock", 2.0)]
    for limits, which, spent in cases:
        ledger = BudgetLedger(limits)
        spend(ledger, "conjecturer")
        assert ledger.reserve("conjecturer") == BudgetExhausted(which=which, scope="run", limit=limits.model_dump(
            exclude_none=True).popitem()[1], spent=spent)


def test_role_budget_stops_only_that_role():
    ledger = BudgetLedger(Limits(calls=100), {"formalizer": Limits(tokens=200)})
    spend(ledger, "formalizer")
    spend(ledger, "formalizer")
    refusal = ledger.reserve("formalizer")
    assert refusal == BudgetExhausted(which="tokens", scope="formalizer", limit=200, spent=300)
    assert ledger.reserve("writer") is None
    assert ledger.exhausted("formalizer") == refusal and ledger.exhausted("writer") is None


def test_run_budget_is_reported_before_a_role_budget():
    ledger = BudgetLedger(Limits(calls=1), {"prover": Limits(calls=1)})
    spend(ledger, "prover")
    assert ledger.reserve("prover").scope == "run"


def test_on_usage_receives_every_recorded_event_and_replay_restores_spend_without_echoing():
    stored: list[dict] = []
    first = BudgetLedger(Limits(tokens=400), on_usage=stored.append)
    spend(first, "prover")
    spend(first, "writer", tokens_in=200, tokens_out=0)
    assert [e["role"] for e in stored] == ["prover", "writer"]

    echoed: list[dict] = []
    resumed = BudgetLedger(Limits(tokens=400), on_usage=echoed.append)
    resumed.replay(stored)
    assert echoed == []
    assert resumed.spent().tokens == 350 and resumed.spent().calls == 2 and resumed.spent("writer").tokens == 200
    spend(resumed, "prover")
    assert resumed.reserve("prover").which == "tokens"
    raised = BudgetLedger(Limits(tokens=10_000))
    raised.replay(stored)
    assert raised.reserve("prover") is None


def test_config_budget_builds_the_ledger_with_role_tables():
    budget = ModelBudget.model_validate({"tokens": 1000, "roles": {"prover": {"calls": 2}}})
    ledger = BudgetLedger.from_config(budget)
    assert ledger.run_limits == Limits(tokens=1000) and ledger.role_limits["prover"].calls == 2


def test_concurrent_reservations_never_exceed_a_calls_budget():
    ledger = BudgetLedger(Limits(calls=10))
    granted: list[bool] = []

    def worker():
        for _ in range(10):
            granted.append(ledger.reserve("prover") is None)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert granted.count(True) == 10 and ledger.spent().calls == 10


def test_backoff_doubles_up_to_the_cap_and_retry_after_overrides_it():
    policy = RetryPolicy(base_s=0.5, max_wait_s=4.0, random=lambda: 1.0, jitter=0.5)
    assert [policy.wait_s(n) for n in range(5)] == [0.75, 1.5, 3.0, 6.0, 6.0]
    assert policy.wait_s(0, retry_after_s=2.0) == 2.0 and policy.wait_s(0, retry_after_s=99) == 4.0


def test_retry_after_is_read_in_milliseconds_seconds_or_as_an_http_date():
    assert retry_after_seconds({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert retry_after_seconds({"Retry-After": "12"}) == 12.0
    now = 1_700_000_000.0  # Tue, 14 Nov 2023 22:13:20 GMT
    assert retry_after_seconds({"retry-after": "Tue, 14 Nov 2023 22:13:50 GMT"}, now=lambda: now) == 30.0
    assert retry_after_seconds({"retry-after": "soon"}) is None and retry_after_seconds({}) is None

"""The OpenAI-compatible client against a real HTTP server on 127.0.0.1 that misbehaves before it answers well."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from mathteam.tools.models import (BudgetExhausted, BudgetLedger, Limits, Message, ModelClient, ModelSettings, Parsed,
                                   ProviderError, RetryPolicy, TimedOut)
from loopback import LoopbackServer, error, garbage, reply, slow

GOOD = '{"statement": "x ◇ x = x", "confidence": 0.5}'
ASK = [{"role": "user", "content": "One conjecture, please."}]


class Conjecture(BaseModel):
    statement: str
    confidence: float


def local(server: LoopbackServer, ledger: BudgetLedger | None = None, **settings) -> ModelClient:
    fields = {"provider": "openai_compatible", "model": "loopback-model", "base_url": server.base_url,
              "timeout_s": 2.0, "max_retries": 4, **settings}
    return ModelClient("local", ModelSettings(**fields), ledger=ledger, environ={},
                       retry=RetryPolicy(base_s=0.01, jitter=0.0))


def test_garbage_500_and_timeout_are_survived_and_every_request_is_recorded():
    events: list[dict] = []
    steps = [garbage(), error(500), slow(reply(GOOD)), reply("all magmas are lovely", 30, 5), reply(GOOD, 40, 12)]
    with LoopbackServer(steps) as server:
        # The timeout only bounds the answers that come; the slow one times out at any speed.
        with local(server, BudgetLedger(on_usage=events.append), timeout_s=2.0) as model:
            result = model.complete(ASK, Conjecture, role="conjecturer")
        assert len(server.requests) == 5
        repair = server.requests[4]["messages"]
    assert isinstance(result.outcome, Parsed) and result.outcome.repaired
    assert result.value == Conjecture(statement="x ◇ x = x", confidence=0.5)
    assert (result.usage.requests, result.usage.retries) == (5, 3)
    assert (result.usage.tokens_in, result.usage.tokens_out) == (70, 17)
    assert [(e["status"], e["error_kind"], e["http_status"]) for e in events] == [
        ("failed", "malformed", None), ("failed", "server", 500), ("failed", "timeout", None),
        ("ok", None, None), ("ok", None, None)]
    assert [e["purpose"] for e in events] == ["answer"] * 4 + ["repair"]
    assert events[2]["latency_s"] >= 2.0
    assert repair[-2] == {"role": "assistant", "content": "all magmas are lovely"}
    assert "not valid JSON" in repair[-1]["content"]


def test_server_that_only_times_out_ends_as_timed_out():
    with LoopbackServer([slow(), slow()]) as server:
        with local(server, max_retries=1, timeout_s=0.2) as model:
            result = model.complete(ASK, Conjecture)
    assert result.outcome == TimedOut(timeout_s=0.2, attempts=2)
    assert result.usage.tokens_in == 0


def test_exhausted_script_answers_503_and_the_client_reports_it():
    with LoopbackServer([]) as server:
        with local(server, max_retries=1) as model:
            result = model.complete(ASK, Conjecture)
        assert len(server.requests) == 2
    assert result.outcome == ProviderError(kind="server", status=503, message="loopback script exhausted",
                                           retryable=True)


def test_streamed_reply_from_a_real_socket_arrives_in_pieces_with_usage():
    pieces: list[str] = []
    with LoopbackServer([reply(GOOD, 33, 9)]) as server:
        with local(server) as model:
            result = model.complete(ASK, Conjecture, on_token=lambda text, n: pieces.append(text))
        assert server.requests[0]["stream"] is True
    assert result.ok and len(pieces) > 2 and "".join(pieces) == GOOD
    assert (result.usage.tokens_in, result.usage.tokens_out) == (33, 9)


def test_token_budget_stops_requests_to_the_server():
    ledger = BudgetLedger(Limits(tokens=100))
    with LoopbackServer([reply(GOOD, 60, 20), reply(GOOD, 60, 20), reply(GOOD, 60, 20)]) as server:
        with local(server, ledger) as model:
            outcomes = [model.complete(ASK, Conjecture, role="planner").outcome for _ in range(3)]
        assert len(server.requests) == 2
    assert [o.outcome for o in outcomes] == ["parsed", "parsed", "budget_exhausted"]
    assert outcomes[2] == BudgetExhausted(which="tokens", scope="run", limit=100, spent=160)


def test_requests_carry_the_schema_as_response_format():
    with LoopbackServer([reply(GOOD)]) as server:
        with local(server) as model:
            model.complete(ASK, Conjecture)
        sent = server.requests[0]
    schema = sent["response_format"]["json_schema"]["schema"]
    assert sent["response_format"]["type"] == "json_schema" and set(schema["properties"]) == {"statement", "confidence"}
    assert sent["model"] == "loopback-model" and sent["max_tokens"] == 4096


def test_reply_bounds_cap_every_string_and_list_in_the_schema_sent_and_shown_in_the_prompt():
    class Draft(BaseModel):
        name: str = Field(max_length=40)
        kind: Literal["a", "b"]
        proof: str = Field(min_length=300)
        notes: list[str] = []
        steps: list[int] = Field(default=[], max_length=2)
        lean: str | None = None

    draft = '{"name": "n", "kind": "a", "proof": "' + "x" * 300 + '"}'
    with LoopbackServer([reply(draft)]) as server:
        with local(server, max_string_chars=200, max_list_items=3) as model:
            result = model.complete(ASK, Draft)
        sent = server.requests[0]
    properties = sent["response_format"]["json_schema"]["schema"]["properties"]
    assert properties["name"]["maxLength"] == 40  # the reply's own, tighter limit stays
    assert "maxLength" not in properties["kind"]  # a choice of words is not a free string
    assert properties["proof"]["maxLength"] == 300  # never below the reply's own minimum
    assert properties["notes"]["maxItems"] == 3 and properties["notes"]["items"]["maxLength"] == 200
    assert properties["steps"]["maxItems"] == 2
    assert properties["lean"]["anyOf"][0] == {"type": "string", "maxLength": 200}
    system = sent["messages"][0]["content"]
    assert '"maxItems": 3' in system and result.ok


def test_without_reply_bounds_the_schema_is_the_replys_own():
    with LoopbackServer([reply(GOOD)]) as server:
        with local(server) as model:
            model.complete(ASK, Conjecture)
        sent = server.requests[0]
    assert "maxLength" not in sent["response_format"]["json_schema"]["schema"]["properties"]["statement"]


def test_a_streamed_request_answered_by_an_html_page_is_a_malformed_reply_not_an_empty_one():
    class Answer(BaseModel):
        x: int

    with LoopbackServer([garbage()]) as server:
        client = ModelClient("m", ModelSettings(provider="openai_compatible", model="m", base_url=server.base_url,
                                                max_retries=0))
        result = client.complete([Message(role="user", content="hi")], Answer, on_token=lambda text, n: None)
    assert result.outcome.outcome == "provider_error"
    assert result.outcome.kind == "malformed" and result.outcome.retryable


def test_closing_a_client_closes_its_own_connections_and_leaves_a_passed_one_open():
    # Left to the garbage collector, a pooled socket may be finalized before the SDK that would
    # close it, and warn "unclosed socket" in whatever test happens to collect it.
    import httpx2

    with LoopbackServer([reply(GOOD), reply(GOOD)]) as server:
        with local(server) as model:
            assert model.complete(ASK, Conjecture).ok
            assert not model.provider.sdk.is_closed()
        assert model.provider.sdk.is_closed()
        with httpx2.Client() as passed:
            fields = {"provider": "openai_compatible", "model": "loopback-model", "base_url": server.base_url}
            with ModelClient("local", ModelSettings(**fields), http_client=passed, environ={}) as model:
                assert model.complete(ASK, Conjecture).ok
            assert not passed.is_closed, "the caller's HTTP client is the caller's to close"

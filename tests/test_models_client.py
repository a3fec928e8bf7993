"""Model clients over the real OpenAI and Anthropic SDKs, replaying documented wire formats through a mock transport."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import httpx2
import pytest
from pydantic import BaseModel, Field

from mathteam.tools.models import (BudgetExhausted, BudgetLedger, Limits, MissingApiKey, ModelClient,
                                   ModelSettings, Parsed, ProviderError, RetryPolicy, TimedOut, Unparseable)

FIXTURES = Path(__file__).parent / "fixtures" / "models"
ENV = {"OPENAI_API_KEY": "sk-test", "ANTHROPIC_API_KEY": "sk-ant-test"}
ASK = [{"role": "user", "content": "Propose one conjecture about magmas of order 2."}]


class Conjecture(BaseModel):
    statement: str
    confidence: float = Field(ge=0, le=1)


def body(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def json_reply(name: str, status: int = 200, headers: dict | None = None, content: str | None = None):
    data = json.loads(body(name))
    if content is not None:  # same recorded shape, different model text
        if "choices" in data:
            data["choices"][0]["message"]["content"] = content
        else:
            data["content"][0]["text"] = content
    return httpx2.Response(status, json=data, headers=headers or {})


def sse(name: str):
    return httpx2.Response(200, content=body(name), headers={"content-type": "text/event-stream"})


class Script:
    """A mock transport that answers each request with the next scripted response (or raises it)."""

    def __init__(self, *replies):
        self.replies = list(replies)
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply(request) if callable(reply) else reply

    def sent(self, index: int) -> dict:
        return json.loads(self.requests[index].content)


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(script: Script, provider: str = "openai", ledger: BudgetLedger | None = None, sleeps=None, **settings):
    fields = {"provider": provider, "model": "gpt-4.1" if provider != "anthropic" else "claude-sonnet-4-6",
              "max_retries": 3, **settings}
    if provider == "openai_compatible":
        fields.setdefault("base_url", "http://127.0.0.1:8000/v1")
    retry = RetryPolicy(sleep=sleeps if sleeps is not None else Sleeps(), random=lambda: 0.0)
    return ModelClient("m", ModelSettings(**fields), ledger=ledger,
                       http_client=httpx2.Client(transport=httpx2.MockTransport(script)), retry=retry, environ=ENV)


def test_openai_reply_is_parsed_into_the_callers_model_with_provider_token_counts():
    script = Script(json_reply("openai_chat_completion.json"))
    reply = client(script, price_in_per_mtok=2.0, price_out_per_mtok=8.0).complete(ASK, Conjecture, role="conjecturer")
    assert isinstance(reply.outcome, Parsed) and not reply.outcome.repaired
    assert reply.value == Conjecture(statement="Every commutative idempotent magma of order 2 is associative.",
                                     confidence=0.8)
    assert (reply.usage.tokens_in, reply.usage.tokens_out, reply.usage.requests) == (142, 27, 1)
    assert reply.usage.cost_usd == pytest.approx((2.0 * 142 + 8.0 * 27) / 1e6)
    sent = script.sent(0)
    assert script.requests[0].url.path == "/v1/chat/completions"
    assert script.requests[0].headers["authorization"] == "Bearer sk-test"
    assert sent["response_format"]["json_schema"]["schema"]["required"] == ["statement", "confidence"]
    assert sent["max_completion_tokens"] == 4096
    assert sent["messages"][0]["role"] == "system" and "JSON schema" in sent["messages"][0]["content"]


def test_anthropic_reply_is_parsed_with_the_system_prompt_sent_apart():
    script = Script(json_reply("anthropic_message.json"))
    reply = client(script, "anthropic").complete(
        [{"role": "system", "content": "You are a conjecturer."}, *ASK], Conjecture)
    assert reply.value is not None and reply.value.confidence == 0.8
    assert (reply.usage.tokens_in, reply.usage.tokens_out) == (150, 31)
    sent = script.sent(0)
    assert script.requests[0].url.path == "/v1/messages"
    headers = script.requests[0].headers
    assert "sk-ant-test" in headers.get("x-api-key", "") + headers.get("authorization", "")
    assert sent["system"].startswith("You are a conjecturer.") and "JSON schema" in sent["system"]
    assert [m["role"] for m in sent["messages"]] == ["user"]


def test_openai_stream_delivers_tokens_and_reads_usage_from_the_last_chunk():
    script = Script(sse("openai_chat_stream.sse"))
    pieces: list[tuple[str, int]] = []
    reply = client(script).complete(ASK, Conjecture, on_token=lambda text, n: pieces.append((text, n)))
    assert reply.value == Conjecture(statement="x ◇ y = y ◇ x", confidence=0.25)
    assert "".join(text for text, _ in pieces) == reply.outcome.text
    assert {n for _, n in pieces} == {1} and len(pieces) == 3
    assert (reply.usage.tokens_in, reply.usage.tokens_out) == (142, 19)
    assert script.sent(0)["stream"] is True and script.sent(0)["stream_options"] == {"include_usage": True}


def test_anthropic_stream_delivers_tokens_and_counts_cumulative_output_tokens():
    script = Script(sse("anthropic_stream.sse"))
    pieces: list[str] = []
    reply = client(script, "anthropic").complete(ASK, Conjecture, on_token=lambda text, n: pieces.append(text))
    assert reply.value == Conjecture(statement="x ◇ y = y ◇ x", confidence=0.25)
    assert len(pieces) == 3
    assert (reply.usage.tokens_in, reply.usage.tokens_out) == (150, 22)


def test_anthropic_stream_broken_by_an_overloaded_event_is_retried_and_restarts_numbering():
    script = Script(sse("anthropic_stream_overloaded.sse"), sse("anthropic_stream.sse"))
    pieces: list[tuple[str, int]] = []
    reply = client(script, "anthropic").complete(ASK, Conjecture, on_token=lambda t, n: pieces.append((t, n)))
    assert reply.ok and reply.usage.retries == 1
    assert pieces[0] == ('{"statement": ', 1) and {n for _, n in pieces[1:]} == {2}


def test_rate_limit_waits_as_long_as_retry_after_says_then_succeeds():
    sleeps = Sleeps()
    script = Script(json_reply("openai_error_429.json", 429, {"retry-after": "7"}),
                    json_reply("openai_chat_completion.json"))
    reply = client(script, sleeps=sleeps).complete(ASK, Conjecture)
    assert reply.ok and reply.usage.requests == 2 and reply.usage.retries == 1
    assert sleeps == [7.0]


def test_anthropic_rate_limit_and_overload_are_retried_with_exponential_backoff():
    sleeps = Sleeps()
    script = Script(json_reply("anthropic_error_529.json", 529), json_reply("anthropic_error_529.json", 529),
                    json_reply("anthropic_error_429.json", 429, {"retry-after": "3"}),
                    json_reply("anthropic_message.json"))
    reply = client(script, "anthropic", sleeps=sleeps).complete(ASK, Conjecture)
    assert reply.ok and reply.usage.retries == 3
    assert sleeps == [0.5, 1.0, 3.0]


def test_server_errors_past_max_retries_end_as_a_provider_error_with_the_status():
    script = Script(*[json_reply("openai_error_500.json", 500)] * 3)
    reply = client(script, max_retries=2).complete(ASK, Conjecture)
    assert reply.outcome == ProviderError(kind="server", status=500, retryable=True,
                                          message="The server had an error while processing your request. Sorry about that!")
    assert reply.usage.requests == 3 and reply.value is None


def test_client_errors_are_not_retried():
    script = Script(json_reply("anthropic_error_400.json", 400), json_reply("anthropic_message.json"))
    reply = client(script, "anthropic").complete(ASK, Conjecture)
    assert isinstance(reply.outcome, ProviderError) and reply.outcome.kind == "client"
    assert reply.outcome.status == 400 and "roles must alternate" in reply.outcome.message
    assert len(script.requests) == 1


def test_bad_key_is_an_auth_error_without_retry():
    script = Script(json_reply("openai_error_401.json", 401))
    reply = client(script).complete(ASK, Conjecture)
    assert reply.outcome.kind == "auth" and not reply.outcome.retryable and reply.usage.requests == 1


@pytest.mark.parametrize("garbage", [
    httpx2.Response(200, content=body("non_json_body.html"), headers={"content-type": "text/html"}),
    httpx2.Response(200, content=body("truncated_body.txt"), headers={"content-type": "application/json"}),
    httpx2.Response(200, json={"unexpected": True}),
], ids=["html-page", "truncated-json", "wrong-shape"])
def test_malformed_bodies_are_retried_and_a_good_one_after_them_is_used(garbage):
    script = Script(garbage, json_reply("openai_chat_completion.json"))
    reply = client(script, "openai_compatible").complete(ASK, Conjecture)
    assert reply.ok and reply.usage.retries == 1


def test_persistently_malformed_bodies_end_as_malformed_provider_error():
    page = httpx2.Response(200, content=body("non_json_body.html"), headers={"content-type": "text/html"})
    script = Script(page, page)
    reply = client(script, "openai_compatible", max_retries=1).complete(ASK, Conjecture)
    assert reply.outcome.kind == "malformed" and "502 Bad Gateway" in reply.outcome.message


def test_timeouts_on_every_attempt_end_as_timed_out():
    script = Script(*[httpx2.ReadTimeout("no bytes")] * 3)
    reply = client(script, max_retries=2, timeout_s=5).complete(ASK, Conjecture)
    assert reply.outcome == TimedOut(timeout_s=5, attempts=3)


def test_connection_refused_is_retried_then_reported():
    script = Script(httpx2.ConnectError("[Errno 111] Connection refused"), json_reply("openai_chat_completion.json"))
    assert client(script, "openai_compatible").complete(ASK, Conjecture).ok


def test_invalid_reply_gets_exactly_one_repair_request_carrying_the_validation_error():
    script = Script(json_reply("openai_chat_completion.json", content='{"statement": "x = x", "confidence": 7}'),
                    json_reply("openai_chat_completion.json"))
    reply = client(script).complete(ASK, Conjecture)
    assert isinstance(reply.outcome, Parsed) and reply.outcome.repaired
    repair = script.sent(1)["messages"]
    assert repair[-2] == {"role": "assistant", "content": '{"statement": "x = x", "confidence": 7}'}
    assert "confidence" in repair[-1]["content"] and "less than or equal to 1" in repair[-1]["content"]
    assert reply.usage.tokens_in == 2 * 142


def test_second_invalid_reply_fails_cleanly_as_unparseable():
    script = Script(json_reply("openai_chat_completion.json", content="I think all magmas are nice."),
                    json_reply("openai_chat_completion.json", content="Sorry: {not json}"),
                    json_reply("openai_chat_completion.json"))
    reply = client(script).complete(ASK, Conjecture)
    assert isinstance(reply.outcome, Unparseable) and reply.outcome.text == "Sorry: {not json}"
    assert "not valid JSON" in reply.outcome.error and len(script.requests) == 2


def test_fenced_json_reply_is_accepted():
    script = Script(json_reply("anthropic_message.json",
                               content='Here it is:\n```json\n{"statement": "x = x", "confidence": 1}\n```'))
    assert client(script, "anthropic").complete(ASK, Conjecture).value.statement == "x = x"


def test_local_server_without_usage_gets_estimated_tokens_flagged_as_such():
    script = Script(json_reply("openai_chat_completion_no_usage.json"))
    reply = client(script, "openai_compatible", structured="prompt").complete(ASK, Conjecture)
    assert reply.ok and reply.usage.tokens_estimated and reply.usage.tokens_in > 0 and reply.usage.tokens_out > 0
    sent = script.sent(0)
    assert "response_format" not in sent and sent["max_tokens"] == 4096
    assert script.requests[0].url == "http://127.0.0.1:8000/v1/chat/completions"


def test_every_request_is_an_event_charged_to_the_ledger_and_a_spent_budget_refuses_the_next_call():
    events: list[dict] = []
    ledger = BudgetLedger(Limits(tokens=300), on_usage=events.append)
    script = Script(json_reply("openai_error_500.json", 500), json_reply("openai_chat_completion.json"),
                    json_reply("openai_chat_completion.json"))
    model = client(script, ledger=ledger, price_in_per_mtok=1.0, price_out_per_mtok=1.0)
    assert model.complete(ASK, Conjecture, role="prover").ok
    assert [(e["status"], e["http_status"], e["role"], e["model"]) for e in events] == [
        ("failed", 500, "prover", "m"), ("ok", None, "prover", "m")]
    assert events[1]["tokens_in"] == 142 and events[1]["cost_usd"] == pytest.approx(169 / 1e6)
    assert model.complete(ASK, Conjecture, role="prover").ok  # 169 < 300: allowed, now 338 spent
    refused = model.complete(ASK, Conjecture, role="prover")
    assert refused.outcome == BudgetExhausted(which="tokens", scope="run", limit=300, spent=338)
    assert len(script.requests) == 3 and ledger.spent().calls == 3


def test_budget_running_out_between_the_reply_and_its_repair_stops_the_call():
    ledger = BudgetLedger(roles={"writer": Limits(calls=1)})
    script = Script(json_reply("openai_chat_completion.json", content="nope"))
    reply = client(script, ledger=ledger).complete(ASK, Conjecture, role="writer")
    assert reply.outcome == BudgetExhausted(which="calls", scope="writer", limit=1, spent=1)
    assert reply.usage.requests == 1


def test_concurrency_limit_caps_requests_in_flight():
    in_flight, peak, lock = [0], [0], threading.Lock()
    # Each request waits until a second one is in flight too (an event, not a pause): with the
    # limit at 2 they pass in pairs; a limit of 1 would break the barrier, one above 2 would show.
    pair = threading.Barrier(2, timeout=30)

    def slow(request):
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        pair.wait()
        with lock:
            in_flight[0] -= 1
        return json_reply("openai_chat_completion.json")

    model = client(Script(*[slow] * 6), "openai_compatible", max_concurrency=2)
    threads = [threading.Thread(target=model.complete, args=(ASK, Conjecture)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 2


def test_missing_key_is_a_user_error_naming_the_variable():
    with pytest.raises(MissingApiKey, match=r"\$ANTHROPIC_API_KEY is not set"):
        ModelClient("hosted", ModelSettings(provider="anthropic", model="claude"), environ={})


def test_local_server_needs_no_key_unless_one_is_configured():
    settings = ModelSettings(provider="openai_compatible", model="q", base_url="http://127.0.0.1:1/v1")
    ModelClient("local", settings, environ={})
    with pytest.raises(MissingApiKey, match="VLLM_KEY"):
        ModelClient("local", settings.model_copy(update={"api_key_env": "VLLM_KEY"}), environ={})

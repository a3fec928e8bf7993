"""``ModelClient.complete``: messages in, a validated pydantic value out, under retries, a concurrency limit and budgets."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx2
from pydantic import BaseModel

from .budget import BudgetLedger
from .config import ModelSettings
from .errors import MissingApiKey
from .outcomes import (BudgetExhausted, CallUsage, Message, ModelReply, Parsed, ProviderError, T, TimedOut,
                       Unparseable)
from .providers import AnthropicMessages, OpenAIChat, Provider, RawReply, RequestFailed
from .retry import RetryPolicy
from .structured import NotValid, parse_reply, repair_messages, with_instruction

OnToken = Callable[[str, int], None]
"""Called with each streamed piece of text and the number of the request it belongs to (1, 2, ...):
when the number changes, a retry or the repair request started over and earlier pieces are void."""

# Local servers ignore the key, but the OpenAI SDK refuses to start without one.
_NO_KEY = "not-needed"


def api_key(name: str, settings: ModelSettings, environ: Mapping[str, str] = os.environ) -> str:
    """The model's key from its environment variable; raises ``MissingApiKey`` when a needed one is unset."""
    env_name = settings.key_env
    if env_name is None:
        return _NO_KEY
    value = environ.get(env_name, "").strip()
    if not value:
        raise MissingApiKey(name, env_name)
    return value


def make_provider(name: str, settings: ModelSettings, http_client: httpx2.Client | None = None,
                  environ: Mapping[str, str] = os.environ) -> Provider:
    key = api_key(name, settings, environ)
    if settings.provider == "anthropic":
        return AnthropicMessages(settings, key, http_client)
    return OpenAIChat(settings, key, http_client)


@dataclass
class _Tally:
    requests: int = 0
    retries: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    estimated: bool = False
    cost: float | None = None
    latency: float = 0.0

    def usage(self) -> CallUsage:
        return CallUsage(requests=self.requests, retries=self.retries, tokens_in=self.tokens_in,
                         tokens_out=self.tokens_out, tokens_estimated=self.estimated, cost_usd=self.cost,
                         latency_s=round(self.latency, 6))


class ModelClient:
    """One configured model. Thread-safe; at most ``max_concurrency`` of its requests are in flight at once.

    Every request reserves a call in the ledger first (a spent budget refuses it) and records a usage event
    after, whether it succeeded or not. ``http_client`` (an ``httpx2.Client``, the HTTP library the SDKs use)
    is the seam tests replace with a mock transport.

    A usage event has the keys ``kind`` ("model_request"), ``role``, ``model`` (configured name), ``provider``,
    ``model_id``, ``purpose`` ("answer" or "repair"), ``request`` (1, 2, ... within the call), ``status``
    ("ok" or "failed"), ``error_kind``, ``http_status``, ``error``, ``tokens_in``, ``tokens_out``,
    ``tokens_estimated``, ``cost_usd``, ``latency_s`` and ``finish_reason``.
    """

    def __init__(self, name: str, settings: ModelSettings, *, ledger: BudgetLedger | None = None,
                 http_client: httpx2.Client | None = None, provider: Provider | None = None,
                 retry: RetryPolicy | None = None, clock: Callable[[], float] = time.monotonic,
                 environ: Mapping[str, str] = os.environ):
        self.name = name
        self.settings = settings
        self.ledger = ledger if ledger is not None else BudgetLedger()
        self.provider = provider or make_provider(name, settings, http_client, environ)
        self.retry = retry or RetryPolicy()
        self.clock = clock
        self._slots = threading.BoundedSemaphore(settings.max_concurrency)

    def close(self) -> None:
        """Close the provider's connections (an ``http_client`` passed in stays open: it is the caller's)."""
        close = getattr(self.provider, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> "ModelClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def complete(self, messages: Sequence[Message | Mapping[str, str]], output_model: type[T], *,
                 role: str | None = None, on_token: OnToken | None = None) -> ModelReply[T]:
        """Ask for a reply that validates as ``output_model``; one repair request if it does not, then give up."""
        conversation = with_instruction([Message.model_validate(m) for m in messages], output_model,
                                        self.settings.reply_bounds)
        tally = _Tally()
        reply_type = ModelReply[output_model]  # type: ignore[valid-type]

        def finish(outcome: Any) -> ModelReply[T]:
            return reply_type(outcome=outcome, model=self.name, provider=self.settings.provider,
                              model_id=self.settings.model, role=role, usage=tally.usage())

        for purpose in ("answer", "repair"):
            raw = self._request(conversation, output_model, role, on_token, tally, purpose)
            if not isinstance(raw, RawReply):
                return finish(raw)
            try:
                value = parse_reply(raw.text, output_model)
            except NotValid as problem:
                if purpose == "repair":
                    return finish(Unparseable(text=raw.text, error=str(problem)))
                conversation = conversation + repair_messages(raw.text, str(problem))
                continue
            return finish(Parsed[output_model](value=value, text=raw.text, repaired=purpose == "repair"))
        raise AssertionError("unreachable: the repair round always returns")

    def _request(self, conversation: list[Message], output_model: type[BaseModel], role: str | None,
                 on_token: OnToken | None, tally: _Tally, purpose: str) -> RawReply | ProviderError | TimedOut | BudgetExhausted:
        """One logical request: up to ``1 + max_retries`` HTTP requests until one gives a reply."""
        timeouts = 0
        failure: RequestFailed | None = None
        for attempt in range(self.settings.max_retries + 1):
            if attempt:
                self.retry.sleep(self.retry.wait_s(attempt - 1, failure.retry_after_s if failure else None))
            refusal = self.ledger.reserve(role)
            if refusal is not None:
                return refusal
            tally.requests += 1
            tally.retries += 1 if attempt else 0
            number = tally.requests
            streamed = [0]

            def on_delta(text: str, number: int = number, streamed: list = streamed) -> None:
                streamed[0] += len(text)  # what arrived counts against the budget even if the reply breaks off
                on_token(text, number)

            on_delta = on_delta if on_token is not None else None
            with self._slots:
                started = self.clock()
                try:
                    raw: RawReply | None = self.provider.send(conversation, output_model, on_delta)
                    failure = None
                except RequestFailed as failed:
                    raw, failure = None, failed
                latency = self.clock() - started
            self._account(conversation, raw, failure, latency, role, tally, purpose, number, streamed[0])
            if raw is not None:
                return raw
            timeouts += failure.kind == "timeout"
            if not failure.retryable:
                break
        assert failure is not None
        if failure.kind == "timeout":
            return TimedOut(timeout_s=self.settings.timeout_s, attempts=timeouts)
        return ProviderError(kind=failure.kind, status=failure.status, message=failure.message,  # type: ignore[arg-type]
                             retryable=failure.retryable)

    def _account(self, conversation: list[Message], raw: RawReply | None, failure: RequestFailed | None,
                 latency: float, role: str | None, tally: _Tally, purpose: str, number: int,
                 streamed_chars: int = 0) -> None:
        tokens_in = tokens_out = 0
        estimated = False
        if raw is None and streamed_chars:
            # A stream that broke off (or did not parse) after text arrived: the model did the work, so
            # its tokens count, estimated from the prompt and the text received.
            estimated = True
            tokens_in = _estimate(sum(len(m.content) for m in conversation))
            tokens_out = _estimate(streamed_chars)
        if raw is not None:
            tokens_in, tokens_out = raw.tokens_in, raw.tokens_out
            if tokens_in is None or tokens_out is None:
                estimated = True
                tokens_in = tokens_in if tokens_in is not None else _estimate(sum(len(m.content) for m in conversation))
                tokens_out = tokens_out if tokens_out is not None else _estimate(len(raw.text))
        cost = self.cost(tokens_in, tokens_out)
        tally.tokens_in += tokens_in
        tally.tokens_out += tokens_out
        tally.estimated |= estimated
        tally.latency += latency
        if cost is not None:
            tally.cost = (tally.cost or 0.0) + cost
        self.ledger.record({
            "kind": "model_request", "role": role, "model": self.name, "provider": self.settings.provider,
            "model_id": self.settings.model, "purpose": purpose, "request": number,
            "status": "ok" if failure is None else "failed",
            "error_kind": failure.kind if failure else None,
            "http_status": failure.status if failure else None,
            "error": failure.message if failure else None,
            "tokens_in": tokens_in, "tokens_out": tokens_out, "tokens_estimated": estimated,
            "cost_usd": cost, "latency_s": round(latency, 6),
            "finish_reason": raw.finish_reason if raw else None,
        })

    def cost(self, tokens_in: int, tokens_out: int) -> float | None:
        """US dollars for the tokens at the configured prices; None when no price is configured."""
        price_in, price_out = self.settings.price_in_per_mtok, self.settings.price_out_per_mtok
        if price_in is None and price_out is None:
            return None
        return ((price_in or 0.0) * tokens_in + (price_out or 0.0) * tokens_out) / 1_000_000


def _estimate(chars: int) -> int:
    # About four characters per token for English and code; only used when the provider reports nothing.
    return max(1, chars // 4) if chars else 0


def build_clients(models: Mapping[str, ModelSettings], ledger: BudgetLedger, *,
                  http_client: httpx2.Client | None = None,
                  environ: Mapping[str, str] = os.environ) -> dict[str, ModelClient]:
    """One client per configured model, all charging ``ledger``; raises ``MissingApiKey`` for an unset key."""
    return {name: ModelClient(name, settings, ledger=ledger, http_client=http_client, environ=environ)
            for name, settings in models.items()}

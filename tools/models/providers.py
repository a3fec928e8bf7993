"""One request to one provider through its official SDK, with every failure turned into a classified ``RequestFailed``.

The SDKs' own retries are off (``max_retries=0``): ``ModelClient`` owns the retry policy, so it is the one tested.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from typing import Any, Protocol

import anthropic
import httpx2
import openai
from pydantic import BaseModel

from .config import ModelSettings
from .outcomes import Message
from .retry import retry_after_seconds
from .structured import json_schema

TRANSIENT_KINDS = {"timeout", "rate_limit", "server", "connection", "malformed"}
# Anthropic reports some failures inside a 200 stream as an `error` event; these are worth retrying.
_TRANSIENT_ERROR_TYPES = {"overloaded_error", "api_error", "rate_limit_error", "timeout_error"}


@dataclass(frozen=True)
class RawReply:
    """A provider's answer before parsing."""

    text: str
    tokens_in: int | None
    """None when the provider reported no usage (some local servers, some streams)."""
    tokens_out: int | None
    finish_reason: str | None = None


class RequestFailed(Exception):
    """A request gave no usable reply; ``kind`` decides whether it is retried."""

    def __init__(self, kind: str, message: str, *, status: int | None = None, retry_after_s: float | None = None):
        self.kind = kind
        self.status = status
        self.retry_after_s = retry_after_s
        # One line: bodies such as an HTML error page span many.
        self.message = " ".join(message.split())[:500] or kind
        super().__init__(f"{kind}: {self.message}")

    @property
    def retryable(self) -> bool:
        return self.kind in TRANSIENT_KINDS


OnDelta = Callable[[str], None]


class CallbackFailed(Exception):
    """The caller's ``on_delta`` raised: its bug, passed through unclassified."""


def _deliver(on_delta: OnDelta, text: str) -> None:
    try:
        on_delta(text)
    except Exception as error:
        raise CallbackFailed() from error


class Provider(Protocol):
    def send(self, messages: list[Message], output_model: type[BaseModel], on_delta: OnDelta | None) -> RawReply: ...


class OpenAIChat:
    """Chat completions on OpenAI or an OpenAI-compatible server (vLLM, llama.cpp server, Ollama)."""

    def __init__(self, settings: ModelSettings, api_key: str, http_client: httpx2.Client | None = None):
        self.settings = settings
        self.sdk = openai.OpenAI(api_key=api_key, base_url=settings.base_url, timeout=settings.timeout_s,
                                 max_retries=0, http_client=http_client)
        self._owns_connections = http_client is None  # an HTTP client passed in is its caller's to close

    def close(self) -> None:
        """Close the SDK's pooled connections (left to the garbage collector, a socket can warn unclosed)."""
        if self._owns_connections:
            self.sdk.close()

    def send(self, messages: list[Message], output_model: type[BaseModel], on_delta: OnDelta | None) -> RawReply:
        s = self.settings
        kwargs: dict[str, Any] = {"model": s.model, "messages": [m.model_dump() for m in messages]}
        # OpenAI's own API renamed the limit; compatible servers know the old name best.
        kwargs["max_completion_tokens" if s.provider == "openai" else "max_tokens"] = s.max_tokens
        if s.temperature is not None:
            kwargs["temperature"] = s.temperature
        if s.structured == "json_schema":
            name = re.sub(r"[^A-Za-z0-9_-]", "_", output_model.__name__)[:64]
            kwargs["response_format"] = {"type": "json_schema", "json_schema": {
                "name": name, "schema": json_schema(output_model, s.reply_bounds), "strict": False}}
        elif s.structured == "json_object":
            kwargs["response_format"] = {"type": "json_object"}
        stream = on_delta is not None and s.stream
        try:
            if stream:
                return self._stream(kwargs, on_delta)
            completion = self.sdk.chat.completions.create(**kwargs)
            return _openai_reply(completion)
        except RequestFailed:
            raise
        except Exception as error:  # noqa: BLE001 - every failure is classified, none escapes unlabelled
            raise classify(error) from error

    def _stream(self, kwargs: dict[str, Any], on_delta: OnDelta) -> RawReply:
        chunks = self.sdk.chat.completions.create(**kwargs, stream=True, stream_options={"include_usage": True})
        with closing(chunks):  # a stream abandoned on a bad chunk must not leave its socket open
            return self._read_stream(chunks, on_delta)

    def _read_stream(self, chunks: Any, on_delta: OnDelta) -> RawReply:
        parts: list[str] = []
        tokens_in = tokens_out = None
        finish = None
        for chunk in chunks:
            if not hasattr(chunk, "choices"):
                raise RequestFailed("malformed", f"stream chunk is not a chat.completion.chunk: {str(chunk)[:200]}")
            for choice in chunk.choices or []:
                delta = choice.delta.content if choice.delta is not None else None
                if delta:
                    parts.append(delta)
                    _deliver(on_delta, delta)
                finish = choice.finish_reason or finish
            if getattr(chunk, "usage", None) is not None:
                tokens_in, tokens_out = chunk.usage.prompt_tokens, chunk.usage.completion_tokens
        _require_finish(finish)
        return RawReply("".join(parts), tokens_in, tokens_out, finish)


class LlamaCppChat:
    """Chat completions to a managed ``llama-server`` (``provider = "llama_cpp"``), started on the first request.

    A request that fails because the server died is retryable: the client's next attempt finds the
    server dead and ``ensure_running`` starts it again, once; a server that cannot be started, or
    dies again, fails the request as ``unavailable`` (not retried).
    """

    def __init__(self, settings: ModelSettings, server: Any, http_client: httpx2.Client | None = None):
        self.settings = settings
        self.server = server
        self.http_client = http_client
        self._chats: dict[str, OpenAIChat] = {}

    def close(self) -> None:
        """Close the chat clients of every port the server listened on (the server is its owner's to stop)."""
        for chat in self._chats.values():
            chat.close()
        self._chats.clear()

    def send(self, messages: list[Message], output_model: type[BaseModel], on_delta: OnDelta | None) -> RawReply:
        from ..errors import ToolError

        try:
            base_url = self.server.ensure_running()
        except ToolError as error:
            raise RequestFailed("unavailable", error.message) from error
        if base_url not in self._chats:  # a restarted server may listen on another port
            self.close()
            self._chats[base_url] = OpenAIChat(self.settings.model_copy(update={"base_url": base_url}),
                                               "not-needed", self.http_client)
        try:
            return self._chats[base_url].send(messages, output_model, on_delta)
        except RequestFailed as failed:
            # A refusal (a prompt longer than the context) comes from a live server; a broken
            # connection may come a moment before the dying process can be reaped.
            if failed.kind in ("client", "auth") or not self.server.exited_within(2.0):
                raise
            raise RequestFailed("connection", f"llama-server died during the request ({failed.message}); "
                                              f"log: {self.server.log_path}") from failed


class AnthropicMessages:
    """The Anthropic Messages API; JSON is asked for in the system prompt."""

    def __init__(self, settings: ModelSettings, api_key: str, http_client: httpx2.Client | None = None):
        self.settings = settings
        self.sdk = anthropic.Anthropic(api_key=api_key, base_url=settings.base_url, timeout=settings.timeout_s,
                                       max_retries=0, http_client=http_client)
        self._owns_connections = http_client is None

    def close(self) -> None:
        if self._owns_connections:
            self.sdk.close()

    def send(self, messages: list[Message], output_model: type[BaseModel], on_delta: OnDelta | None) -> RawReply:
        s = self.settings
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        kwargs: dict[str, Any] = {
            "model": s.model, "max_tokens": s.max_tokens,
            "messages": [m.model_dump() for m in messages if m.role != "system"],
        }
        if system:
            kwargs["system"] = system
        if s.temperature is not None:
            kwargs["temperature"] = min(s.temperature, 1.0)
        try:
            if on_delta is not None and s.stream:
                return self._stream(kwargs, on_delta)
            return _anthropic_reply(self.sdk.messages.create(**kwargs))
        except RequestFailed:
            raise
        except Exception as error:  # noqa: BLE001 - every failure is classified, none escapes unlabelled
            raise classify(error) from error

    def _stream(self, kwargs: dict[str, Any], on_delta: OnDelta) -> RawReply:
        events = self.sdk.messages.create(**kwargs, stream=True)
        with closing(events):  # a stream abandoned on a bad event must not leave its socket open
            return self._read_stream(events, on_delta)

    def _read_stream(self, events: Any, on_delta: OnDelta) -> RawReply:
        parts: list[str] = []
        tokens_in = tokens_out = None
        finish = None
        for event in events:
            kind = getattr(event, "type", None)
            if kind == "message_start":
                tokens_in = _anthropic_input_tokens(event.message.usage)
                tokens_out = event.message.usage.output_tokens
            elif kind == "content_block_delta" and getattr(event.delta, "type", None) == "text_delta":
                parts.append(event.delta.text)
                _deliver(on_delta, event.delta.text)
            elif kind == "message_delta":
                tokens_out = event.usage.output_tokens  # cumulative, per the streaming docs
                finish = event.delta.stop_reason
            elif kind is None:
                raise RequestFailed("malformed", f"stream event without a type: {str(event)[:200]}")
        _require_finish(finish)
        return RawReply("".join(parts), tokens_in, tokens_out, finish)


def _require_finish(finish: str | None) -> None:
    """A stream that ends without saying why was cut short, or was no stream at all (an HTML error
    page with status 200 reads as zero events): a malformed reply, worth a retry, not an empty one."""
    if finish is None:
        raise RequestFailed("malformed", "the stream ended without a finish reason (truncated, or not a stream)")


def _openai_reply(completion: Any) -> RawReply:
    if not isinstance(completion, openai.types.chat.ChatCompletion):
        raise RequestFailed("malformed", f"the body is not a chat completion: {str(completion)[:200]}")
    try:
        choice = completion.choices[0]
        text = choice.message.content or ""
        usage = completion.usage
        return RawReply(text, usage.prompt_tokens if usage else None,
                        usage.completion_tokens if usage else None, choice.finish_reason)
    except (AttributeError, IndexError, TypeError) as error:
        raise RequestFailed("malformed", f"the chat completion lacks its fields ({error})") from error


def _anthropic_reply(message: Any) -> RawReply:
    if not isinstance(message, anthropic.types.Message):
        raise RequestFailed("malformed", f"the body is not a message: {str(message)[:200]}")
    try:
        text = "".join(block.text for block in message.content if block.type == "text")
        return RawReply(text, _anthropic_input_tokens(message.usage), message.usage.output_tokens,
                        message.stop_reason)
    except (AttributeError, TypeError) as error:
        raise RequestFailed("malformed", f"the message lacks its fields ({error})") from error


def _anthropic_input_tokens(usage: Any) -> int:
    # Cached prompt tokens are reported apart from input_tokens; all of them were sent.
    return sum(getattr(usage, name, None) or 0
               for name in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"))


def classify(error: BaseException) -> RequestFailed:
    """The retry-relevant kind of any exception an SDK call (or its stream) raised."""
    if isinstance(error, CallbackFailed):
        raise error.__cause__ or error
    if isinstance(error, (openai.APITimeoutError, anthropic.APITimeoutError, httpx2.TimeoutException)):
        return RequestFailed("timeout", str(error) or "request timed out")
    if isinstance(error, (openai.APIConnectionError, anthropic.APIConnectionError, httpx2.TransportError)):
        return RequestFailed("connection", str(error) or "connection error")
    if isinstance(error, (openai.APIStatusError, anthropic.APIStatusError)):
        return _from_status(error.status_code, error.response.headers, _error_body(error), str(error))
    if isinstance(error, (openai.APIError, anthropic.APIError)):
        # An error object inside an otherwise successful stream.
        return RequestFailed("server", str(error))
    if isinstance(error, (ValueError, AttributeError, TypeError, KeyError, IndexError)):
        # json.JSONDecodeError is a ValueError: a truncated or non-JSON body.
        return RequestFailed("malformed", f"unreadable response body: {error}")
    raise error


def _from_status(status: int, headers: Any, body: dict, text: str) -> RequestFailed:
    error_type = str(body.get("type", "")) if isinstance(body, dict) else ""
    message = str(body.get("message") or text) if isinstance(body, dict) else text
    wait = retry_after_seconds(dict(headers)) if headers is not None else None
    if status == 429 or error_type == "rate_limit_error":
        return RequestFailed("rate_limit", message, status=status, retry_after_s=wait)
    if status >= 500 or status in (408, 409) or error_type in _TRANSIENT_ERROR_TYPES:
        return RequestFailed("server", message, status=status, retry_after_s=wait)
    if status in (401, 403):
        return RequestFailed("auth", message, status=status)
    return RequestFailed("client", message, status=status)


def _error_body(error: Any) -> dict:
    body = getattr(error, "body", None)
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            return {}
    if isinstance(body, dict):
        inner = body.get("error", body)
        return inner if isinstance(inner, dict) else {}
    return {}

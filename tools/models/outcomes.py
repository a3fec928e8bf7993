"""What a model call ends with: a closed set of frozen outcomes, and the reply that carries one with its usage."""

from __future__ import annotations

from typing import Annotated, Generic, Literal, TypeVar, Union

from pydantic import BaseModel, Field

from ..results import FrozenModel

T = TypeVar("T", bound=BaseModel)

Role = Literal["system", "user", "assistant"]
BudgetKind = Literal["tokens", "cost", "calls", "wall_clock"]


class Message(FrozenModel):
    """One turn of a conversation, in the provider-neutral form every client accepts."""

    role: Role
    """``system`` instructions, the ``user``'s turn, or an earlier ``assistant`` reply."""
    content: str
    """The text of the turn."""


class Parsed(FrozenModel, Generic[T]):
    """The model answered and its reply validated against the caller's output model."""

    outcome: Literal["parsed"] = "parsed"
    value: T
    """The reply, parsed into the caller's pydantic model."""
    text: str
    """The raw text the value was parsed from, kept as evidence."""
    repaired: bool = False
    """True when the first reply did not validate and the repair request's reply did."""


class Unparseable(FrozenModel):
    """The model answered twice (the reply and one repair) and neither reply validated."""

    outcome: Literal["unparseable"] = "unparseable"
    text: str
    """The last reply, verbatim."""
    error: str
    """Why it did not validate (pydantic's or the JSON decoder's message)."""


class ProviderError(FrozenModel):
    """The provider did not give a usable reply: an error status, a broken connection or a malformed body."""

    outcome: Literal["provider_error"] = "provider_error"
    kind: Literal["rate_limit", "server", "connection", "malformed", "auth", "client", "config", "unavailable"]
    """What went wrong; ``rate_limit``, ``server``, ``connection`` and ``malformed`` were retried first;
    ``unavailable``: a managed local server could not be started, or died again after its one restart."""
    status: int | None = None
    """The HTTP status of the last attempt, when there was one."""
    message: str
    """The provider's (or the SDK's) message, first line."""
    retryable: bool
    """Whether the failure was of a kind worth retrying later (it already was, up to ``max_retries``)."""


class BudgetExhausted(FrozenModel):
    """A budget is spent, so the call was refused before any request was sent."""

    outcome: Literal["budget_exhausted"] = "budget_exhausted"
    which: BudgetKind
    """The budget that ran out; ``wall_clock`` counts seconds spent waiting on model requests."""
    scope: str
    """``run`` for the whole run's budget, else the role whose own budget ran out."""
    limit: float
    """The configured limit."""
    spent: float
    """What had been spent when the call was refused."""


class TimedOut(FrozenModel):
    """Every attempt ran past the model's timeout."""

    outcome: Literal["timed_out"] = "timed_out"
    timeout_s: float
    """The per-request timeout that was exceeded."""
    attempts: int
    """How many requests timed out."""


class CallUsage(FrozenModel):
    """What one ``complete`` call cost, over all its requests (retries and the repair included)."""

    requests: int = 0
    """HTTP requests sent to the provider."""
    retries: int = 0
    """Requests that were repeats after a transient failure."""
    tokens_in: int = 0
    """Prompt tokens, from the provider's usage fields (estimated as chars/4 when it gave none)."""
    tokens_out: int = 0
    """Completion tokens, likewise."""
    tokens_estimated: bool = False
    """True when some request's tokens were estimated because the provider reported no usage."""
    cost_usd: float | None = None
    """Cost from the model's configured prices; None when no price is configured."""
    latency_s: float = 0.0
    """Seconds spent in requests (not counting back-off sleeps or waiting for a concurrency slot)."""


class ModelReply(FrozenModel, Generic[T]):
    """The result of ``ModelClient.complete``: an outcome plus who answered and what it cost."""

    outcome: Annotated[
        Union[Parsed[T], Unparseable, ProviderError, BudgetExhausted, TimedOut],
        Field(discriminator="outcome"),
    ]
    """How the call ended."""
    model: str
    """The configured model's name (the key under ``[models]``)."""
    provider: str
    """``openai``, ``anthropic`` or ``openai_compatible``."""
    model_id: str
    """The provider's model identifier that was requested."""
    role: str | None = None
    """The role that made the call, when given."""
    usage: CallUsage = CallUsage()
    """Tokens, cost, latency and request counts."""

    @property
    def ok(self) -> bool:
        return isinstance(self.outcome, Parsed)

    @property
    def value(self) -> T | None:
        """The parsed value, or None when the call did not end ``parsed``."""
        return self.outcome.value if isinstance(self.outcome, Parsed) else None

"""A thread-safe ledger of model spending (tokens, cost, calls, seconds) per run and per role, that refuses spent budgets."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .config import Limits, ModelBudget
from .outcomes import BudgetExhausted, BudgetKind

RUN = "run"
# Order in which budgets are reported when several are spent at once.
_KINDS: tuple[tuple[BudgetKind, str, str], ...] = (
    ("calls", "calls", "calls"),
    ("tokens", "tokens", "tokens"),
    ("cost", "cost_usd", "cost_usd"),
    ("wall_clock", "model_seconds", "seconds"),
)


class UsageSink(Protocol):
    """Receives one event dict per model request (see ``ModelClient`` for its keys), to persist it."""

    def __call__(self, event: dict[str, Any]) -> None: ...


@dataclass
class Spend:
    """What one scope has spent so far."""

    tokens: int = 0
    cost_usd: float = 0.0
    calls: int = 0
    seconds: float = 0.0


class BudgetLedger:
    """Every model request reserves a call here first and records its usage after.

    ``on_usage`` receives each recorded event (the lead stores it as a memory event); ``replay`` feeds
    stored events back after a resumption, so a spent budget stays spent until its limit is raised.
    """

    def __init__(self, run: Limits | None = None, roles: Mapping[str, Limits] | None = None,
                 *, on_usage: UsageSink | Callable[[dict[str, Any]], None] | None = None):
        self.run_limits = run or Limits()
        self.role_limits = dict(roles or {})
        self.on_usage = on_usage
        self._lock = threading.Lock()
        self._spent: dict[str, Spend] = {RUN: Spend()}

    @classmethod
    def from_config(cls, budget: ModelBudget, *, on_usage: UsageSink | None = None) -> BudgetLedger:
        run = Limits(**{name: getattr(budget, name) for name in Limits.model_fields})
        return cls(run, budget.roles, on_usage=on_usage)

    def spent(self, scope: str = RUN) -> Spend:
        """A copy of what ``scope`` (``run`` or a role) has spent."""
        with self._lock:
            found = self._spent.get(scope, Spend())
            return Spend(found.tokens, found.cost_usd, found.calls, found.seconds)

    def exhausted(self, role: str | None = None) -> BudgetExhausted | None:
        """The first spent budget that applies to ``role`` (the run's first), or None; a step-boundary check."""
        with self._lock:
            return self._first_spent(role)

    def reserve(self, role: str | None) -> BudgetExhausted | None:
        """Count one request against the run and ``role``, or refuse it when a budget is spent."""
        with self._lock:
            refusal = self._first_spent(role)
            if refusal is None:
                for scope in self._scopes(role):
                    self._spent.setdefault(scope, Spend()).calls += 1
            return refusal

    def record(self, event: dict[str, Any]) -> None:
        """Charge a finished request's tokens, cost and seconds, then pass the event to ``on_usage``."""
        self._charge(event, count_call=False)
        if self.on_usage is not None:
            self.on_usage(event)

    def replay(self, events: Iterable[dict[str, Any]]) -> None:
        """Charge events recorded earlier (calls included), without passing them to ``on_usage`` again."""
        for event in events:
            self._charge(event, count_call=True)

    def _charge(self, event: dict[str, Any], *, count_call: bool) -> None:
        with self._lock:
            for scope in self._scopes(event.get("role")):
                spend = self._spent.setdefault(scope, Spend())
                spend.tokens += int(event.get("tokens_in") or 0) + int(event.get("tokens_out") or 0)
                spend.cost_usd += float(event.get("cost_usd") or 0.0)
                spend.seconds += float(event.get("latency_s") or 0.0)
                spend.calls += 1 if count_call else 0

    def _scopes(self, role: str | None) -> list[str]:
        return [RUN] if role is None else [RUN, role]

    def _first_spent(self, role: str | None) -> BudgetExhausted | None:
        scopes = [(RUN, self.run_limits)]
        if role is not None and role in self.role_limits:
            scopes.append((role, self.role_limits[role]))
        for scope, limits in scopes:
            spend = self._spent.get(scope, Spend())
            for which, limit_field, spend_field in _KINDS:
                limit = getattr(limits, limit_field)
                used = getattr(spend, spend_field)
                if limit is not None and used >= limit:
                    return BudgetExhausted(which=which, scope=scope, limit=float(limit), spent=float(used))
        return None

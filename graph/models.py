"""The project's model clients and their shared budget ledger; every model request becomes a memory event."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mathteam.memory import Actor, Memory
from mathteam.project import ROLES, Project, ProjectFile

if TYPE_CHECKING:
    from mathteam.tools.models import BudgetExhausted, BudgetLedger, ModelClient

MODEL_REQUEST = "model request"
"""The action of the event each model request is stored as (replayed into the ledger on resumption)."""

_WHICH = {"tokens": "token", "cost": "cost", "calls": "call", "wall_clock": "model wall-clock"}


class UsageRecorder:
    """The ledger's ``on_usage``: stores each request as an event, attributed to its role and model and
    to the task being done (``subject``, set per thread: parallel workers each do their own task).

    It writes through a connection of its own, so a model must never be called inside a memory
    transaction (the write would wait for that transaction's lock).
    """

    def __init__(self, memory_path: Path):
        self.memory_path = memory_path
        self._lock = threading.Lock()
        self._local = threading.local()

    @contextmanager
    def subject(self, subject: str | None) -> Iterator[None]:
        previous = getattr(self._local, "subject", None)
        self._local.subject = subject
        try:
            yield
        finally:
            self._local.subject = previous

    def __call__(self, event: dict[str, Any]) -> None:
        actor = Actor.role(event.get("role") or "model", brain=event.get("model"), tool=event.get("provider"),
                           tool_version=event.get("model_id"))
        with self._lock, Memory.open(self.memory_path) as memory:
            memory.record_event(actor, MODEL_REQUEST, subject=getattr(self._local, "subject", None),
                                inputs={"purpose": event.get("purpose"), "request": event.get("request")},
                                outputs=event, seconds=event.get("latency_s"), cost=event.get("cost_usd"))


def recorded_usage(memory: Memory) -> list[dict[str, Any]]:
    """The usage events of every model request this project made, oldest first."""
    import json

    rows = memory.db.query("select outputs from events where action = ? order by id", [MODEL_REQUEST])
    return [json.loads(row["outputs"]) for row in rows]


class ModelRegistry:
    """One client per configured model (built on first use), all charging one ledger.

    The ledger starts from what earlier runs spent (replayed from the memory's events), so a spent
    budget stays spent across restarts until the project file raises it.
    """

    def __init__(self, project: Project, *, http_client: Any = None, environ: Mapping[str, str] = os.environ):
        from mathteam.tools.models import BudgetLedger

        self.project = project
        self.http_client = http_client
        self.environ = environ
        self.recorder = UsageRecorder(project.memory_path)
        self.ledger: BudgetLedger = BudgetLedger.from_config(project.config.budget, on_usage=self.recorder)
        with Memory.open(project.memory_path) as memory:
            self.ledger.replay(recorded_usage(memory))
        self._clients: dict[str, ModelClient] = {}
        self._lock = threading.Lock()
        self._servers: Any = None

    def client(self, name: str) -> ModelClient:
        """The client of the model ``[models.NAME]``; raises ``MissingApiKey`` when its key is unset.

        A ``llama_cpp`` model's client talks to a server this registry manages: started on the first
        request, shared by every role naming the model, its log in the run folder, stopped by ``close``.
        """
        from mathteam.tools.models import ModelClient

        with self._lock:
            if name not in self._clients:
                settings = self.project.config.models[name]
                provider = self._local_provider(name, settings) if settings.provider == "llama_cpp" else None
                self._clients[name] = ModelClient(name, settings, ledger=self.ledger, provider=provider,
                                                  http_client=self.http_client, environ=self.environ)
            return self._clients[name]

    def _local_provider(self, name: str, settings: Any) -> Any:
        from mathteam.tools.errors import ToolUnavailable
        from mathteam.tools.models.errors import LocalModelMissing
        from mathteam.tools.models.llama_server import INSTALL, LocalServers
        from mathteam.tools.models.providers import LlamaCppChat

        if self._servers is None:
            self._servers = LocalServers(self.project.run_dir, self.project.path.parent, environ=self.environ)
        try:
            server = self._servers.server(name, settings)
        except ToolUnavailable as missing:
            raise LocalModelMissing(name, missing.message, INSTALL) from None
        return LlamaCppChat(settings, server, self.http_client)

    def check_local_models(self) -> None:
        """Raise ``LocalModelMissing`` now, before any step runs, when a role's llama_cpp model cannot be served."""
        config = self.project.config
        for name in {getattr(config.team, role) for role in model_roles(config)}:
            if config.models[name].provider == "llama_cpp":
                self.client(name)

    def close(self) -> None:
        """Close the SDK clients this registry made (their pooled connections) and stop the local model
        servers it started (if any)."""
        with self._lock:
            servers, self._servers = self._servers, None
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:  # an http_client passed in stays open: it belongs to the caller
            client.close()
        if servers is not None:
            servers.close()

    def spent_budget(self) -> BudgetExhausted | None:
        """The first spent budget, run-wide first, then those of roles that think with a model."""
        for role in (None, *model_roles(self.project.config)):
            refusal = self.ledger.exhausted(role)
            if refusal is not None:
                return refusal
        return None


def model_roles(config: ProjectFile) -> list[str]:
    """The roles whose brain is a model."""
    return [role for role in ROLES if getattr(config.team, role) != "symbolic"]


def describe_budget(refusal: BudgetExhausted) -> str:
    """``token budget of 2000000 spent (run)``: which budget, its limit and its scope."""
    limit = refusal.limit
    shown = {"tokens": f"{limit:.0f}", "calls": f"{limit:.0f}", "cost": f"${limit:g}",
             "wall_clock": f"{limit:g} s"}[refusal.which]
    return f"{_WHICH[refusal.which]} budget of {shown} spent ({refusal.scope})"


def model_budget_stop(context: Any) -> str | None:
    """Why the run must stop for a spent model budget, or None; free for projects without model brains."""
    if not model_roles(context.project.config):
        return None
    refusal = context.models.spent_budget()
    return describe_budget(refusal) if refusal is not None else None

"""What a kind of mathematics gives the team (`Domain`), and the one registry where a kind is looked up.

A domain lives in one folder per layer it needs: its mathematics (pure functions and the model of
its `[domain]` section) in `domains/<name>/`, and its role handlers, plan, report, review-edit rules
and Lean rendering in `agents/<name>/`, which exports one `Domain` object named `DOMAIN`. The role
modules (agents/planner.py, writer.py, ...) keep only their node function and ask the run's domain
for the handler of each task.

`DOMAINS[kind]` is the only place a kind is looked up. The built-in domains are named in
`BUILT_IN` and imported on first use (so that reading a project file loads only the section model
of its own domain, from `domains/<name>/settings.py`); any other is added with `register`, which is
how a plug-in or a test brings a domain without editing this package (see docs/domains.md).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from mathteam.domains.section import DomainSection

if TYPE_CHECKING:
    from mathteam.memory import Claim, Memory, Review, Task
    from mathteam.project import Project

Handler = Callable[..., None]
"""Does one task: `handler(memory, task, runtime, shared)`; `shared` is a dict the tasks of one
batch share, for what is costly to rebuild (see agents/dispatch.py)."""

BUILT_IN: dict[str, str] = {
    "magma_implications": "magma",
    "sequences": "sequences",
    "freeform": "freeform",
}
"""Kind → folder name: the section model is `mathteam.domains.<name>.settings.SETTINGS`, the
domain `mathteam.agents.<name>.DOMAIN`. A new built-in domain is one line here."""

BUILT_IN_EXPORTS: dict[str, str] = {
    "magma_implications": "mathteam.export:magma_rows",
}
"""Kind → `module:function`, the rows `mathteam export` writes for a built-in domain, found without
importing the domain's agents (the domain's `export_rows` is the same function). A built-in kind not
here exports one row per claim."""

DOMAIN_KEY = "domain"
"""Memory meta key: the project's domain kind, written when its run begins (mathteam.runner), so
that what reads only the memory (a review decision) knows the domain."""


@dataclass(frozen=True)
class ReviewEdits:
    """How a person may edit a conjecture or statement of this domain at an approval gate."""

    expected: str
    """What an edit must look like, in words (shown when it does not parse)."""
    parse: Callable[[str], Any]
    """Raises ValueError (its message: the problem) when the text is not a valid edit."""
    apply: Callable[["Memory", Any, "Review", "Task"], None]
    """Replaces the claim under review by the edited one: `apply(memory, context, review, task)`
    (the old claim is closed, a new claim and task are added, inside the caller's transaction)."""
    claim_kinds: frozenset[str] = frozenset()
    """Kinds of claims that can be edited; others can only be approved or rejected."""


@dataclass(frozen=True)
class Contributions:
    """What a person may add to a running project of this domain by hand (the TUI's keys)."""

    conjecture: Callable[["Project", "Memory", str, str], "Claim"] | None = None
    """`conjecture(project, memory, text, person)`: a person's conjecture as a claim and a task."""
    examples: Callable[["Project", "Memory", int, str], "Task"] | None = None
    """`examples(project, memory, size, person)`: a task for the example-generator."""


@dataclass(frozen=True)
class Domain:
    """Everything the team needs to know about one kind of mathematics.

    Only `kind`, `settings`, `plan` and `write_report` are required; a domain whose tasks need
    no more than a handler per role and task kind gives `symbolic` (and `model`) and nothing else.
    """

    kind: str
    """The `[domain] kind` of the project file."""
    settings: type[DomainSection]
    """The model of the `[domain]` section (its `kind` field is `Literal[kind]`)."""
    plan: Callable[["Project"], tuple[list["Task"], list["Claim"]]]
    """The first tasks and the claims they serve, from the project."""
    write_report: Callable[["Project", "Memory"], Path]
    """(Re)writes the report from the memory; returns its path."""
    symbolic: Mapping[str, Mapping[str, Handler]] = field(default_factory=dict)
    """Role → task kind → the handler of the role's symbolic (offline) brain."""
    model: Mapping[str, Mapping[str, Handler]] = field(default_factory=dict)
    """Role → task kind → the handler used when `[team]` gives the role a model brain."""
    scheduled_kinds: frozenset[str] = frozenset()
    """Task kinds the planner does not hand out itself when they are ready: `schedule` does."""
    schedule: Callable[["Memory", Any, list["Task"]], Any] | None = None
    """`schedule(memory, context, ready)` for the ready tasks of `scheduled_kinds`: the planner's
    Decision, or None when they all wait for a person."""
    before_step: Callable[["Memory", Any], None] | None = None
    """`before_step(memory, context)`, called before each planning step (adds the next phase's
    tasks when a phase ends)."""
    gated_kinds: frozenset[str] = frozenset()
    """Task kinds that try to prove a claim: the conjecture and statement gates stop them until a
    person approves (a domain with `schedule` may gate its own tasks there instead)."""
    numerous_kinds: frozenset[str] = frozenset()
    """Task kinds with one task per item of the question (a task per pair): status lists and the
    plan review count them instead of listing them."""
    task_for_claim: Callable[["Memory", str], "Task | None"] = lambda memory, claim_id: memory.task(f"prove:{claim_id}")
    """`task_for_claim(memory, claim_id)`: the task that proves a claim, which a decision at the
    conjecture or statement gate clears or closes (default: the task `prove:<claim>`)."""
    edits: ReviewEdits | None = None
    """How conjectures and statements may be edited at the gates; None: approve or reject only."""
    contributions: Contributions = Contributions()
    """What a person may add by hand."""
    extend: Callable[["Project", "Memory"], str] | None = None
    """`extend(project, memory)`: the project file added to the question (its section's
    `question_extends` says so); plan the additions without redoing settled work, and say what
    was done. None: a changed question is refused."""
    export_rows: Callable[["Project", "Memory"], Iterable[dict]] | None = None
    """The rows `mathteam export` writes; None: one row per claim (mathteam.export.claim_rows)."""


class UnknownDomain(KeyError):
    """No domain is registered (or built in) under this kind."""


class DomainRegistry(Mapping[str, Domain]):
    """Kind → Domain: the built-in domains (imported on first use) and those registered."""

    def __init__(self, built_in: Mapping[str, str]):
        self._built_in = dict(built_in)
        self._domains: dict[str, Domain] = {}
        self._settings: dict[str, type[DomainSection]] = {}
        self._lock = threading.RLock()

    def register(self, domain: Domain) -> Domain:
        """Add (or replace) a domain; returns it, so `DOMAIN = DOMAINS.register(Domain(...))` reads well."""
        with self._lock:
            self._domains[domain.kind] = domain
            self._settings[domain.kind] = domain.settings
        return domain

    def unregister(self, kind: str) -> None:
        """Remove a registered domain (a test's toy domain); a built-in one comes back on next use."""
        with self._lock:
            self._domains.pop(kind, None)
            self._settings.pop(kind, None)

    def settings(self, kind: str) -> type[DomainSection]:
        """The `[domain]` section model of a kind, without loading the domain's agents."""
        with self._lock:
            if kind not in self._settings:
                if kind not in self._built_in:
                    raise UnknownDomain(kind)
                module = importlib.import_module(f"mathteam.domains.{self._built_in[kind]}.settings")
                self._settings[kind] = module.SETTINGS
            return self._settings[kind]

    def export_rows(self, kind: str) -> Callable[["Project", "Memory"], Iterable[dict]] | None:
        """What `mathteam export` writes for a kind (None: one row per claim), without loading
        the agents of a built-in domain: export only reads the memory and the engine's log."""
        with self._lock:
            if kind in self._domains:
                return self._domains[kind].export_rows
            if kind not in self._built_in:
                raise UnknownDomain(kind)
            target = BUILT_IN_EXPORTS.get(kind)
        if target is None:
            return None
        module, _, name = target.partition(":")
        return getattr(importlib.import_module(module), name)

    def __getitem__(self, kind: str) -> Domain:
        with self._lock:
            if kind not in self._domains:
                if kind not in self._built_in:
                    raise UnknownDomain(kind)
                module = importlib.import_module(f"mathteam.agents.{self._built_in[kind]}")
                self._domains[kind] = module.DOMAIN
                self._settings[kind] = module.DOMAIN.settings
            return self._domains[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(self.kinds())

    def __len__(self) -> int:
        return len(self.kinds())

    def __contains__(self, kind: object) -> bool:
        return kind in self._built_in or kind in self._domains

    def kinds(self) -> list[str]:
        """Every kind a project file may name: the built-in ones first, then the registered."""
        return [*self._built_in, *(kind for kind in self._domains if kind not in self._built_in)]


DOMAINS = DomainRegistry(BUILT_IN)
"""The one registry of domains."""


def register(domain: Domain) -> Domain:
    """Make a domain known to project files and runs (see docs/domains.md)."""
    return DOMAINS.register(domain)

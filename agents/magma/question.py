"""What the roles share about a magma-implications question: its laws, and how refutations are recorded."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

from mathteam.domains.magma.implications import claim_id
from mathteam.domains.magma import finite
from mathteam.domains.magma.laws import NamedLaw, canonical_key
from mathteam.domains.magma.readable import example_id
from mathteam.domains.magma.terms import Law, parse_law
from mathteam.memory import Actor, Evidence, Memory
from mathteam.project import Project

CHECKER = "independent re-evaluation of every assignment (plain Python)"


@dataclass(frozen=True)
class MagmaQuestion:
    """The laws of the question, by position and by name."""

    named: tuple[NamedLaw, ...]

    @classmethod
    def of(cls, project: Project, memory: Memory | None = None) -> "MagmaQuestion":
        """The project's laws, plus the laws people introduced by editing a conjecture at a gate."""
        named = list(project.config.domain.named_laws)
        if memory is not None:
            extra = json.loads(memory.get_meta("extra_laws") or "{}")
            named += [NamedLaw(name, parse_law(text)) for name, text in extra.items()]
        return cls(tuple(named))

    @cached_property
    def laws(self) -> list[Law]:
        return [item.law for item in self.named]

    @cached_property
    def index(self) -> dict[str, int]:
        return {item.name: i for i, item in enumerate(self.named)}

    def law(self, name: str) -> Law:
        return self.named[self.index[name]].law

    def claim_id(self, i: int, j: int) -> str:
        return claim_id(self.named[i].name, self.named[j].name)


def name_for_law(memory: Memory, question: MagmaQuestion, law: Law, fresh_name: str) -> str:
    """The question's name for `law` (up to renaming and swapping sides), else `fresh_name`,
    recorded among the extra laws the roles read (a law a person introduced)."""
    key = canonical_key(law)
    for item in question.named:
        if canonical_key(item.law) == key:
            return item.name
    extra = json.loads(memory.get_meta("extra_laws") or "{}")
    extra[fresh_name] = str(law)
    memory.set_meta("extra_laws", json.dumps(extra))
    return fresh_name


def record_refutations(memory: Memory, question: MagmaQuestion,
                       pairs: list[tuple[int, int, list[list[int]]]], actor: Actor,
                       source: str) -> set[str]:
    """Re-check each (hypothesis, conclusion, table) independently and refute the claims that pass.

    Returns the ids of the refuted claims. A table the checker rejects refutes nothing and is
    recorded as an event, since it means the search code has a bug.
    """
    refuted: set[str] = set()
    violations: dict[tuple[str, int], tuple[int, ...] | None] = {}

    def violation(table: list[list[int]], key: str, law_index: int) -> tuple[int, ...] | None:
        if (key, law_index) not in violations:
            violations[(key, law_index)] = finite.find_violation(table, question.laws[law_index])
        return violations[(key, law_index)]

    with memory.atomic():
        for i, j, table in pairs:
            key = example_id(table)
            problem = finite.table_problem(table)
            holds = problem is None and violation(table, key, i) is None
            witness = violation(table, key, j) if holds else None
            cid = question.claim_id(i, j)
            if witness is None:
                memory.record_event(actor, "counterexample rejected by checker", subject=cid,
                                    outputs={"example": key, "problem": problem or "not a counterexample"})
                continue
            memory.add_example(key, "magma", len(table), {"table": table}, source, actor)
            memory.settle_claim(Evidence(
                claim_id=cid, kind="counterexample", verdict="refutes", checker=CHECKER, accepted=True,
                payload={"example": key, "table": table, "assignment": list(witness),
                         "source": source}), actor)
            refuted.add(cid)
    return refuted

"""The writer's model brain: prose for the report, from the memory's facts, labelled as unchecked.

The symbolic report is written as always; the model's prose is added to it as a summary section.
When the model gives none (a spent budget, a failure), the report goes out without it.
"""

from __future__ import annotations

import json

from langgraph.runtime import Runtime

from mathteam import signoff
from mathteam.agents.llm.brain import Reply, as_json, ask_model, model_actor
from mathteam.agents.report_parts import report_task
from mathteam.graph.context import TeamContext
from mathteam.memory import Memory, Task

PROSE_KEY = "report_prose"
"""Memory meta key: the model's prose and who wrote it, as JSON."""


class Prose(Reply):
    summary: str
    """The write-up in Markdown, without a top-level heading."""


def facts(memory: Memory, limit: int = 60, unlisted: frozenset[str] = frozenset()) -> dict:
    """What the memory holds, in short; tasks of the `unlisted` kinds (a task per pair) are left out."""
    claims = memory.claims()
    evidence: dict[str, list[str]] = {}
    for item in memory.evidence():
        evidence.setdefault(item.claim_id, []).append(
            f"{item.kind} ({'accepted by ' + item.checker if item.accepted else 'not checked'})")
    return {
        "claims": [{"id": c.id, "statement": c.statement, "status": c.status, "evidence": evidence.get(c.id, [])}
                   for c in claims[:limit]],
        "claims_by_status": memory.claim_counts(),
        "tasks": [{"id": t.id, "title": t.title, "status": t.status, "result": t.outputs.get("result")}
                  for t in memory.tasks() if t.kind not in unlisted][:limit],
    }


def ask_for_prose(memory: Memory, task: Task, runtime: Runtime[TeamContext]) -> bool:
    """Ask the model for the write-up and keep it in the memory; False when it gave none."""
    project = runtime.context.project
    user = (f"# Goal\n\n{project.config.project.goal}\n\n# What the memory holds\n\n"
            f"{as_json(facts(memory, unlisted=runtime.context.domain.numerous_kinds), 12000)}")
    prose = ask_model(memory, task, runtime, "writer", user, Prose, close_on_failure=False)
    if prose is not None:
        memory.set_meta(PROSE_KEY, json.dumps({"text": prose.summary, "by": model_actor(runtime, "writer").label()}))
    return prose is not None


def write_with_prose(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """The domain's report, with the model's prose inserted under its title."""
    project = runtime.context.project
    prose = ask_for_prose(memory, task, runtime)
    report_task(memory, task, runtime, shared)
    written = signoff.generated_report_path(project, memory)  # never a report a person decided on
    if prose and written.exists():
        text = written.read_text(encoding="utf-8")
        head, _, rest = text.partition("\n")
        written.write_text(f"{head}\n\n{prose_section(memory)}{rest}", encoding="utf-8")


def write_prose_into_report(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """For a domain whose report places the prose itself (`prose_section`): the prose, then the report."""
    ask_for_prose(memory, task, runtime)
    report_task(memory, task, runtime, shared)


def prose_section(memory: Memory) -> str:
    """The model's prose as a report section, saying who wrote it and that nothing in it was checked."""
    stored = memory.get_meta(PROSE_KEY)
    if not stored:
        return ""
    prose = json.loads(stored)
    return (f"## Summary\n\n*Written by {prose['by']}; prose is not checked: the claims' statuses below "
            f"are what the checkers established.*\n\n{prose['text'].strip()}\n\n")

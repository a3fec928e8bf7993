"""The writer's model brain: prose for the report, from the memory's facts, labelled as unchecked.

The symbolic report is written as always; the model's prose is added to it as a summary section.
When the model gives none (a spent budget, a failure), the report goes out without it.
"""

from __future__ import annotations

import json

from langgraph.runtime import Runtime

from mathteam.agents.llm.brain import Reply, as_json, ask_model, model_actor
from mathteam.graph.context import TeamContext
from mathteam.memory import Memory, Task

PROSE_KEY = "report_prose"
"""Memory meta key: the model's prose and who wrote it, as JSON."""


class Prose(Reply):
    summary: str
    """The write-up in Markdown, without a top-level heading."""


def facts(memory: Memory, limit: int = 60) -> dict:
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
                  for t in memory.tasks() if t.kind != "implication"][:limit],
    }


def write_with_prose(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    from mathteam.agents import writer

    project = runtime.context.project
    user = (f"# Goal\n\n{project.config.project.goal}\n\n# What the memory holds\n\n"
            f"{as_json(facts(memory), 12000)}")
    prose = ask_model(memory, task, runtime, "writer", user, Prose, close_on_failure=False)
    if prose is not None:
        memory.set_meta(PROSE_KEY, json.dumps({"text": prose.summary, "by": model_actor(runtime, "writer").label()}))
    writer.report_task(memory, task, runtime, shared)
    if prose is not None and project.config.domain.kind != "freeform" and project.report_path.exists():
        text = project.report_path.read_text(encoding="utf-8")
        head, _, rest = text.partition("\n")
        project.report_path.write_text(f"{head}\n\n{prose_section(memory)}{rest}", encoding="utf-8")


def prose_section(memory: Memory) -> str:
    """The model's prose as a report section, saying who wrote it and that nothing in it was checked."""
    stored = memory.get_meta(PROSE_KEY)
    if not stored:
        return ""
    prose = json.loads(stored)
    return (f"## Summary\n\n*Written by {prose['by']}; prose is not checked: the claims' statuses below "
            f"are what the checkers established.*\n\n{prose['text'].strip()}\n\n")


MODEL = {"report": write_with_prose}

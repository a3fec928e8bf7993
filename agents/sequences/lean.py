"""The formalizer's sequence work: one Lean 4 file with each sequence's recurrence as a function,
its first terms decided, and its conjectured closed form stated; recorded `not checked`.

The team does not compile this file yet (no Lean gate for sequences), so every artifact says `not
checked` and no claim changes status here.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from mathteam.agents.sequences.terms import stored_terms
from mathteam.domains.sequences import lean
from mathteam.domains.sequences.guess import ClosedForm, Recurrence
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Artifact, Memory, Task
from mathteam.tools import lean_check

ACTOR = Actor.role("formalizer", tool="lean templates")
PATH = "lean/Sequences.lean"


def formalize_sequences(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """Write `lean/Sequences.lean` and record it (and each formalized claim) as `not checked`."""
    project = runtime.context.project
    sections, formalized, skipped = [], {}, {}
    for spec in project.config.domain.sequences:
        stored = stored_terms(memory, spec.name)
        if stored is None:
            skipped[spec.name] = "no terms were computed"
            continue
        text, claims, why = sequence_section(memory, spec.name, spec.description, *stored)
        sections.append(text)
        formalized.update({claim: spec.name for claim in claims})
        if why:
            skipped[spec.name] = why
    source = "\n".join([_header(project.name), f"namespace {_namespace(project.name)}", "", lean.HELPERS,
                        *sections, f"end {_namespace(project.name)}", ""])
    target = project.run_dir / PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source, encoding="utf-8")
    detail = ("not compiled: the team has no Lean check for sequences yet" if lean_check.find_lean()
              else "no Lean toolchain found; the file was not compiled")
    with memory.atomic():
        memory.add_artifact(Artifact(id=f"lean:{PATH}", kind="lean", path=PATH, check_status="not checked",
                                     detail=detail), ACTOR)
        for claim_id in formalized:
            memory.db["artifacts"].upsert({"id": f"lean:{claim_id}", "kind": "lean", "path": PATH,
                                           "claim_id": claim_id, "check_status": "not checked",
                                           "detail": detail}, pk="id")
        memory.finish_tasks({task.id: {"path": PATH, "check": "not checked", "statements": len(formalized),
                                       "without_recurrence": skipped}}, ACTOR)


def sequence_section(memory: Memory, name: str, description: str, offset: int, terms: list[int]
                     ) -> tuple[str, list[str], str]:
    """(Lean text, claims it states, why something is missing) for one sequence."""
    recurrence_claim = memory.claim(f"{name}:recurrence")
    closed_claim = memory.claim(f"{name}:closed_form")
    head = f"/-! ## {name}: {description or 'a sequence'} (a(n) for n >= {offset}) -/\n"
    if recurrence_claim is None:
        guess = memory.task(f"guess:{name}")
        why = (guess.outputs.get("not_found", {}).get("recurrence") if guess else None) or "no recurrence was guessed"
        return head + "\n" + lean.terms_definition(name, terms, f"The computed terms; {why}.") + "\n", [], why
    recurrence = Recurrence.model_validate(recurrence_claim.data["guess"])
    function = lean.recurrence_function(name, recurrence, terms)
    if function is None:
        why = "the terms do not cover the values the recurrence leaves undetermined"
        return head + "\n" + lean.terms_definition(name, terms, why) + "\n", [], why
    parts = [head, f"/-- Conjectured recurrence {recurrence.equation}, {recurrence_claim.reason}. -/",
             function, lean.first_terms_theorem(name, terms)]
    claims = [recurrence_claim.id]
    why = ""
    if closed_claim is not None:
        try:
            parts.append(lean.closed_form_statement(
                name, ClosedForm.model_validate(closed_claim.data["guess"]), offset, len(terms)))
            claims.append(closed_claim.id)
        except lean.Untranslatable as error:
            why = f"closed form not stated: {error}"
    return "\n".join(parts) + "\n", claims, why


def _namespace(project_name: str) -> str:
    return "MathTeam" + "".join(part.capitalize() for part in project_name.replace("-", "_").replace(".", "_")
                                .split("_"))


def _header(project_name: str) -> str:
    return (f"/-\n  Lean 4 statements for the sequences of project {project_name}, written by mathteam.\n"
            f"  NOT CHECKED: no Lean compiled this file. Each function follows a recurrence the team\n"
            f"  conjectured; the theorems only evaluate finitely many cases (`decide`); the closed forms\n"
            f"  are stated as `Prop`s without proof.\n-/\n")




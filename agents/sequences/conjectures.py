"""The conjecturer's sequence work: formulas guessed from the terms, and relations between sequences.

Each guess is fitted on a prefix of the terms and checked on the rest (domains/sequences/guess); it
becomes a claim `conjectured` with the reason "checked up to n = N", and gets a `prove:CLAIM` task.
Where two guessed descriptions of one sequence could be shown equal symbolically (a closed form and
a recurrence; a rational generating function and a constant-coefficient recurrence), their agreement
is a claim of its own: that one the prover may really prove.
"""

from __future__ import annotations

import sympy as sp
from langgraph.runtime import Runtime

from mathteam.agents.sequences.plan import PROVE
from mathteam.agents.sequences.terms import stored_terms
from mathteam.domains.sequences.guess import (
    AlgebraicGF, ClosedForm, NoGuess, RationalGF, Recurrence,
)
from mathteam.domains.sequences.families import Description, guess_all
from mathteam.domains.sequences.relations import find_relations
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Claim, Memory, Task

ACTOR = Actor.role("conjecturer", tool="sympy", tool_version=sp.__version__)


def guess_sequence(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """Every guesser on the stored terms; claims and prove tasks for what they found, reasons for the rest."""
    name = task.inputs["sequence"]
    stored = stored_terms(memory, name)
    if stored is None:
        memory.finish_tasks({task.id: {"result": "no terms to guess from"}}, ACTOR)
        return
    offset, terms = stored
    last = offset + len(terms) - 1
    guesses = guess_all(terms, offset)
    found = {g.kind: g for g in guesses if not isinstance(g, NoGuess)}
    claims = [_claim(name, offset, last, guess, terms) for guess in found.values()]
    claims += _agreements(name, offset, last, terms, found)
    outputs = {"checked_up_to": last, "terms": len(terms), "claims": [c.id for c in claims],
               "not_found": {g.guesser: g.reason for g in guesses if isinstance(g, NoGuess)}}
    _record(memory, task, claims, outputs)


def find_sequence_relations(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """Relations among the project's sequences on their common terms, each a conjecture."""
    sequences = {}
    for spec in runtime.context.project.config.domain.sequences:
        if (stored := stored_terms(memory, spec.name)) is not None:
            sequences[spec.name] = stored
    claims = []
    for relation in find_relations(sequences):
        fitted = f" (fitted on {relation.fitted_on} common terms)" if relation.fitted_on else ""
        claims.append(Claim(
            id=f"relation:{relation.target}:{relation.kind}:{','.join(relation.others)}",
            kind="sequence_relation", statement=relation.statement, author=ACTOR.label(),
            status="conjectured", reason=f"checked up to n = {relation.checked_up_to}{fitted}",
            data={"relation": relation.model_dump(mode="json"), "checked_up_to": relation.checked_up_to}))
    _record(memory, task, claims, {"sequences": len(sequences), "claims": [c.id for c in claims]})


def _record(memory: Memory, task: Task, claims: list[Claim], outputs: dict) -> None:
    """Claims, their prove tasks and the finished task, together (a resumed step adds nothing twice)."""
    tasks = [Task(id=f"prove:{claim.id}", kind=PROVE, role="prover", priority=3, depends_on=[task.id],
                  title=f"Prove {claim.id}, or say up to where it was checked", inputs={"claim": claim.id})
             for claim in claims]
    with memory.atomic():
        memory.add_claims(claims, ACTOR)
        memory.add_tasks(tasks, ACTOR)
        memory.finish_tasks({task.id: outputs}, ACTOR)


def _claim(name: str, offset: int, last: int, guess, terms: list[int]) -> Claim:
    series = f"sum_(n >= {offset}) a(n) x^" + (f"(n - {offset})" if offset else "n")
    statement = {
        Recurrence: lambda g: f"{name}: {g.equation} for every n >= {offset}",
        ClosedForm: lambda g: f"{name}: a(n) = {g.expression} for every n >= {g.start if g.start is not None else offset}",
        Description: lambda g: f"{name}: {g.statement} ({g.family.replace('_', ' ')})",
        RationalGF: lambda g: f"{name}: the generating function {series} is ({g.numerator})/({g.denominator})",
        AlgebraicGF: lambda g: f"{name}: A(x) = {series} satisfies {g.equation} = 0",
    }[type(guess)](guess)
    return Claim(id=f"{name}:{guess.kind}", kind=f"sequence_{guess.kind}", statement=statement,
                 author=ACTOR.label(), status="conjectured",
                 reason=f"checked up to n = {last}: {guess.support(terms)}",
                 data={"sequence": name, "offset": offset, "guess": guess.model_dump(mode="json"),
                       "checked_up_to": last})


def _agreements(name: str, offset: int, last: int, terms: list[int], found: dict) -> list[Claim]:
    recurrence = found.get("recurrence")
    if recurrence is None:
        return []
    pairs = []
    if (closed := found.get("closed_form")) is not None and closed.start is None:
        pairs.append(("closed_form", closed, f"the closed form a(n) = {closed.expression}"))
    gf = found.get("rational_gf")
    if gf is not None and offset == 0 and all(len(p) == 1 for p in recurrence.coefficients) \
            and not recurrence.inhomogeneous:
        pairs.append(("rational_gf", gf, f"the generating function ({gf.numerator})/({gf.denominator})"))
    claims = []
    for kind, other, words in pairs:
        claims.append(Claim(
            id=f"{name}:{kind}=recurrence", kind="sequence_agreement", author=ACTOR.label(),
            status="conjectured",
            statement=(f"{name}: {words} and the recurrence {recurrence.equation} (initial values "
                       f"from the computed terms) describe the same sequence"),
            reason=f"checked up to n = {last}: both descriptions reproduce the computed terms",
            data={"sequence": name, "offset": offset, "method": f"{kind}_recurrence",
                  "other": other.model_dump(mode="json"), "recurrence": recurrence.model_dump(mode="json"),
                  "terms": terms, "checked_up_to": last}))
    return claims

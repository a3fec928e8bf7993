"""A small magma question on the one engine: each ordered pair keeps its claim, its task and its gates.

The engine (tools/bulk_engine) does the mathematics through the same public steps and the same
proving loop as a bulk question (agents/magma/bulk.py runs them as tasks). This layer gives each
pair what a person reads and decides on:
  - `held`: the pairs the engine may not work on yet: those waiting at a gate, or closed there;
  - `settle`: the engine's answers become each pending pair's evidence, every piece re-checked:
    the refuting magma (re-evaluated on both laws), a direct proof (E's output re-read, the
    syntactic certificate re-checked, the mirror of a proved claim), or a chain of proved claims;
  - `stranded`: the pairs the engine holds true only through a held pair, which get a proof of
    their own after each proving round (no chain may use a held pair's claim);
  - `next_pass`: when the engine is idle, a pass of the proving loop over the pairs then cleared
    (the rest wait for a person); a pass that ends leaves its unsettled pairs open, with what was
    tried and why (a chain of proved claims the engine does not know of settles one first).
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Iterator

import numpy as np
from langgraph.runtime import Runtime

from mathteam.agents import review_requests
from mathteam.agents.magma.engine import engine_for, progress, prove_task
from mathteam.agents.magma.proof_evidence import certificate_payload, chain_is_proved
from mathteam.agents.magma.question import MagmaQuestion, record_refutations
from mathteam.agents.magma.vocabulary import KIND as PAIR
from mathteam.domains.magma import bulk_satisfaction, syntactic
from mathteam.domains.magma.implication_matrix import FALSE, TRUE, UNKNOWN
from mathteam.domains.magma.implications import claim_id
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Evidence, Memory, Task
from mathteam.tools.bulk_engine import FIRST_STEP, PROVERS, BulkEngine
from mathteam.tools.bulk_provers import decompress
from mathteam.tools.bulk_reader import check_proof
from mathteam.tools.sat_search import TOOL_NAME as SEARCH_TOOL, TOOL_VERSION as SEARCH_VERSION

PLANNER = Actor.role("planner")
NUMPY = Actor.role("example_generator", tool="numpy", tool_version=np.__version__)
SEARCH = Actor.role("example_generator", tool=SEARCH_TOOL, tool_version=SEARCH_VERSION)
SYNTACTIC = Actor.role("prover", tool="syntactic matching")
DERIVED = Actor.role("prover", tool="transitivity")
DUALITY = Actor.role("prover", tool="duality")
PROVED = ("proved", "formally_verified")
UNSETTLED = ("open", "conjectured")
FAMILIES = "affine magmas x ◇ y = a·x + b·y + c mod n and matrix-affine magmas over (Z_p)^k"
"""The families of larger magmas the engine evaluates every law on, besides the small magmas."""
OPEN_REASONS = {
    UNKNOWN: "neither the prover nor the targeted search settled it",
    TRUE: "the engine proves it only through pairs whose claims are not proved (held at a gate, or "
          "their evidence refused by its re-check), and the prover found no proof of its own",
    FALSE: "the engine refutes it only by a magma the independent re-check did not accept"}
"""Why a pair a pass leaves unsettled is open, by what the engine holds of it."""
PASS_META = "pair_engine_pass"
"""The current pass of the proving loop: its number and the pair tasks it was started for."""


def cleared(task: Task, gates: tuple[str, ...]) -> bool:
    """Cleared at every gate the project asks for (none: always)."""
    done = task.outputs.get("cleared", [])
    return all(gate in done for gate in gates)


def held(memory: Memory, context: TeamContext, question: MagmaQuestion) -> np.ndarray:
    """``held[a, b]``: the engine may not work on a ⇒ b: no pending task of it is cleared at every gate."""
    gates = review_requests.required_gates(context)
    mask = np.ones((len(question.named),) * 2, dtype=bool)
    for task in memory.tasks(status="pending", kind=PAIR):
        if cleared(task, gates):
            mask[question.index[task.inputs["hypothesis"]], question.index[task.inputs["conclusion"]]] = False
    return mask


def settle(memory: Memory, context: TeamContext, engine: BulkEngine) -> int:
    """Settle each pending pair the engine has answered, with re-checked evidence, and close its
    task; returns how many. A counterexample settles a pair at once; a proof only a pair cleared at
    every gate, by the cheapest evidence: a syntactic certificate, the engine's direct proof, a
    chain of proved claims (evidence its re-check refuses is kept, not accepted, and the next kind
    is tried). Direct proofs come first, in the log's order, so that a mirror image follows its
    original and a chain follows its links."""
    question = MagmaQuestion.of(context.project, memory)
    gates = review_requests.required_gates(context)
    status = {claim.id: claim.status for claim in memory.claims()}
    pending = [task for task in memory.tasks(status="pending", kind=PAIR)
               if status.get(task.inputs["claim"]) in UNSETTLED]
    state = engine.matrix.state
    refuting: dict[int, list[tuple[int, int]]] = {}
    to_prove: list[tuple[int, int, Task]] = []
    for task in pending:
        i, j = question.index[task.inputs["hypothesis"]], question.index[task.inputs["conclusion"]]
        if state[i, j] == FALSE:
            if engine.log.table(k := int(engine.matrix.evidence[i, j])):  # not a model without a table
                refuting.setdefault(k, []).append((i, j))
        elif state[i, j] == TRUE and cleared(task, gates):
            to_prove.append((i, j, task))
    settled: set[str] = set()
    for k, pairs in sorted(refuting.items()):
        table = np.asarray(engine.log.table(k)).tolist()
        source = engine.log.magmas[k]["source"]
        actor = SEARCH if source.startswith("targeted search") else NUMPY
        settled |= record_refutations(memory, question, [(i, j, table) for i, j in pairs], actor, source)
    direct: dict[tuple[int, int], list[int]] = {}  # a pair proved through another, then on its own, has two
    for k, proof in enumerate(engine.log.proofs):
        direct.setdefault((proof["a"], proof["b"]), []).append(k)
    to_prove.sort(key=lambda item: direct.get((item[0], item[1]), [len(engine.log.proofs)])[0])
    chains = ProvedChains(memory)
    for i, j, task in to_prove:
        cid, a, b = task.inputs["claim"], question.named[i].name, question.named[j].name
        for evidence, actor in _evidence_options(memory, question, engine, chains, i, j, direct.get((i, j), []), cid):
            if not evidence.accepted:
                # Its re-check refused it: kept (once) for the audit, and the next kind is tried.
                _keep_refused(memory, evidence, actor)
                continue
            memory.settle_claim(evidence, actor)
            chains.add(a, b)
            settled.add(cid)
            break
    finished = {task.id: {**task.outputs, "result": status_after}
                for task in pending if (status_after := _status(memory, task.inputs["claim"], settled))}
    if finished:
        memory.finish_tasks(finished, PLANNER)
    return len(finished)


def _evidence_options(memory: Memory, question: MagmaQuestion, engine: BulkEngine, chains: "ProvedChains",
                      i: int, j: int, proofs: list[int], cid: str) -> Iterator[tuple[Evidence, Actor]]:
    """The evidence for a proved pair, cheapest first, each built only when asked for: its
    syntactic certificate, the engine's direct ``proofs`` of it, a chain of proved claims."""
    if (found := _certificate_evidence(question, i, j, cid)) is not None:
        yield found
    for k in proofs:
        if (found := _direct_evidence(memory, question, engine, k, cid)) is not None:
            yield found
    if (found := chains.evidence(memory, question.named[i].name, question.named[j].name, cid)) is not None:
        yield found


def _keep_refused(memory: Memory, evidence: Evidence, actor: Actor) -> None:
    """Store evidence its checker refused, unless this claim already has refused evidence of its kind."""
    if not any(not e.accepted and e.kind == evidence.kind for e in memory.evidence(evidence.claim_id)):
        memory.add_evidence(evidence, actor)


def _status(memory: Memory, cid: str, settled: set[str]) -> str | None:
    if cid not in settled:
        return None
    claim = memory.claim(cid)
    return claim.status if claim is not None and claim.status not in UNSETTLED else None


def _direct_evidence(memory: Memory, question: MagmaQuestion, engine: BulkEngine, k: int,
                     cid: str) -> tuple[Evidence, Actor] | None:
    """The engine's direct proof of a pair by E or by mirroring, as the claim's evidence (None:
    another kind, or the mirrored claim is not proved in the memory)."""
    proof = engine.log.proofs[k]
    if proof["kind"] in PROVERS:
        tool = proof["kind"]
        actor = Actor.role("prover", tool=tool, tool_version=proof.get("version"))
        return Evidence(claim_id=cid, kind="atp_proof", verdict="proves",
                        accepted=check_proof(engine.log, question.laws, k),
                        checker=f"{tool} status line re-read from its output",
                        payload={"tool": tool, "version": proof.get("version"),
                                 "status_line": proof.get("status_line"), "seconds": proof.get("seconds"),
                                 "output": decompress(proof["output_z"])}), actor
    if proof["kind"] == "dual":
        original = engine.log.proofs[proof["of"]]
        mirror = claim_id(question.named[original["a"]].name, question.named[original["b"]].name)
        claim = memory.claim(mirror)
        if claim is None or claim.status not in PROVED:
            return None
        return Evidence(claim_id=cid, kind="duality", verdict="proves",
                        accepted=check_proof(engine.log, question.laws, k),
                        checker="dual laws re-derived by mirroring terms; dual claim proved in memory",
                        payload={"dual_claim": mirror}), DUALITY
    return None


def _certificate_evidence(question: MagmaQuestion, i: int, j: int, cid: str) -> tuple[Evidence, Actor] | None:
    """A syntactic certificate, the cheapest evidence, whatever the engine settled the pair by."""
    hypothesis, conclusion = question.laws[i], question.laws[j]
    certificate = syntactic.syntactic_proof(hypothesis, conclusion)
    if certificate is None:
        return None
    return Evidence(claim_id=cid, kind="syntactic_proof", verdict="proves", checker="syntactic re-check",
                    accepted=syntactic.check_certificate(hypothesis, conclusion, certificate),
                    payload=certificate_payload(certificate)), SYNTACTIC


class ProvedChains:
    """The proved claims as a graph of laws, for the shortest chain of proved implications."""

    def __init__(self, memory: Memory):
        self.edges: dict[str, list[str]] = {}
        for claim in memory.claims(status=list(PROVED)):
            self.add(claim.data["hypothesis"], claim.data["conclusion"])

    def add(self, a: str, b: str) -> None:
        self.edges.setdefault(a, []).append(b)

    def path(self, start: str, goal: str) -> list[str] | None:
        """Claim ids of a shortest chain of proved implications from `start` to `goal`, if any."""
        previous = {start: start}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for nxt in self.edges.get(node, []):
                if nxt in previous:
                    continue
                previous[nxt] = node
                if nxt == goal:
                    laws = [goal]
                    while laws[-1] != start:
                        laws.append(previous[laws[-1]])
                    laws.reverse()
                    return [claim_id(x, y) for x, y in zip(laws, laws[1:])]
                queue.append(nxt)
        return None

    def evidence(self, memory: Memory, a: str, b: str, cid: str) -> tuple[Evidence, Actor] | None:
        chain = self.path(a, b)
        if not chain or not chain_is_proved(memory, chain, a, b):
            return None
        return Evidence(claim_id=cid, kind="transitivity", verdict="proves", accepted=True,
                        checker="each link re-read from memory as proved, links consecutive",
                        payload={"chain": chain}), DERIVED


def stranded(memory: Memory, context: TeamContext, engine: BulkEngine) -> list[tuple[int, int]]:
    """Cleared pairs still to settle that the engine holds true with no prover's proof of their
    own: when `settle` found no evidence for one, every chain to it runs through a pair held from
    the engine (waiting or closed at a gate), whose claim no chain may use."""
    question = MagmaQuestion.of(context.project, memory)
    gates = review_requests.required_gates(context)
    status = {claim.id: claim.status for claim in memory.claims()}
    own = {(proof["a"], proof["b"]) for proof in engine.log.proofs if proof["kind"] in PROVERS}
    found = []
    for task in memory.tasks(status="pending", kind=PAIR):
        i, j = question.index[task.inputs["hypothesis"]], question.index[task.inputs["conclusion"]]
        if status.get(task.inputs["claim"]) in UNSETTLED and cleared(task, gates) \
                and engine.matrix.state[i, j] == TRUE and (i, j) not in own:
            found.append((i, j))
    return found


def next_pass(memory: Memory, context: TeamContext, engine: BulkEngine, free: list[Task]) -> list[Task]:
    """With the engine idle and ``free`` pairs pending (cleared at every gate): when the last pass
    was for them all, they are closed as open (it tried what it could); else a new pass begins for
    them. Returns the first proving round of a new pass, if one is due (the caller adds it)."""
    last = json.loads(memory.get_meta(PASS_META) or '{"pass": 0, "pairs": []}')
    covered = set(last["pairs"])
    if not free:
        return []
    if all(task.id in covered for task in free):
        close_open(memory, engine, MagmaQuestion.of(context.project, memory), free)
        return []
    number = last["pass"] + 1
    memory.set_meta(PASS_META, json.dumps({"pass": number, "pairs": sorted(task.id for task in free)}))
    return [prove_task(context.project, FIRST_STEP.level, FIRST_STEP.round, pass_=number,
                       aim=f"the {len(free)} pairs still to settle")]


def close_open(memory: Memory, engine: BulkEngine, question: MagmaQuestion, tasks: list[Task]) -> None:
    """The pass is over: each pair it left unsettled is open, its task saying what was tried; but
    first a chain of proved claims settles any pair it reaches that the engine does not know (after
    laws were added, the engine starts afresh, without the claims proved before)."""
    chains = ProvedChains(memory)
    proved = {}
    with memory.atomic():
        for task in tasks:
            a, b = task.inputs["hypothesis"], task.inputs["conclusion"]
            if engine.matrix.state[question.index[a], question.index[b]] != UNKNOWN:
                continue
            if (found := chains.evidence(memory, a, b, task.inputs["claim"])) is not None:
                memory.settle_claim(*found)
                chains.add(a, b)
                proved[task.id] = {**task.outputs, "result": "proved"}
        if proved:
            memory.finish_tasks(proved, PLANNER)
    tasks = [task for task in tasks if task.id not in proved]
    tried: dict[tuple[int, int], list[dict]] = {}
    for attempt in engine.log.attempts:
        tried.setdefault((attempt["a"], attempt["b"]), []).append(
            {"by": "prover" if attempt["tool"] in PROVERS else "example_generator",
             "result": f"{attempt['tool']} {attempt['effort']:g} s: {attempt['outcome']}"})
    labels = engine.matrix.classes()
    finished, by_reason = {}, {}
    for task in tasks:
        i, j = question.index[task.inputs["hypothesis"]], question.index[task.inputs["conclusion"]]
        # The engine works on class representatives: equivalent laws ask the same question.
        attempts = tried.get((i, j)) or tried.get((int(labels[i]), int(labels[j])), [])
        reason = OPEN_REASONS[int(engine.matrix.state[i, j])]
        finished[task.id] = {**task.outputs, "result": "open", "attempts": attempts or [
            {"by": "planner", "result": "not attempted: the engine's proving rounds did not reach it"
             if reason == OPEN_REASONS[UNKNOWN] else reason}]}
        by_reason.setdefault(reason, []).append(task.inputs["claim"])
    with memory.atomic():
        memory.finish_tasks(finished, PLANNER)
        for reason, claims in by_reason.items():
            memory.mark_claims(claims, "open", reason, PLANNER)


def examples(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """The engine's refutation phases (every magma of size ≤ 3, affine and matrix-affine magmas),
    plus every magma of any size the task asks for that the engine did not; each refuting table is
    re-checked on the pairs it settles. Records how many magmas of each size satisfy each law: the
    support a conjecture from that law has (its gate may be narrowed by it)."""
    context = runtime.context
    engine = engine_for(context, memory)
    engine.progress = progress(runtime, "example_generator")
    started = time.monotonic()
    engine.refute_with_families()
    question = MagmaQuestion.of(context.project, memory)
    sizes = sorted(set(task.inputs["sizes"]))
    every = tuple(sorted(set(engine.config.exhaustive_sizes) | set(sizes)))
    tables, sat = bulk_satisfaction.small_magma_satisfaction(question.laws, every, engine.config.workers,
                                                             engine.cache_dir)
    summary, offset = {}, 0
    for size in every:
        count = size ** (size * size)
        block = slice(offset, offset + count)
        offset += count
        if size not in sizes:
            continue
        if size not in engine.config.exhaustive_sizes:
            keep = bulk_satisfaction.distinct_signatures(sat[block])
            engine.refute_with([tables[block][k] for k in keep], sat[block][keep],
                               f"exhaustive search of all {count} magmas of size {size}")
        summary[str(size)] = {"magmas": count, "satisfying": {item.name: int(n) for item, n
                                                              in zip(question.named, sat[block].sum(axis=0))}}
    with memory.atomic():
        settled = settle(memory, context, engine)
        memory.finish_tasks({task.id: {"sizes": summary, "families": FAMILIES, "settled": settled,
                                       "seconds": round(time.monotonic() - started, 3)}}, NUMPY)

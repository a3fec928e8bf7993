"""The writer's report for a bulk magma run, read from the engine's log and matrix (read-only, no engine)."""

from __future__ import annotations

from itertools import islice, product
from pathlib import Path

import numpy as np

from mathteam.agents.magma.bulk import EXAMPLES
from mathteam.agents.magma.engine import engine_folder
from mathteam.agents.magma.question import example_id
from mathteam.agents.magma.report_details import (SEARCHED_FROM_SIZE, class_list, implication_dot, named_with_law,
                                                  proof_chain)
from mathteam.agents.report_parts import contributions, save_report
from mathteam.domains.magma.implication_matrix import FALSE, TRUE, ImplicationMatrix
from mathteam.domains.magma.readable import table_markdown
from mathteam.domains.magma.rewriting import FAMILY as REWRITING_FAMILY
from mathteam.memory import Actor, Artifact, Memory
from mathteam.project import Project
from mathteam.tools.bulk_evidence import EvidenceLog
from mathteam.tools.bulk_reader import (TARGETED_SEARCH, check_proofs, check_refutations, count_by_evidence,
                                        infinite_model_text, read_run_so_far, source_kind)
from mathteam.tools.graphviz import render_svg

ACTOR = Actor.role("writer")
RECHECKED_REFUTATIONS = 20_000
"""Refutations the report re-checks with the plain-Python checker (all of them below this)."""
CLASSES_SHOWN = 100
"""Classes listed in the report itself (with at most MEMBERS_SHOWN laws each); `classes.md` lists all."""
MEMBERS_SHOWN = 12
DRAWN_CLASSES = 300
"""Graphviz draws the diagram up to this many classes; above it only the DOT source is written."""
SEARCHED_SHOWN = 20
"""Magmas of size 4 and up shown as tables: those a targeted search found first, the smallest first."""
PAIRS_NAMED = 8
"""Refuted pairs named under each magma shown (the export names every pair's magma)."""
E_CHAINS_SHOWN = 20
"""E proofs rebuilt as equational chains in the report."""
CHAIN_LINES = 120
"""A longer chain is named, not printed, so that the report stays bounded."""


def write_bulk_report(project: Project, memory: Memory) -> Path:
    laws = project.config.domain.named_laws
    log, matrix = read_engine(project)
    raw = matrix.counts()
    # The matrix counts the diagonal (every law implies itself); the question is about pairs.
    counts = {"proved": raw["true"] - len(laws), "refuted": raw["false"], "open": raw["unknown"]}
    pairs = len(laws) * (len(laws) - 1)
    settled = pairs - counts["open"]
    lines = [f"# {project.name}", "", f"**Question.** {project.config.project.goal}", "",
             "## Answer in numbers", "",
             f"{len(laws)} laws, {pairs} ordered pairs; {settled} settled "
             f"({100 * settled / max(pairs, 1):.3f} %), {matrix.class_count()} classes of "
             "laws that imply each other.", "", "| status | pairs |", "|---|---|"]
    lines += [f"| {status} | {n} |" for status, n in counts.items()]
    lines += ["", "## By kind of evidence", "", "| evidence | pairs |", "|---|---|"]
    by_evidence = count_by_evidence(matrix, log)
    lines += [f"| {kind} | {n} |" for kind, n in by_evidence.items()]
    lines += ["", "Derived pairs (transitivity) point at the chain of direct results behind them; the "
                  "export names the evidence of every pair.", ""]
    # Refutations are not claims in a bulk run (one magma settles thousands of pairs): credit them here.
    refuted_by = [(EXAMPLES.label(), f"{kind.removeprefix('refuted: ')} (refutes the pairs)", n)
                  for kind, n in by_evidence.items() if kind.startswith("refuted: ")]
    lines += ["## Phases", "", "| phase | seconds |", "|---|---|"]
    timings = log.marks.get("timings", {}) or {}
    lines += [f"| {phase} | {seconds:.1f} |" for phase, seconds in timings.items()] + [""]
    lines += checks_section(project, matrix, log)
    classes, edges = class_diagram(matrix, [item.name for item in laws])
    formulas = {item.name: str(item.law) for item in laws}
    lines += classes_section(project, classes, edges, formulas)
    lines += open_section(memory)
    lines += searched_magmas(matrix, log, laws)
    lines += infinite_models_section(matrix, log, laws)
    lines += e_chains(matrix, log, laws)
    lines += contributions(memory, refuted_by)
    lines += ["## Lean", "", "A bulk run writes no Lean files; the direct results can be formalized "
                             "as in the pair-by-pair mode.", ""]
    path = save_report(project, memory, lines, ACTOR)
    memory.add_artifact(Artifact(id="implications.dot", kind="dot", path="implications.dot"), ACTOR)
    return path


def class_diagram(matrix: ImplicationMatrix, names: list[str]) -> tuple[list[list[str]], list[tuple[int, int]]]:
    """The classes of proved-equivalent laws (ordered by first member, as in the pair-by-pair report)
    and the Hasse edges between them, from the closed matrix (numpy: 4694 laws in seconds)."""
    labels = matrix.classes()
    reps = np.flatnonzero(labels == np.arange(matrix.size))
    classes = [[names[j] for j in np.flatnonzero(labels == r)] for r in reps]
    # The matrix is closed under transitivity: a ⇒ b directly covers unless some c sits strictly between.
    above = matrix.state[np.ix_(reps, reps)] == TRUE
    np.fill_diagonal(above, False)
    f = above.astype(np.float32)
    covered = above & ~((f @ f) > 0)
    return classes, [(int(a), int(b)) for a, b in zip(*np.nonzero(covered))]


def classes_section(project: Project, classes: list[list[str]], edges: list[tuple[int, int]],
                    formulas: dict[str, str]) -> list[str]:
    """The classes with each law's formula (the first CLASSES_SHOWN here, all in `classes.md`) and the
    diagram whose nodes name their laws with their formulas."""
    run_dir = project.run_dir
    (run_dir / "classes.md").write_text("\n".join(["# Equivalence classes", "", *class_list(classes, formulas)])
                                        + "\n", encoding="utf-8")
    dot_path = run_dir / "implications.dot"
    dot_path.write_text(implication_dot(classes, edges, formulas), encoding="utf-8")
    svg = render_svg(dot_path) if len(classes) <= DRAWN_CLASSES else None
    shown = [members if len(members) <= MEMBERS_SHOWN else
             members[:MEMBERS_SHOWN] + [f"… {len(members) - MEMBERS_SHOWN} more laws"]
             for members in classes[:CLASSES_SHOWN]]
    lines = ["## Equivalence classes", "",
             f"{len(classes)} classes of laws that imply each other (by proved implications), numbered "
             "by their first law; each law with its formula."
             + (f" The first {CLASSES_SHOWN} (at most {MEMBERS_SHOWN} laws each) are below; "
                if len(classes) > CLASSES_SHOWN or any(len(m) > MEMBERS_SHOWN for m in classes) else " ")
             + "`classes.md` lists every class in full.", ""]
    lines += class_list(shown, formulas)
    drawing = (f"; drawing: `{svg.name}`." if svg else
               f"; not drawn (more than {DRAWN_CLASSES} classes, or Graphviz is not installed).")
    lines += ["", "## Implication graph", "",
              f"Between classes, {len(edges)} edges of the Hasse diagram (an arrow: implies); each node "
              f"names its laws with their formulas. DOT source: `{dot_path.name}`" + drawing, ""]
    if svg:
        lines += [f"![implication graph]({svg.name})", ""]
    return lines


def searched_magmas(matrix: ImplicationMatrix, log: EvidenceLog, laws: list) -> list[str]:
    """The magmas of size 4 and up (found by a search, sizes 2 and 3 are enumerated whole) as tables,
    the smallest first, each with how many pairs it refutes and the first of those it settles here."""
    # Those a targeted (SAT) search found for one pair come first: the affine families are enumerated whole.
    found = sorted((source_kind(m["source"]) != TARGETED_SEARCH, len(m["table"]), k)
                   for k, m in enumerate(log.magmas) if len(m["table"]) >= SEARCHED_FROM_SIZE)
    if not found:
        return []
    targeted = sum(1 for other, _size, _k in found if not other)
    shown = [(size, k) for _other, size, k in found[:SEARCHED_SHOWN]]
    lines = ["## Counterexamples of size 4 and more", "",
             f"{len(found)} magmas of size {SEARCHED_FROM_SIZE} or more refute pairs, {targeted} of them found "
             f"by a targeted search, the others in the affine families"
             + (f"; {len(shown)} are shown, those found by search first, the smallest first"
                if len(found) > len(shown) else "")
             + ". In each table, row x and column y hold x ◇ y. A magma refutes a ⇒ b when it satisfies a "
             "and violates b; `mathteam export` names the magma behind every refuted pair.", ""]
    names = [item.name for item in laws]
    formulas = {item.name: str(item.law) for item in laws}
    # Which magma settles each refuted pair (-1 elsewhere), scanned once: 22 million pairs at 4694 laws.
    settled_by = np.where(matrix.state == FALSE, matrix.evidence, -1).ravel()
    credits = np.bincount(settled_by[settled_by >= 0], minlength=len(log.magmas))
    for size, k in shown:
        table = log.table(k)
        sat = log.sat_rows([k])[0].astype(bool)
        refutes = int(sat.sum()) * int((~sat).sum())
        credited = [divmod(int(i), matrix.size) for i in np.flatnonzero(settled_by == k)[:PAIRS_NAMED]]
        # The pairs it settles in this run first, then others it refutes (settled here by another magma).
        named = list(credited)
        others = (pair for pair in product(np.flatnonzero(sat).tolist(), np.flatnonzero(~sat).tolist())
                  if pair not in named)
        named += islice(others, PAIRS_NAMED - len(named))
        lines += [f"### magma{k}: `{example_id(table)}` (size {size}, {log.magmas[k]['source']})", ""]
        lines += table_markdown(table)
        lines += ["", f"Satisfies {int(sat.sum())} of the {len(names)} laws and so refutes {refutes} ordered "
                      f"pairs, of which the run credits it with {int(credits[k])} (named first below)"
                  + (f"; {len(named)} of them:" if named else "."), ""]
        lines += [f"- {named_with_law(names[a], formulas)} ⇏ {named_with_law(names[b], formulas)}"
                  for a, b in named]
        lines.append("")
    return lines


def infinite_models_section(matrix: ImplicationMatrix, log: EvidenceLog, laws: list) -> list[str]:
    """The infinite counter-models (magmas given by a formula, decided exactly), each with the pairs
    it settles and, for the first of them, the assignment on which the conclusion fails."""
    models = [k for k, m in enumerate(log.magmas) if "model" in m]
    if not models:
        return []
    settled_by = np.where(matrix.state == FALSE, matrix.evidence, -1).ravel()
    credits = np.bincount(settled_by[settled_by >= 0], minlength=len(log.magmas))
    presented = sum(log.magmas[k]["model"].get("family") == REWRITING_FAMILY for k in models)
    kinds = []
    if presented < len(models):
        kinds.append(f"{len(models) - presented} are the free affine model of one law: x ◇ y = a·x + b·y + c on "
                     "the ring Q[a,b,c] (or Q<a,b,c>, a, b, c not commuting) modulo the ideal of what that law "
                     "asks of a, b, c; a law holds in it exactly when its coefficient polynomials lie in the "
                     "ideal (decided by a Gröbner basis, for Q<a,b,c> one whose completion finished), and the "
                     "ring contains Q, so the magma is infinite.")
    if presented:
        kinds.append(f"{presented} are the free magma of one law (or its opposite, x ◇ y := y ◇ x), presented "
                     "by a convergent rewriting system: E's saturated set of the law, certified here (every "
                     "rule decreasing in a reduction order, every critical pair joinable); its elements are the "
                     "normal forms of terms over infinitely many generators, and a law holds in it exactly when "
                     "both sides have the same normal form.")
    lines = ["## Infinite counter-models", "",
             f"{len(models)} infinite magmas given by a formula refute pairs no stored finite magma refutes "
             f"here ({int(credits[models].sum())} pairs credited to them). " + " ".join(kinds) +
             " `bench/recheck.py` re-derives every one; the export names it as `infinite counter-model` with "
             f"where the conclusion fails. The first {min(len(models), SEARCHED_SHOWN)}:", ""]
    for k in models[:SEARCHED_SHOWN]:
        pairs = [divmod(int(i), matrix.size) for i in np.flatnonzero(settled_by == k)[:PAIRS_NAMED]]
        lines += [f"### magma{k}", "", f"Credited with {int(credits[k])} pairs"
                  + (", for example:" if pairs else "."), ""]
        lines += [f"- {laws[a].name} ⇏ {laws[b].name}: {infinite_model_text(log, k, laws[b].law)}"
                  for a, b in pairs[:3]]
        lines.append("")
    return lines


def e_chains(matrix: ImplicationMatrix, log: EvidenceLog, laws: list) -> list[str]:
    """The first E_CHAINS_SHOWN direct proofs by E, each rebuilt from E's stored output (the log keeps
    it, compressed) as an equational chain and re-checked step by step."""
    from mathteam.tools.bulk_provers import decompress

    proofs = [p for p in log.proofs if p["kind"] == "eprover"]
    if not proofs:
        return []
    shown = proofs[:E_CHAINS_SHOWN]
    lines = ["## Proofs by the E prover", "",
             f"E proved {len(proofs)} implications directly (the others follow from them, from syntactic "
             "certificates and from duality)"
             + (f"; the first {len(shown)}, in the order E found them, are shown" if len(proofs) > len(shown) else "")
             + ". Each chain is rebuilt from E's proof object and re-checked step by step (`h` is the "
             "hypothesis; a step names the equation it rewrites with and the instance).", ""]
    for proof in shown:
        a, b = laws[proof["a"]], laws[proof["b"]]
        chain = proof_chain(a.name, b.name, a.law, b.law, decompress(proof["output_z"]))
        if len(chain) > CHAIN_LINES:  # the report stays bounded; the proof itself is in the memory
            chain = chain[:4] + [f"A chain of {len(chain) - 6} lines, longer than the report shows ({CHAIN_LINES}); "
                                 "E's proof is kept with the claim in the memory (`mathteam export`).", ""]
        lines += chain
    return lines


def read_engine(project: Project) -> tuple[EvidenceLog, ImplicationMatrix]:
    """The run's log and matrix, read-only; empty before the engine's first phase."""
    return read_run_so_far(engine_folder(project), len(project.config.domain.named_laws))


def checks_section(project: Project, matrix: ImplicationMatrix, log: EvidenceLog) -> list[str]:
    laws = [item.law for item in project.config.domain.named_laws]
    false_pairs = int((matrix.state == FALSE).sum())
    fraction = min(1.0, RECHECKED_REFUTATIONS / max(false_pairs, 1))
    refutations = check_refutations(matrix, log, laws, fraction=fraction)
    proofs = check_proofs(matrix, log, laws)
    return ["## Independent re-checks", "",
            f"- refutations: {refutations['checked']} of {refutations['false_pairs']} re-checked on their "
            f"stored tables by plain Python; {refutations['failed']} failed",
            f"- direct proofs: {proofs['direct_proofs']} re-checked (status lines re-read, certificates "
            f"re-derived, mirrors re-derived); {proofs['direct_failed']} failed",
            f"- transitivity chains: {proofs['chains_checked']} random derived pairs re-walked link by "
            f"link; {proofs['chains_failed']} failed", ""]


def open_section(memory: Memory, shown: int = 50) -> list[str]:
    open_claims = memory.claims(status="open")
    lines = ["## Open questions", ""]
    if not open_claims:
        return lines + ["None recorded (the run is finished with every pair settled, or still running).", ""]
    lines += [f"{len(open_claims)} pairs stay open; the first {min(shown, len(open_claims))}:", "",
              "| claim | attempts |", "|---|---|"]
    lines += [f"| {c.statement} | {c.reason} |" for c in open_claims[:shown]]
    return lines + [""]

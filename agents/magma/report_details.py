"""What a mathematician reads in the magma report beyond the counts: laws beside their names, the
counterexamples as operation tables, and the E prover's proofs as equational chains."""

from __future__ import annotations

from mathteam.agents.magma.question import MagmaQuestion
from mathteam.domains.magma.lean_eproof import Unreconstructed, reconstruct
from mathteam.domains.magma.readable import equational_chain, table_markdown, table_rows
from mathteam.domains.magma.terms import Law
from mathteam.memory import Memory
from mathteam.tools.eprover import extract_proof_steps

SEARCHED_FROM_SIZE = 4
"""Magmas of this size and up were found by a search aimed at one implication (sizes 2 and 3 are
enumerated whole): each is listed, however few pairs it separates."""


def named_with_law(name: str, laws: dict[str, str]) -> str:
    return f"{name} (`{laws[name]}`)" if name in laws else name


def class_list(classes: list[list[str]], laws: dict[str, str]) -> list[str]:
    return [f"{k + 1}. " + ", ".join(named_with_law(name, laws) for name in members)
            for k, members in enumerate(classes)]


def implication_dot(classes: list[list[str]], edges: list[tuple[int, int]],
                    formulas: dict[str, str] | None = None) -> str:
    """The Hasse diagram between classes; each node names its laws with their formulas."""
    formulas = formulas or {}
    out = ["digraph implications {", "  rankdir=BT;", "  node [shape=box, fontsize=10];"]
    for k, members in enumerate(classes):
        shown = [_dot_text(f"{m}: {formulas[m]}" if m in formulas else m) for m in members]
        label = "\\n".join(shown if len(members) <= 4 else shown[:3] + [f"… {len(members)} laws"])
        out.append(f'  c{k} [label="{label}"];')
    # An arrow from the stronger class to the weaker one it implies, drawn weaker-below.
    out += [f"  c{a} -> c{b};" for a, b in edges]
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def counterexamples(memory: Memory, classes: list[list[str]], laws: dict[str, str]) -> list[str]:
    """The magmas that refute, as tables: every one found by search (size 4 and up), and one
    witness for each pair of classes of which the first does not imply the second."""
    class_of = {name: k for k, members in enumerate(classes) for name in members}
    tables: dict[str, dict] = {}
    for evidence in memory.evidence(kind="counterexample"):
        a, _, b = evidence.claim_id.partition("=>")
        if not evidence.accepted or a not in class_of or b not in class_of:
            continue
        code = evidence.payload.get("example") or table_rows(evidence.payload["table"])
        entry = tables.setdefault(code, {"table": evidence.payload["table"], "pairs": set(),
                                         "source": evidence.payload.get("source", "")})
        entry["pairs"].add((class_of[a], class_of[b]))
    if not tables:
        return []
    searched = [code for code, entry in tables.items() if len(entry["table"]) >= SEARCHED_FROM_SIZE]
    # One witness per class pair, from as few magmas as will do: those found by search first, then
    # the one separating the most pairs not yet covered (the smaller on a tie).
    chosen, covered = list(searched), set().union(*(tables[code]["pairs"] for code in searched))
    refuted = set().union(*(entry["pairs"] for entry in tables.values()))
    while covered != refuted:
        code = max((c for c in tables if c not in chosen),
                   key=lambda c: (len(tables[c]["pairs"] - covered), -len(tables[c]["table"]), c))
        chosen.append(code)
        covered |= tables[code]["pairs"]
    lines = ["## Counterexamples", "",
             f"{len(refuted)} ordered pairs of classes (numbered as above) do not imply each other; "
             f"{len(chosen)} magmas witness them all, each listed once with the pairs it separates"
             f" ({len(searched)} found by a targeted search, of size {SEARCHED_FROM_SIZE} or more). "
             "In each table, row x and column y hold x ◇ y; the code is the one `mathteam export` "
             "names, the table read row by row.", ""]
    witnessed: set[tuple[int, int]] = set()
    for number, code in enumerate(chosen, start=1):
        entry = tables[code]
        pairs = sorted(entry["pairs"] - witnessed) or sorted(entry["pairs"])
        witnessed |= entry["pairs"]
        source = f", {entry['source']}" if entry["source"] else ""
        lines += [f"### W{number}: `{code}` (size {len(entry['table'])}{source})", ""]
        lines += table_markdown(entry["table"])
        lines += ["", "Satisfies every law of the first class and violates every law of the second: "
                  + class_pairs_text(pairs) + ".", ""]
    return lines


def class_pairs_text(pairs: list[tuple[int, int]]) -> str:
    """`1 ⇏ 2–4, 7; 5 ⇏ 3` for the pairs (0, 1), (0, 2), (0, 3), (0, 6), (4, 2) (classes from 1)."""
    targets: dict[int, list[int]] = {}
    for i, j in sorted(pairs):
        targets.setdefault(i, []).append(j + 1)
    return "; ".join(f"{i + 1} ⇏ {_ranges(js)}" for i, js in targets.items())


def _ranges(numbers: list[int]) -> str:
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def prover_chains(memory: Memory, question: MagmaQuestion, limit: int = 50) -> list[str]:
    """The implications E proved, each as the chain of equations rebuilt (and re-checked) from
    its proof object: the same derivation the Lean files replay."""
    proofs = [e for e in memory.evidence(kind="atp_proof") if e.accepted and e.payload.get("tool") == "eprover"]
    if not proofs:
        return []
    lines = ["## Proofs by the E prover", "",
             f"{len(proofs)} implications needed the automated prover. Each chain below is rebuilt from "
             "E's proof object and re-checked step by step (`h` is the hypothesis; a step names the "
             "equation it rewrites with and the instance); the Lean files replay the same chains."
             + (f" The first {limit} are shown." if len(proofs) > limit else ""), ""]
    for evidence in proofs[:limit]:
        a, _, b = evidence.claim_id.partition("=>")
        if a not in question.index or b not in question.index:
            continue
        lines += proof_chain(a, b, question.law(a), question.law(b), evidence.payload.get("output", ""))
    return lines


def proof_chain(a: str, b: str, hypothesis: Law, conclusion: Law, output: str) -> list[str]:
    """One implication E proved: its laws, then the equational chain rebuilt (and re-checked) from
    E's output, or why it could not be rebuilt."""
    lines = [f"### {a} ⇒ {b}", "", f"`{hypothesis}`  implies  `{conclusion}`", ""]
    rebuilt = reconstruct(hypothesis, conclusion, extract_proof_steps(output))
    if isinstance(rebuilt, Unreconstructed):
        return lines + [f"E's proof was not replayed here ({rebuilt.reason}); it is kept in the memory.", ""]
    return lines + ["```", *equational_chain(rebuilt), "```", ""]

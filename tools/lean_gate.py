"""The acceptance gate: which theorems of a checked Lean file may settle claims, one verdict per theorem.

A compiled file is not yet evidence, and one broken theorem does not spoil the others: Lean goes on
after an error, adds a failed declaration using ``sorryAx``, and every theorem that uses it shows
``sorryAx`` in ``#print axioms``. So a theorem is accepted on its own when (a) no error (nor
``declaration uses 'sorry'``) lies in its text or on its ``#print axioms`` line, (b) its
``#print axioms`` output names only ``propext``, ``Classical.choice`` and ``Quot.sound``, and (c) its
statement is exactly the approved one; and the file as a whole passes when (d) its header
(preamble and definitions) hashes to the approved header, (e) it has no ``sorry``/``admit``/
``native_decide`` or other escape hatch anywhere, declares nothing but approved theorems, has no
error outside every theorem, and the check ran to the end (a timeout, crash or memory exhaustion
accepts nothing; neither does a file that was never checked).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Annotated, Literal, Union

from pydantic import Field

from .lean_check import Compiled, Failed, LeanCheckResult, LeanMessage
from .lean_source import (PRINT_AXIOMS, THEOREM, Regions, normalise, split_header, strip_comments,
                          theorem_statements)
from .results import FrozenModel

if TYPE_CHECKING:
    from .lean_repl import ReplRejected

__all__ = [  # the text helpers moved to lean_source; callers still find them here
    "Accepted", "Approval", "GateReport", "GateResult", "Rejected", "TheoremAccepted", "TheoremRejected",
    "approve", "gate", "gate_theorems", "header_hash", "normalise", "printed_axioms", "split_header",
    "strip_comments", "theorem_statements", "with_axiom_prints",
]

STANDARD_AXIOMS = frozenset({"propext", "Classical.choice", "Quot.sound"})
#: Words that let a file prove less than it claims or skip the kernel; rejected anywhere outside comments.
ESCAPE_HATCHES = (
    "sorry", "sorryAx", "admit", "axiom", "native_decide", "native", "implemented_by", "extern",
    "unsafe", "debug.skipKernelTC", "ofReduceBool", "reduceBool", "trustCompiler",
)
#: Commands that may not appear after the approved header: each could add an assumption or change
#: what a later statement means (a new instance, notation, option, or definition).
_COMMANDS = (
    "def", "abbrev", "instance", "class", "structure", "inductive", "opaque", "notation", "infix", "infixl",
    "infixr", "prefix", "postfix", "macro", "macro_rules", "syntax", "elab", "elab_rules", "attribute",
    "set_option", "open", "export", "namespace", "section", "variable", "universe", "import", "initialize",
    "builtin_initialize", "run_cmd", "run_tac", "run_elab", "deriving", "partial", "private", "protected",
    "noncomputable", "example", "lemma", "mutual", "local", "scoped", "#eval", "#exit", "#reduce",
)


def _word_pattern(words: Iterable[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(r"(?<![\w.'#])(" + alternatives + r")(?![\w'])")


_HATCH = _word_pattern(ESCAPE_HATCHES)
_COMMAND = _word_pattern(_COMMANDS)
_DEPENDS = re.compile(r"^'([^']+)' depends on axioms: \[(.*)\]\s*$", re.DOTALL)
_NO_AXIOMS = re.compile(r"^'([^']+)' does not depend on any axioms\s*$")


class Approval(FrozenModel):
    """What a file must say, fixed before it is checked: its header and each theorem's statement."""

    header_sha256: str
    """SHA-256 of the normalised text before the first theorem (preamble and definitions)."""
    statements: dict[str, str]
    """Theorem name (unqualified) → its normalised statement: everything between the name and ``:=``."""
    namespace: str = ""
    """The namespace the theorems live in; ``#print axioms`` names them ``namespace.name``."""


class Accepted(FrozenModel):
    """The file proves exactly the approved statements, from standard axioms only."""

    outcome: Literal["accepted"] = "accepted"
    axioms: dict[str, tuple[str, ...]]
    """Each approved theorem → the axioms Lean says it depends on."""


class Rejected(FrozenModel):
    """The file may not settle anything; ``reasons`` says why, one line each."""

    outcome: Literal["rejected"] = "rejected"
    reasons: tuple[str, ...]


GateResult = Annotated[Union[Accepted, Rejected], Field(discriminator="outcome")]
"""What the gate decided about one checked file as a whole."""


class TheoremAccepted(FrozenModel):
    """This theorem proves exactly its approved statement, from standard axioms only."""

    outcome: Literal["accepted"] = "accepted"
    axioms: tuple[str, ...]
    """The axioms Lean says it depends on."""


class TheoremRejected(FrozenModel):
    """This theorem may not settle its claim; ``reasons`` says why, one line each."""

    outcome: Literal["rejected"] = "rejected"
    reasons: tuple[str, ...]


TheoremVerdict = Annotated[Union[TheoremAccepted, TheoremRejected], Field(discriminator="outcome")]


class GateReport(FrozenModel):
    """The gate's verdict on each approved theorem of one checked file."""

    file_reasons: tuple[str, ...]
    """What is wrong with the file as a whole; any one of them rejects every theorem."""
    theorems: dict[str, TheoremVerdict]
    """Each approved theorem (unqualified name) → its verdict, with ``file_reasons`` already applied."""

    @property
    def accepted(self) -> dict[str, tuple[str, ...]]:
        """The accepted theorems and their axioms."""
        return {name: v.axioms for name, v in self.theorems.items() if isinstance(v, TheoremAccepted)}


def header_hash(header: str) -> str:
    return hashlib.sha256(normalise(header).encode()).hexdigest()


def approve(header: str, statements: Mapping[str, str], namespace: str = "") -> Approval:
    """An approval for a file whose text before its theorems is ``header`` and whose theorems are ``statements``."""
    return Approval(header_sha256=header_hash(header),
                    statements={name: normalise(s) for name, s in statements.items()}, namespace=namespace)


def with_axiom_prints(source: str, qualified_names: Iterable[str]) -> str:
    """``source`` followed by one ``#print axioms NAME`` per theorem, so the check reports each one's axioms."""
    prints = "".join(f"#print axioms {name}\n" for name in qualified_names)
    return source.rstrip("\n") + "\n\n" + prints


def printed_axioms(result: Compiled | Failed) -> dict[str, tuple[str, ...]]:
    """Declaration name → axioms, from the ``#print axioms`` information messages of a checked file."""
    found: dict[str, tuple[str, ...]] = {}
    for message in result.messages:
        text = message.text.strip()
        if (match := _NO_AXIOMS.match(text)) is not None:
            found[match.group(1)] = ()
        elif (match := _DEPENDS.match(text)) is not None:
            found[match.group(1)] = tuple(a.strip() for a in match.group(2).split(",") if a.strip())
    return found


def gate(source: str, result: LeanCheckResult | ReplRejected, approval: Approval) -> GateResult:
    """``Accepted`` only if every approved theorem of the checked ``source`` passes ``gate_theorems``."""
    report = gate_theorems(source, result, approval)
    if not report.file_reasons and len(report.accepted) == len(report.theorems):
        return Accepted(axioms=report.accepted)
    reasons = list(report.file_reasons)
    for verdict in report.theorems.values():
        if isinstance(verdict, TheoremRejected):
            reasons += [r for r in verdict.reasons if r not in reasons]
    return Rejected(reasons=tuple(reasons))


def gate_theorems(source: str, result: LeanCheckResult | ReplRejected, approval: Approval) -> GateReport:
    """One verdict per approved theorem of the checked ``source``, by the conditions in the module docstring."""
    file_reasons = _file_reasons(source, result, approval)
    per_theorem: dict[str, list[str]] = {name: [] for name in approval.statements}
    statements = dict(theorem_statements(source))
    for name, approved in approval.statements.items():
        if name not in statements:
            per_theorem[name].append(f"approved theorem {name} is missing")
        elif statements[name] != approved:
            per_theorem[name].append(f"theorem {name} states {statements[name]!r}, not the approved {approved!r}")
    axioms: dict[str, tuple[str, ...]] = {}
    if isinstance(result, (Compiled, Failed)):
        regions = Regions(source, approval.namespace)
        for message in result.errors if isinstance(result, Failed) else ():
            for owner in regions.owners(*_span(regions, message)):
                where = f"line {message.pos.line}: {message.text.strip().splitlines()[0] if message.text.strip() else ''}"
                if owner in per_theorem:
                    per_theorem[owner].append(f"{_severity(message)} at {where}")
                elif f"{_severity(message)} outside the approved theorems at {where}" not in file_reasons:
                    file_reasons.append(f"{_severity(message)} outside the approved theorems at {where}")
        printed = printed_axioms(result)
        for name in approval.statements:
            qualified = f"{approval.namespace}.{name}" if approval.namespace else name
            if qualified not in printed:
                per_theorem[name].append(f"no `#print axioms` output for {qualified}")
                continue
            axioms[name] = printed[qualified]
            extra = sorted(set(printed[qualified]) - STANDARD_AXIOMS)
            if extra:
                per_theorem[name].append(f"{qualified} depends on non-standard axioms: {', '.join(extra)}")
    verdicts: dict[str, TheoremAccepted | TheoremRejected] = {}
    for name, reasons in per_theorem.items():
        if file_reasons or reasons:
            verdicts[name] = TheoremRejected(reasons=tuple(file_reasons + reasons))
        else:
            verdicts[name] = TheoremAccepted(axioms=axioms[name])
    return GateReport(file_reasons=tuple(file_reasons), theorems=verdicts)


def _file_reasons(source: str, result: LeanCheckResult | ReplRejected, approval: Approval) -> list[str]:
    """Whatever rejects every theorem of the file at once."""
    reasons: list[str] = []
    if not isinstance(result, (Compiled, Failed)):
        detail = getattr(result, "reason", "") or getattr(result, "stderr", "") or getattr(result, "message", "")
        reasons.append(f"the check did not compile the file: {result.outcome}" + (f" ({detail})" if detail else ""))
    hatches = sorted({m.group(1) for m in _HATCH.finditer(strip_comments(source))})
    if hatches:
        reasons.append("forbidden constructs: " + ", ".join(hatches))
    header, body = split_header(source)
    if header_hash(header) != approval.header_sha256:
        reasons.append("the header (preamble and definitions) differs from the approved one")
    commands = sorted({m.group(1) for m in _COMMAND.finditer(PRINT_AXIOMS.sub(" ", body))})
    if commands:
        reasons.append("commands other than the approved theorems: " + ", ".join(commands))
    names = [m.group(1) for m in THEOREM.finditer(body)]
    # An unapproved theorem is not what a person approved; rather than guess, nothing is accepted.
    for name in dict.fromkeys(names):
        if name not in approval.statements:
            reasons.append(f"theorem {name} was not approved")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        reasons.append("theorems declared twice: " + ", ".join(duplicates))
    return reasons


def _span(regions: Regions, message: LeanMessage) -> tuple[int, int]:
    start = regions.offset(message.pos.line, message.pos.column)
    end = regions.offset(message.end_pos.line, message.end_pos.column) if message.end_pos else start
    return start, end


def _severity(message: LeanMessage) -> str:
    return "sorry" if message.is_sorry_warning else "error"

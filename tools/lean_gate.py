"""The acceptance gate: whether a Lean file and its check result may settle claims (``Accepted | Rejected``).

A compiled file is not yet evidence. The gate also demands: no ``sorry``/``admit``/``native_decide``
or other escape hatch in the source; no declaration other than the approved header (preamble and
definitions, compared by hash) and the approved theorems, each with exactly its approved statement;
and ``#print axioms`` output for every theorem naming only ``propext``, ``Classical.choice`` and
``Quot.sound``. A check that did not compile (timed out, crashed, failed, not run) is never accepted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import Annotated, Literal, Union

from pydantic import Field

from .lean_check import Compiled, LeanCheckResult
from .results import FrozenModel

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
_THEOREM = re.compile(r"(?<![\w.'])theorem\s+([^\s:(\[{]+)")
_PRINT = re.compile(r"#print\s+axioms\s+([^\s]+)")
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
"""What the gate decided about one checked file."""


def strip_comments(source: str) -> str:
    """``source`` without ``--`` line comments and (nested) ``/- … -/`` block and doc comments."""
    out: list[str] = []
    i, depth, in_string = 0, 0, False
    while i < len(source):
        pair = source[i:i + 2]
        if depth:
            if pair == "/-":
                depth, i = depth + 1, i + 2
            elif pair == "-/":
                depth, i = depth - 1, i + 2
            else:
                i += 1
            if not depth:
                out.append(" ")
        elif in_string:
            out.append(source[i])
            if source[i] == "\\" and i + 1 < len(source):
                out.append(source[i + 1])
                i += 1
            elif source[i] == '"':
                in_string = False
            i += 1
        elif pair == "/-":
            depth, i = 1, i + 2
        elif pair == "--":
            end = source.find("\n", i)
            i = len(source) if end < 0 else end
        else:
            in_string = source[i] == '"'
            out.append(source[i])
            i += 1
    return "".join(out)


def normalise(text: str) -> str:
    """Comments removed, whitespace runs collapsed to one space: the form statements are compared in."""
    return " ".join(strip_comments(text).split())


def split_header(source: str) -> tuple[str, str]:
    """The normalised text before the first ``theorem``, and the normalised rest."""
    text = normalise(source)
    match = _THEOREM.search(text)
    cut = match.start() if match else len(text)
    return text[:cut].strip(), text[cut:]


def header_hash(header: str) -> str:
    return hashlib.sha256(normalise(header).encode()).hexdigest()


def approve(header: str, statements: Mapping[str, str], namespace: str = "") -> Approval:
    """An approval for a file whose text before its theorems is ``header`` and whose theorems are ``statements``."""
    return Approval(header_sha256=header_hash(header),
                    statements={name: normalise(s) for name, s in statements.items()}, namespace=namespace)


def theorem_statements(source: str) -> list[tuple[str, str]]:
    """``(name, normalised statement)`` for each ``theorem`` in ``source``, in order."""
    _, body = split_header(source)
    found = []
    for match in _THEOREM.finditer(body):
        end = body.find(":=", match.end())
        found.append((match.group(1), body[match.end():end if end >= 0 else len(body)].strip()))
    return found


def with_axiom_prints(source: str, qualified_names: Iterable[str]) -> str:
    """``source`` followed by one ``#print axioms NAME`` per theorem, so the check reports each one's axioms."""
    prints = "".join(f"#print axioms {name}\n" for name in qualified_names)
    return source.rstrip("\n") + "\n\n" + prints


def printed_axioms(result: Compiled) -> dict[str, tuple[str, ...]]:
    """Declaration name → axioms, from the ``#print axioms`` information messages of a compiled file."""
    found: dict[str, tuple[str, ...]] = {}
    for message in result.messages:
        text = message.text.strip()
        if (match := _NO_AXIOMS.match(text)) is not None:
            found[match.group(1)] = ()
        elif (match := _DEPENDS.match(text)) is not None:
            found[match.group(1)] = tuple(a.strip() for a in match.group(2).split(",") if a.strip())
    return found


def gate(source: str, result: LeanCheckResult, approval: Approval) -> GateResult:
    """Accept the checked ``source`` only if every condition in the module docstring holds."""
    reasons: list[str] = []
    if not isinstance(result, Compiled):
        detail = getattr(result, "reason", "") or getattr(result, "stderr", "")
        if getattr(result, "errors", ()):
            detail = result.errors[0].text
        reasons.append(f"the check did not compile the file: {result.outcome}" + (f" ({detail})" if detail else ""))
    stripped = strip_comments(source)
    hatches = sorted({m.group(1) for m in _HATCH.finditer(stripped)})
    if hatches:
        reasons.append("forbidden constructs: " + ", ".join(hatches))
    header, body = split_header(source)
    if header_hash(header) != approval.header_sha256:
        reasons.append("the header (preamble and definitions) differs from the approved one")
    commands = sorted({m.group(1) for m in _COMMAND.finditer(_PRINT.sub(" ", body))})
    if commands:
        reasons.append("commands other than the approved theorems: " + ", ".join(commands))
    statements = theorem_statements(source)
    names = [name for name, _ in statements]
    for name, statement in statements:
        if name not in approval.statements:
            reasons.append(f"theorem {name} was not approved")
        elif statement != approval.statements[name]:
            reasons.append(f"theorem {name} states {statement!r}, not the approved {approval.statements[name]!r}")
    for name in approval.statements:
        if name not in names:
            reasons.append(f"approved theorem {name} is missing")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        reasons.append("theorems declared twice: " + ", ".join(duplicates))
    axioms: dict[str, tuple[str, ...]] = {}
    if isinstance(result, Compiled):
        printed = printed_axioms(result)
        for name in approval.statements:
            qualified = f"{approval.namespace}.{name}" if approval.namespace else name
            if qualified not in printed:
                reasons.append(f"no `#print axioms` output for {qualified}")
                continue
            axioms[name] = printed[qualified]
            extra = sorted(set(printed[qualified]) - STANDARD_AXIOMS)
            if extra:
                reasons.append(f"{qualified} depends on non-standard axioms: {', '.join(extra)}")
    if reasons:
        return Rejected(reasons=tuple(reasons))
    return Accepted(axioms=axioms)

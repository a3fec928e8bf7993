"""Reading Lean source as text: comments, normalised statements, and which declaration each position lies in."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

THEOREM = re.compile(r"(?<![\w.'])theorem\s+([^\s:(\[{]+)")
PRINT_AXIOMS = re.compile(r"#print\s+axioms\s+([^\s]+)")
# Where one theorem's text ends: the next theorem, a `#print`, or `end` (of the namespace).
_BOUNDARY = re.compile(r"(?<![\w.'#])(theorem|#print|end)(?![\w'])")


def strip_comments(source: str) -> str:
    """``source`` with ``--`` line comments and (nested) ``/- … -/`` block and doc comments blanked.

    Every comment character becomes a space and newlines stay, so a position in the result is the
    same line and column as in ``source``.
    """
    out: list[str] = []
    i, depth, in_string = 0, 0, False
    while i < len(source):
        pair = source[i:i + 2]
        if depth:
            if pair in ("/-", "-/"):
                depth += 1 if pair == "/-" else -1
                out.append("  ")
                i += 2
            else:
                out.append("\n" if source[i] == "\n" else " ")
                i += 1
        elif in_string:
            out.append(source[i])
            if source[i] == "\\" and i + 1 < len(source):
                out.append(source[i + 1])
                i += 1
            elif source[i] == '"':
                in_string = False
            i += 1
        elif pair == "/-":
            depth = 1
            out.append("  ")
            i += 2
        elif pair == "--":
            end = source.find("\n", i)
            end = len(source) if end < 0 else end
            out.append(" " * (end - i))
            i = end
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
    match = THEOREM.search(text)
    cut = match.start() if match else len(text)
    return text[:cut].strip(), text[cut:]


def theorem_statements(source: str) -> list[tuple[str, str]]:
    """``(name, normalised statement)`` for each ``theorem`` in ``source``, in order."""
    _, body = split_header(source)
    found = []
    for match in THEOREM.finditer(body):
        end = body.find(":=", match.end())
        found.append((match.group(1), body[match.end():end if end >= 0 else len(body)].strip()))
    return found


@dataclass(frozen=True)
class Region:
    """A stretch of the file: one theorem, one ``#print axioms`` command, or anything else (``owner`` None)."""

    start: int
    """Just after the previous region's last code, so a theorem's doc comment is its own."""
    keyword: int
    """Where its ``theorem``, ``#print`` or ``end`` keyword starts."""
    owner: str | None
    """The theorem it belongs to: its own name, or the name a ``#print axioms`` line asks about."""


class Regions:
    """The file cut at every ``theorem``, ``#print`` and ``end``; says whose text a Lean position is in."""

    def __init__(self, source: str, namespace: str = ""):
        text = strip_comments(source)
        self._line_starts = [0] + [i + 1 for i, c in enumerate(source) if c == "\n"]
        self._regions = [Region(0, 0, None)]
        for match in _BOUNDARY.finditer(text):
            owner = None
            if (theorem := THEOREM.match(text, match.start())) is not None:
                owner = theorem.group(1)
            elif (printed := PRINT_AXIOMS.match(text, match.start())) is not None:
                target = printed.group(1)
                prefix = f"{namespace}." if namespace else ""
                owner = target[len(prefix):] if target.startswith(prefix) else None
            start = len(text[:match.start()].rstrip())
            self._regions.append(Region(start, match.start(), owner))
        self._starts = [r.start for r in self._regions]
        self._length = len(source)

    def offset(self, line: int, column: int) -> int:
        """The character offset of Lean's (line from 1, column from 0), clamped into that line."""
        line = min(max(line, 1), len(self._line_starts))
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else self._length
        return min(start + max(column, 0), end)

    def owners(self, start: int, end: int | None = None) -> set[str | None]:
        """Whose text the range ``[start, end)`` touches; None stands for text that is no theorem's.

        A message at or before a region's keyword (on its doc comment, or on the keyword itself) also
        counts against the region before: Lean reports a declaration cut short ("unexpected token
        'theorem'; expected term") at the next one's keyword.
        """
        end = start if end is None or end <= start else end - 1  # Lean's endPos is exclusive
        first = bisect.bisect_right(self._starts, start) - 1
        last = bisect.bisect_right(self._starts, end) - 1
        if first > 0 and start <= self._regions[first].keyword:
            first -= 1
        return {self._regions[i].owner for i in range(first, last + 1)}

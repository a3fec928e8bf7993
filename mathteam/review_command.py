"""`mathteam review`: list, show and decide the items at approval gates, one or many at a time.

It opens only the review queue (plain sqlite3) and reads only the run folder's place from the
project file, so each call answers in a fraction of a second even over hundreds of items.
"""

from __future__ import annotations

import json
import re
from argparse import Namespace
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from mathteam import review
from mathteam.errors import NoRunYet, UserError
from mathteam.memory.reviews import ReviewQueue, open_review_queue
from mathteam.run_folder import NAME_MAX_LENGTH, NAME_PATTERN, read_project_toml, run_folder

EXIT_OK = 0
# Past this many waiting items the list ends with a count per gate and how to decide them at once.
SUMMARY_FROM = 10


def memory_path_of(path: str | Path) -> Path:
    """The project's memory file, read from `[project] name` and `output_dir` only. A file whose
    `[project]` section is not usable as it stands goes through the full validation, so the error
    is the very line `mathteam run` gives."""
    path = Path(path)
    data = read_project_toml(path)
    info = data.get("project")
    if isinstance(info, dict):
        name, output_dir = info.get("name"), info.get("output_dir")
        if (isinstance(name, str) and re.match(NAME_PATTERN, name) and len(name) <= NAME_MAX_LENGTH
                and (output_dir is None or isinstance(output_dir, str))):
            return run_folder(path.resolve(), name, output_dir) / "memory.sqlite"
    from mathteam.project import load_project  # the full schema only when the fast path cannot answer

    return load_project(path).memory_path


@contextmanager
def review_queue(path: Path, whole_memory: bool = False) -> Iterator[ReviewQueue]:
    """The project's review queue; the whole memory when asked (an edit is checked against the
    claims) or when the memory's schema predates this code (opening it migrates it)."""
    memory_path = memory_path_of(path)
    if not memory_path.exists():
        error = NoRunYet(f"{path}: no run yet (no memory at {memory_path})")
        error.hint = f"mathteam run {path}"
        raise error
    queue = None if whole_memory else open_review_queue(memory_path)
    if queue is None:
        from mathteam.memory import Memory

        queue = Memory.open(memory_path)
    with queue:
        yield queue


def review_command(path: Path, args: Namespace) -> int:
    if args.action is None:
        with review_queue(path) as queue:
            print_queue(path, review.pending(queue))
        return EXIT_OK
    if args.action == "show":
        with review_queue(path) as queue:
            print_review(review.item(queue, args.item))
        return EXIT_OK
    reviewer = review.reviewer_name(args.reviewer)
    if args.action == "edit":
        edit_path = Path(args.file)
        if not edit_path.is_file():
            raise UserError(f"{edit_path}: file not found")
        from mathteam.project import load_project

        kind = load_project(path).config.domain.kind  # the domain says how its claims are edited
        with review_queue(path, whole_memory=True) as memory:
            decided = review.decide(memory, int(args.item), "edited", reviewer, comment=args.comment,
                                    edit=edit_path.read_text(encoding="utf-8"), kind=kind)
        print(f"item {decided.id} {decided.status} by {decided.decided_by}; "
              f"the next `mathteam run {path}` acts on it")
        return EXIT_OK
    decision = "approved" if args.action == "approve" else "rejected"
    with review_queue(path) as queue:
        items = review.select(queue, ids=args.items, gate=args.gate, min_examples=args.min_examples)
        decided = review.decide_many(queue, items, decision, reviewer, comment=getattr(args, "comment", None),
                                     reason=getattr(args, "reason", None))
    if len(decided) == 1:
        print(f"item {decided[0].id} {decision} by {reviewer}; the next `mathteam run {path}` acts on it")
    else:
        gates = ", ".join(f"{gate} {n}" for gate, n in Counter(r.gate for r in decided).items())
        print(f"{len(decided)} items {decision} by {reviewer} ({gates}); "
              f"the next `mathteam run {path}` acts on them")
    return EXIT_OK


def print_queue(path: Path, items: list) -> None:
    if not items:
        print("nothing waits for a decision")
        return
    for item in items:
        print(f"[{item.id}] {item.gate}: {item.question}  (asked by {item.requested_by}, {item.requested_at})")
    if len(items) >= SUMMARY_FROM:
        by_gate = Counter(item.gate for item in items)
        print(f"{len(items)} items wait: " + ", ".join(f"{n} at the {gate} gate" for gate, n in by_gate.items()))
        gate = next(iter(by_gate))
        print(f"decide many at once: mathteam review {path} approve 3,5,10-40   or   "
              f"mathteam review {path} approve --gate {gate} [--min-examples N]")


def print_review(item) -> None:
    print(f"[{item.id}] {item.gate}: {item.question}")
    print(f"subject: {item.subject}")
    print(f"asked by {item.requested_by} at {item.requested_at}")
    print(f"status: {item.status}" + (f" by {item.decided_by} at {item.decided_at}" if item.decided_by else ""))
    for label, value in (("comment", item.comment), ("reason", item.reason), ("edit", item.edit)):
        if value:
            print(f"{label}: {value}")
    print("evidence:")
    for key, value in item.evidence.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        print(f"  {key}: {text}")

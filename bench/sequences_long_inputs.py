"""Time of the sequence guessers on long term lists, and a before/after check that their answers are unchanged.

    nice -n 10 .venv/bin/python bench/sequences_long_inputs.py time [--limit K] [--parts] [--skip-all]
    nice -n 10 .venv/bin/python bench/sequences_long_inputs.py answers OUT.json [--short N] [--long K] [--all-long K]
    .venv/bin/python bench/sequences_long_inputs.py compare BEFORE.json AFTER.json

The long corpus: four synthetic lists (the characteristic function of the primes, 130 terms; n + phi(n),
70 terms; the primes, 60 terms; 2^n + n^3 + (n mod 3), 30 terms), then the first K files (by name, K = 100
unless --limit says otherwise) of ``/work/notes/long_terms/*.json`` (or ``$LONG_TERMS``), each a JSON
object {"a_number", "offset", "terms"}, read with at most 150 terms. The short corpus: the distinct given
24-term lists of the development runs ``bench/runs/sequences_oeis/*-100-24.json`` of the folders in
``$SHORT_RUNS`` (colon-separated; default /work/s17b and /work/s17c), in file and result order.

``time`` prints, per long input, the seconds of ``guess_all`` and, with --parts, of each algebraic part
(closed form, recurrence of order <= 7 and degree <= 5, rational and algebraic g.f., the regime rule's
``regular_tail``); then mean and max (CPU seconds). --skip-all: the parts only. ``answers`` writes every answer (the JSON of each guess, which holds
its statement or reason and its fitted/confirmed counts) of ``guess_all`` on the first N short lists and
on the first K long ones (--all-long), and of the algebraic parts on the first K long ones (--long).
``compare`` lists every input whose answers differ and exits 1 when one does (0 otherwise). Exit 2: a usage
error or an unreadable input file, said in one line.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

from sympy import isprime, prime, totient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine  # noqa: E402

MAX_TERMS = 150
USAGE = __doc__.split("\n\n")[1]


def synthetic() -> list[tuple[str, int, list[int]]]:
    return [("charprime-130", 0, [int(isprime(m)) for m in range(130)]),
            ("n+phi(n)-70", 1, [m + int(totient(m)) for m in range(1, 71)]),
            ("primes-60", 1, [int(prime(m)) for m in range(1, 61)]),
            ("2^n+n^3+(n%3)-30", 0, [2**m + m**3 + m % 3 for m in range(30)])]


def long_corpus(limit: int) -> list[tuple[str, int, list[int]]]:
    folder = Path(os.environ.get("LONG_TERMS", "/work/notes/long_terms"))
    corpus = synthetic()
    for path in sorted(folder.glob("*.json"))[:limit]:
        data = json.loads(path.read_text())
        corpus.append((data["a_number"], int(data.get("offset", 0)), [int(t) for t in data["terms"][:MAX_TERMS]]))
    return corpus


def short_corpus(limit: int) -> list[tuple[str, int, list[int]]]:
    roots = os.environ.get("SHORT_RUNS", "/work/s17b:/work/s17c").split(":")
    seen, corpus = set(), []
    for root in roots:
        for path in sorted(Path(root, "bench/runs/sequences_oeis").glob("*-100-24.json")):
            for result in json.loads(path.read_text())["results"]:
                given = result.get("given")
                if not given or result.get("timed_out"):
                    continue
                key = (result.get("offset", 0), tuple(given))
                if key not in seen:
                    seen.add(key)
                    corpus.append((result["a_number"], result.get("offset", 0), list(given)))
    return corpus[:limit]


def parts():
    """(name, function of (terms, offset)) for the algebraic parts of ``guess_all``."""
    from mathteam.domains.sequences.consensus import regular_tail
    from mathteam.domains.sequences.families import RECURRENCE_DEGREE, RECURRENCE_ORDER
    from mathteam.domains.sequences.guess import (guess_algebraic_gf, guess_closed_form, guess_rational_gf,
                                                  guess_recurrence)
    return [("closed_form", lambda t, o: guess_closed_form(t, o)),
            ("recurrence", lambda t, o: guess_recurrence(t, o, max_order=RECURRENCE_ORDER,
                                                         max_degree=RECURRENCE_DEGREE)),
            ("rational_gf", lambda t, o: guess_rational_gf(t)),
            ("algebraic_gf", lambda t, o: guess_algebraic_gf(t)),
            ("regular_tail", lambda t, o: regular_tail(t))]


def text(answer) -> str:
    dump = getattr(answer, "model_dump_json", None)
    return dump() if dump else repr(answer)


def timed(function, *args):
    start = time.process_time()
    value = function(*args)
    return value, time.process_time() - start


def summary(label: str, seconds: list[float]) -> str:
    if not seconds:
        return f"{label}: no inputs"
    return f"{label}: mean {statistics.mean(seconds):.2f} s, max {max(seconds):.2f} s over {len(seconds)} inputs"


def run_time(arguments: list[str]) -> int:
    from mathteam.domains.sequences.families import guess_all
    limit = int(arguments[arguments.index("--limit") + 1]) if "--limit" in arguments else 100
    with_parts = "--parts" in arguments
    print(machine())
    totals, by_part = [], {}
    for name, offset, terms in long_corpus(limit):
        line = f"{name} ({len(terms)} terms):"
        if with_parts:
            for part, function in parts():
                _, seconds = timed(function, terms, offset)
                by_part.setdefault(part, []).append(seconds)
                line += f" {part} {seconds:.2f}"
        if "--skip-all" not in arguments:
            _, seconds = timed(guess_all, terms, offset)
            totals.append(seconds)
            line += f" guess_all {seconds:.2f}"
        print(line, flush=True)
    for part, seconds in by_part.items():
        print(summary(part, seconds))
    print(summary("guess_all", totals))
    return 0


def run_answers(arguments: list[str]) -> int:
    from mathteam.domains.sequences.families import guess_all

    def option(flag: str) -> int:
        return int(arguments[arguments.index(flag) + 1]) if flag in arguments else 0
    out = Path(arguments[0])
    answers: dict[str, list[str]] = {}
    start = time.process_time()
    for name, offset, terms in short_corpus(option("--short")):
        answers[f"short {name} {offset} {terms}"] = [text(a) for a in guess_all(terms, offset)]
    print(f"short: {len(answers)} inputs, {time.process_time() - start:.1f} s", flush=True)
    for name, offset, terms in long_corpus(option("--long")):
        for part, function in parts():
            answers[f"long {part} {name} {offset} {len(terms)}"] = [text(function(terms, offset))]
    print(f"long parts: {time.process_time() - start:.1f} s", flush=True)
    for name, offset, terms in long_corpus(option("--all-long")):
        answers[f"long guess_all {name} {offset} {len(terms)}"] = [text(a) for a in guess_all(terms, offset)]
    print(f"{len(answers)} answers in {time.process_time() - start:.1f} s -> {out}")
    out.write_text(json.dumps(answers, indent=0))
    return 0


def run_compare(arguments: list[str]) -> int:
    before, after = (json.loads(Path(p).read_text()) for p in arguments[:2])
    common = sorted(set(before) & set(after))
    differ = [key for key in common if before[key] != after[key]]
    for key in differ:
        print(f"differs: {key}\n  before: {before[key]}\n  after:  {after[key]}")
    print(f"{len(common)} inputs in both files, {len(differ)} differ")
    return 1 if differ else 0


def main(arguments: list[str]) -> int:
    commands = {"time": (run_time, 0), "answers": (run_answers, 1), "compare": (run_compare, 2)}
    if not arguments or arguments[0] not in commands or len(arguments) - 1 < commands[arguments[0]][1]:
        print(f"usage:{USAGE}", file=sys.stderr)
        return 2
    command, _ = commands[arguments[0]]
    try:
        return command(arguments[1:])
    except (OSError, ValueError, KeyError, IndexError) as error:  # json.JSONDecodeError is a ValueError
        print(f"bench/sequences_long_inputs.py {arguments[0]}: {type(error).__name__}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

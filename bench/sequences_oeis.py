"""Held-out benchmark of the sequence guessers on a random sample of OEIS sequences.

    pip install oeissequences            # for this benchmark only; never a dependency of mathteam
    nice -n 10 .venv/bin/python bench/sequences_oeis.py --sample 100 --seed 17

The `oeissequences` package implements more than 11,000 OEIS sequences in Python. A random sample of
its A-numbers is drawn (seeded); each sequence gives its first GIVEN + HELD_OUT terms (within
--term-seconds, else it is skipped and counted as skipped), the guessers (``guess_all``, exactly what the
team's conjecturer runs) see only the first GIVEN, and every description they state is checked on all
GIVEN + HELD_OUT terms.

Reported: coverage (sequences with at least one stated description that holds on every held-out term),
the false-conjecture rate (stated descriptions that a held-out term refutes, over all stated), and the
time per sequence. Each sequence is printed with its first GIVEN terms and what was stated. A JSON
summary goes to bench/runs/sequences_oeis/<seed>-<sample>-<given>.json (ignored by git).

Offsets: a function ``Axxxxxx(n)`` is read from n = 0, or from n = 1 when a(0) raises; a generator
``Axxxxxx_gen()`` is read from its first term, indexed 0. The guesses and their checks use the same
indexing, so the held-out test is unaffected; only index-dependent statements read shifted from the
OEIS's.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import signal
import statistics
import sys
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine  # noqa: E402

INSTALL = ("bench/sequences_oeis.py needs the oeissequences package (for this benchmark only, not a "
           "mathteam dependency): pip install oeissequences")


class OutOfTime(Exception):
    """The alarm rang."""


def _ring(signum, frame):
    raise OutOfTime


def within(seconds: float, function, *args):
    """``function(*args)``, or OutOfTime after ``seconds`` of wall-clock time (SIGALRM, main thread)."""
    signal.signal(signal.SIGALRM, _ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def catalogue(module) -> dict[str, tuple[str, object]]:
    """A-number -> ("gen", generator function) or ("term", a(n) function); generators preferred."""
    found: dict[str, tuple[str, object]] = {}
    for name in dir(module):
        match = re.fullmatch(r"(A\d{6})(_gen)?", name)
        if not match:
            continue
        number, generator = match.group(1), bool(match.group(2))
        if generator or number not in found:
            found[number] = ("gen" if generator else "term", getattr(module, name))
    return found


def first_terms(kind: str, function, count: int) -> tuple[int, list[int]]:
    """(offset, the first count terms) as Python ints; raises on anything that is not an integer."""
    if kind == "gen":
        values = list(islice(function(), count))
        offset = 0
    else:
        try:
            values, offset = [function(0)], 0
        except Exception:  # noqa: BLE001 (any failure at n = 0 means the sequence starts at 1)
            values, offset = [], 1
        values += [function(offset + len(values) + i) for i in range(count - len(values))]
    terms = []
    for value in values:
        if isinstance(value, bool) or int(value) != value:
            raise ValueError(f"not an integer: {value!r}")
        terms.append(int(value))
    if len(terms) < count:
        raise ValueError("fewer terms than asked")
    return offset, terms


def terms_in_child(kind: str, function, count: int, seconds: float) -> tuple[int, list[int]]:
    """``first_terms`` in a forked child that is killed after ``seconds``: the package's code can spend
    minutes inside C (gmpy2, sympy's big-integer routines) where SIGALRM is never seen, which stalled
    whole runs. Raises OutOfTime, or ValueError for anything the child raised."""
    import multiprocessing
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def child():
        try:
            sender.send(("ok", first_terms(kind, function, count)))
        except BaseException as error:  # noqa: BLE001 (reported to the parent, which skips the sequence)
            sender.send(("error", f"{type(error).__name__}: {error}"))
        finally:
            sender.close()
    process = context.Process(target=child, daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise OutOfTime
        status, value = receiver.recv()
    except EOFError as error:
        raise ValueError("the child ended without an answer") from error
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
    if status != "ok":
        raise ValueError(value)
    return value


def describe(guess) -> str:
    for field in ("equation", "expression", "statement"):
        if hasattr(guess, field):
            return f"{guess.kind}: {getattr(guess, field)}"
    if guess.kind == "rational_gf":
        return f"rational_gf: ({guess.numerator})/({guess.denominator})"
    return guess.kind


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=100, help="sequences to evaluate (default 100)")
    parser.add_argument("--seed", type=int, default=17, help="random seed of the sample (default 17)")
    parser.add_argument("--given", type=int, default=24, help="terms the guessers see (default 24)")
    parser.add_argument("--held-out", type=int, default=16, help="further terms every claim is checked on")
    parser.add_argument("--term-seconds", type=float, default=2.0,
                        help="time to compute a sequence's terms before it is skipped (default 2)")
    parser.add_argument("--guess-seconds", type=float, default=120.0,
                        help="time for the guessers on one sequence before it counts as nothing stated")
    parser.add_argument("--quiet", action="store_true", help="only the summary")
    args = parser.parse_args(argv)
    try:
        from oeis_sequences import OEISsequences
    except ImportError:
        print(INSTALL, file=sys.stderr)
        return 2
    from mathteam.domains.sequences.check import holds
    from mathteam.domains.sequences.families import guess_all
    from mathteam.domains.sequences.guess import NoGuess

    sequences = catalogue(OEISsequences)
    order = sorted(sequences)
    random.Random(args.seed).shuffle(order)
    total = args.given + args.held_out
    results, skipped, errors = [], {"too slow": 0, "failed": 0}, []
    started = time.monotonic()
    for number in order:
        if len(results) >= args.sample:
            break
        kind, function = sequences[number]
        try:
            offset, terms = terms_in_child(kind, function, total, args.term_seconds)
        except OutOfTime:
            skipped["too slow"] += 1
            continue
        except Exception:  # noqa: BLE001 (the package's code: anything it raises skips the sequence)
            skipped["failed"] += 1
            continue
        given = terms[:args.given]
        clock = time.monotonic()
        try:
            guesses = [g for g in within(args.guess_seconds, guess_all, given, offset) if not isinstance(g, NoGuess)]
            timed_out = False
        except OutOfTime:
            guesses, timed_out = [], True
        except Exception as error:  # noqa: BLE001 (a guesser's bug: counted and shown, the run goes on)
            guesses, timed_out = [], False
            errors.append({"a_number": number, "error": f"{type(error).__name__}: {error}"})
            print(f"{number}: guesser error {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        seconds = time.monotonic() - clock
        verdicts = []
        for g in guesses:
            try:
                verdicts.append((g, within(args.guess_seconds, holds, g, terms, offset)))
            except OutOfTime:  # a description too slow to give the held-out terms counts as refuted
                verdicts.append((g, False))
        record = {"a_number": number, "offset": offset, "given": given, "seconds": round(seconds, 3),
                  "timed_out": timed_out,
                  "stated": [{"guess": describe(g), "family": getattr(g, "family", g.kind), "holds": ok,
                              "fitted_on": g.fitted_on, "confirmed_by": g.checked_on - g.fitted_on,
                              "parameters": g.parameters} for g, ok in verdicts]}
        results.append(record)
        if not args.quiet:
            shown = ", ".join(map(str, given))
            print(f"{number} (offset {offset}, {seconds:.2f} s): {shown}", flush=True)
            for entry in record["stated"]:
                print(f"    {'holds  ' if entry['holds'] else 'REFUTED'} {entry['guess']}", flush=True)
    stated = [entry for record in results for entry in record["stated"]]
    false = [entry for entry in stated if not entry["holds"]]
    covered = [record for record in results if any(entry["holds"] for entry in record["stated"])]
    times = [record["seconds"] for record in results]
    families: dict[str, int] = {}
    for record in covered:
        for family in {entry["family"] for entry in record["stated"] if entry["holds"]}:
            families[family] = families.get(family, 0) + 1
    summary = {
        "command": " ".join([Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])]),
        "sample": len(results), "seed": args.seed, "given": args.given, "held_out": args.held_out,
        "skipped": skipped, "covered": len(covered),
        "coverage": round(len(covered) / len(results), 4) if results else None,
        "stated": len(stated), "false": len(false),
        "false_rate": round(len(false) / len(stated), 4) if stated else None,
        "false_conjectures": [{"a_number": r["a_number"], **e} for r in results for e in r["stated"] if not e["holds"]],
        "covered_by_family": dict(sorted(families.items(), key=lambda item: -item[1])),
        "seconds_per_sequence": {"mean": round(statistics.mean(times), 3) if times else None,
                                 "median": round(statistics.median(times), 3) if times else None,
                                 "max": round(max(times), 3) if times else None},
        "guess_timeouts": sum(r["timed_out"] for r in results), "guesser_errors": errors,
        "wall_seconds": round(time.monotonic() - started, 1), "machine": machine(),
    }
    folder = Path(__file__).resolve().parent / "runs" / "sequences_oeis"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{args.seed}-{args.sample}-{args.given}.json").write_text(json.dumps({"summary": summary, "results": results},
                                                                       indent=1), encoding="utf-8")
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

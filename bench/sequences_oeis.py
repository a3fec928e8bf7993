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

Latent false claims (``--late N``): a claim that holds on the HELD_OUT terms may still fail later. With
``--late N`` every such claim is also checked on GIVEN + HELD_OUT + N terms, computed in a child within
``--late-seconds`` and cached under bench/runs/sequences_oeis/terms/ (ignored by git); a claim refuted
there is a *latent false* claim, reported with the first index where it fails. Sequences whose longer
terms cannot be computed in time are counted as "late terms unavailable", not as checked.

Slow sequences (``--slow-seconds S``): a sequence whose terms take more than ``--term-seconds`` is skipped
and drawn past, as before (the main figures keep their meaning); with S > 0 it is retried with S seconds
(cached) and measured in a separate group, so the report gives coverage over the measured sample and
over every sequence drawn (measured, slow and failed together).

The data-section protocol (``--data-section 260``): each sequence is shown the terms an OEIS entry's data
section holds (the longest prefix whose text "a0,a1,..." fits in that many characters; at least GIVEN, at
most MOST_SHOWN), and the HELD_OUT terms after them are held out. The sample is the same as without it (a
sequence is drawn when its first GIVEN + HELD_OUT terms come in time); the longer list is computed within
``--data-seconds`` (cached), and a sequence whose longer list does not come in time is shown GIVEN terms.

``--restate-from RUN.json``: the same sample as an earlier run (its A-numbers, in order), where only the
sequences on which that run stated something are guessed again; the others keep "nothing stated". This
measures rules that only withdraw claims in a fraction of the time (a rule that withdraws cannot make a
sequence with no claim covered); it is not a measurement of new families.

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


TERMS_CACHE = Path(__file__).resolve().parent / "runs" / "sequences_oeis" / "terms"


def cached_terms(number: str, kind: str, function, count: int, seconds: float,
                 folder: Path = TERMS_CACHE) -> tuple[int, list[int]]:
    """``terms_in_child`` with the answers kept in ``folder``/<A-number>.json (the longest list computed so
    far): the longer limits of --late and --slow-seconds are paid once per sequence, not once per run."""
    path = folder / f"{number}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if len(stored["terms"]) >= count:
            return stored["offset"], stored["terms"][:count]
    except (OSError, ValueError, KeyError):
        pass
    offset, terms = terms_in_child(kind, function, count, seconds)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"a_number": number, "offset": offset, "terms": terms}), encoding="utf-8")
    return offset, terms


DATA_CHARACTERS = 260
"""An OEIS entry's data section holds about three lines of terms, some 260 characters."""
MOST_SHOWN = 150
"""The data-section protocol never shows more terms than this."""


def data_section_length(terms: list[int], characters: int = DATA_CHARACTERS) -> int:
    """How many leading terms a data section of ``characters`` characters shows: the longest prefix whose
    text "a0,a1,a2,..." (as the OEIS stores it, no spaces) fits. Equals len(terms) when all of them fit."""
    length = -1  # n terms need n - 1 commas
    for count, value in enumerate(terms):
        length += len(str(value)) + 1
        if length > characters:
            return count
    return len(terms)


def data_section_terms(number: str, kind: str, function, terms: list[int], args,
                       folder: Path = TERMS_CACHE) -> tuple[int, list[int]] | None:
    """(shown, the first shown + held-out terms) for the data-section protocol: shown = what a data
    section of ``args.data_section`` characters holds, at least ``args.given`` and at most MOST_SHOWN.
    ``terms`` are the given + held-out terms already computed; longer lists are computed in a child
    within ``args.data_seconds`` (cached). None when they take longer: the sequence is then shown
    ``args.given`` terms, as in the default protocol."""
    for _ in range(4):
        fits = data_section_length(terms, args.data_section)
        known = fits < len(terms) or fits >= MOST_SHOWN  # the section's end lies inside the terms we have
        shown = max(args.given, min(fits, MOST_SHOWN))
        if known and shown + args.held_out <= len(terms):
            return shown, terms[:shown + args.held_out]
        # Not enough terms yet: estimate from the width of the last ten how many the section holds.
        used = len(",".join(map(str, terms)))
        width = max(1.0, sum(len(str(v)) + 1 for v in terms[-10:]) / min(10, len(terms)))
        estimate = len(terms) + int(max(0, args.data_section - used) / width) + 4
        count = min(MOST_SHOWN, max(estimate, shown + 1)) + args.held_out
        try:
            terms = cached_terms(number, kind, function, count, args.data_seconds, folder)[1]
        except Exception:  # noqa: BLE001 (OutOfTime or the package's code: no longer list)
            return None
    return None


def first_failure(holds, guess, terms: list[int], offset: int, known_good: int) -> int | None:
    """The least L > known_good such that the guess fails on the first L terms (so a(offset + L - 1) is
    the first refuting term), or None when it holds on all of them. ``holds`` on a prefix is monotone."""
    if holds(guess, terms, offset):
        return None
    low, high = known_good, len(terms)  # holds on terms[:low], fails on terms[:high]
    while high - low > 1:
        middle = (low + high) // 2
        if holds(guess, terms[:middle], offset):
            low = middle
        else:
            high = middle
    return high


def evaluator_stops(guess, count: int) -> str | None:
    """Why a family description's evaluator cannot give its first ``count`` terms (an exponent beyond the
    program language's bound, say), or None when it can or the guess is no description. ``check.holds``
    counts such a stop as a refutation, which is right for the held-out terms (the claim cannot be
    checked there) but would make a true formula a "latent false claim" beyond them."""
    from mathteam.domains.sequences.families import Description, evaluate
    if not isinstance(guess, Description):
        return None
    try:
        evaluate(guess, count)
    except (ValueError, ZeroDivisionError, OverflowError, IndexError, RecursionError) as error:
        return f"its evaluator stops: {error}"
    return None


def describe(guess) -> str:
    for field in ("equation", "expression", "statement"):
        if hasattr(guess, field):
            return f"{guess.kind}: {getattr(guess, field)}"
    if guess.kind == "rational_gf":
        return f"rational_gf: ({guess.numerator})/({guess.denominator})"
    return guess.kind


def measure(number: str, offset: int, terms: list[int], args, late_terms: list[int] | None,
            errors: list, shown: int | None = None) -> dict:
    """Guess on the first ``shown`` terms (default ``args.given``), check every stated claim on ``terms``
    (shown + held out) and, when ``late_terms`` (a longer list from the same offset) is given, each claim
    that held there on the longer list too."""
    from mathteam.domains.sequences.check import holds
    from mathteam.domains.sequences.families import guess_all
    from mathteam.domains.sequences.guess import NoGuess

    given = terms[:args.given if shown is None else shown]
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
    stated = []
    for g in guesses:
        try:
            ok = within(args.guess_seconds, holds, g, terms, offset)
        except OutOfTime:  # a description too slow to give the held-out terms counts as refuted
            ok = False
        entry = {"guess": describe(g), "family": getattr(g, "family", g.kind), "holds": ok,
                 "fitted_on": g.fitted_on, "confirmed_by": g.checked_on - g.fitted_on, "parameters": g.parameters}
        if ok and late_terms is not None:
            try:
                stops = within(args.guess_seconds, evaluator_stops, g, len(late_terms))
                if stops:  # the description's own evaluator cannot give the terms: not evidence either way
                    entry["late"] = f"unchecked ({stops})"
                else:
                    failure = within(args.guess_seconds, first_failure, holds, g, late_terms, offset, len(terms))
                    entry["late"] = "holds" if failure is None else "REFUTED"
                    if failure is not None:
                        entry["first_refuting_index"] = offset + failure - 1
            except OutOfTime:
                entry["late"] = "unchecked (too slow)"
        stated.append(entry)
    record = {"a_number": number, "offset": offset, "given": given, "seconds": round(seconds, 3),
              "timed_out": timed_out, "stated": stated}
    if late_terms is not None:
        record["late_terms"] = len(late_terms)
    if not args.quiet:
        print(f"{number} (offset {offset}, {seconds:.2f} s): {', '.join(map(str, given))}", flush=True)
        for entry in stated:
            late = f" [late: {entry['late']}" + (f" at n = {entry['first_refuting_index']}" if "first_refuting_index" in entry
                                                  else "") + "]" if "late" in entry else ""
            print(f"    {'holds  ' if entry['holds'] else 'REFUTED'} {entry['guess']}{late}", flush=True)
    return record


def _late(kind, function, number: str, total: int, args) -> list[int] | None:
    """The first total + args.late terms (cached), or None when they take longer than --late-seconds."""
    if not args.late:
        return None
    try:
        return cached_terms(number, kind, function, total + args.late, args.late_seconds)[1]
    except OutOfTime:
        return None
    except Exception:  # noqa: BLE001 (the package's code: no longer terms)
        return None


def figures(results: list[dict]) -> dict:
    """Coverage, stated and false claims, latent false claims and times of a list of records."""
    stated = [entry for record in results for entry in record["stated"]]
    false = [entry for entry in stated if not entry["holds"]]
    covered = [record for record in results if any(entry["holds"] for entry in record["stated"])]
    times = [record["seconds"] for record in results]
    families: dict[str, int] = {}
    for record in covered:
        for family in {entry["family"] for entry in record["stated"] if entry["holds"]}:
            families[family] = families.get(family, 0) + 1
    out = {
        "sample": len(results), "covered": len(covered),
        "coverage": round(len(covered) / len(results), 4) if results else None,
        "stated": len(stated), "false": len(false),
        "false_rate": round(len(false) / len(stated), 4) if stated else None,
        "false_conjectures": [{"a_number": r["a_number"], **e} for r in results for e in r["stated"] if not e["holds"]],
        "covered_by_family": dict(sorted(families.items(), key=lambda item: -item[1])),
        "seconds_per_sequence": {"mean": round(statistics.mean(times), 3) if times else None,
                                 "median": round(statistics.median(times), 3) if times else None,
                                 "max": round(max(times), 3) if times else None},
    }
    checked = [r for r in results if "late_terms" in r]
    if checked or any(r.get("late_unavailable") for r in results):
        latent = [{"a_number": r["a_number"], **e} for r in results for e in r["stated"] if e.get("late") == "REFUTED"]
        by_family: dict[str, int] = {}
        for entry in latent:
            by_family[entry["family"]] = by_family.get(entry["family"], 0) + 1
        covered_late = [r for r in checked if any(e.get("late") == "holds" for e in r["stated"])]
        out["late"] = {
            "sequences_with_late_terms": len(checked),
            "late_terms_unavailable": sum(1 for r in results if r.get("late_unavailable")),
            "claims_checked_late": sum(1 for r in results for e in r["stated"] if e.get("late") in ("holds", "REFUTED")),
            "claims_unchecked_late": sum(1 for r in results for e in r["stated"] if str(e.get("late", "")).startswith("unchecked")),
            "latent_false": len(latent), "latent_false_claims": latent, "latent_false_by_family": by_family,
            "covered_on_late_terms": len(covered_late),
        }
    return out


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
    parser.add_argument("--late", type=int, default=0,
                        help="check every claim that holds on the held-out terms on this many more (default 0: off)")
    parser.add_argument("--late-seconds", type=float, default=30.0,
                        help="time to compute the longer list of --late (cached; default 30)")
    parser.add_argument("--slow-seconds", type=float, default=0.0,
                        help="retry the sequences too slow for --term-seconds with this limit (cached) and report "
                             "them as a separate group (default 0: off)")
    parser.add_argument("--restate-from", type=Path, default=None,
                        help="the JSON of an earlier run: its sample, guessing again only where it stated something")
    parser.add_argument("--data-section", type=int, default=0, metavar="CHARACTERS",
                        help="show each sequence the terms an OEIS data section of this many characters holds "
                             f"(the OEIS's is about {DATA_CHARACTERS}), at least --given and at most {MOST_SHOWN}; "
                             "the held-out terms follow them (default 0: off, --given terms)")
    parser.add_argument("--data-seconds", type=float, default=10.0,
                        help="time to compute the data section's terms (cached; when it runs out the sequence is "
                             "shown --given terms; default 10)")
    parser.add_argument("--quiet", action="store_true", help="only the summary")
    args = parser.parse_args(argv)
    if args.data_section < 0 or args.data_seconds <= 0:
        print("--data-section must be >= 0 and --data-seconds > 0", file=sys.stderr)
        return 2
    try:
        from oeis_sequences import OEISsequences
    except ImportError:
        print(INSTALL, file=sys.stderr)
        return 2
    earlier = None
    if args.restate_from is not None:
        try:
            earlier_run = json.loads(args.restate_from.read_text(encoding="utf-8"))
            earlier = earlier_run["results"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            print(f"{args.restate_from}: not a run of this benchmark ({type(error).__name__}: {error})", file=sys.stderr)
            return 2

    sequences = catalogue(OEISsequences)
    total = args.given + args.held_out
    results, slow, skipped, failures, errors = [], [], {"too slow": 0, "failed": 0}, [], []
    data_unavailable: list[str] = []

    def measure_drawn(number: str, kind: str, function, offset: int, terms: list[int]) -> dict:
        """``measure`` on the given + held-out terms, or on the data section's terms when that protocol is on
        (the sample is the same either way: a sequence is drawn when its given + held-out terms come in time)."""
        shown = None
        if args.data_section:
            found = data_section_terms(number, kind, function, terms, args)
            if found is None:
                data_unavailable.append(number)
            else:
                shown, terms = found
        late = _late(kind, function, number, len(terms), args)
        record = measure(number, offset, terms, args, late, errors, shown)
        record["late_unavailable"] = bool(args.late) and late is None
        if args.data_section:
            record["data_section_terms"] = shown is not None
        return record

    started = time.monotonic()
    if earlier is not None:
        for old in earlier:
            number = old["a_number"]
            if not old["stated"]:
                results.append({**old, "restated": False})
                continue
            kind, function = sequences[number]
            try:
                offset, terms = cached_terms(number, kind, function, total, max(args.late_seconds, args.term_seconds))
            except Exception as error:  # noqa: BLE001 (OutOfTime or the package's code)
                print(f"{number}: terms not recomputed ({type(error).__name__}); kept as nothing stated", file=sys.stderr)
                results.append({**old, "stated": [], "restated": False})
                continue
            record = measure_drawn(number, kind, function, offset, terms)
            results.append({**record, "restated": True})
    else:
        order = sorted(sequences)
        random.Random(args.seed).shuffle(order)
        for number in order:
            if len(results) >= args.sample:
                break
            kind, function = sequences[number]
            try:
                offset, terms = terms_in_child(kind, function, total, args.term_seconds)
            except OutOfTime:
                skipped["too slow"] += 1
                slow.append(number)
                continue
            except Exception as error:  # noqa: BLE001 (the package's code: anything it raises skips the sequence)
                skipped["failed"] += 1
                failures.append({"a_number": number, "error": str(error)[:200]})
                continue
            results.append(measure_drawn(number, kind, function, offset, terms))
    slow_results, still_slow = [], []
    if args.slow_seconds > 0:
        for number in slow:
            kind, function = sequences[number]
            try:
                offset, terms = cached_terms(number, kind, function, total, args.slow_seconds)
            except Exception:  # noqa: BLE001 (OutOfTime or the package's code)
                still_slow.append(number)
                continue
            slow_results.append(measure_drawn(number, kind, function, offset, terms))
    summary = {
        "command": " ".join([Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])]),
        "seed": args.seed, "given": args.given, "held_out": args.held_out, "skipped": skipped,
        **figures(results),
        "guess_timeouts": sum(r.get("timed_out", False) for r in results), "guesser_errors": errors,
        "failed_to_compute": failures,
        "wall_seconds": round(time.monotonic() - started, 1), "machine": machine(),
    }
    if args.data_section:
        every = results + slow_results
        shown = [len(r["given"]) for r in every]
        summary["data_section"] = {
            "characters": args.data_section, "seconds": args.data_seconds,
            "terms_unavailable": data_unavailable,
            "shown": {"mean": round(statistics.mean(shown), 1) if shown else None,
                      "median": statistics.median(shown) if shown else None,
                      "min": min(shown) if shown else None, "max": max(shown) if shown else None}}
    if earlier is not None:
        summary["skipped"] = earlier_run.get("summary", {}).get("skipped", skipped)  # the sample is that run's
        summary["restated_from"] = str(args.restate_from)
        summary["restated"] = sum(1 for r in results if r.get("restated"))
    if args.slow_seconds > 0:
        slow_figures = figures(slow_results)
        drawn = len(results) + len(slow) + skipped["failed"]
        summary["slow"] = {"seconds": args.slow_seconds, "too_slow_at_term_seconds": len(slow),
                           "measured_with_longer_limit": len(slow_results), "still_too_slow": still_slow,
                           **slow_figures}
        summary["over_every_sequence_drawn"] = {
            "drawn": drawn, "covered": summary["covered"] + slow_figures["covered"],
            "coverage": round((summary["covered"] + slow_figures["covered"]) / drawn, 4) if drawn else None,
            "false": summary["false"] + slow_figures["false"]}
    folder = Path(__file__).resolve().parent / "runs" / "sequences_oeis"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = (("-restated" if earlier is not None else "") + (f"-late{args.late}" if args.late else "")
              + (f"-data{args.data_section}" if args.data_section else ""))
    (folder / f"{args.seed}-{args.sample}-{args.given}{suffix}.json").write_text(
        json.dumps({"summary": summary, "results": results, "slow_results": slow_results}, indent=1), encoding="utf-8")
    print(json.dumps({k: v for k, v in summary.items() if k not in ("failed_to_compute",)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Per-family time and answers of the sequence description families (``families.FAMILIES``), for the
speed work of issue #17 on long term lists.

    # time every family (and guess_all with --all) on long inputs: the synthetic ones below and the
    # cached OEIS term lists (JSON {"a_number", "offset", "terms"}) of a folder, first --files of them,
    # at most --terms terms each; a family that runs past --limit seconds on one input is cut there
    nice -n 10 .venv/bin/python bench/sequences_family_times.py times --folder /work/notes/long_terms \
        --files 100 --terms 150 --limit 60 --out /tmp/times.json

    # every family's answer (the Description's JSON or None) on the given lists of stored
    # bench/sequences_oeis.py runs, from n = offset and (offset 0) from n = 1 as guess_description asks
    nice -n 10 .venv/bin/python bench/sequences_family_times.py answers --count 300 --out /tmp/after.json \
        bench/runs/sequences_oeis/*-100-24.json
    .venv/bin/python bench/sequences_family_times.py compare /tmp/before.json /tmp/after.json
    # (compare also reads two ``times`` files: the answers on the long inputs, families cut on either side skipped)

``times`` options: ``--only LABELS`` (comma-separated inputs: the synthetic names or A-numbers),
``--families NAMES`` / ``--skip NAMES`` (comma-separated families to time / not to time), ``--all`` (time
``guess_all`` too, cut at 4 × --limit).

``--source DIR`` (before the subcommand) imports ``mathteam.domains.sequences`` from another checkout's
``DIR/domains/sequences`` (a baseline from main's code). Exit codes: 0 done (compare: no answer
differs), 1 compare found differences, 2 usage error.
"""

from __future__ import annotations

import importlib.util
import json
import signal
import statistics
import sys
import time
from pathlib import Path

from sympy import isprime, prime, totient

SYNTHETIC = {
    "isprime(n), n < 130": [int(isprime(n)) for n in range(130)],
    "isprime(n), n < 70": [int(isprime(n)) for n in range(70)],
    "n + phi(n), n = 1..70": [int(m + totient(m)) for m in range(1, 71)],
    "prime(n), n = 1..60": [int(prime(m)) for m in range(1, 61)],
    "2^n + n^3 + (n mod 3), n < 30": [2**m + m**3 + m % 3 for m in range(30)],
}
"""Name -> terms (offset 0 for the first two and the last, 1 for the others: see ``SYNTHETIC_OFFSETS``)."""
SYNTHETIC_OFFSETS = {"n + phi(n), n = 1..70": 1, "prime(n), n = 1..60": 1}


class _Cut(BaseException):
    """Raised by the alarm when a family runs past the limit (a BaseException: no family catches it)."""


def _alarm(signum, frame):
    raise _Cut()


def _load_sequences(source: str | None):
    """``mathteam.domains.sequences.families`` from this checkout, or from ``source``'s domains/sequences."""
    if source:
        folder = Path(source) / "domains" / "sequences"
        if not (folder / "__init__.py").exists():
            raise SystemExit(f"--source: {folder} has no __init__.py")
        import mathteam.domains  # noqa: F401  (the parent package, from this checkout)
        spec = importlib.util.spec_from_file_location("mathteam.domains.sequences", folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])
        module = importlib.util.module_from_spec(spec)
        sys.modules["mathteam.domains.sequences"] = module
        spec.loader.exec_module(module)
    from mathteam.domains.sequences import families
    return families


def _call(families, name, family, terms, offset):
    tied: list = []
    description = family(terms, offset, tied) if name in families.TIES_REPORTED else family(terms, offset)
    return [d.model_dump(mode="json") if d is not None else None for d in [description] + tied]


def _timed(function, limit: float):
    """(result, seconds, cut): ``function()`` under an alarm of ``limit`` seconds (0: none)."""
    start = time.process_time()
    if limit:
        signal.setitimer(signal.ITIMER_PROF, limit)
    try:
        result, cut = function(), False
    except _Cut:
        result, cut = None, True
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    return result, time.process_time() - start, cut


def corpus(folder: str | None, files: int, most: int) -> list[tuple[str, int, list[int]]]:
    inputs = [(name, SYNTHETIC_OFFSETS.get(name, 0), terms) for name, terms in SYNTHETIC.items()]
    if folder:
        for path in sorted(Path(folder).glob("*.json"))[:files]:
            data = json.loads(path.read_text())
            inputs.append((data["a_number"], int(data["offset"]), [int(t) for t in data["terms"][:most]]))
    return inputs


def times(families, arguments) -> int:
    options = _options(arguments, {"--folder": None, "--files": "100", "--terms": "150", "--limit": "60",
                                   "--out": None, "--only": None, "--all": False, "--skip": "",
                                   "--families": None})
    signal.signal(signal.SIGPROF, _alarm)
    inputs = corpus(options["--folder"], int(options["--files"]), int(options["--terms"]))
    if options["--only"]:
        inputs = [i for i in inputs if i[0] in options["--only"].split(",")]
    skip = set(options["--skip"].split(","))
    limit = float(options["--limit"])
    per_family: dict[str, list[float]] = {}
    cuts: dict[str, list[str]] = {}
    rows = []
    for label, offset, terms in inputs:
        row = {"input": label, "offset": offset, "count": len(terms), "seconds": {}, "answers": {}}
        for name, family in families.FAMILIES:
            if name in skip or (options["--families"] and name not in options["--families"].split(",")):
                continue
            result, seconds, cut = _timed(lambda: _call(families, name, family, terms, offset), limit)
            per_family.setdefault(name, []).append(seconds)
            row["seconds"][name] = round(seconds, 3)
            row["answers"][name] = "cut" if cut else result
            if cut:
                cuts.setdefault(name, []).append(label)
        if options["--all"]:
            result, seconds, cut = _timed(lambda: [str(g) for g in families.guess_all(terms, offset)], 4 * limit)
            per_family.setdefault("guess_all", []).append(seconds)
            row["seconds"]["guess_all"] = round(seconds, 3)
            if cut:
                cuts.setdefault("guess_all", []).append(label)
        rows.append(row)
        slowest = sorted(row["seconds"].items(), key=lambda kv: -kv[1])[:3]
        print(f"{label} ({len(terms)} terms): {sum(row['seconds'].values()):.1f} s; slowest "
              + ", ".join(f"{k} {v:.2f}" for k, v in slowest), flush=True)
    print(f"\n{len(inputs)} inputs; CPU seconds per family (mean / max; cut at {limit:g} s where noted)")
    for name, values in sorted(per_family.items(), key=lambda kv: -max(kv[1])):
        note = f"  cut on {len(cuts[name])}: {', '.join(cuts[name][:5])}" if name in cuts else ""
        print(f"  {name:22s} {statistics.mean(values):8.3f} {max(values):8.2f}{note}")
    if options["--out"]:
        Path(options["--out"]).write_text(json.dumps({"inputs": rows, "limit": limit}, indent=1))
    return 0


def answers(families, arguments) -> int:
    options = _options(arguments, {"--count": "300", "--out": None}, rest=True)
    lists = set()
    for path in options["rest"]:
        for result in json.loads(Path(path).read_text())["results"]:
            if result.get("given") and not result.get("timed_out"):
                lists.add((result["a_number"], int(result["offset"]), tuple(result["given"])))
    chosen = sorted(lists)[:int(options["--count"])]
    out, start = [], time.process_time()
    for a_number, offset, given in chosen:
        terms = list(given)
        entry = {"a_number": a_number, "offset": offset, "answers": {}}
        for name, family in families.FAMILIES:
            entry["answers"][name] = _call(families, name, family, terms, offset)
            if offset == 0 and len(terms) > 8 and name not in ("transform", "program", "expression"):
                entry["answers"][name + "@1"] = _call(families, name, family, terms[1:], 1)
        out.append(entry)
    print(f"{len(chosen)} given lists, {time.process_time() - start:.0f} CPU seconds")
    if options["--out"]:
        Path(options["--out"]).write_text(json.dumps(out))
    return 0


def compare(arguments) -> int:
    if len(arguments) != 2:
        print("compare: two answers files", file=sys.stderr)
        return 2
    before, after = (_answer_entries(json.loads(Path(p).read_text())) for p in arguments)
    after_by = {(e["a_number"], e["offset"]): e for e in after}
    differences, compared = 0, 0
    for entry in before:
        other = after_by.get((entry["a_number"], entry["offset"]))
        if other is None:
            continue
        compared += 1
        for name, answer in entry["answers"].items():
            if answer == "cut" or other["answers"].get(name) == "cut":
                continue  # a family cut at the time limit on either side: nothing to compare
            if other["answers"].get(name) != answer:
                differences += 1
                print(f"{entry['a_number']} {name}: before {json.dumps(answer)[:300]}\n   after {json.dumps(other['answers'].get(name))[:300]}")
    answered = sum(1 for e in before for v in e["answers"].values() if v and v != "cut" and v[0] is not None)
    print(f"{compared} given lists compared, {answered} family answers before, {differences} differ")
    return 1 if differences else 0


def _answer_entries(data) -> list[dict]:
    """The entries of an ``answers`` file, or those of a ``times`` file (its inputs, with their answers)."""
    if isinstance(data, dict):
        return [{"a_number": row["input"], "offset": row["offset"], "answers": row["answers"]} for row in data["inputs"]]
    return data


def _options(arguments, defaults, rest=False):
    options, leftover = dict(defaults), []
    iterator = iter(arguments)
    for argument in iterator:
        if argument in defaults and defaults[argument] is False:
            options[argument] = True
        elif argument in defaults:
            value = next(iterator, None)
            if value is None:
                raise SystemExit(f"{argument}: needs a value")
            options[argument] = value
        elif rest:
            leftover.append(argument)
        else:
            raise SystemExit(f"unknown option {argument}")
    options["rest"] = leftover
    return options


def main(arguments: list[str]) -> int:
    source = None
    if arguments[:1] == ["--source"]:
        if len(arguments) < 2:
            print("--source: a checkout's folder", file=sys.stderr)
            return 2
        source, arguments = arguments[1], arguments[2:]
    if not arguments or arguments[0] not in ("times", "answers", "compare"):
        print("usage: sequences_family_times.py [--source DIR] times|answers|compare ...", file=sys.stderr)
        return 2
    if arguments[0] == "compare":
        return compare(arguments[1:])
    families = _load_sequences(source)
    return (times if arguments[0] == "times" else answers)(families, arguments[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

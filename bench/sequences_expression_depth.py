"""The expression family alone on long term lists, with and without its deep level (terms of
``expressions.DEEP_SIZE`` nodes): for every JSON file {"a_number", "offset", "shown", "terms"} of a
folder, ``expressions.describe`` sees terms[:shown]; each stated description is checked on all terms
(those past ``shown`` are held out).

    nice -n 10 .venv/bin/python bench/sequences_expression_depth.py FOLDER             # with the deep level
    nice -n 10 .venv/bin/python bench/sequences_expression_depth.py --shallow FOLDER   # bank of MAX_SIZE only

Prints a line per false description, then: the bank's (and deep bank's) rows, build seconds and the
process's peak memory; sequences, descriptions stated, covered (holding on every term), false, seconds
per sequence (the builds excluded). Exit code 2 on a usage error or an unreadable file.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main(arguments: list[str]) -> int:
    shallow = arguments[:1] == ["--shallow"]
    arguments = arguments[1:] if shallow else arguments
    if len(arguments) != 1 or not Path(arguments[0]).is_dir():
        print("usage: sequences_expression_depth.py [--shallow] FOLDER (of JSON term lists)", file=sys.stderr)
        return 2
    from mathteam.domains.sequences import expressions
    if shallow:
        expressions.DEEP_FEWEST_TERMS = 10**9  # the deep level is never affordable: the bank alone
    sequences = []
    for path in sorted(Path(arguments[0]).glob("*.json")):
        try:
            data = json.loads(path.read_text())
            sequences.append((data["a_number"], int(data["offset"]), int(data["shown"]), [int(t) for t in data["terms"]]))
        except (OSError, ValueError, KeyError, TypeError) as error:
            print(f"{path}: not a term list ({error})", file=sys.stderr)
            return 2
    start = time.process_time()
    rows = len(expressions.bank().nodes)
    built = f"bank {rows} rows in {time.process_time() - start:.1f} s"
    if not shallow:
        start = time.process_time()
        deep = len(expressions.deep_bank().nodes)
        built += f"; deep bank {deep} rows (+{deep - rows}) in {time.process_time() - start:.1f} s"
    print(f"{built}; peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB", flush=True)
    stated = covered = false = 0
    start = time.process_time()
    for a_number, offset, shown, terms in sequences:
        found = expressions.describe(terms[:shown], offset)
        if found is None:
            continue
        stated += 1
        try:
            good = expressions.description_terms(found["spec"], offset, len(terms)) == terms
        except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
            good = False
        covered += good
        false += not good
        if not good:
            print(f"FALSE {a_number}: {found['statement']}", flush=True)
    seconds = time.process_time() - start
    print(f"{len(sequences)} sequences: {stated} stated, {covered} covered, {false} false; "
          f"{seconds / max(1, len(sequences)):.2f} s a sequence; peak memory "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

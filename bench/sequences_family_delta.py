"""Before/after of one family of the sequence conjecturer on the same code: for every sequence of a
stored `bench/sequences_oeis.py` run (its JSON summary, which keeps each sequence's given terms), ask
the family on the given terms and, for offset 0, on a(1), a(2), ... (the a(0)-exception path); where it
answers, run ``guess_all`` with and without the family in ``FAMILIES`` and check every stated claim on
the terms ``oeissequences`` computes (given + 16).

    pip install oeissequences            # for this benchmark only; never a dependency of mathteam
    nice -n 10 .venv/bin/python bench/sequences_family_delta.py bench/runs/sequences_oeis/99-100-24.json
    nice -n 10 .venv/bin/python bench/sequences_family_delta.py --family runs bench/runs/sequences_oeis/99-100-24.json

Prints one line per sequence where the family answers (covered with / without, the family's
statement) and a line per run: sequences answered, newly covered, lost, claims added, false claims of
the family stated, and the family's CPU seconds per sequence. ``--family`` names the family (``GUESSERS``:
``series_transform``, the default, ``runs``, ``summatory``, ``digit_set``, or ``factorial_digits``: the
factorial base of the digits family, without which the digits family is ``guess_positional_digits``).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sequences_oeis import INSTALL, catalogue, terms_in_child  # noqa: E402


GUESSERS = {"series_transform": "guess_series_transform", "runs": "guess_runs", "summatory": "guess_summatory",
            "digit_set": "guess_digit_set", "factorial_digits": "guess_factorial_digits"}
"""Family name -> its guesser in ``families`` (a guesser of (terms, offset) -> Description | None)."""
PARTS = {"factorial_digits": ("digits", "guess_positional_digits")}
"""A part of a family, not a family: name -> (the family's entry in ``FAMILIES``, the guesser it has without
that part). Without the part, that entry's guesser is replaced; without a family, its entry is dropped."""


def main(arguments: list[str]) -> int:
    family = "series_transform"
    if arguments[:1] == ["--family"]:
        if len(arguments) < 2 or arguments[1] not in GUESSERS:
            print(f"--family: one of {', '.join(GUESSERS)}", file=sys.stderr)
            return 2
        family, arguments = arguments[1], arguments[2:]
    paths = arguments
    try:
        from oeis_sequences import OEISsequences
    except ImportError:
        print(INSTALL, file=sys.stderr)
        return 2
    from mathteam.domains.sequences import families
    from mathteam.domains.sequences.check import holds
    from mathteam.domains.sequences.guess import NoGuess
    known = catalogue(OEISsequences)
    with_family = families.FAMILIES
    if family in PARTS:
        entry, rest = PARTS[family]
        without = tuple((name, getattr(families, rest)) if name == entry else (name, guess)
                        for name, guess in with_family)
    else:
        without = tuple(f for f in with_family if f[0] != family)
    guesser = getattr(families, GUESSERS[family])
    for path in paths:
        run = json.loads(Path(path).read_text())
        seed, results = run["summary"]["seed"], run["results"]
        answered = new = lost = added = false = 0
        cpu = 0.0
        for result in results:
            given, offset = result["given"], result["offset"]
            start = time.process_time()
            found = guesser(given, offset)
            shifted = guesser(given[1:], 1) if offset == 0 else None
            cpu += time.process_time() - start
            if found is None and shifted is None:
                continue
            answered += 1
            kind, function = known[result["a_number"]]
            _, terms = terms_in_child(kind, function, len(given) + run["summary"]["held_out"], 10.0)
            stated = {}
            for label, chosen in (("with", with_family), ("without", without)):
                families.FAMILIES = chosen
                try:
                    claims = [g for g in families.guess_all(given, offset) if not isinstance(g, NoGuess)]
                finally:
                    families.FAMILIES = with_family
                stated[label] = [(getattr(g, "family", g.kind), holds(g, terms)) for g in claims]
            covered = {label: any(ok for _, ok in claims) for label, claims in stated.items()}
            new += covered["with"] and not covered["without"]
            lost += covered["without"] and not covered["with"]
            added += len(stated["with"]) - len(stated["without"])
            false += sum(1 for name, ok in stated["with"] if not ok and (name, ok) not in stated["without"])
            shown = found or shifted
            print(f"{seed} {result['a_number']}: with {stated['with']}, without {stated['without']}; "
                  f"{shown.statement} [{shown.support()}]", flush=True)
        print(f"seed {seed}: the family answers on {answered} of {len(results)}, newly covered {new}, lost {lost}, "
              f"claims added {added}, false claims added {false}, family CPU {cpu / len(results):.3f} s per sequence",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

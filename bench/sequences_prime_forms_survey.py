"""Before building a family, count how many sequences of stored `bench/sequences_oeis.py` runs it could
describe at all (no margin rule, no rival: an upper bound on what it would cover). Two candidate families
of issue #17, with their exact bounds:

- ``polynomial``: the numbers m >= the first term (or the primes m, when every given term is prime) such
  that f(m) is prime, or a square, f(m) = a·m² + b·m + c with a in 0..3, b and c in -3..3 (not a = b = 0;
  for squares, not f = (m ± 1)² or m², squares for every m);
  every m from the first to the last given term is tested, lists whose last given term exceeds
  ``LIST_LIMIT`` are not read;
- ``least_k``: a(n) = the least k >= k0 (k0 in 0..2), or the prime g(n, k) itself, such that g(n, k) is
  prime, g among ``FORMS``, k below k0 + ``K_LIMIT``.

    nice -n 10 .venv/bin/python bench/sequences_prime_forms_survey.py /work/s17b/bench/runs/sequences_oeis/7-100-24.json

Prints each match (seed, A-number, covered by the stored run or not, the form) and per run the number of
sequences, of those the run left uncovered, and of the matches among them. Exit 2 on an unreadable file.
"""

from __future__ import annotations

import json
import sys
from math import isqrt
from pathlib import Path

from sympy import isprime

LIST_LIMIT = 10**6
"""Largest last given term of a list read by the polynomial survey (every m up to it is tested)."""
K_LIMIT = 3000
"""Values of k tried per n by the least-k survey."""
POLYNOMIALS = tuple((a, b, c) for a in range(4) for b in range(-3, 4) for c in range(-3, 4) if (a, b) != (0, 0))
FORMS = {
    "n·k + 1": lambda n, k: n * k + 1, "n·k - 1": lambda n, k: n * k - 1, "2·n·k + 1": lambda n, k: 2 * n * k + 1,
    "k·2^n + 1": lambda n, k: k * 2**n + 1, "k·2^n - 1": lambda n, k: k * 2**n - 1,
    "n·2^k + 1": lambda n, k: n * 2**k + 1, "n·2^k - 1": lambda n, k: n * 2**k - 1,
    "n + k": lambda n, k: n + k, "n - k": lambda n, k: n - k, "n² + k": lambda n, k: n * n + k,
    "n² - k": lambda n, k: n * n - k, "k² + n": lambda n, k: k * k + n, "k² + k + n": lambda n, k: k * k + k + n,
    "k·n² + 1": lambda n, k: k * n * n + 1, "n·k² + 1": lambda n, k: n * k * k + 1, "k^n + 1": lambda n, k: k**n + 1,
    "2^n + k": lambda n, k: 2**n + k, "2^n - k": lambda n, k: 2**n - k, "10^n + k": lambda n, k: 10**n + k,
    "k·10^n + 1": lambda n, k: k * 10**n + 1,
}


def is_square(x: int) -> bool:
    return x >= 0 and isqrt(x) ** 2 == x


def polynomial_match(terms: list[int]) -> str | None:
    """The first (a, b, c, test, domain) whose list is exactly the terms from the first to the last, or None."""
    if terms[0] < 0 or terms[-1] > LIST_LIMIT or any(b <= a for a, b in zip(terms, terms[1:])):
        return None
    members = set(terms)
    domains = ("numbers", "primes") if all(isprime(t) for t in terms) else ("numbers",)
    for a, b, c in POLYNOMIALS:
        for test, word in ((isprime, "prime"), (is_square, "a square")):
            if test is is_square and is_square(a) and b * b == 4 * a * c:
                continue  # f is the square of a linear polynomial: every m, the list of consecutive numbers
            for domain in domains:
                candidates = (m for m in range(terms[0], terms[-1] + 1) if domain == "numbers" or isprime(m))
                if all(test(a * m * m + b * m + c) == (m in members) for m in candidates):
                    return f"{domain} m with {a}·m² + {b}·m + {c} {word}"
    return None


def least_k_match(terms: list[int], offset: int) -> str | None:
    """The first (g, k0, k or g(n, k)) whose least-k sequence is the terms, or None."""
    for name, g in FORMS.items():
        for k0 in range(3):
            found = []
            for i in range(len(terms)):
                n = offset + i
                k = next((k for k in range(k0, k0 + K_LIMIT) if isprime(g(n, k))), None)
                if k is None:
                    break
                found.append((k, g(n, k)))
                if terms[i] not in found[-1]:
                    break
            for which, word in ((0, "k"), (1, "the prime")):
                if len(found) == len(terms) and all(f[which] == t for f, t in zip(found, terms)):
                    return f"{word}: least k >= {k0} with {name} prime"
    return None


def main(paths: list[str]) -> int:
    for path in paths:
        try:
            run = json.loads(Path(path).read_text())
            seed, results = run["summary"]["seed"], run["results"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            print(f"{path}: not a stored sequences_oeis run ({error.__class__.__name__}: {error})")
            return 2
        uncovered = matched = matched_uncovered = 0
        for result in results:
            terms, offset = result["given"], result["offset"]
            covered = any(claim.get("holds") for claim in result.get("stated", []))
            uncovered += not covered
            form = polynomial_match(terms) or least_k_match(terms, offset)
            if form:
                matched += 1
                matched_uncovered += not covered
                print(f"{seed} {result['a_number']} ({'covered' if covered else 'uncovered'}): {form}", flush=True)
        print(f"seed {seed}: {len(results)} sequences, {uncovered} uncovered by the stored run, {matched} matched "
              f"({matched_uncovered} of them uncovered)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

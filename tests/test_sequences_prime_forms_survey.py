"""bench/sequences_prime_forms_survey.py: what it finds, what it refuses, and its one-line error."""

from __future__ import annotations

import json

from sympy import isprime

from helpers import load_bench_script


def test_finds_polynomial_prime_lists_and_least_k_searches():
    survey = load_bench_script("sequences_prime_forms_survey")
    numbers = [m for m in range(1, 400) if isprime(m * m + m + 1)][:24]
    assert survey.polynomial_match(numbers) == "numbers m with 1·m² + 1·m + 1 prime"
    primes = [p for p in range(2, 5000) if isprime(p) and isprime(2 * p * p - 1)][:24]
    assert survey.polynomial_match(primes) == "primes m with 2·m² + 0·m + -1 prime"
    least = [next(k for k in range(1, 999) if isprime(k * 2**n + 1)) for n in range(1, 25)]
    # k = 0 gives 1, not prime: k >= 0 and k >= 1 are the same search, and the first is reported
    assert survey.least_k_match(least, 1) == "k: least k >= 0 with k·2^n + 1 prime"


def test_refuses_consecutive_numbers_and_a_list_off_by_one_term():
    survey = load_bench_script("sequences_prime_forms_survey")
    # (m - 1)² is a square for every m: consecutive numbers are not a "square" list
    assert survey.polynomial_match(list(range(5, 29))) is None
    numbers = [m for m in range(1, 400) if isprime(m * m + m + 1)][:24]
    assert survey.polynomial_match(numbers[:10] + [numbers[10] + 1] + numbers[11:]) is None


def test_unreadable_run_gives_one_line_and_exit_2(tmp_path, capsys):
    survey = load_bench_script("sequences_prime_forms_survey")
    path = tmp_path / "run.json"
    path.write_text(json.dumps({"results": []}))
    assert survey.main([str(path)]) == 2
    assert capsys.readouterr().out == f"{path}: not a stored sequences_oeis run (KeyError: 'summary')\n"

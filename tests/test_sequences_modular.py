"""The modular filters of the guessers: they decide "no answer" without exact arithmetic, and never lose one."""

from __future__ import annotations

import random
from fractions import Fraction
from math import comb

import numpy as np
import pytest
import sympy as sp

from mathteam.domains.sequences import guess
from mathteam.domains.sequences.consensus import regular_tail
from mathteam.domains.sequences.guess import (AlgebraicGF, NoGuess, RationalGF, Recurrence, constant_recurrence,
                                              guess_algebraic_gf, guess_rational_gf, guess_recurrence,
                                              may_have_constant_recurrence)
from mathteam.domains.sequences.linalg import (PRIME, linear_complexity_profile, only_trivial_solution_modulo,
                                               rank_modulo, residue, residues)

RANDOM = random.Random(17)
NOISE = [RANDOM.randint(-10**6, 10**6) for _ in range(100)]
CATALAN = [comb(2 * i, i) // (i + 1) for i in range(60)]


def fibonacci(count: int) -> list[int]:
    values = [0, 1]
    while len(values) < count:
        values.append(values[-1] + values[-2])
    return values[:count]


@pytest.fixture
def exact_forbidden(monkeypatch):
    """Any exact elimination or exact Berlekamp–Massey fails the test: the filter alone must decide."""
    def refuse(*args, **kwargs):
        raise AssertionError("the exact computation ran")
    guess._constant_recurrence.cache_clear()
    monkeypatch.setattr(guess, "nullspace", refuse)
    monkeypatch.setattr(guess, "berlekamp_massey", refuse)
    yield
    guess._constant_recurrence.cache_clear()


def test_residues_of_negative_and_fraction_terms():
    assert residue(-1) == PRIME - 1
    assert residue(Fraction(1, 2)) * 2 % PRIME == 1
    assert residue(Fraction(3, PRIME)) is None  # the prime divides the denominator: no residue, no filter
    assert residues([1, Fraction(1, PRIME)]) is None
    assert residue(sp.Integer(5)) == 5 and residue(1.5) is None


def test_rank_modulo_agrees_with_exact_rank_on_random_matrices():
    generator = random.Random(3)
    for _ in range(30):
        rows, columns = generator.randint(1, 7), generator.randint(1, 7)
        entries = [[generator.randint(-3, 3) for _ in range(columns)] for _ in range(rows)]
        if generator.random() < 0.5 and rows > 1:
            entries[-1] = [a + b for a, b in zip(entries[0], entries[1 % rows])]  # a dependent row
        expected = sp.Matrix(entries).rank()
        assert rank_modulo(np.array([[e % PRIME for e in row] for row in entries])) == expected
        assert only_trivial_solution_modulo(np.array([[e % PRIME for e in row] for row in entries])) == \
            (expected == columns)


def test_linear_complexity_profile_of_known_sequences():
    assert linear_complexity_profile([1, 2, 4, 8, 16], 5) == [1, 1, 1, 1, 1]
    assert linear_complexity_profile(residues(fibonacci(12)), 12)[-1] == 2
    assert linear_complexity_profile([0, 0, 0, 1], 5) == [0, 0, 0, 4]
    # stops once the complexity passes the limit
    assert len(linear_complexity_profile(residues(NOISE), 10)) < 30


def test_a_true_constant_recurrence_passes_the_filter_and_is_found():
    guess._constant_recurrence.cache_clear()
    terms = fibonacci(30)
    assert may_have_constant_recurrence(terms)
    assert constant_recurrence(terms) == [1, -1, -1]
    # negative and fraction terms: a(n) = (-1/2)^n + 3
    mixed = [Fraction(-1, 2) ** m + 3 for m in range(20)]
    assert may_have_constant_recurrence(mixed)
    assert constant_recurrence(mixed) == [1, Fraction(-1, 2), Fraction(-1, 2)]
    assert isinstance(guess_rational_gf(fibonacci(30)), RationalGF)


def test_a_random_sequence_is_rejected_without_exact_arithmetic(exact_forbidden):
    assert not may_have_constant_recurrence(NOISE)
    assert constant_recurrence(NOISE) is None
    assert isinstance(guess_rational_gf(NOISE), NoGuess)
    assert isinstance(guess_recurrence(NOISE, max_order=7, max_degree=5), NoGuess)
    assert isinstance(guess_algebraic_gf(NOISE), NoGuess)


def _answers(terms):
    return [guess_recurrence(terms, max_order=3, max_degree=2), guess_rational_gf(terms), guess_algebraic_gf(terms)]


@pytest.mark.parametrize("terms", [NOISE[:40], fibonacci(30), CATALAN[:30], [m % 5 for m in range(40)]])
def test_the_filters_change_no_answer(terms, monkeypatch):
    guess._constant_recurrence.cache_clear()
    filtered = _answers(terms)
    monkeypatch.setattr(guess, "may_have_constant_recurrence", lambda terms: True)
    monkeypatch.setattr(guess._RecurrenceRowsModulo, "excludes", lambda self, *shape: False)
    monkeypatch.setattr(guess, "only_trivial_solution_modulo", lambda matrix: False)
    guess._constant_recurrence.cache_clear()
    assert _answers(terms) == filtered
    guess._constant_recurrence.cache_clear()


def test_holonomic_and_algebraic_sequences_are_still_found():
    found = guess_recurrence(CATALAN, max_order=7, max_degree=5)
    assert isinstance(found, Recurrence) and found.order == 1
    algebraic = guess_algebraic_gf(CATALAN[:40])
    assert isinstance(algebraic, AlgebraicGF) and algebraic.degree == 2
    # a recurrence with a polynomial right side: a(n + 1) = 2 a(n) + n^2
    values = [1]
    for m in range(59):
        values.append(2 * values[-1] + m * m)
    assert isinstance(guess_recurrence(values, max_order=7, max_degree=5), Recurrence)


def test_regular_tail_after_an_irregular_head_is_found_as_before():
    terms = NOISE[:7] + fibonacci(40)
    guess._constant_recurrence.cache_clear()
    head, connection = regular_tail(terms)
    # Berlekamp–Massey's length counts trailing zeros: order 2 from a later index on
    assert connection[:3] == [1, -1, -1] and not any(connection[3:])
    start = head + len(connection) - 3
    assert start <= 7
    assert all(terms[m] == terms[m - 1] + terms[m - 2] for m in range(start + 2, len(terms)))


def test_one_rank_decides_every_recurrence_shape_of_a_long_random_list(monkeypatch):
    ranks = []
    original = guess.only_trivial_solution_modulo
    monkeypatch.setattr(guess, "only_trivial_solution_modulo", lambda matrix: ranks.append(matrix.shape) or original(matrix))
    answer = guess_recurrence(NOISE, max_order=7, max_degree=5)
    assert isinstance(answer, NoGuess) and "7/5+q" in answer.reason  # every shape searched, and said so
    assert ranks == [(93, 54)]  # the largest shape's columns on the rows every shape has
    ranks.clear()
    assert isinstance(guess_recurrence(NOISE[:30], max_order=7, max_degree=5), NoGuess)
    assert len(ranks) > 1  # too few rows for the largest shape: each shape is decided alone


def test_integer_nullspace_is_the_reduced_echelon_basis_that_sympy_gives():
    from mathteam.domains.sequences.linalg import nullspace
    generator = random.Random(5)
    for _ in range(40):
        rows, columns = generator.randint(1, 6), generator.randint(1, 7)
        entries = [[Fraction(generator.randint(-4, 4), generator.choice([1, 1, 2, 3])) for _ in range(columns)]
                   for _ in range(rows)]
        if rows > 2 and generator.random() < 0.5:
            entries[-1] = [a - 2 * b for a, b in zip(entries[0], entries[1])]  # a dependent row
        expected = [[Fraction(int(sp.fraction(v)[0]), int(sp.fraction(v)[1])) for v in vector]
                    for vector in sp.Matrix(entries).nullspace()]
        assert nullspace(entries, columns) == expected


def test_long_inputs_bench_compares_answers_and_reports_bad_files(repo, tmp_path):
    import json
    import subprocess
    import sys
    script = repo / "bench" / "sequences_long_inputs.py"
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    before.write_text(json.dumps({"short A1 0 [1, 2]": ["x"], "short A2 0 [3]": ["y"]}))
    after.write_text(json.dumps({"short A1 0 [1, 2]": ["x"], "short A2 0 [3]": ["z"]}))
    differ = subprocess.run([sys.executable, str(script), "compare", str(before), str(after)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert differ.returncode == 1 and "2 inputs in both files, 1 differ" in differ.stdout
    same = subprocess.run([sys.executable, str(script), "compare", str(before), str(before)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert same.returncode == 0
    missing = subprocess.run([sys.executable, str(script), "compare", str(before), str(tmp_path / "none.json")],
                             capture_output=True, text=True, cwd=tmp_path)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "none.json" in missing.stderr

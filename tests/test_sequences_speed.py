"""The cheap exact tests and tables that keep the description families fast on long term lists
(issue #17): each must give what the slow path gives."""

from __future__ import annotations

import random
from math import comb, factorial

import sympy
from sympy.functions.combinatorial.numbers import stirling

from mathteam.domains.sequences import families, transforms
from mathteam.domains.sequences.guess import NoGuess, guess_closed_form


def _samples() -> list[list[int]]:
    generator = random.Random(17)
    closed = [[3 * m * m - m + 1 for m in range(20)], [2**m - 1 for m in range(24)], [comb(2 * m, m) for m in range(20)],
              [factorial(m) * 2**m for m in range(18)], [m * 3**m + (-2)**m for m in range(26)], [m**5 for m in range(14)],
              [0] * 12, [7] * 10, [(m + 1) * 2**m for m in range(30)], [comb(4 * m, m) for m in range(16)]]
    others = [[generator.randint(-3, 3) for _ in range(generator.randint(8, 40))] for _ in range(60)]
    others += [[int(sympy.isprime(m)) for m in range(60)], [int(sympy.prime(m)) for m in range(1, 50)],
               [comb(3 * m, m) // (2 * m + 1) for m in range(20)]]
    return closed + others


def test_closed_form_possible_never_hides_a_closed_form():
    found = rejected = 0
    for terms in _samples():
        for offset in (0, 1):
            closed = guess_closed_form(terms, offset)
            possible = transforms.closed_form_possible(terms, offset)
            if not isinstance(closed, NoGuess):
                found += 1
                assert possible, (terms, offset, closed)
            elif not possible:
                rejected += 1
    assert found >= 15  # the samples do exercise all three shapes
    assert rejected >= 100  # and the test does reject most lists without a closed form


def test_full_column_rank_mod_agrees_with_the_rank_over_q():
    generator = random.Random(5)
    for _ in range(300):
        width, height = generator.randint(1, 6), generator.randint(1, 9)
        matrix = [[generator.randint(-2, 2) for _ in range(width)] for _ in range(height)]
        if height > 1 and generator.random() < 0.3:
            matrix[-1] = [a + b for a, b in zip(matrix[0], matrix[1])]
        assert transforms._full_column_rank_mod(matrix, width) == (sympy.Matrix(matrix).rank() == width)
    # Rank over Q is full, rank mod 5 is not: the test only ever claims full rank.
    assert not transforms._full_column_rank_mod([[1, 0], [0, 5]], 2, prime=5)
    assert transforms._full_column_rank_mod([[1, 0], [0, 5]], 2)


def test_stirling_rows_are_sympys():
    for kind in (1, 2):
        rows = transforms.stirling_rows(30, kind)
        for m in range(30):
            expected = [int(stirling(m, j, kind=1, signed=True)) if kind == 1 else int(stirling(m, j, kind=2))
                        for j in range(m + 1)]
            assert list(rows[m]) == expected


def test_series_transform_skips_the_closed_form_search_where_it_cannot_succeed(monkeypatch):
    calls = []
    original = transforms.guess_closed_form
    monkeypatch.setattr(transforms, "guess_closed_form", lambda c, start: calls.append(len(c)) or original(c, start))
    primes = [int(sympy.isprime(m)) for m in range(130)]
    assert families.guess_series_transform(primes, 0) is None
    assert calls == []
    # and still asks it where a closed form describes c: a(n) = 2^n - 1, the INVERT transform of c = 1, 2, 2, ...
    assert families.guess_series_transform(transforms.invert_forward([1] + [2] * 40, 40), 0) is not None
    assert calls


def test_periodic_families_on_long_lists():
    head = [5, 9, 4]
    block = [2, 7, 7, 1]
    terms = head + block * 35
    found = families.guess_periodic(terms)
    assert found is not None and found.spec == {"head": head, "period_values": block}
    assert families.guess_periodic(terms[:-1] + [3]) is None  # the last term breaks the period
    # (a head in the classes 1, 3, 4 mod 6 of the periodic part: an earlier 0 or 5 would be a term of a class
    # it leaves out, which the family refuses, see test_sequences_generalize)
    steps = [1, 4, 7] + [sum(([1, 3, 2] * 50)[:i]) + 9 for i in range(140)]
    found = families.guess_periodic_differences(steps)
    assert found is not None and found.spec["differences"] in ([1, 3, 2], [3, 2, 1], [2, 1, 3])
    assert families.guess_periodic_differences(steps[:-1] + [steps[-1] + 1]) is None


def _broken(terms: list[int], index: int) -> list[int]:
    return terms[:index] + [terms[index] + 1] + terms[index + 1:]


def _lucas(m: int) -> int:
    a, b = 2, 1
    for _ in range(m):
        a, b = b, a + b
    return a


def test_families_with_cheap_rejections_still_need_every_term():
    # Each family rejects candidates on a prefix first (constants.PREFIX, term by term, a small
    # determinant): on long lists the answer must still depend on the last term.
    from math import isqrt
    import mpmath
    cases = [
        (families.guess_beatty, [isqrt(2 * m * m) for m in range(130)], 0),  # floor(n·sqrt(2))
        (families.guess_floor_power, [3**m // 2**m for m in range(100)], 0),  # floor((3/2)^n)
        (families.guess_floor_power, [1] + [_lucas(m) - (m % 2 == 0) for m in range(1, 110)], 0),  # floor(φ^n)
        (families.guess_combination, [int(sympy.totient(m)) + m for m in range(1, 100)], 1),
        (families.guess_quasi_polynomial, [m * m + 1 if m % 3 == 0 else 2 * m - 1 if m % 3 == 1 else 5 * m + 2
                                           for m in range(120)], 0),
        (families.guess_digits, [bin(m).count("1") for m in range(150)], 0),
        (families.guess_expression, [int(sympy.isprime(m)) for m in range(130)], 0),
        (families.guess_triangle, [3 * row + column * column for row in range(16) for column in range(row + 1)][:120], 0),
        (families.guess_digits, [sum(families.factorial_digits(m)) for m in range(130)], 0),
        (families.guess_expression, [int(sympy.divisor_sigma(m)) for m in range(1, 101)], 1),
    ]
    with mpmath.workdps(140):
        cases.append((families.guess_expansion, [int(d) for d in mpmath.nstr(mpmath.pi, 120, strip_zeros=False)
                                                 .replace(".", "")[:100]], 0))
    for family, terms, offset in cases:
        assert family(terms, offset) is not None, family.__name__
        for index in (len(terms) - 1, len(terms) * 2 // 3):
            assert family(_broken(terms, index), offset) is None, (family.__name__, index)


def test_program_combine_is_the_pointwise_operation():
    from mathteam.domains.sequences import programs
    generator = random.Random(9)
    for _ in range(2000):
        op = generator.choice(programs.OPERATIONS)
        left = tuple(generator.randint(-70, 70) for _ in range(5))
        right = tuple(generator.randint(-3, 70) for _ in range(5))
        try:
            expected = tuple(programs._apply(op, a, b) for a, b in zip(left, right))
            expected = expected if all(abs(v) <= programs.LIMIT for v in expected) else None
        except (ZeroDivisionError, ValueError):
            expected = None
        assert programs._combine(op, left, right) == expected, (op, left, right)


def test_program_loops_run_from_any_offset():
    from mathteam.domains.sequences import programs
    program = programs.Program("s * k + 1", 2)  # s(0) = 2, s(k) = k·s(k - 1) + 1
    reference = [2]
    for k in range(1, 12):
        reference.append(reference[-1] * k + 1)
    for offset in (0, 1, 3):
        for count in (0, 1, 5):
            assert programs.run(program, offset, count) == reference[offset:offset + count]
    try:
        programs.run(program, 0, 12, limit=10**5)
    except ValueError:
        pass
    else:
        raise AssertionError("a value beyond the limit must end the run")
    assert programs.run(program, 0, 8, limit=10**5) == reference[:8]

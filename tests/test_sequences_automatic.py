"""The automatic family: morphic words (coded fixed points of substitutions) and k-regular sequences
(linear representations in base 2 or 3): what it must find, with its held-out continuation, and what
it must refuse (too few terms, a list that changes after the data, rivals that predict otherwise)."""

from __future__ import annotations

import random

from mathteam.domains.sequences import automatic
from mathteam.domains.sequences.families import evaluate, guess_automatic
from mathteam.domains.sequences.guess import MARGIN


def fibonacci_word(count: int) -> list[int]:
    """A003849, built as the limit of S(k) = S(k - 1)S(k - 2), S(0) = 0, S(1) = 01 (not as a fixed point)."""
    shorter, longer = "0", "01"
    while len(longer) < count:
        shorter, longer = longer, longer + shorter
    return [int(c) for c in longer[:count]]


def thue_morse_run_lengths(count: int) -> list[int]:
    """A026465: the lengths of the runs of the Thue–Morse sequence (parity of the binary weight)."""
    thue_morse = [bin(m).count("1") % 2 for m in range(8 * count)]
    lengths, current = [], 1
    for previous, value in zip(thue_morse, thue_morse[1:]):
        if value == previous:
            current += 1
        else:
            lengths.append(current)
            current = 1
    return lengths[:count]


def offset_in_power_block(count: int) -> list[int]:
    """A062050 from n = 1: n - 2^floor(log2 n) + 1."""
    return [m - 2 ** (m.bit_length() - 1) + 1 for m in range(1, count + 1)]


def three_adic_part(count: int) -> list[int]:
    """A038500 from n = 1: the largest power of 3 dividing n."""
    out = []
    for m in range(1, count + 1):
        power = 1
        while m % (3 * power) == 0:
            power *= 3
        out.append(power)
    return out


def test_the_fibonacci_word_is_the_fixed_point_of_0_to_01_and_1_to_0():
    terms = fibonacci_word(160)
    found = guess_automatic(terms[:100])
    assert found is not None and found.family == "automatic"
    assert "0 -> 01, 1 -> 0" in found.statement
    assert evaluate(found, 160) == terms
    assert found.confirmed_by >= found.parameters + MARGIN


def test_thue_morse_run_lengths_are_a_coded_fixed_point_on_three_letters():
    terms = thue_morse_run_lengths(200)
    found = guess_automatic(terms[:130], 1)
    assert found is not None and found.spec["kind"] == "morphic" and len(found.spec["images"]) == 3
    assert evaluate(found, 200) == terms


def test_a_two_regular_sequence_gets_a_linear_representation_checked_far_beyond_the_data():
    terms = offset_in_power_block(600)
    found = guess_automatic(terms[:100], 1)
    assert found is not None and found.spec["kind"] == "regular" and found.spec["base"] == 2
    assert "2-regular" in found.statement
    assert evaluate(found, 600) == terms
    # every coefficient, initial value and new-or-not bit is a parameter: a rank-2 representation
    # in base 2 counts more than its 8 matrix entries' worth of fitted coefficients would suggest
    assert found.parameters >= 10 and found.fitted_on + found.parameters + MARGIN <= 100


def test_a_three_regular_sequence_is_read_in_base_three():
    terms = three_adic_part(400)
    found = guess_automatic(terms[:120], 1)
    assert found is not None and found.spec["base"] == 3
    assert evaluate(found, 400) == terms


def test_too_few_terms_are_not_read():
    assert guess_automatic(fibonacci_word(automatic.MIN_TERMS - 1)) is None
    assert guess_automatic(offset_in_power_block(automatic.MIN_TERMS - 1), 1) is None


def test_a_word_that_changes_after_the_fitted_prefix_is_refused():
    terms = fibonacci_word(100)
    terms[90] = 1 - terms[90]
    assert guess_automatic(terms) is None
    changed = offset_in_power_block(100)
    changed[95] += 1
    assert guess_automatic(changed, 1) is None
    for index in (-1, 70):  # the answer depends on the last term too, in both searches
        last = fibonacci_word(100)
        last[index] = 1 - last[index]
        assert guess_automatic(last) is None
        last = offset_in_power_block(100)
        last[index] += 1
        assert guess_automatic(last, 1) is None


def test_rival_substitutions_that_part_after_the_data_cancel_each_other():
    # the fixed point of 0 -> 001, 1 -> 02, 2 -> 01 with 0 and 2 read as 0: another substitution of the
    # same size (2 -> 21) reproduces the 40 terms and parts later; neither is stated, both are ties
    word = automatic.fixed_point(("001", "02", "01"), 40)
    terms = [int(c == "1") for c in word]
    tied: list = []
    assert automatic.guess_automatic(terms, 0, tied) is None
    assert len(tied) == 2 and tied[0][0] != tied[1][0]


def test_eventually_periodic_data_are_left_to_the_periodic_families():
    # 1, 2, ..., 24 is "the indices of 1 in 0 -> 01, 1 -> 1" too; 0, 0, 0, 0, 0, 1 repeated is a fixed
    # point on three letters: the periodic families state these under their own rules
    assert automatic._positions_search(list(range(1, 25)), []) is None
    assert automatic._morphic_search(([0] * 5 + [1]) * 7, []) is None


def test_a_list_whose_characteristic_word_is_morphic_is_read_as_its_indices():
    # the fibbinary numbers A003714 (no two adjacent 1's in binary): 0 -> 01, 1 -> 02, 2 -> 22, 2 read as 0
    fibbinary = [m for m in range(5000) if m & (m >> 1) == 0]
    found = guess_automatic(fibbinary[:80])
    assert found is not None and found.spec["kind"] == "positions"
    assert evaluate(found, 300) == fibbinary[:300]


def test_the_fibbinary_numbers_are_read_from_24_terms():
    # twelfth round: a positions candidate is fitted on POSITIONS_FEWEST_TERMS = 6 terms (and MORPHIC_PREFIX = 8
    # letters) at least, no longer 10 terms: 0, 1, 2, 4, 5, 8, 9 fix the first 10 letters, and the 17 terms after
    # them confirm 15 parameters plus MARGIN
    fibbinary = [m for m in range(5000) if m & (m >> 1) == 0]
    found = guess_automatic(fibbinary[:24])
    assert found is not None and found.spec["kind"] == "positions"
    assert found.fitted_on >= automatic.POSITIONS_FEWEST_TERMS
    assert 24 - found.fitted_on >= found.parameters + MARGIN
    assert evaluate(found, 300) == fibbinary[:300]
    assert guess_automatic(fibbinary[:20]) is None  # too few terms: no candidate is fitted on 6 and confirmed


def test_a_short_list_that_leaves_the_morphic_word_in_its_confirming_terms_is_refused():
    fibbinary = [m for m in range(5000) if m & (m >> 1) == 0]
    for index in (12, 23):
        changed = fibbinary[:24]
        changed[index] += 1
        assert guess_automatic(changed) is None


def test_random_words_and_values_are_not_described():
    generator = random.Random(17)
    assert guess_automatic([generator.randrange(2) for _ in range(120)]) is None
    assert guess_automatic([generator.randrange(1000) for _ in range(120)]) is None


def test_the_modular_solver_gives_the_exact_solvers_answer():
    from fractions import Fraction
    generator = random.Random(3)
    for _ in range(300):
        unknowns, rows = generator.randint(1, 4), generator.randint(1, 9)
        columns = [[generator.randint(-3, 3) for _ in range(rows)] for _ in range(unknowns)]
        if generator.random() < 0.5:  # a consistent system half the time
            coefficients = [Fraction(generator.randint(-4, 4), generator.randint(1, 3)) for _ in range(unknowns)]
            scaled = [sum(c * column[i] for c, column in zip(coefficients, columns)) for i in range(rows)]
            if any(x.denominator != 1 for x in scaled):
                continue
            target = [int(x) for x in scaled]
        else:
            target = [generator.randint(-3, 3) for _ in range(rows)]
        exact = automatic._solve(columns, target)
        modular = automatic._solve_modulo(columns, target)
        if isinstance(exact, list):
            assert modular == [c.numerator * pow(c.denominator, -1, automatic.PRIME) % automatic.PRIME for c in exact]
        else:
            assert modular == exact

"""Superseeker-style transforms (``domains/sequences/transforms``): the Euler, INVERT, exponential and
Stirling transforms and their inverses, and the ``series_transform`` family built on them. The example
sequences are computed here by independent counting (coin-change tables, the Bell triangle), never by
the module under test."""

from __future__ import annotations

import random

from mathteam.domains.sequences import transforms
from mathteam.domains.sequences.check import holds
from mathteam.domains.sequences.families import evaluate, guess_all, guess_series_transform
from mathteam.domains.sequences.guess import MARGIN, NoGuess


def partitions_into(parts, count: int) -> list[int]:
    """Partitions of n = 0..count-1 into parts from ``parts`` (each usable any number of times)."""
    ways = [1] + [0] * (count - 1)
    for part in parts:
        for total in range(part, count):
            ways[total] += ways[total - part]
    return ways


def distinct_partitions(count: int) -> list[int]:
    ways = [1] + [0] * (count - 1)
    for part in range(1, count):
        for total in range(count - 1, part - 1, -1):
            ways[total] += ways[total - part]
    return ways


def bell(count: int) -> list[int]:
    row, values = [1], [1]
    while len(values) < count:
        nxt = [row[-1]]
        for value in row:
            nxt.append(nxt[-1] + value)
        row = nxt
        values.append(row[0])
    return values


def compositions_into(parts: set[int], count: int) -> list[int]:
    ways = [1] + [0] * (count - 1)
    for total in range(1, count):
        ways[total] = sum(ways[total - part] for part in parts if part <= total)
    return ways


def test_each_inverse_undoes_its_transform_on_random_integer_sequences():
    rng = random.Random(17)
    for _ in range(20):
        c = [rng.randint(-3, 5) for _ in range(15)]
        assert transforms.euler_inverse(transforms.euler_forward(c, 16)) == c
        assert transforms.invert_inverse(transforms.invert_forward(c, 16)) == c
        assert transforms.exponential_inverse(transforms.exponential_forward(c, 16)) == c
        assert transforms.stirling_inverse(transforms.stirling_forward(c, 15)) == c


def test_the_inverse_transforms_read_off_the_kind_of_parts():
    assert transforms.euler_inverse(partitions_into(range(1, 30), 30)) == [1] * 29
    cubes = {m**3 for m in range(1, 4)}
    assert transforms.euler_inverse(partitions_into(sorted(cubes), 30)) == [int(k in cubes) for k in range(1, 30)]
    assert transforms.invert_inverse(compositions_into({1, 3, 4}, 20)) == [int(k in (1, 3, 4)) for k in range(1, 20)]
    assert transforms.exponential_inverse(bell(20)) == [1] * 19
    # The constant reading needs a(offset) = 1; the shifted reading puts a 1 in front instead.
    assert transforms.inner_terms("euler", "constant", [2, 3, 5, 7, 11, 13]) is None
    # 1, 1, 1, 2, 3, 5, 8: compositions into odd parts.
    assert transforms.inner_terms("invert", "shifted", [1, 1, 2, 3, 5, 8]) == [1, 0, 1, 0, 1, 0]


def stated(terms: list[int]) -> list:
    return [g for g in guess_all(terms) if not isinstance(g, NoGuess)]


def test_partitions_into_cubes_are_found_as_an_euler_transform_and_hold_beyond_the_data():
    terms = partitions_into([m**3 for m in range(1, 5)], 40)
    guesses = stated(terms[:24])
    found = [g for g in guesses if getattr(g, "family", None) == "series_transform"]
    assert found, guesses
    description = found[0]
    assert "Euler transform" in description.statement and "cube" in description.statement
    assert description.spec["transform"] == "euler"
    assert evaluate(description, 40) == terms
    assert description.confirmed_by >= description.parameters + MARGIN
    assert f"fitted on the first {description.fitted_on} terms, confirmed by the next " \
           f"{description.confirmed_by}" in description.support()
    assert all(holds(g, terms) for g in guesses)


def test_distinct_parts_and_bell_numbers_and_compositions_into_primes():
    # Distinct parts: prod (1 + x^k) = prod (1 - x^k)^(-c(k)) with c the indicator of odd k.
    distinct = distinct_partitions(40)
    found = [g for g in stated(distinct[:24]) if getattr(g, "family", None) == "series_transform"]
    assert found and evaluate(found[0], 40) == distinct
    numbers = bell(40)
    found = [g for g in stated(numbers[:24]) if getattr(g, "family", None) == "series_transform"]
    assert found and found[0].spec["transform"] == "exponential" and evaluate(found[0], 40) == numbers
    primes = compositions_into({2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37}, 40)
    found = [g for g in stated(primes[:24]) if getattr(g, "family", None) == "series_transform"]
    assert found and found[0].spec["transform"] == "invert" and evaluate(found[0], 40) == primes


def test_too_few_terms_state_nothing_through_a_transform():
    terms = partitions_into([m**3 for m in range(1, 5)], 12)
    assert guess_series_transform(terms) is None

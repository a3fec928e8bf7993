"""The ETP's numbered laws, their canonical forms up to symmetry, and law specs."""

from __future__ import annotations

import itertools

import pytest

from mathteam.domains.magma.laws import (
    ETP_ORDER4_COUNT,
    LawSpecError,
    NamedLaw,
    canonical_form,
    canonical_key,
    enumerate_laws,
    etp_law,
    etp_number,
    parse_law_spec,
)
from mathteam.domains.magma.terms import Law, parse_law

def test_order4_enumeration_reproduces_the_published_etp_list(etp_lines):
    published = etp_lines
    laws = enumerate_laws(4)
    assert len(laws) == len(published) == ETP_ORDER4_COUNT
    for number, (law, (label, text)) in enumerate(zip(laws, published), start=1):
        assert label == f"Equation{number}"
        assert str(law) == text, label


def test_first_laws_are_the_familiar_ones():
    laws = enumerate_laws(2)
    assert [str(law) for law in laws[:7]] == [
        "x = x", "x = y", "x = x ◇ x", "x = x ◇ y", "x = y ◇ x", "x = y ◇ y", "x = y ◇ z",
    ]
    assert str(laws[42]) == "x ◇ y = y ◇ x"
    assert len(laws) == 46


def test_shapes_of_three_operations_come_left_smallest_first():
    one_variable = [str(law) for law in enumerate_laws(3) if law.variable_count == 1 and law.order == 3]
    assert one_variable[:5] == [
        "x = x ◇ (x ◇ (x ◇ x))",
        "x = x ◇ ((x ◇ x) ◇ x)",
        "x = (x ◇ x) ◇ (x ◇ x)",
        "x = (x ◇ (x ◇ x)) ◇ x",
        "x = ((x ◇ x) ◇ x) ◇ x",
    ]


def test_order5_extends_order4_without_duplicates_up_to_symmetry():
    order4, order5 = enumerate_laws(4), enumerate_laws(5)
    assert order5[: len(order4)] == order4
    assert len(order5) > len(order4)
    keys = [canonical_key(law) for law in order5]
    assert len(set(keys)) == len(keys)
    assert all(law == Law.of(law.lhs, law.rhs) for law in order5)
    assert all(law.order <= 5 for law in order5) and order5[-1].order == 5


def _trees(ops: int) -> list:
    if ops == 0:
        return [None]
    return [(a, b) for i in range(ops) for a in _trees(i) for b in _trees(ops - 1 - i)]


def _label(tree, names):
    if tree is None:
        return next(names)
    left = _label(tree[0], names)
    return (left, _label(tree[1], names))


def test_enumeration_covers_every_nontrivial_law_up_to_order3_exactly_once():
    # Independently: every pair of trees, every labelling by up to 5 variables, folded by symmetry.
    expected = set()
    for total in range(4):
        for k in range(total + 1):
            for lhs_tree, rhs_tree in itertools.product(_trees(k), _trees(total - k)):
                leaf_count = total + 2
                for labels in itertools.product(range(leaf_count), repeat=leaf_count):
                    names = iter(labels)
                    lhs = _label(lhs_tree, names)
                    rhs = _label(rhs_tree, names)
                    if lhs != rhs or total == 0:
                        expected.add(canonical_key(Law.of(lhs, rhs)))
    assert {canonical_key(law) for law in enumerate_laws(3)} == expected
    assert len(enumerate_laws(3)) == len(expected)


def test_etp_number_is_found_up_to_renaming_and_swapping_sides():
    assert etp_number(parse_law("x ◇ y = y ◇ x")) == 43
    assert etp_number(parse_law("a * b = b * a")) == 43
    assert etp_number(parse_law("x * (y * z) = (x * y) * z")) == 4512
    assert etp_number(parse_law("(b * c) * d = b * (c * d)")) == 4512
    assert etp_number(parse_law("x * y = x")) == 4
    assert etp_number(parse_law("x = x")) == 1
    assert etp_number(parse_law("x = x * (y * (z * (w * (u * v))))")) is None


def test_canonical_form_identifies_a_law_with_its_mirror():
    law = parse_law("x * y = x")
    assert canonical_form(law) == canonical_form(law.swapped())
    assert canonical_form(law) in (law, law.swapped())


def test_etp_law_numbers_from_one():
    assert str(etp_law(1)) == "x = x"
    assert str(etp_law(43)) == "x ◇ y = y ◇ x"
    with pytest.raises(IndexError):
        etp_law(0)


def test_spec_ranges_and_lists_expand_to_numbered_equations():
    laws = parse_law_spec("etp:1-10,43,46")
    assert [entry.name for entry in laws] == [f"Equation{n}" for n in [*range(1, 11), 43, 46]]
    assert [entry.etp_number for entry in laws] == [*range(1, 11), 43, 46]
    assert laws[-2] == NamedLaw("Equation43", parse_law("x * y = y * x"), 43)
    assert len(parse_law_spec("etp:1-46")) == 46
    assert parse_law_spec(["etp:4"])[0].law == parse_law("x = x ◇ y")


def _independent_law_count(order: int) -> int:
    """Laws with ``order`` operations up to renaming variables and swapping sides, trivial ones left
    out (except x = x at order 0), counted by brute force with this test's own normal form."""

    def trees(ops: int):
        if ops == 0:
            yield "v"
            return
        for left in range(ops):
            for l_tree in trees(left):
                for r_tree in trees(ops - 1 - left):
                    yield ("op", l_tree, r_tree)

    def fill(tree, names):
        if tree == "v":
            return next(names)
        return ("op", fill(tree[1], names), fill(tree[2], names))

    def leaves(term):
        return [term] if isinstance(term, int) else leaves(term[1]) + leaves(term[2])

    def rename(term, mapping):
        return mapping[term] if isinstance(term, int) else ("op", rename(term[1], mapping), rename(term[2], mapping))

    def namings(slots: int, prefix: tuple[int, ...] = ()):
        if len(prefix) == slots:
            yield prefix
            return
        for value in range(max(prefix, default=-1) + 2):
            yield from namings(slots, prefix + (value,))

    def normal(lhs, rhs):
        forms = []
        for a, b in ((lhs, rhs), (rhs, lhs)):
            mapping: dict[int, int] = {}
            for leaf in leaves(a) + leaves(b):
                mapping.setdefault(leaf, len(mapping))
            forms.append(repr((rename(a, mapping), rename(b, mapping))))
        return min(forms)

    seen = set()
    for left_ops in range(order + 1):
        for lhs_tree in trees(left_ops):
            for rhs_tree in trees(order - left_ops):
                # Every naming of the leaves in first-occurrence order (others are renamings of these).
                for names in namings(order + 2):
                    it = iter(names)
                    lhs, rhs = fill(lhs_tree, it), fill(rhs_tree, it)
                    if lhs == rhs and order > 0:
                        continue
                    seen.add(normal(lhs, rhs))
    return len(seen)


def test_order5_has_57882_laws_and_numbering_continues_past_4694():
    """The issue's figures (the ETP's order-5 extension): 57,882 laws of order exactly 5, 62,576 of
    order at most 5, numbered on from Equation4695; an independent brute-force count agrees."""
    order5 = enumerate_laws(5)
    by_order = [sum(1 for law in order5 if law.order == n) for n in range(6)]
    assert by_order == [2, 5, 39, 364, 4284, 57882]
    assert len(order5) == 62576
    assert all(law.order == 5 for law in order5[ETP_ORDER4_COUNT:])
    assert etp_law(4695) == order5[4694] and etp_law(62576) == order5[-1]
    assert etp_number(order5[6693], max_order=5) == 6694
    with pytest.raises(IndexError):
        etp_law(62577)
    assert [_independent_law_count(n) for n in range(4)] == by_order[:4]


@pytest.mark.slow
def test_an_independent_count_of_order5_laws_gives_57882():
    assert _independent_law_count(5) == 57882


def test_spec_accepts_order5_numbers_beyond_the_published_list():
    (entry,) = parse_law_spec("etp:4695")
    assert entry.law.order == 5 and entry.etp_number == 4695
    assert parse_law_spec([str(entry.law)])[0].name == "Equation4695"


def test_spec_names_plain_laws_by_user_name_etp_number_or_position():
    laws = parse_law_spec([
        "Comm: x * y = y * x",
        "x = (y ◇ x) ◇ y",
        "x = x * (x * (x * (x * (x * (x * y)))))",
        "L1: x = x * (y * (y * (y * (y * (y * y)))))",
        "x = y * (x * (x * (x * (x * (x * x)))))",
    ])
    assert [entry.name for entry in laws] == ["Comm", "Equation29", "L2", "L1", "L3"]
    assert laws[0].etp_number == 43
    assert laws[2].etp_number is None


def test_spec_drops_repeats_of_a_law_keeping_the_first():
    laws = parse_law_spec(["etp:43", "Commutative: b * a = a * b", "etp:4", "x ◇ y = x"])
    assert [entry.name for entry in laws] == ["Equation43", "Equation4"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("etp:0", "etp:0 is out of range 1–"),
        ("etp:5-3", "etp:5-3: empty range"),
        ("etp:1-10,999999", "etp:999999 is out of range 1–"),
        ("etp:ten", "etp:ten: expected a number"),
        ("x = (y", "'x = (y': expected ')', found end of text"),
        ("Comm: x * y =", "'Comm: x * y =': expected a variable or '('"),
        ("my law: x = y", "law name 'my law' must be a single word"),
        ("xy = yx", "'xy = yx': juxtaposition is not read as the operation (write x ◇ y) and variables are one "
                    "letter (x, y1, z'): cannot read 'xy' at character 1"),
        ("Assoc: x(yz) = (xy)z", "cannot read 'yz'"),
        ("x y = y x", "write ◇ (or *) between the two terms side by side before 'y' at character 3"),
        ("(x * y) z = x", "side by side before 'z'"),
        ("foo * x = x", "variables are one letter"),
        (["A: x = y", "A: x = x"], "the name A is given to two different laws"),
        ([], "the law spec is empty"),
        (["   "], "expected a law or an etp: item"),
    ],
)
def test_bad_spec_items_are_reported_by_name(spec, message):
    with pytest.raises(LawSpecError) as caught:
        parse_law_spec(spec)
    assert message in str(caught.value)


def test_variables_with_digits_and_primes_are_still_single_variables():
    from mathteam.domains.magma.terms import parse_law

    assert str(parse_law("x1 * y' = y' * x1")) == "x ◇ y = y ◇ x"
    assert str(parse_law("x_1 * (x_2 * x_3) = (x_1 * x_2) * x_3")) == "x ◇ (y ◇ z) = (x ◇ y) ◇ z"

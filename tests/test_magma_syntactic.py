"""Prover-free proofs: substitution instances, reflexivity and singleton hypotheses, each re-checked."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mathteam.domains.magma.finite import all_magmas, refutations, satisfaction_matrix
from mathteam.domains.magma.laws import enumerate_laws
from mathteam.domains.magma.syntactic import (
    Reflexivity,
    SingletonHypothesis,
    Substitution,
    check_certificate,
    check_instance,
    check_reflexivity,
    check_singleton,
    instance_proof,
    reflexivity_proof,
    singleton_proof,
    syntactic_proof,
)
from mathteam.domains.magma.terms import Law, parse_law, substitute

COMMUTATIVE = parse_law("x ◇ y = y ◇ x")


def test_an_instance_of_commutativity_is_proved_and_checked():
    conclusion = parse_law("(x ◇ y) ◇ z = z ◇ (x ◇ y)")
    certificate = instance_proof(COMMUTATIVE, conclusion)
    assert certificate is not None and not certificate.swapped
    assert dict(certificate.mapping) == {0: (0, 1), 1: 2}
    assert check_instance(COMMUTATIVE, conclusion, certificate)


def test_an_instance_with_the_sides_swapped_is_found():
    hypothesis, conclusion = parse_law("x = x ◇ y"), parse_law("x ◇ x = x")
    certificate = instance_proof(hypothesis, conclusion)
    assert certificate == Substitution(((0, 0), (1, 0)), swapped=True)
    assert check_instance(hypothesis, conclusion, certificate)


def test_a_law_that_is_no_instance_gets_no_certificate():
    associative = parse_law("x ◇ (y ◇ z) = (x ◇ y) ◇ z")
    assert instance_proof(COMMUTATIVE, associative) is None
    assert instance_proof(parse_law("x = x ◇ y"), parse_law("x = y ◇ x")) is None
    # Matching must bind a variable consistently: x ◇ x = y does not match x ◇ y = z.
    assert instance_proof(parse_law("x ◇ x = y"), parse_law("x ◇ y = z")) is None


def test_random_substitution_instances_are_recognised():
    rng = np.random.default_rng(11)
    laws = enumerate_laws(2)
    pieces = [0, 1, 2, (0, 1), (1, 0), ((0, 2), 1), (2, (2, 0))]
    for _ in range(200):
        hypothesis = laws[rng.integers(len(laws))]
        sigma = {v: pieces[rng.integers(len(pieces))] for v in range(hypothesis.variable_count)}
        conclusion = Law.of(substitute(hypothesis.lhs, sigma), substitute(hypothesis.rhs, sigma))
        if rng.random() < 0.5:
            conclusion = conclusion.swapped()
        certificate = instance_proof(hypothesis, conclusion)
        assert certificate is not None, (hypothesis, conclusion)
        assert check_instance(hypothesis, conclusion, certificate)


def test_a_tampered_substitution_is_rejected():
    conclusion = parse_law("(x ◇ y) ◇ z = z ◇ (x ◇ y)")
    good = instance_proof(COMMUTATIVE, conclusion)
    assert good is not None
    for bad in [
        dataclasses.replace(good, swapped=True),
        Substitution(((0, (1, 0)), (1, 2))),
        Substitution(((0, (0, 1)),)),
        Substitution(((0, (0, 1)), (1, 2), (1, 0))),
    ]:
        assert not check_instance(COMMUTATIVE, conclusion, bad)
        assert not check_certificate(COMMUTATIVE, conclusion, bad)


def test_only_identical_sides_are_proved_by_reflexivity():
    assert reflexivity_proof(parse_law("x = x")) == Reflexivity()
    assert reflexivity_proof(COMMUTATIVE) is None
    assert check_reflexivity(parse_law("x = x"), Reflexivity())
    assert not check_reflexivity(COMMUTATIVE, Reflexivity())
    assert not check_certificate(parse_law("x = x ◇ y"), COMMUTATIVE, Reflexivity())


@pytest.mark.parametrize(
    ("text", "certificate"),
    [
        ("x = y", SingletonHypothesis(0, "lhs")),
        ("x = y ◇ z", SingletonHypothesis(0, "lhs")),
        ("x = (y ◇ y) ◇ z", SingletonHypothesis(0, "lhs")),
        ("x ◇ y = z", SingletonHypothesis(2, "rhs")),
        ("x = x ◇ y", None),
        ("x ◇ y = y ◇ x", None),
    ],
)
def test_singleton_hypotheses_are_recognised(text, certificate):
    law = parse_law(text)
    assert singleton_proof(law) == certificate
    if certificate is not None:
        assert check_singleton(law, certificate)
        assert check_certificate(law, COMMUTATIVE, certificate)


def test_a_wrong_singleton_certificate_is_rejected():
    law = parse_law("x ◇ y = z")
    assert not check_singleton(law, SingletonHypothesis(2, "lhs"))
    assert not check_singleton(law, SingletonHypothesis(0, "rhs"))
    assert not check_singleton(parse_law("x = x ◇ y"), SingletonHypothesis(0, "lhs"))
    assert not check_singleton(law, SingletonHypothesis(2, "middle"))  # type: ignore[arg-type]


def test_certificates_for_the_first_46_laws_are_checked_and_never_refuted_by_small_magmas():
    laws = enumerate_laws(2)
    sat = np.concatenate([satisfaction_matrix(all_magmas(n), laws) for n in (1, 2, 3)], axis=1)
    refuted = refutations(sat) >= 0
    proved = 0
    kinds = set()
    for i, hypothesis in enumerate(laws):
        for j, conclusion in enumerate(laws):
            certificate = syntactic_proof(hypothesis, conclusion)
            if certificate is None:
                continue
            proved += 1
            kinds.add(type(certificate))
            assert check_certificate(hypothesis, conclusion, certificate), (i + 1, j + 1)
            assert not refuted[i, j], (i + 1, j + 1, certificate)
    assert kinds == {Reflexivity, SingletonHypothesis, Substitution}
    assert proved > 46 * 3 and refuted.sum() > 1000

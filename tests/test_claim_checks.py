"""The checkers of a free-form claim's forms: Python predicates in the sandbox, sympy identities, SMT-LIB via z3."""

from __future__ import annotations

import pytest

from mathteam.domains.freeform.identity import IdentityError, check_identity as identity_in_process, parse_identity
from mathteam.domains.freeform.smt import SmtError, evaluate, negation_script, parse_sexpr
from mathteam.tools.claim_checks import check_identity, check_predicate, check_smt, hunt_counterexample
from mathteam.tools.sandbox import Limits, run_python

EULER = ("from sympy import isprime\ndef holds(n):\n    return isprime(n * n + n + 41)\n"
         "def domain(n):\n    return n >= 0\n")
# The CPU and output limits stop the hostile predicates; the wall clock is only a backstop, wide enough
# that a loaded machine's slow sandbox start never reads as a stopped predicate.
FAST = Limits(cpu_seconds=5, wall_seconds=120, memory_mb=512, output_bytes=20_000)


def recording_runner(runs: list):
    def run(code, inputs, limits):
        result = run_python(code, inputs, limits)
        runs.append((inputs, result))
        return result
    return run


def test_a_failing_instance_refutes_after_a_second_separate_run_on_it_alone():
    runs: list = []
    verdict = check_predicate(EULER, "range(0, 1000)", run=recording_runner(runs))
    assert verdict.verdict == "refuted"
    assert verdict.payload["counterexample"] == "40" and verdict.payload["index"] == 40
    assert "confirmed by a separate sandbox run" in verdict.detail
    assert len(runs) == 2
    assert runs[1][0]["instance"] == "40" and runs[1][1].outcome.result == {"value": False, "type": "bool"}


def test_every_instance_holding_is_checked_never_proved():
    verdict = check_predicate(EULER, "range(0, 40)")
    assert verdict.verdict == "checked"
    assert verdict.detail == "holds for all 40 instances tried (the instances range(0, 40))"
    assert verdict.payload["tried"] == 40


@pytest.mark.parametrize("python, expected", [
    ("def holds(n):\n    while True:\n        pass\n", "the sandbox stopped it"),
    ("def holds(n):\n    raise ValueError('boom')\n", "the predicate failed: ValueError: boom"),
    ("def holds(n):\n    return 1\n", "returned int, not bool"),
    ("def holds(n):\n    print('x' * 100000)\n    return True\n", "the sandbox stopped it (output"),
    ("def check(n):\n    return True\n", "defines no function holds(x)"),
])
def test_hostile_predicates_give_no_verdict_and_say_why(python, expected):
    verdict = check_predicate(python, "range(3)", limits=FAST)
    assert verdict.verdict == "none"
    assert expected in verdict.detail


def test_a_predicate_that_fails_only_the_first_time_is_not_refuted():
    # The harness sees False; the confirmation run (a fresh process) sees True: nothing is concluded.
    python = "import os\ndef holds(n):\n    return n != 2 or os.environ.get('CONFIRM') is not None\n"
    runs: list = []

    def flaky(code, inputs, limits):
        if "instance" in inputs:  # the confirmation: pretend the environment differs
            code = "import os\nos.environ['CONFIRM'] = '1'\n" + code
        return recording_runner(runs)(code, inputs, limits)

    verdict = check_predicate(python, "range(5)", run=flaky)
    assert verdict.verdict == "none" and "a second evaluation" in verdict.detail


def test_the_hunt_finds_a_counterexample_beyond_the_instances_and_states_its_bounds():
    verdict = hunt_counterexample(EULER, "range(0, 40)", seconds=5)
    assert verdict.verdict == "refuted"
    assert verdict.payload["counterexample"] == "40"
    assert verdict.payload["source"] == "edge case"  # 40 = high + 1


def test_the_hunt_tries_data_from_the_memory_first():
    verdict = hunt_counterexample(EULER, "range(0, 10)", seconds=5, seeds=[41, 3])
    assert verdict.verdict == "refuted" and verdict.payload["source"] == "data in the memory"


def test_the_hunt_keeps_to_the_claims_domain():
    # Every candidate outside domain(x) is left out: the even numbers from 4 are Goldbach's domain.
    python = ("def holds(n):\n    return n % 2 == 0 and n >= 4\n"
              "def domain(n):\n    return n % 2 == 0 and n >= 4\n")
    verdict = hunt_counterexample(python, "range(4, 100, 2)", seconds=3)
    assert verdict.verdict == "checked", verdict.detail
    assert "in domain(x)" in verdict.detail and verdict.payload["hunt"]["outside_domain"] > 0


def test_a_hunt_stops_inside_a_slow_holds_at_its_deadline_and_keeps_what_it_tried():
    # holds(x) never returns for large x: the hunt must stop it at the deadline and report the values
    # it did try, not run on into the sandbox's CPU limit (seconds + 20) and lose the verdict.
    python = ("def holds(n):\n    while n > 10 ** 6:\n        pass\n    return True\n"
              "def domain(n):\n    return n >= 0\n")
    verdict = hunt_counterexample(python, "range(0, 50)", seconds=1)
    assert verdict.verdict == "checked", verdict.detail
    assert "stopped at the time limit" in verdict.detail and verdict.payload["tried"] > 1000


def test_without_a_domain_there_is_no_hunt_beyond_the_instances():
    verdict = hunt_counterexample("def holds(n):\n    return n < 40\n", "range(0, 40)", seconds=3)
    assert verdict.verdict == "none" and "defines no domain(x)" in verdict.detail


def test_sum_of_cubes_is_proved_by_the_named_exact_method():
    verdict = check_identity("Eq(Sum(k**3, (k, 1, n)), (n*(n + 1)/2)**2)")
    assert verdict.verdict == "proved", verdict.detail
    assert "cancel(lhs - rhs) == 0" in verdict.detail and verdict.checker.startswith("sympy ")
    assert len(verdict.payload["points_agreeing"]) >= 10


def test_a_false_identity_is_refuted_at_a_point():
    verdict = check_identity("Eq(Sum(k**2, (k, 1, n)), n**3/3)")
    assert verdict.verdict == "refuted"
    assert verdict.payload["point"] == {"n": 1} and verdict.payload["lhs"] == "1"


def test_an_identity_outside_the_exact_method_gets_no_verdict():
    verdict = check_identity("Eq(sin(n)**2 + cos(n)**2, 1)")
    assert verdict.verdict == "none" and "no exact proof" in verdict.detail


@pytest.mark.parametrize("text", [
    "__import__('os').system('true')",
    "Eq(n.__class__, n)",
    "Eq(factorial(10**100), 1)",
    "Eq(factorial(123456789), 1)",
    "Eq('a', n)",
    "Eq(lambda: 1, n)",
])
def test_hostile_sympy_text_does_not_parse(text):
    with pytest.raises(IdentityError):
        parse_identity(text)
    assert identity_in_process(text)["verdict"] == "none"


def test_am_gm_for_integers_is_proved_by_z3_with_its_version():
    verdict = check_smt("(forall ((a Int) (b Int)) (>= (+ (* a a) (* b b)) (* 2 a b)))")
    assert verdict.verdict == "proved" and verdict.checker.startswith("z3 ")
    assert "unsatisfiable" in verdict.detail


def test_a_z3_model_refutes_only_after_python_re_evaluates_it():
    verdict = check_smt("(forall ((n Int)) (=> (> n 0) (> (* n n) (+ n 5))))")
    assert verdict.verdict == "refuted"
    n = int(verdict.payload["model"]["n"])
    assert n > 0 and not n * n > n + 5


def test_unknown_and_unreadable_smt_give_no_verdict():
    assert check_smt("(forall ((a Int)) (>= a").verdict == "none"
    assert check_smt("(forall ((x Int)) (exists ((y Int)) (= (* y y y) x)))", seconds=1).verdict in ("none", "refuted")
    assert check_smt("(forall ((a Int)) (foo a))").verdict == "none"


def test_smt_evaluation_follows_smt_lib_division():
    assert evaluate(parse_sexpr("(mod (- 7) 2)"), {}) == 1
    assert evaluate(parse_sexpr("(div 7 (- 2))"), {}) == -3
    assert evaluate(parse_sexpr("(=> (> x 1) (> (* x x) x))"), {"x": 3}) is True
    with pytest.raises(SmtError):
        negation_script("(forall ((a Set)) true)")

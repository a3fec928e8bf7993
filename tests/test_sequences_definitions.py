"""Brute-force definitions compute the known terms, in-process and through the sandbox."""

from __future__ import annotations

from mathteam.domains.sequences.definitions import BY_NAME, CLASSICAL, terms_program
from mathteam.domains.sequences.guess import Recurrence, guess_recurrence
from mathteam.tools.sandbox import Completed, Limits, run_python

KNOWN = {
    "no_11": [1, 2, 3, 5, 8, 13, 21, 34, 55],
    "dyck": [1, 1, 2, 5, 14, 42, 132, 429, 1430],
    "motzkin": [1, 1, 2, 4, 9, 21, 51, 127, 323],
    "central_binomial": [1, 2, 6, 20, 70, 252, 924, 3432, 12870],
    "bell": [1, 1, 2, 5, 15, 52, 203, 877, 4140],
    "subsets": [1, 2, 4, 8, 16, 32, 64, 128, 256],
    "triangular": [0, 1, 3, 6, 10, 15, 21, 28, 36],
}


def computed(name: str, count: int) -> list[int]:
    namespace: dict = {}
    exec(BY_NAME[name].code, namespace)  # noqa: S102 - our own definitions, the sandbox is tested elsewhere
    return [namespace["a"](i) for i in range(count)]


def test_every_definition_counts_the_known_first_terms():
    assert {d.name for d in CLASSICAL} == set(KNOWN)
    for name, expected in KNOWN.items():
        assert computed(name, len(expected)) == expected, name


def test_dyck_paths_computed_in_the_sandbox_give_the_catalan_recurrence():
    run = run_python(terms_program(BY_NAME["dyck"]), limits=Limits(cpu_seconds=20, wall_seconds=40))
    assert isinstance(run.outcome, Completed)
    assert run.outcome.result[:6] == [1, 1, 2, 5, 14, 42] and len(run.outcome.result) == 12
    rec = guess_recurrence(run.outcome.result)
    assert isinstance(rec, Recurrence) and rec.equation == "(n + 2)*a(n + 1) = (4*n + 2)*a(n)"


def test_motzkin_paths_computed_in_the_sandbox_give_an_order_two_recurrence():
    run = run_python(terms_program(BY_NAME["motzkin"]), limits=Limits(cpu_seconds=20, wall_seconds=40))
    assert isinstance(run.outcome, Completed)
    rec = guess_recurrence(run.outcome.result)
    assert isinstance(rec, Recurrence)
    assert rec.equation == "(n + 4)*a(n + 2) = (2*n + 5)*a(n + 1) + (3*n + 3)*a(n)"

"""The pieces under the sequences team: relations between sequences, stored sandbox runs, Lean text."""

from __future__ import annotations

from mathteam.agents.code_runs import ProjectRunCache, run_and_record
from mathteam.domains.sequences.guess import ClosedForm, guess_recurrence
from mathteam.domains.sequences.lean import closed_form_statement, recurrence_function
from mathteam.domains.sequences.relations import find_relations
from mathteam.memory import Actor, Memory
from mathteam.tools.sandbox import LimitHit, Limits, run_python
from mathteam.tools.sandbox_cache import run_cache_key

ACTOR = Actor.role("example_generator", tool="python sandbox")


def statements(sequences) -> set[str]:
    return {relation.statement for relation in find_relations(sequences)}


def test_equal_shifted_multiple_and_affine_relations_are_found_once():
    sequences = {
        "subsets": (0, [2**i for i in range(14)]),
        "mersenne": (0, [2**i - 1 for i in range(14)]),
        "thrice": (0, [3 * 2**i for i in range(12)]),
        "triangular": (0, [i * (i + 1) // 2 for i in range(14)]),
        "triangular_from_1": (1, [i * (i + 1) // 2 for i in range(1, 15)]),
        "sum": (0, [2**i + i * (i + 1) // 2 for i in range(14)]),
        "fibonacci": (0, [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233]),
        "no_11": (0, [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233]),
    }
    assert statements(sequences) == {
        "triangular(n) = triangular_from_1(n) for every n >= 1",
        "no_11(n) = fibonacci(n + 2) for every n >= 0",
        "subsets(n) = (1/3)*thrice(n) for every n >= 0",
        "subsets(n) = mersenne(n) + 1 for every n >= 0",
        "subsets(n) = -triangular(n) + sum(n) for every n >= 0",
    }  # mersenne = thrice/3 - 1 follows from two of these and is not proposed


def test_unrelated_sequences_and_too_few_common_terms_give_no_relation():
    assert statements({"subsets": (0, [2**i for i in range(14)]),
                       "triangular": (0, [i * (i + 1) // 2 for i in range(14)]),
                       "bell": (0, [1, 1, 2, 5, 15, 52, 203, 877, 4140, 21147, 115975, 678570])}) == set()
    assert statements({"a": (0, [1, 2, 3, 4, 5]), "b": (0, [1, 2, 3, 4, 5])}) == set()


def test_a_relation_failing_on_a_held_out_term_is_not_proposed():
    almost = [2**i - 1 for i in range(14)]
    almost[-1] += 1
    assert statements({"subsets": (0, [2**i for i in range(14)]), "almost": (0, almost)}) == set()


def test_runs_are_stored_in_the_memory_and_answered_from_it():
    with Memory.open(":memory:") as memory:
        key, first = run_and_record(memory, "emit(inputs * 2)", 21, Limits(), ACTOR)
        _, again = run_and_record(memory, "emit(inputs * 2)", 21, Limits(), ACTOR)
        assert first.outcome.result == again.outcome.result == 42
        assert not first.cached and again.cached
        [row] = memory.computations()
        assert row["key"] == key == run_cache_key("emit(inputs * 2)", 21, Limits())
        assert row["inputs"] == 21 and row["outcome"] == "completed" and row["limit_hit"] is None
        assert "sandbox run reused" in [e.action for e in memory.events()]


def test_a_wall_clock_stop_is_kept_as_evidence_but_never_reused():
    limits = Limits(wall_seconds=0.5, cpu_seconds=5)
    with Memory.open(":memory:") as memory:
        key, run = run_and_record(memory, "import time\ntime.sleep(30)", None, limits, ACTOR)
        assert isinstance(run.outcome, LimitHit) and run.outcome.limit == "wall_clock"
        assert [r["limit_hit"] for r in memory.computations()] == ["wall_clock"]
        assert ProjectRunCache(memory, ACTOR).get(key) is None
        cache = ProjectRunCache(memory, ACTOR)
        done = run_python("emit(1)", None, Limits(), cache=cache)
        assert cache.get(run_cache_key("emit(1)", None, Limits())) == done


def test_lean_recurrence_function_shifts_an_offset_and_gives_the_undetermined_values():
    terms = [i * (i + 1) // 2 for i in range(1, 13)]  # triangular numbers from n = 1
    recurrence = guess_recurrence(terms, offset=1)
    assert recurrence.equation == "n*a(n + 1) = (n + 2)*a(n)"
    text = recurrence_function("tri", recurrence, terms)
    assert text == ("def tri : Nat → Int\n  | 0 => 1\n"
                    "  | m + 1 => (((m : Int) + 3) * tri m) / ((m : Int) + 1)\n")
    closed = ClosedForm(expression="n*(n + 1)/2", family="polynomial", fitted_on=3, checked_on=12)
    statement = closed_form_statement("tri", closed, 1, 12)
    assert "∀ m : Nat, 2 * tri m = ((m : Int) + 1) * ((m : Int) + 2)" in statement
    assert "m < 12 →" in statement and "decide" in statement


def test_approval_of_one_program_does_not_clear_another_for_the_same_task(write_project):
    from types import SimpleNamespace

    from mathteam.agents.code_runs import request_code_run
    from mathteam.memory import Task
    from mathteam.project import load_project

    path = write_project('[project]\nname = "gate"\ngoal = "g"\n[domain]\nkind = "sequences"\n'
                         '[[domain.sequences]]\nname = "s"\nterms = [1, 2, 3, 4]\n'
                         '[approval]\ngates = ["run_code"]\npolicy = { run_code = "auto" }\n')
    context = SimpleNamespace(project=load_project(path), approve_all=False)
    task = Task(id="terms:s:model", kind="sequence_terms", role="example_generator", title="t")
    with Memory.open(":memory:") as memory:
        assert request_code_run(memory, context, task, "emit(1)")  # approved at once, not yet applied
        assert not request_code_run(memory, context, task, "emit(2)")
        assert request_code_run(memory, context, task, "emit(1)")


def test_code_that_raises_at_term_7_keeps_terms_0_to_6_and_says_where_it_stopped():
    from mathteam.agents.sequences.terms import read_terms, terms_program
    code = "def a(n):\n    if n == 7:\n        raise ValueError('no term 7')\n    return n * n\n"
    run = run_python(terms_program(code), {"offset": 0, "count": 10}, Limits())
    terms, outputs = read_terms(run, 10, 0)
    assert terms == [i * i for i in range(7)]
    assert outputs["result"] == "failed" and outputs["stopped_at"] == 7
    assert outputs["detail"].startswith("stopped at n = 7: ValueError: no term 7")
    assert "7 of 10 terms were computed before" in outputs["detail"]


def test_the_plot_draws_a_zero_term_on_a_symmetric_log_axis_not_a_log_axis(tmp_path):
    from mathteam.agents.sequences.report import axis_scale, plot_terms, plotted_points
    with_zero = {"triangular": (0, [i * (i + 1) // 2 for i in range(10)]), "powers": (0, [2**i for i in range(10)])}
    assert axis_scale(with_zero) == "symlog"
    assert plotted_points(with_zero)["triangular"][0] == (0, 0)  # a(0) = 0 is drawn, not dropped
    assert axis_scale({"powers": (0, [2**i for i in range(10)])}) == "log"
    assert axis_scale({"signs": (1, [-1, 1, -1, 1])}) == "symlog"
    path = plot_terms(with_zero, tmp_path / "plot.png")
    assert path is not None and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

"""Shared z3 plumbing: magma terms as z3 terms, and a solver check that a deadline or Ctrl-C can stop."""

from __future__ import annotations

import threading
from collections.abc import Callable

import z3

from ..domains.magma.terms import Term

Z3_VERSION = z3.get_version_string()


def z3_term(term: Term, op: z3.FuncDeclRef, values: Callable[[int], z3.ExprRef]) -> z3.ExprRef:
    """``op(op(a, b), c)`` for ``(x ◇ y) ◇ z`` with ``values(variable)`` for each variable."""
    if isinstance(term, int):
        return values(term)
    return op(z3_term(term[0], op, values), z3_term(term[1], op, values))


def check_interruptibly(solver: z3.Solver, context: z3.Context, seconds: float) -> z3.CheckSatResult:
    """``solver.check()`` under z3's own ``timeout`` and a wall-clock guard.

    z3 runs in this process, and the C call would ignore Ctrl-C until it returns, so the check runs
    on a worker thread (ctypes drops the GIL) while this thread waits and, on the deadline or a
    KeyboardInterrupt, asks z3 to stop via ``Context.interrupt``.
    """
    solver.set("timeout", max(1, int(seconds * 1000)))
    outcome: list[z3.CheckSatResult | BaseException] = []

    def work() -> None:
        try:
            outcome.append(solver.check())
        except BaseException as error:  # handed to the waiting thread, which re-raises it
            outcome.append(error)

    worker = threading.Thread(target=work, name="z3-check", daemon=True)
    worker.start()
    try:
        # z3 honours its timeout poorly inside some quantifier-instantiation loops: the guard backs it.
        worker.join(seconds + 1.0)
        if worker.is_alive():
            context.interrupt()
            worker.join()
    except BaseException:
        context.interrupt()
        worker.join()
        raise
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result

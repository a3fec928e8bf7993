"""Guesses that contradict each other are not stated.

Two descriptions that both reproduce every given term but predict different next terms cannot both be
right, and the data do not say which one is: a user of Superseeker would see two answers and trust
neither. So after the guessers (and the families among themselves) have answered, each stated guess
is extended beyond the given terms and any guess that disagrees with another one on those next terms
is withdrawn, with the reason, unless it is simpler than that rival by more than ``RIVAL_GAP``
parameters (an Occam preference: the choice of a description among many counts as parameters, see
``guess.choice_bits``; a much longer rival is not evidence against a short description). Guesses whose next terms cannot be computed here (an algebraic
generating function) take no part in the comparison.

The other rules here withdraw a guess on its own evidence: a change of regime inside the data, a period the
data did not earn, and confirming terms that only repeat the last value of data with at least three values
(``flat_confirmation``: they do not confirm where the rule changes it next).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable

import sympy as sp

from .guess import (MARGIN, RIVAL_GAP, AlgebraicGF, ClosedForm, NoGuess, RationalGF, Recurrence, constant_recurrence,
                    n, parse, rival_horizon, x)

AHEAD = 12
"""How many terms beyond the given ones the guesses are compared on."""


Evaluate = Callable[[object, int], list]
"""``families.evaluate``, passed in (this module sits below ``families``, which calls it)."""


def next_terms(guess, terms: list[int], offset: int, evaluate: Evaluate, ahead: int = AHEAD) -> list | None:
    """The guess's a(offset + N), ..., a(offset + N + ahead - 1), N = len(terms); None when it cannot
    say (a value may be a non-integer Fraction: the guess then predicts a non-integer, itself a claim).
    ``evaluate`` computes a family description's first terms."""
    total = len(terms)
    try:
        if guess.kind == "description":
            return evaluate(guess, total + ahead)[total:]
        if isinstance(guess, ClosedForm):
            expression = parse(guess.expression)
            values = []
            for m in range(offset + total, offset + total + ahead):
                value = sp.nsimplify(expression.subs(n, m))
                values.append(int(value) if value.is_Integer else value)
            return values
        if isinstance(guess, Recurrence):
            return _recurrence_ahead(guess, terms, offset, ahead)
        if isinstance(guess, RationalGF):
            return _rational_ahead(guess, terms, ahead)
    except (ValueError, ZeroDivisionError, OverflowError, IndexError, RecursionError, TypeError):
        return None
    if isinstance(guess, AlgebraicGF):
        return None
    return None


def _recurrence_ahead(guess: Recurrence, terms: list[int], offset: int, ahead: int) -> list | None:
    values = [Fraction(t) for t in terms]
    order = guess.order
    polys = [[int(c) for c in p] for p in guess.coefficients]
    right = [int(c) for c in guess.inhomogeneous]

    def at(poly, m):
        return sum(c * m**j for j, c in enumerate(poly))
    while len(values) < len(terms) + ahead:
        t = len(values) - order
        m = offset + t
        lead = at(polys[-1], m)
        if lead == 0:
            break  # the recurrence does not determine this term
        rest = at(right, m) - sum(at(polys[i], m) * values[t + i] for i in range(order))
        values.append(Fraction(rest) / lead)
    out = values[len(terms):]
    return [int(v) if v.denominator == 1 else v for v in out] or None


def _rational_ahead(guess: RationalGF, terms: list[int], ahead: int) -> list | None:
    numerator = sp.Poly(parse(guess.numerator), x).all_coeffs()[::-1]
    denominator = sp.Poly(parse(guess.denominator), x).all_coeffs()[::-1]
    values = [Fraction(t) for t in terms]
    q0 = Fraction(int(denominator[0]))
    while len(values) < len(terms) + ahead:
        m = len(values)
        p = Fraction(int(numerator[m])) if m < len(numerator) else Fraction(0)
        rest = p - sum(Fraction(int(denominator[i])) * values[m - i] for i in range(1, min(len(denominator), m + 1)))
        values.append(rest / q0)
    return [int(v) if v.denominator == 1 else v for v in values[len(terms):]]


def _label(guess) -> str:
    return getattr(guess, "family", None) or guess.kind


def withdraw_conflicts(guesses: list, terms: list[int], offset: int, evaluate: Evaluate) -> list:
    """The guesses, with every stated one that disagrees with another stated one on the next ``AHEAD``
    terms replaced by a NoGuess saying where they part."""
    ahead = {i: next_terms(g, terms, offset, evaluate) for i, g in enumerate(guesses) if not isinstance(g, NoGuess)}
    conflicts: dict[int, str] = {}
    for i, mine in ahead.items():
        for j, theirs in ahead.items():
            if j <= i or mine is None or theirs is None:
                continue
            for step, (a, b) in enumerate(zip(mine, theirs)):
                if a != b:
                    where = offset + len(terms) + step
                    mine_size, their_size = guesses[i].parameters, guesses[j].parameters
                    if mine_size + RIVAL_GAP >= their_size:
                        conflicts.setdefault(i, f"{_label(guesses[j])} says a({where}) = {b}, this one {a}")
                    if their_size + RIVAL_GAP >= mine_size:
                        conflicts.setdefault(j, f"{_label(guesses[i])} says a({where}) = {a}, this one {b}")
                    break
    out = []
    for i, guess in enumerate(guesses):
        if i in conflicts:
            out.append(NoGuess(guesser=_label(guess), reason=(
                f"withdrawn: fits all {len(terms)} terms but another description that fits them too predicts "
                f"different next terms ({conflicts[i]}); the data do not decide between them")))
        else:
            out.append(guess)
    return out


def withdraw_by_next_terms(guesses: list, terms: list[int], offset: int, evaluate: Evaluate,
                           objection: Callable[[object, list | None], str | None]) -> list:
    """The guesses, with every stated one whose next ``AHEAD`` terms draw an objection replaced by a NoGuess
    whose reason is "withdrawn: " and that objection. ``objection(guess, predicted)`` says why the guess
    cannot be stated when it predicts ``predicted`` (None: it may), the one loop behind the rules below
    that judge a guess by what it predicts (a regime change, an unearned period)."""
    out = []
    for guess in guesses:
        if isinstance(guess, NoGuess):
            out.append(guess)
            continue
        reason = objection(guess, next_terms(guess, terms, offset, evaluate))
        out.append(guess if reason is None else NoGuess(guesser=_label(guess), reason=f"withdrawn: {reason}"))
    return out


# --- confirming terms that only repeat one value ------------------------------------------------------

FLAT_VALUES = 3
"""A guess is judged by ``flat_confirmation`` when the given terms take at least this many values."""


def flat_confirmation(guess, terms: list[int], offset: int, predicted: list | None = None) -> str | None:
    """Why a guess cannot be stated when every term after those it was fitted on (or set aside as
    exceptions) repeats one value while the given terms take at least FLAT_VALUES values, and the guess
    changes that value later (None: it may be stated): the fit saw every change of value the data hold, and
    the confirming terms say only that the last value lasts, which every rule with a later change says too.
    A365742 (the largest number of k <= n with one totient value): 1, 2, 2, 2, 2, 3 (6 times), 4 (13 times)
    from 24 terms, and pi(pi(n + 1) + 1) fitted on the first 12, through the step to 4, and "confirmed" by
    twelve 4s; it steps at n = 28, the sequence at n = 30. Not judged: confirming terms with two values or
    more; data with at most two values (a 0/1 sequence: a value that recurs carries information there); a
    guess whose ``predicted`` next terms all keep the last value (what the run does confirm: "a(n) = c from
    n = k on" is the periodic families' claim, under their rules, ``withdraw_unearned_periods``)."""
    fitted = _fitted_through(guess, offset)
    confirming = terms[fitted:]
    if len(set(terms)) < FLAT_VALUES or not confirming or len(set(confirming)) > 1:
        return None
    if predicted is not None and all(value == confirming[0] for value in predicted):
        return None
    return (f"fitted on the first {fitted} terms, through every change of value the {len(terms)} terms hold; "
            f"the {len(confirming)} confirming terms all equal {confirming[0]}, which says only that the last "
            "value lasts: they do not confirm where this guess changes it next")


# --- a change of regime inside the data --------------------------------------------------------------

def regular_tail(terms: list[int]) -> tuple[int, list[Fraction]] | None:
    """(h, connection): the least h such that a(h), a(h + 1), ... satisfy a recurrence with constant
    coefficients (Berlekamp–Massey fitted on 2L of them, L its order, and confirmed by the rest under
    the margin rule), or None when no tail does."""
    for head in range(len(terms)):
        connection = constant_recurrence(terms[head:])
        if connection is not None:
            return head, connection
    return None


def regime_parameters(head: int, order: int) -> int:
    """Free parameters of "irregular for the first ``head`` terms, then C-finite of order ``order``".

    The tail costs 2L (its recurrence and its initial values). Each of the ``head`` exceptions costs
    two: its value, and that it is an exception at all (its position: the rule could have started
    anywhere). Counting the exceptions once, as a plain eventually-periodic description does, lets a
    sequence that is irregular at sparse, ever wider spaced places (the complement of a sparse set:
    1, 1, 2, 4, 5, 6, 8, 9, ..., 30, 32 with the next skip at n = 29) pass as "eventually a(n + 1) =
    a(n) + 1" after one long enough stretch; counted twice, every exception needs three more terms of
    confirmation instead of two (a minimum-description-length penalty)."""
    return 2 * order + 2 * head


def withdraw_regime_changes(guesses: list, terms: list[int], offset: int, evaluate: Evaluate) -> list:
    """The guesses, with every stated one that only continues a regular tail the data have not earned
    replaced by a NoGuess saying why.

    When the terms are C-finite from index h > 0 on but not from the start, any guess that predicts
    exactly the tail's continuation claims, in effect, "the first h terms are exceptions and the tail's
    rule holds for ever after" (a P-recursive recurrence, a generating function or a periodic pattern
    can all encode such a head). That claim is judged as what it is: fitted on h + 2L terms, with
    ``regime_parameters(h, L)`` free parameters, it needs that many confirming terms plus the margin.
    A guess that predicts something else (a rule that also explains the head) is not affected, nor is
    one fitted on fewer terms than the head: it predicted the head's last irregular terms from the
    terms before them (A062050, n - 2^floor(log2(n)) + 1, read as a 2-regular sequence from 18 terms:
    the data end inside the block 64..127, where it agrees with "a(n + 1) = a(n) + 1 from n = 64 on"),
    so it is no "the first h terms are exceptions" claim, and its own margin judged it. (A closed form
    stated from n = s on counts its s - offset first terms as fitted: it lists them as exceptions.)"""
    found = regular_tail(terms)
    if found is None or found[0] == 0:
        return guesses
    head, connection = found
    # Berlekamp–Massey's length counts trailing zero coefficients: a recurrence of lower order that
    # holds from a later index on. Read it that way (same parameters, clearer words).
    order = max([i for i, c in enumerate(connection) if c] or [0])
    head += len(connection) - 1 - order
    connection = connection[:order + 1]
    fitted, parameters = head + 2 * order, regime_parameters(head, order)
    confirmed = len(terms) - fitted
    if confirmed >= parameters + MARGIN:
        return guesses
    tail_ahead = _continue(connection, terms, AHEAD)
    reason = (f"its next terms are those of a recurrence with constant coefficients of order {order} that the terms "
              f"satisfy only from n = {offset + head} on; as \"the first {head} terms are exceptions, then that rule\" "
              f"it has {parameters} free parameters (each exception counts twice), is fitted on {fitted} terms and "
              f"confirmed by {confirmed}, fewer than {parameters} + {MARGIN}")
    return withdraw_by_next_terms(guesses, terms, offset, evaluate,
                                  lambda guess, predicted: reason if predicted == tail_ahead
                                  and _fitted_through(guess, offset) >= head else None)


def _fitted_through(guess, offset: int) -> int:
    """How many first terms a guess's fit saw or set aside as exceptions: the fitted terms, after those
    before the index it starts from (a closed form from n = s lists a(offset), ..., a(s - 1) as given)."""
    start = getattr(guess, "start", None)
    return guess.fitted_on + (start - offset if start is not None else 0)


def _continue(connection: list[Fraction], terms: list[int], ahead: int) -> list:
    values = [Fraction(t) for t in terms]
    order = len(connection) - 1
    for _ in range(ahead):
        values.append(-sum(connection[i] * values[-i] for i in range(1, order + 1)))
    return [int(v) if v.denominator == 1 else v for v in values[len(terms):]]


# --- a periodic pattern stated by another family -------------------------------------------------------

def periodic_shape(values: list[int]) -> tuple[int, int] | None:
    """(h, p): the eventually periodic shape of ``values`` with fewest head + period terms such that the
    period is seen at least twice (values[i] = values[i + p] for every i >= h, h + 2p <= len), or None."""
    total = len(values)
    for size in range(1, total + 1):
        for period in range(1, size + 1):
            head = size - period
            if head + 2 * period > total:
                continue
            if all(values[i] == values[i + period] for i in range(head, total - period)):
                return head, period
    return None


def withdraw_unearned_periods(guesses: list, terms: list[int], offset: int, evaluate: Evaluate,
                              periodic_accepts: Callable[[list[int], int], bool],
                              period_unseen: Callable[[object, int, int, int], bool] = lambda guess, period, offset, total: False
                              ) -> list:
    """The guesses, with every stated one that continues an eventually periodic pattern of the values or
    of their differences, which the periodic families' own rules refuse, replaced by a NoGuess.

    A constant-coefficient recurrence a(n + p) = a(n) + c, or any recurrence or generating function
    that predicts the same next terms, is the claim "the differences (or values) repeat with period p"
    in other words; the periodic families ask more of that claim than its parameter count (every
    position of the period confirmed twice, three times when the period (or every q-th position) takes two consecutive values,
    as the Sturmian words of Beatty sequences do). Stated by another family, the same claim must meet
    the same rules (A198263, floor(n·(1 + e)): differences 3, 3, 3, 3, 3, 2 for 24 terms, stated as
    a(n + 6) = a(n) + 17 with 7 parameters). A guess with fewer parameters than the head and period it
    continues is more than that claim and keeps its own count, unless ``period_unseen(guess, period, offset, N)``:
    a period the data cannot show at all, however compactly it is written (a multiple of 10 or of 11 from terms
    that stop before n = 100, ``families._decimal_period_claimed``: what the last decimal digit of n shows, and
    the other digits change at n = 100; A004520, n's digits doubled mod 10, whose differences 2, 2, 2, 2, -8,
    2, 2, 2, 2, 12 read from 24 terms as the 7-parameter a(n + 6) = a(n + 5) - a(n + 1) + a(n) + 4, which
    fails at n = 100). ``periodic_accepts(terms, offset)``: whether the periodic or the
    periodic-differences family states a description of the terms (``families`` passes it in)."""
    differences = [b - a for a, b in zip(terms, terms[1:])]
    candidates = []
    for values, integrate in ((terms, False), (differences, True)):
        shape = periodic_shape(values)
        if shape is None:
            continue
        head, period = shape
        if integrate and period == 1 and head <= 1:
            continue  # an arithmetic progression: a polynomial of degree 1, not a periodic claim
        block = values[head:head + period]
        ahead = _periodic_continuation(terms, values, head, block, integrate, AHEAD)
        candidates.append((ahead, head, period, "differences" if integrate else "values", values, block, integrate))
    if not candidates or periodic_accepts(terms, offset):
        return guesses

    def unearned(guess, predicted) -> str | None:
        match = next((c for c in candidates if c[0] == predicted), None)
        if match is None:
            return None
        _, head, period, what, values, block, integrate = match
        compact = head if period == 1 and not integrate else head + period
        if guess.parameters < compact and not (
                period_unseen(guess, period, offset, len(terms))
                and _continues_far(guess, terms, offset, evaluate, values, head, block, integrate)):
            # more compact than the block it repeats (a(n + 4) = 1 - a(n) for a period of 8): it says more
            # than "this block repeats" and is judged by its own parameter count (unless the period is one the
            # data cannot show and it keeps to it as far as twice their reach: then it claims that period). For
            # one repeated value it must be more compact than the head alone: a(n + 7) = 0 (7 parameters) is
            # "a(n) = 0 from n = 7 on", the same claim, cheaper than head + period only because 0 needs no
            # parameter (A316341, [n is a factorial]: 1s at n = 1, 2, 6, then 17 zeros before the 1 at n = 24;
            # the periodic family asks more than 2·g·L = 18 confirming zeros there), while a morphic word or a
            # predicate that reproduces a long head and then one value (A079944, A043545) keeps its own count.
            return None
        return (f"its next terms continue the {what} repeating with period {period} from n = {offset + head} on, a "
                f"claim the periodic families do not state from {len(terms)} terms (every position of a period "
                f"confirmed twice after the fit, three times when it (or every q-th position) takes two consecutive values, a period that is a multiple of "
                f"10 or of 11 only from terms that reach n = 100, more than twice the stretch expected next where the data "
                f"showed the pattern break, no earlier term in a class the period leaves out, classes mod p^k only from terms "
                f"that reach p^(k + 1), and the margin {MARGIN} beyond "
                f"the parameters and the choice of shape)")
    return withdraw_by_next_terms(guesses, terms, offset, evaluate, unearned)


def _periodic_continuation(terms: list[int], values: list[int], head: int, block: list[int], integrate: bool,
                           count: int) -> list[int]:
    """The next ``count`` terms when ``values`` (the terms, or their differences when ``integrate``) repeat
    ``block`` from ``head`` on."""
    period = len(block)
    ahead = [block[(len(values) - head + i) % period] for i in range(count)]
    if not integrate:
        return ahead
    last, out = terms[-1], []
    for step in ahead:
        last += step
        out.append(last)
    return out


def _continues_far(guess, terms: list[int], offset: int, evaluate: Evaluate, values: list[int], head: int,
                   block: list[int], integrate: bool) -> bool:
    """Whether the guess keeps to the periodic continuation up to n = 2L + 64, L the last index the terms reach
    (twice their reach, ``guess.rival_horizon``): then it claims the period, not a rule that only
    agrees with it for a while (A278814, 1 + isqrt(3n), whose differences repeat with period 11 from n = 66 to
    117 and part from it at 118)."""
    last = offset + len(terms) - 1
    count = rival_horizon(last) - last
    far = next_terms(guess, terms, offset, evaluate, count)
    return far is not None and far == _periodic_continuation(terms, values, head, block, integrate, count)

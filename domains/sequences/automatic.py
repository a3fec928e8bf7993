"""Automatic, morphic and k-regular sequences: fixed points of substitutions read through a coding (the
Fibonacci word A003849, Thue–Morse A010060, the period-doubling sequence), and sequences whose base-k
kernel spans a space of finite rank (A062050, n - 2^floor(log2 n) + 1; binary-weight and ruler-like
sequences; every k-automatic sequence).

Three searches, in this order, each stated under the margin rule of ``guess`` (the terms after the fitted
prefix number at least the free parameters plus ``MARGIN``); when the first candidate of a search that
reproduces its fitted prefix fails a later term, the family states nothing (no later candidate, of that
search or the next, is tried on the same terms):

- ``morphic``: w is the fixed point, starting with letter 0, of a substitution σ on 2 letters (images of
  length 1..4) or 3 letters (images of length 1..3), σ(0) starting with 0 and of length >= 2, letters
  named in the order of their first occurrence in w; a(offset + i) = τ(w(i)) for a coding τ of the
  letters onto the observed values (one-to-one, or two of three letters merged). The candidates are
  enumerated by size (the images' total length times the bits of a letter), and one of size s counts
  ``choice_bits(r)`` parameters, r the number of candidates of size <= s (renamed copies and
  non-growing ones included: an upper bound on its rank), plus one per value of τ. Only the candidates
  whose fitted prefix is at least ``MORPHIC_PREFIX`` terms long are searched (with N terms, those with
  ceil(log2 r) <= N - MORPHIC_PREFIX - values - MARGIN).
- ``positions``: a strictly increasing list of terms < ``POSITIONS_LIMIT`` as the indices i >= 0 where a coded
  fixed point (as above, coded onto 0 and 1) is 1 (the fibbinary numbers A003714: 0 -> 01, 1 -> 02,
  2 -> 22, 2 read as 0). The r-th candidate counts ``choice_bits(r)`` + 2 parameters; it is fitted on the
  letters up to its last fitted term (at least ``POSITIONS_FEWEST_TERMS`` terms and ``MORPHIC_PREFIX`` letters) and
  the terms after them confirm.
  Values (for lists: differences) that repeat with a period the periodic family would accept are left
  to it (``_looks_periodic``).
- ``regular``: a linear representation in base k in {2, 3}: the kernel sequences s_w(m) = a(k^e·m + R)
  (w the digits of R, least significant first), m >= 0 from offset 0 and m >= 1 from offset 1, are
  explored breadth-first from a itself; each child s_{w r} is either independent of the basis found so
  far (a new basis element) or an exact rational combination of it, solved on the rows the prefix gives
  and overdetermined by ``EXTRA_ROWS``. So V(k·n + r) = M_r·V(n), V the vector of the basis sequences,
  with V(0) (offset 0) or V(1), ..., V(k - 1) (offset 1) read off the data. The prefix is the shortest
  on which every relation is so determined (basis of rank at most ``MAX_RANK``; the scan over prefixes
  decides ranks modulo ``linalg.PRIME``, the fit at the prefix found is exact over Q); the representation
  found there must reproduce every term. From offset 0 the rows start at m = 0 (V(0) the only initial
  vector); relations that hold from m = 1 after an exceptional a(0) are the shared first-exception
  reading's (``families``: this search on a(1), a(2), ... from offset 1). Parameters: each relation's
  coefficients, a new-or-not bit per child, the initial vectors, plus the choice of the candidate (k).

Each reports rivals (another candidate that reproduces every term but predicts other next terms, at most
``RIVAL_GAP`` parameters longer): then nothing is stated and both go to ``ambiguous``.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from itertools import product
from math import ceil, gcd, log2

from .linalg import PRIME
from .guess import MARGIN, RIVAL_GAP, Answer, choice_bits, decided_choice

AHEAD = 12
"""Next terms compared between rival candidates (as ``consensus.AHEAD``)."""
MORPHIC_PREFIX = 8
"""Fewest fitted terms of a morphic candidate, and fewest fitted letters of a positions candidate (10 until the
twelfth round: 8 gives A079944 and, with POSITIONS_FEWEST_TERMS, the fibbinary numbers A003714 from 24 terms; the
choice of the candidate is paid for by its parameters all the same)."""
POSITIONS_FEWEST_TERMS = 6
"""Fewest fitted terms of a positions candidate (its fitted letters, up to its last fitted term, number at least
MORPHIC_PREFIX too): each fitted term of an increasing list fixes a run of letters, not one (A277335 from 24 terms,
0, 3, 6, 12, ..., 207: 7 fitted terms are its first 28 letters, and 17 confirming terms pay for 15 parameters plus
MARGIN)."""
MORPHIC_SHAPES = ((2, 4), (3, 3))
"""(letters, longest image) of the substitutions searched."""
MAX_RANK = 6
"""Largest rank of a linear representation searched."""
REGULAR_BASES = (2, 3)
"""Bases k of the linear representations, in the order searched."""
EXTRA_ROWS = 2
"""Rows beyond the unknowns that each relation of a linear representation is solved on."""
MIN_TERMS = 20
"""Shortest list read."""
POSITIONS_LIMIT = 1 << 12
"""Largest term of a list read as the indices of a letter in a coded fixed point (its word's length)."""
EVALUATION_LIMIT = 1 << 24
"""Longest word generated to list the indices of a letter (a description that needs more fails)."""

BOUNDS = ("fixed points (from letter 0) of substitutions on 2 letters with images of length 1..4 and on 3 "
          "letters with images of length 1..3, read through a coding onto the observed values (one-to-one or two "
          "letters merged), enumerated by size, the r-th counting ceil(log2 r) parameters plus one per value, only "
          f"those fitted on >= {MORPHIC_PREFIX} terms; the same words' indices of a letter, for increasing lists of "
          f"terms < {POSITIONS_LIMIT}, fitted on >= {POSITIONS_FEWEST_TERMS} terms that reach >= {MORPHIC_PREFIX} "
          "letters; eventually periodic data left to the periodic families; linear "
          f"representations in base k in {{2, 3}} of rank <= {MAX_RANK} (kernel a(k^e·m + R), m >= 0 or 1 by the "
          f"offset, breadth first, each relation exact over Q on {EXTRA_ROWS} rows more than its unknowns), fitted "
          "on the shortest prefix that determines them, every coefficient, initial value and new-or-not bit counted")


# --- morphic words ---------------------------------------------------------------------------------

def fixed_point(images: tuple[str, ...], length: int) -> str:
    """The first ``length`` letters of the fixed point of σ (letter i -> images[i]) starting with 0."""
    word = images[0]
    i = 1
    while len(word) < length:
        if i >= len(word):
            raise ValueError("the substitution does not grow")
        word += images[int(word[i])]
        i += 1
    return word[:length]


def _canonical(letters) -> tuple[int, ...]:
    """The letters renamed 0, 1, 2, ... in the order of their first occurrence."""
    names: dict = {}
    return tuple(names.setdefault(x, len(names)) for x in letters)


def _size(letters: int, lengths) -> int:
    """A substitution's size: its images' total length times the bits of a letter (its description length)."""
    return sum(lengths) * ceil(log2(letters))


def _codings(letters: int) -> tuple[tuple[int, ...], ...]:
    """The codings searched, as the class of each letter: one-to-one, or two of three letters merged."""
    return ((0, 1),) if letters == 2 else ((0, 1, 2), (0, 0, 1), (0, 1, 0), (0, 1, 1))


@lru_cache(maxsize=1)
def _tiers() -> dict[int, int]:
    """For each size, how many (substitution, coding) candidates have that size or less: the r of the
    ``choice_bits(r)`` a candidate of that size counts (every candidate of its size is counted as tried,
    renamed copies and non-growing ones included, so the count is an upper bound on its rank)."""
    counts: dict[int, int] = {}
    for letters, longest in MORPHIC_SHAPES:
        for lengths in product(range(1, longest + 1), repeat=letters):
            if lengths[0] < 2:
                continue
            number = letters ** (lengths[0] - 1) * letters ** sum(lengths[1:]) * len(_codings(letters))
            size = _size(letters, lengths)
            counts[size] = counts.get(size, 0) + number
    cumulative, out = 0, {}
    for size in sorted(counts):
        cumulative += counts[size]
        out[size] = cumulative
    return out


def _images_matching(data: tuple[int, ...], letters: int, longest: int, classes: tuple[int, ...], length: int):
    """Every substitution (images as strings) on ``letters`` letters, images of length 1..``longest``, σ(0)
    starting with 0 and of length >= 2, letters named in order of first occurrence, whose fixed point w
    has ``classes[w(i)] = data[i]`` for i < ``length`` and uses every letter there. A depth-first search
    that builds w and the images together, each image letter chosen among those of the class the data
    show at its position."""
    found: list[tuple[str, ...]] = []

    def choices(position: int, introduced: int) -> list[int]:
        allowed = range(min(introduced + 1, letters))
        if position >= length:
            return list(allowed)
        return [x for x in allowed if classes[x] == data[position]]

    def extend(images: list, word: list[int], i: int, introduced: int) -> None:
        # the letters whose images are known are expanded in a loop (a copy of the word per call, and
        # one call per image chosen: the recursion is as deep as the letters, whatever the length)
        word = list(word)
        while len(word) < length and i and images[word[i]] is not None:
            start = len(word)
            word += [int(c) for c in images[word[i]]]
            if any(classes[word[j]] != data[j] for j in range(start, min(len(word), length))):
                return
            i += 1
        if len(word) >= length:
            if introduced < letters:
                return
            free = [x for x in range(letters) if images[x] is None]
            words = ["".join(p) for size in range(1, longest + 1)
                     for p in product("".join(map(str, range(letters))), repeat=size)]
            for filling in product(words, repeat=len(free)):
                completed = list(images)
                for x, image in zip(free, filling):
                    completed[x] = image
                found.append(tuple(completed))
            return
        letter = word[i] if i else 0
        base = word if i else []
        for size in range(2 if letter == 0 else 1, longest + 1):
            def grow(partial: list[int], new_letters: int) -> None:
                if len(partial) == size:
                    if letter == 0 and partial[0] != 0:
                        return
                    images[letter] = "".join(map(str, partial))
                    extend(images, base + partial, i + 1, new_letters)
                    images[letter] = None
                    return
                for x in choices(len(base) + len(partial), new_letters):
                    grow(partial + [x], max(new_letters, x + 1))
            grow([], introduced)

    extend([None] * letters, [], 0, 1)
    return found


def morphic_terms(spec: dict, offset: int, count: int) -> list[int]:
    word = fixed_point(tuple(spec["images"]), count)
    return [spec["coding"][int(c)] for c in word]


FAILED = "failed"
"""What a search returns when the first candidate that fits its prefix fails a later term: the family
then states nothing (no later candidate, of this search or the next, is tried on the same terms)."""


def _first_fit(chosen: tuple | None, matching: list, candidate: tuple, fits_every_term: bool) -> tuple | str | None:
    """The rule the three searches share, for a candidate (spec, fitted, parameters, next terms) that
    fits its own fitted prefix: where it also fits every given term it joins ``matching`` (the rivals
    decided_choice compares) and is chosen if none was before; where it does not, FAILED if it is the
    first such candidate (nothing is stated), else it is passed over. Returns the chosen candidate."""
    if not fits_every_term:
        return FAILED if chosen is None else chosen
    matching.append(candidate)
    return candidate if chosen is None else chosen


def _candidates_matching(data: tuple[int, ...], values: int, shortest: int) -> list[tuple]:
    """(key, images, classes) of every substitution and coding onto ``values`` classes whose coded fixed
    point reproduces data[:shortest], in the order searched (``key``: size, letters, images, coding)."""
    candidates = []
    for letters, longest in MORPHIC_SHAPES:
        for number, classes in enumerate(_codings(letters)):
            if len(set(classes)) != values:
                continue
            for images in _images_matching(data, letters, longest, classes, shortest):
                key = (_size(letters, map(len, images)), letters, images, number)
                candidates.append((key, images, classes))
    return sorted(candidates)


def _looks_periodic(values: list[int]) -> bool:
    """Whether the values repeat with some period p from some index h on, with 2(h + p) + MARGIN <= N and
    h + 3p + MARGIN <= N (the periodic family's own bounds): eventually periodic data, which the periodic
    families describe under their own, stricter rules (a substitution such as 0 -> 01, 1 -> 1 would read
    1, 2, ..., 24 as "every index but 0"). A period seen fewer times is no reason: the first 130 letters
    of the Fibonacci word repeat with period 55."""
    total = len(values)
    return any(all(values[i] == values[i + period] for i in range(head, total - period))
               for size in range(1, (total - MARGIN) // 2 + 1) for period in range(1, size + 1)
               for head in (size - period,) if head + 3 * period + MARGIN <= total)


def positions_terms(spec: dict, offset: int, count: int, limit: int = EVALUATION_LIMIT) -> list[int]:
    """The first ``count`` indices i >= 0 with τ(w(i)) = 1, in increasing order (ValueError when the
    first ``limit`` letters do not hold them)."""
    length = 64
    while True:
        word = fixed_point(tuple(spec["images"]), min(length, limit))
        out = [i for i, c in enumerate(word) if spec["coding"][int(c)] == 1]
        if len(out) >= count:
            return out[:count]
        if length >= limit:
            raise ValueError(f"fewer than {count} indices below {limit}")
        length *= 4


def _positions_search(terms: list[int], matching: list) -> tuple | str | None:
    """The list as the indices of the letters coded 1 in a coded fixed point (its characteristic word
    is morphic: the fibbinary numbers, A003714). Fitted on the first F terms, the word is fitted on its
    letters up to the F-th term; the terms after it count the confirmations."""
    total = len(terms)
    if terms[0] < 0 or any(x >= y for x, y in zip(terms, terms[1:])) or terms[-1] >= POSITIONS_LIMIT:
        return None
    if _looks_periodic([y - x for x, y in zip(terms, terms[1:])]):
        return None
    members = set(terms)
    characteristic = [int(i in members) for i in range(terms[-1] + 1)]
    data = _canonical(characteristic)
    member_class = data[terms[0]]
    tiers = _tiers()

    def letters_fitted(parameters: int) -> int:
        fitted = total - parameters - MARGIN  # at least POSITIONS_FEWEST_TERMS terms and MORPHIC_PREFIX letters
        return terms[fitted - 1] + 1 if fitted >= POSITIONS_FEWEST_TERMS else 0
    shortest = letters_fitted(choice_bits(max(tiers.values())) + 2)
    if not shortest:
        shortest = next((letters_fitted(p) for p in range(total, 0, -1) if letters_fitted(p)), 0)
    if shortest < MORPHIC_PREFIX:
        return None
    chosen = None
    for key, images, classes in _candidates_matching(data, 2, shortest):
        parameters = choice_bits(tiers[key[0]]) + 2
        fitted = letters_fitted(parameters)
        if fitted < MORPHIC_PREFIX:
            break
        if chosen is not None and parameters > chosen[2] + RIVAL_GAP:
            break
        coding = [int(classes[x] == member_class) for x in range(len(images))]
        spec = {"kind": "positions", "images": list(images), "coding": coding}
        try:  # the word no longer than four times the data's, in the search
            values = positions_terms(spec, 0, total + AHEAD, 4 * len(characteristic) + 64)
        except ValueError:
            continue
        fitted_terms = total - parameters - MARGIN
        if values[:fitted_terms] != terms[:fitted_terms]:
            continue  # the word differs from the characteristic word on its fitted letters
        chosen = _first_fit(chosen, matching, (spec, fitted_terms, parameters, values[total:]), values[:total] == terms)
        if chosen == FAILED:
            return FAILED
    return chosen


def _morphic_search(terms: list[int], matching: list) -> tuple | str | None:
    total = len(terms)
    values = list(dict.fromkeys(terms))
    if not 2 <= len(values) <= 3 or _looks_periodic(terms):
        return None
    data = _canonical(terms)
    tiers = _tiers()
    # the shortest fitted prefix of any candidate searched: every candidate that fits its own prefix fits it
    shortest = max(MORPHIC_PREFIX, total - choice_bits(max(tiers.values())) - len(values) - MARGIN)
    chosen = None
    for key, images, classes in _candidates_matching(data, len(values), shortest):
        parameters = choice_bits(tiers[key[0]]) + len(values)
        fitted = total - parameters - MARGIN
        if fitted < MORPHIC_PREFIX:
            break  # sizes grow: every later candidate would be fitted on fewer terms
        if chosen is not None and parameters > chosen[2] + RIVAL_GAP:
            break
        try:
            word = fixed_point(images, total + AHEAD)
        except ValueError:
            continue
        coded = [classes[int(c)] for c in word]
        if tuple(coded[:fitted]) != data[:fitted]:
            continue
        coding = [values[classes[x]] for x in range(len(images))]
        spec = {"kind": "morphic", "images": list(images), "coding": coding}
        candidate = (spec, fitted, parameters, [coding[int(c)] for c in word[total:]])
        chosen = _first_fit(chosen, matching, candidate, tuple(coded[:total]) == data)
        if chosen == FAILED:
            return FAILED
    return chosen


# --- linear representations in base k --------------------------------------------------------------

def _eliminate(columns: list[list[int]], target: list[int], entry, reduced, normalised) -> tuple | None | str:
    """(pivots, rows read) of the elimination ``_solve`` (over Q) and ``_solve_modulo`` (modulo PRIME)
    share, or None (inconsistent) or "undetermined": rows [columns' entries, target] are reduced one at a
    time until the columns' rank is full and ``EXTRA_ROWS`` more rows have been read. The field enters
    through ``entry`` (an integer as an element), ``reduced`` (an element after a subtraction) and
    ``normalised(row, lead)`` (the row scaled to 1 at its lead column). Pivots are (column, row
    normalised to 1 there), in the order found."""
    unknowns, rows = len(columns), len(target)
    pivots: list[tuple[int, list]] = []
    read = 0
    for i in range(rows):
        row = [entry(columns[j][i]) for j in range(unknowns)] + [entry(target[i])]
        for column, pivot in pivots:
            if row[column]:
                factor = row[column]
                row = [reduced(x - factor * y) for x, y in zip(row, pivot)]
        read = i + 1
        lead = next((j for j in range(unknowns) if row[j]), None)
        if lead is None:
            if row[unknowns]:
                return None
        else:
            pivots.append((lead, normalised(row, lead)))
        if len(pivots) == unknowns and read >= unknowns + EXTRA_ROWS:
            break
    if len(pivots) < unknowns or rows < unknowns + EXTRA_ROWS:
        return "undetermined"
    return pivots, read


def _solve(columns: list[list[int]], target: list[int]) -> list[Fraction] | None | str:
    """Coefficients c with sum_j c_j·columns[j] = target exactly (every row), None when no solution exists,
    or "undetermined" when the columns are dependent on these rows or the rows do not exceed the
    unknowns by ``EXTRA_ROWS``. Rows are reduced one at a time until the columns' rank is full and
    ``EXTRA_ROWS`` more rows have been read; the remaining rows are then checked in integers (the same
    answer as eliminating every row, faster)."""
    unknowns, rows = len(columns), len(target)
    eliminated = _eliminate(columns, target, Fraction, lambda x: x, lambda row, lead: [x / row[lead] for x in row])
    if eliminated is None or eliminated == "undetermined":
        return eliminated
    pivots, read = eliminated
    solution = [Fraction(0)] * unknowns
    for column, pivot in reversed(pivots):
        solution[column] = pivot[unknowns] - sum(pivot[j] * solution[j] for j in range(unknowns) if j != column)
    scale = 1
    for c in solution:
        scale = scale * c.denominator // gcd(scale, c.denominator)
    numerators = [int(c * scale) for c in solution]
    for i in range(read, rows):
        if sum(numerators[j] * columns[j][i] for j in range(unknowns)) != scale * target[i]:
            return None
    return solution


def _normalised_modulo(row: list[int], lead: int) -> list[int]:
    inverse = pow(row[lead], -1, PRIME)
    return [x * inverse % PRIME for x in row]


def _solve_modulo(columns: list[list[int]], target: list[int]) -> list[int] | None | str:
    """``_solve`` modulo ``PRIME``: the same answer but where the prime divides a minor of the exact
    system (an inconsistent system may look consistent, full rank may look deficient); used to find the
    prefix, and the representation there is then fitted exactly."""
    unknowns, rows = len(columns), len(target)
    eliminated = _eliminate(columns, target, lambda x: x % PRIME, lambda x: x % PRIME, _normalised_modulo)
    if eliminated is None or eliminated == "undetermined":
        return eliminated
    pivots, read = eliminated
    solution = [0] * unknowns
    for column, pivot in reversed(pivots):
        known = sum(pivot[j] * solution[j] for j in range(unknowns) if j != column)
        solution[column] = (pivot[unknowns] - known) % PRIME
    for i in range(read, rows):
        if sum(solution[j] * columns[j][i] for j in range(unknowns)) % PRIME != target[i] % PRIME:
            return None
    return solution


def _representation(terms: list[int], offset: int, base: int, prefix: int, modular: bool = False,
                    first_row: int = 1):
    """(basis words, matrices, coefficients counted) of the linear representation fitted on the first
    ``prefix`` terms, the kernel sequences' rows from m = ``first_row`` (0 or 1), or None (no representation of rank <= MAX_RANK), or, when these terms leave a
    relation undetermined, the next prefix at which that relation gains a row (an int: the prefixes in
    between give the same undetermined relation, so the search skips them; which prefix comes next
    depends on the first ``prefix`` terms only)."""
    def next_prefix(words: list[tuple[int, int]], rows: int) -> int:
        return min(power * (first_row + rows) + residue + 1 - offset for residue, power in words)

    def kernel(word: tuple[int, int]) -> list[int]:
        residue, power = word
        out, m = [], first_row
        while power * m + residue < offset + prefix:
            out.append(terms[power * m + residue - offset])
            m += 1
        return out
    basis: list[tuple[int, int]] = [(0, 1)]  # (R, k^e)
    vectors = [kernel((0, 1))]
    relations: dict[tuple[int, int], list] = {}
    counted, queue = 0, [(0, 1)]
    while queue:
        word = queue.pop(0)
        position = basis.index(word)
        for digit in range(base):
            child = (word[0] + digit * word[1], word[1] * base)
            values = kernel(child)
            rows = min([len(values)] + [len(v) for v in vectors])
            solver = _solve_modulo if modular else _solve
            solved = solver([v[:rows] for v in vectors], values[:rows]) if rows else "undetermined"
            if solved == "undetermined":
                lengths = [len(values)] + [len(v) for v in vectors]
                return next_prefix([w for w, n in zip([child] + basis, lengths) if n == rows], rows)
            if solved is None:
                if len(basis) == MAX_RANK:
                    return None
                if len(values) < EXTRA_ROWS + 1:
                    return next_prefix([child], len(values))
                basis.append(child)
                vectors.append(values)
                queue.append(child)
                relations[(position, digit)] = [Fraction(int(j == len(basis) - 1)) for j in range(MAX_RANK)]
            else:
                relations[(position, digit)] = list(solved) + [0] * (MAX_RANK - len(solved))
                counted += len(solved)
    size = len(basis)
    matrices = [[[str(relations[(i, digit)][j]) for j in range(size)] for i in range(size)] for digit in range(base)]
    return basis, matrices, counted


def regular_terms(spec: dict, offset: int, count: int) -> list[int]:
    base = spec["base"]
    matrices = [[[Fraction(x) for x in row] for row in matrix] for matrix in spec["matrices"]]
    initial = {int(n): [Fraction(x) for x in vector] for n, vector in spec["initial"].items()}

    @lru_cache(maxsize=None)
    def vector(n: int) -> tuple[Fraction, ...]:
        if n in initial:
            return tuple(initial[n])
        inner = vector(n // base)
        return tuple(sum(c * x for c, x in zip(row, inner)) for row in matrices[n % base])
    out = []
    for n in range(offset, offset + count):
        # "first": a(0) an exception, in the descriptions this family stated before the shared reading took it over
        value = Fraction(spec["first"]) if n == 0 and spec.get("first") is not None else vector(n)[0]
        if value.denominator != 1:
            raise ValueError(f"a({n}) = {value} is not an integer")
        out.append(int(value))
    return out


def _regular_search(terms: list[int], offset: int, matching: list) -> tuple | None:
    total = len(terms)
    if offset not in (0, 1) or len(set(terms)) < 2:
        return None
    chosen = None
    # the relations from m = 0 from offset 0 (a(0) follows them), from m = 1 from offset 1
    modes = [(base, 0 if offset == 0 else 1) for base in REGULAR_BASES]
    for rank, (base, first_row) in enumerate(modes, start=1):
        found, prefix = None, 2 * base + EXTRA_ROWS
        while prefix <= total:
            found = _representation(terms, offset, base, prefix, modular=True, first_row=first_row)
            if not isinstance(found, int):
                break
            prefix, found = max(prefix + 1, found), None
        if isinstance(found, tuple):  # the fit itself, exact over Q
            found = _representation(terms, offset, base, prefix, first_row=first_row)
        if not isinstance(found, tuple):
            continue
        basis, matrices, counted = found
        size = len(basis)
        # V(0) when the relations hold from m = 0, else V(1), ..., V(k - 1)
        starts = [0] if first_row == 0 else list(range(1, base))
        indices = [power * n + residue for n in starts for residue, power in basis]
        if max(indices) >= offset + prefix:
            continue
        initial = {str(n): [terms[power * n + residue - offset] for residue, power in basis] for n in starts}
        spec = {"kind": "regular", "base": base, "basis": [list(w) for w in basis], "matrices": matrices,
                "initial": initial}
        parameters = counted + base * size + len(starts) * size + choice_bits(rank)
        if total - prefix < parameters + MARGIN:
            continue
        try:
            values = regular_terms(spec, offset, total + AHEAD)
        except ValueError:
            continue
        if values[:prefix] != terms[:prefix]:
            continue
        chosen = _first_fit(chosen, matching, (spec, prefix, parameters, values[total:]), values[:total] == terms)
        if chosen == FAILED:
            return FAILED
    return chosen


# --- the family ------------------------------------------------------------------------------------

def terms_from(spec: dict, offset: int, count: int) -> list[int]:
    if spec["kind"] == "morphic":
        return morphic_terms(spec, offset, count)
    if spec["kind"] == "positions":
        return positions_terms(spec, offset, count)
    return regular_terms(spec, offset, count)


def _fraction_text(x: str) -> str:
    return x if "/" not in x else f"({x})"


def statement(spec: dict) -> str:
    if spec["kind"] == "positions":
        rules = ", ".join(f"{i} -> {image}" for i, image in enumerate(spec["images"]))
        ones = ", ".join(str(i) for i, v in enumerate(spec["coding"]) if v == 1)
        return (f"a(n) = the indices i >= 0, in increasing order, where w(i) is {ones}, w = the fixed point "
                f"starting with 0 of the substitution {rules}")
    if spec["kind"] == "morphic":
        rules = ", ".join(f"{i} -> {image}" for i, image in enumerate(spec["images"]))
        coding = ", ".join(f"{i} -> {v}" for i, v in enumerate(spec["coding"]))
        return (f"a(offset + i) = τ(w(i)), w = the fixed point starting with 0 of the substitution {rules}, and "
                f"τ: {coding}")
    base, basis = spec["base"], spec["basis"]
    names = [f"a({power}·n + {residue})" if residue else (f"a({power}·n)" if power > 1 else "a(n)")
             for residue, power in basis]
    vector = "(" + ", ".join(names) + ")"
    rules = "; ".join(
        f"V({base}n + {digit}) = [" + "; ".join(", ".join(_fraction_text(x) for x in row)
                                             for row in spec["matrices"][digit]) + "]·V(n)"
        for digit in range(base))
    initial = ", ".join(f"V({n}) = ({', '.join(map(str, v))})" for n, v in spec["initial"].items())
    start = min(map(int, spec["initial"]))
    first = f"; a(0) = {spec['first']}" if spec.get("first") is not None else ""
    return (f"a(n) is {base}-regular: a(n) is the first entry of V(n) = {vector}, with {rules} for n >= {start}, "
            f"and {initial}{first}")


def guess_automatic(terms: list[int], offset: int = 0, ambiguous: list | None = None
                    ) -> Answer | None:
    """The Answer (spec, statement, fitted, parameters) of the first morphic word, else the first linear
    representation, that the terms confirm, or None. ``ambiguous`` receives (spec, fitted, parameters)
    of a chosen candidate and a rival that cancelled it."""
    if len(terms) < MIN_TERMS:
        return None
    matching: list = []
    chosen = None
    for search in (_morphic_search, _positions_search, lambda t, m: _regular_search(t, offset, m)):
        chosen = search(terms, matching)
        if chosen == FAILED:
            return None
        if chosen is not None:
            break
    return decided_choice(chosen, matching, ambiguous, statement)

"""Lean 4 source (text only) for magma laws and (non-)implications between them, ETP style, core Lean only."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping, Sequence

from .terms import Law, Term, format_term, substitute, variables

NAMESPACE = "MathTeam"
LEAN_TOOLCHAIN = "leanprover/lean4:v4.15.0"
#: Words that make a Lean file prove less than it claims (or skip the kernel's check).
FORBIDDEN_WORDS = (
    "sorry",
    "sorryAx",
    "admit",
    "axiom",
    "native_decide",
    "implemented_by",
    "extern",
    "unsafe",
    "debug.skipKernelTC",
)

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FORBIDDEN = re.compile(r"(?<![\w.])(" + "|".join(re.escape(w) for w in FORBIDDEN_WORDS) + r")(?![\w'])")
_TABLE_OP = re.compile(r"⟨Fin (\d+), ⟨fun a b => tableOp (\d+) a b⟩")

# Generated files import nothing: `Magma`, `◇` and `tableOp` live in each file's own preamble, so
# one file checks with a bare `lean FILE` and no Mathlib download.
#
# Why a table packed into one natural number, read back with `/`, `%` and `^`:
#
# * `decide` must *evaluate* `Decidable (∀ x y : Fin n, lhs = rhs)`. Core Lean provides that
#   instance (`Nat.decidableForallFin`, built on the structurally recursive `Nat.decidableBallLT`)
#   and `instDecidableEqFin`; the ETP's core-only `DecideBang.lean` names exactly these two.
# * The operation itself must reduce cheaply in the kernel and in the elaborator. Lists and arrays
#   unfold cell by cell; arithmetic on `Nat` literals is evaluated natively by both (GMP in the
#   kernel). The ETP's `memoFinOp` macro elaborates every finite magma to this very form
#   (`opOfTable n t`), and its core-only `MemoFinOp.lean` checks such a table with plain `decide`.
# * The bound proof uses only long-stable core names (`Nat.mod_lt`, `Nat.lt_of_le_of_lt`,
#   `Nat.zero_le`, `Fin.isLt`), avoiding `Fin.ofNat`/`Fin.pos`, whose signatures have moved.
_PREAMBLE = f"""namespace {NAMESPACE}

class Magma (α : Type) where
  op : α → α → α

infixl:65 " ◇ " => Magma.op

/-- The operation of a magma on `Fin n` whose table is packed into `t`: `a ◇ b` is digit
`a * n + b` of `t` written in base `n`. Arithmetic on literals reduces natively in the kernel,
so `decide` evaluates this quickly (the ETP's `memoFinOp` elaborates to the same form). -/
def tableOp {{n : Nat}} (t : Nat) (a b : Fin n) : Fin n :=
  ⟨(t / n ^ (a.val * n + b.val)) % n, Nat.mod_lt _ (Nat.lt_of_le_of_lt (Nat.zero_le _) a.isLt)⟩
"""


def preamble() -> str:
    """Opens ``namespace MathTeam`` and declares ``Magma``, ``◇`` and ``tableOp``; ``lean_module`` closes it."""
    return _PREAMBLE


def _check_name(name: str) -> None:
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"{name!r} is not a plain Lean identifier (letters, digits, _; not starting with a digit)")


def _var(v: int) -> str:
    return format_term(v)


def _arg(term: Term) -> str:
    # Compound arguments need parentheses: `h (x ◇ y) z`.
    return format_term(term, top=False)


def _binders(law: Law) -> list[int]:
    return sorted(variables((law.lhs, law.rhs)))


def _statement(law: Law) -> str:
    return f"{format_term(law.lhs)} = {format_term(law.rhs)}"


def law_definition(name: str, law: Law) -> str:
    """``abbrev {name} (G : Type) [Magma G] := ∀ x y : G, lhs = rhs``.

    ``abbrev`` (reducible) rather than ``def`` so that instance search sees through the name and
    finds the ``Decidable`` instance that ``decide`` needs.
    """
    _check_name(name)
    names = " ".join(_var(v) for v in _binders(law))
    return f"abbrev {name} (G : Type) [Magma G] := ∀ {names} : G, {_statement(law)}\n"


def check_table(table: object) -> list[str]:
    """Problems that keep ``table`` from being a magma on ``{0, ..., n-1}``; empty when it is one."""
    if not isinstance(table, (list, tuple)) or not table:
        return ["the table must be a non-empty list of rows"]
    n = len(table)
    problems: list[str] = []
    for a, row in enumerate(table):
        if not isinstance(row, (list, tuple)):
            problems.append(f"row {a} is not a list")
            continue
        if len(row) != n:
            problems.append(f"row {a} has {len(row)} entries, expected {n} (the table must be square)")
        for b, entry in enumerate(row):
            # bool is an int subclass; True in a table is a bug, not the element 1.
            if not isinstance(entry, int) or isinstance(entry, bool):
                problems.append(f"entry ({a}, {b}) is {entry!r}, not an int")
            elif not 0 <= entry < n:
                problems.append(f"entry ({a}, {b}) is {entry}, outside 0..{n - 1}")
    return problems


def encode_table(table: Sequence[Sequence[int]]) -> int:
    """The natural number ``tableOp`` reads: ``table[a][b]`` is its base-``n`` digit ``a * n + b``."""
    n = len(table)
    return sum(entry * n ** (a * n + b) for a, row in enumerate(table) for b, entry in enumerate(row))


def decode_table(n: int, code: int) -> list[list[int]]:
    """Inverse of ``encode_table`` for an ``n``-element magma."""
    return [[(code // n ** (a * n + b)) % n for b in range(n)] for a in range(n)]


def _evaluate(term: Term, assignment: Sequence[int], table: Sequence[Sequence[int]]) -> int:
    if isinstance(term, int):
        return assignment[term]
    return table[_evaluate(term[0], assignment, table)][_evaluate(term[1], assignment, table)]


def _holds(law: Law, table: Sequence[Sequence[int]]) -> bool:
    count = max(variables((law.lhs, law.rhs))) + 1
    return all(
        _evaluate(law.lhs, values, table) == _evaluate(law.rhs, values, table)
        for values in itertools.product(range(len(table)), repeat=count)
    )


def refutation_theorem(
    hyp_name: str,
    hyp: Law,
    concl_name: str,
    concl: Law,
    table: Sequence[Sequence[int]],
    tactic: str = "decide",
) -> str:
    """``theorem {hyp}_not_implies_{concl}``: the magma ``table`` on ``Fin n`` satisfies one law, not the other.

    The table is re-checked here first, so a wrong table is a ``ValueError`` now rather than a
    Lean error later. ``tactic`` may be ``"decide +kernel"`` on toolchains that have it (≥ 4.15).
    """
    _check_name(hyp_name)
    _check_name(concl_name)
    problems = check_table(table)
    if problems:
        raise ValueError("not a magma table: " + "; ".join(problems))
    if not _holds(hyp, table):
        raise ValueError(f"the table does not satisfy {hyp_name}: {hyp}")
    if _holds(concl, table):
        raise ValueError(f"the table satisfies {concl_name}: {concl}, so it refutes nothing")
    n = len(table)
    rows = json.dumps([list(row) for row in table], separators=(",", ":"))
    return (
        f"/-- `{hyp_name}` does not imply `{concl_name}`: a {n}-element magma satisfies\n"
        f"`{_statement(hyp)}` but not `{_statement(concl)}`.\n"
        f"Table (row `a`, column `b` holds `a ◇ b`): {rows} -/\n"
        f"theorem {hyp_name}_not_implies_{concl_name} :\n"
        f"    ∃ (G : Type) (_ : Magma G), {hyp_name} G ∧ ¬ {concl_name} G :=\n"
        f"  ⟨Fin {n}, ⟨fun a b => tableOp {encode_table(table)} a b⟩, by {tactic}, by {tactic}⟩\n"
    )


def embedded_tables(source: str) -> list[list[list[int]]]:
    """The operation tables of the refutations in ``source``, decoded from what Lean will evaluate."""
    return [decode_table(int(n), int(code)) for n, code in _TABLE_OP.findall(source)]


def _implication_header(hyp_name: str, concl_name: str, hyp_binder: str) -> str:
    _check_name(hyp_name)
    _check_name(concl_name)
    return (
        f"theorem {hyp_name}_implies_{concl_name} (G : Type) [Magma G] ({hyp_binder} : {hyp_name} G) :"
        f" {concl_name} G :=\n"
    )


def instance_proof_theorem(
    hyp_name: str,
    hyp: Law,
    concl_name: str,
    concl: Law,
    substitution: Mapping[int, Term],
    swapped_hyp: bool,
    swapped_concl: bool,
) -> str:
    """``theorem {hyp}_implies_{concl} … := fun x y … => h (σ x) (σ y) …`` for a substitution instance.

    ``substitution`` maps variable indices of ``hyp`` as given (unmapped ones map to themselves,
    as in ``terms.substitute``) to terms over the variables of ``concl`` as given. Reading each
    law right-to-left when its ``swapped_*`` flag is set, σ must send the hypothesis's left side
    to the conclusion's left side and its right side to the right side; exactly one flag set
    means the instance is used backwards, hence ``.symm``. A claim that does not hold is a
    ``ValueError``: the generator never emits a proof it has not checked syntactically.
    """
    sigma = dict(substitution)
    hyp_sides = (hyp.rhs, hyp.lhs) if swapped_hyp else (hyp.lhs, hyp.rhs)
    concl_sides = (concl.rhs, concl.lhs) if swapped_concl else (concl.lhs, concl.rhs)
    if (substitute(hyp_sides[0], sigma), substitute(hyp_sides[1], sigma)) != concl_sides:
        raise ValueError(
            f"the substitution does not turn {hyp_name} ({hyp}) into {concl_name} ({concl})"
            f" with swapped_hyp={swapped_hyp}, swapped_concl={swapped_concl}"
        )
    arguments = " ".join(_arg(sigma.get(v, v)) for v in _binders(hyp))
    instance = f"h {arguments}"
    body = f"({instance}).symm" if swapped_hyp != swapped_concl else instance
    names = " ".join(_var(v) for v in _binders(concl))
    return _implication_header(hyp_name, concl_name, "h") + f"  fun {names} => {body}\n"


def singleton_theorem(hyp_name: str, hyp: Law, concl_name: str, concl: Law) -> str:
    """``theorem {hyp}_implies_{concl}`` for a hypothesis ``v = t`` (or ``t = v``) with ``v`` absent from ``t``.

    Such a law forces every two elements to be equal: with every other variable sent to ``a``,
    ``a = t(a…)`` and ``b = t(a…)``, so ``a = b``. Any conclusion then follows side by side.
    """
    if isinstance(hyp.lhs, int) and hyp.lhs not in variables(hyp.rhs):
        lone, from_left = hyp.lhs, True
    elif isinstance(hyp.rhs, int) and hyp.rhs not in variables(hyp.lhs):
        lone, from_left = hyp.rhs, False
    else:
        raise ValueError(f"{hyp_name} ({hyp}) has no side that is a variable absent from the other side")

    def instance(element: str) -> str:
        arguments = " ".join(element if v == lone else "a" for v in _binders(hyp))
        return f"(h {arguments})"

    # With the lone variable on the left, h … : a = t and h … : b = t; on the right, t = a and t = b.
    if from_left:
        chain = f"{instance('a')}.trans {instance('b')}.symm"
    else:
        chain = f"{instance('a')}.symm.trans {instance('b')}"
    wildcards = " ".join("_" for _ in _binders(concl))
    return _implication_header(hyp_name, concl_name, "h") + (
        f"  have all_eq : ∀ a b : G, a = b := fun a b => {chain}\n"
        f"  fun {wildcards} => all_eq _ _\n"
    )


def reflexivity_theorem(hyp_name: str, hyp: Law, concl_name: str, concl: Law) -> str:
    """``theorem {hyp}_implies_{concl} … := fun _ … => rfl`` for a conclusion ``t = t``."""
    if concl.lhs != concl.rhs:
        raise ValueError(f"{concl_name} ({concl}) is not of the form t = t")
    wildcards = " ".join("_" for _ in _binders(concl))
    # `h` though unused (a linter warning at most): every implication has the one approved statement.
    return _implication_header(hyp_name, concl_name, "h") + f"  fun {wildcards} => rfl\n"


def module_header(name: str, law_defs: Mapping[str, Law]) -> str:
    """What comes before a module's theorems: a comment, the preamble and one ``abbrev`` per law.

    Its hash is what the acceptance gate approves: it fixes what every statement's words mean.
    """
    parts = [
        f"/-! {name}: generated by mathteam; depends on nothing beyond Lean core. -/\n",
        preamble(),
        "".join(law_definition(law_name, law) for law_name, law in law_defs.items()),
    ]
    return "\n".join(part.rstrip("\n") + "\n" for part in parts if part)


def lean_module(name: str, theorems: Sequence[str], law_defs: Mapping[str, Law]) -> str:
    """A self-contained ``.lean`` file: preamble, one ``abbrev`` per law, the theorems, ``end``."""
    parts = [module_header(name, law_defs), *theorems, f"end {NAMESPACE}\n"]
    return "\n".join(part.rstrip("\n") + "\n" for part in parts if part)


def implication_name(hyp_name: str, concl_name: str, proves: bool = True) -> str:
    """``A_implies_B`` or ``A_not_implies_B``: the theorem settling the claim ``A => B``."""
    return f"{hyp_name}_implies_{concl_name}" if proves else f"{hyp_name}_not_implies_{concl_name}"


def approved_statement(hyp_name: str, concl_name: str, proves: bool = True) -> str:
    """The statement (binders and type, as written after the theorem's name) that settles ``A => B``.

    Derived from the claim alone, never from a generated proof: the acceptance gate compares the
    generated theorem's statement with this one.
    """
    _check_name(hyp_name)
    _check_name(concl_name)
    if proves:
        return f"(G : Type) [Magma G] (h : {hyp_name} G) : {concl_name} G"
    return f": ∃ (G : Type) (_ : Magma G), {hyp_name} G ∧ ¬ {concl_name} G"


def reviewed_statement(hyp_name: str, hyp_law: Law, concl_name: str, concl_law: Law) -> str:
    """What a person approves at the statement gate: the two laws' definitions and the theorem's
    name and statement, built from the same functions the acceptance gate enforces (the module
    header's `law_definition`, `implication_name`, `approved_statement`), so they agree by construction."""
    return (law_definition(hyp_name, hyp_law) + law_definition(concl_name, concl_law)
            + f"theorem {implication_name(hyp_name, concl_name)} {approved_statement(hyp_name, concl_name)}")


def forbidden_constructs(source: str) -> list[str]:
    """The ``FORBIDDEN_WORDS`` that occur in ``source`` as words, in order of first occurrence."""
    found: list[str] = []
    for match in _FORBIDDEN.finditer(source):
        if match.group(1) not in found:
            found.append(match.group(1))
    return found


def lakefile_text(package_name: str, library_name: str = "MathTeamProofs") -> str:
    """A ``lakefile.lean`` whose default target builds every ``{library_name}/*.lean`` module."""
    _check_name(package_name)
    _check_name(library_name)
    return (
        "import Lake\n"
        "open Lake DSL\n"
        "\n"
        f"package «{package_name}»\n"
        "\n"
        "@[default_target]\n"
        f"lean_lib «{library_name}» where\n"
        f"  globs := #[.submodules `{library_name}]\n"
    )


def toolchain_text() -> str:
    """The ``lean-toolchain`` file elan reads to pick the Lean version."""
    return LEAN_TOOLCHAIN + "\n"


def project_files(
    package_name: str, modules: Mapping[str, str], library_name: str = "MathTeamProofs"
) -> dict[str, str]:
    """Relative path → text of a Lake project holding ``modules`` (name → source); write, then ``lake build``."""
    files = {"lakefile.lean": lakefile_text(package_name, library_name), "lean-toolchain": toolchain_text()}
    for module, source in modules.items():
        _check_name(module)
        files[f"{library_name}/{module}.lean"] = source
    return files

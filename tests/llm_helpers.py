"""Free-form project files pointed at a LoopbackServer, and the scripted replies the team's model brains expect."""

from __future__ import annotations

import json
import textwrap

from loopback import reply

PLAN = {"summary": "Tabulate the values, conjecture from them, prove and formalize.", "tasks": [
    {"key": "table", "kind": "compute", "title": "Values of n*n+n+41 for n < 10"},
    {"key": "guess", "kind": "conjecture", "title": "Conjecture from the table", "depends_on": ["table"]},
    {"key": "proof", "kind": "prove", "title": "Prove the conjectures", "depends_on": ["guess"]},
    {"key": "lean", "kind": "formalize", "title": "Formalize the conjectures", "depends_on": ["guess"]}]}
CODE = {"candidates": [{"code": "emit({'values': [n * n + n + 41 for n in range(10)]})"},
                       {"code": "raise SystemExit(3)"}]}
CONJECTURES = {"conjectures": [{"statement": "n*n+n+41 is odd for every natural number n",
                                "lean_statement": "∀ n : Nat, (n * n + n + 41) % 2 = 1",
                                "rationale": "every value in the table is odd"}]}
PROOF = {"verdict": "proof", "argument": "n*n+n = n(n+1) is even, so n*n+n+41 is odd.",
         "gaps": ["that a product of two consecutive numbers is even"], "sketch": "parity"}
LEAN = {"drafts": [{"imports": [], "proof": "by intro n; omega"}]}
PROSE = {"summary": "The table suggested that every value is odd; the claim is conjectured, not proved."}
SCRIPT = [PLAN, CODE, CONJECTURES, PROOF, LEAN, PROSE]
"""The replies of a whole run, in the order the team asks: planner, example-generator, conjecturer,
prover, formalizer, writer."""


def replies(*bodies: dict | str, tokens: tuple[int, int] = (20, 10)) -> list:
    return [reply(body if isinstance(body, str) else json.dumps(body), *tokens) for body in bodies]


def freeform_text(base_url: str, *, name: str = "ff", budget: str = "", approval: str = "",
                  model: str = "", writer: str = "local", max_tasks: int = 4, rounds: int = 0) -> str:
    return textwrap.dedent(f"""\
        [project]
        name = "{name}"
        goal = "For which n is n^2 + n + 41 prime?"

        [domain]
        kind = "freeform"
        max_tasks = {max_tasks}
        max_rounds = {rounds}

        [models.local]
        provider = "openai_compatible"
        model = "loopback-model"
        base_url = "{base_url}"
        timeout_s = 1.5
        max_retries = 1
        {model}

        [team]
        planner = "local"
        example_generator = "local"
        conjecturer = "local"
        prover = "local"
        formalizer = "local"
        writer = "{writer}"

        [budget]
        {budget}

        [approval]
        {approval}
        """)

"""Plain helpers the tests import: project-file text, bench scripts as modules."""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path


def project_text(name: str = "small", laws: str = '"etp:1-12"', budget: str = "", approval: str = "",
                 extra: str = "") -> str:
    return textwrap.dedent(f"""\
        [project]
        name = "{name}"
        goal = "Which of these laws imply which?"

        [domain]
        kind = "magma_implications"
        laws = {laws}
        {extra}

        [budget]
        prover_seconds = 2
        search_seconds = 4
        {budget}

        [approval]
        {approval}
        """)


def law_holds(table: list[list[int]], law_text: str) -> bool:
    """Does the magma `table` satisfy the law? Deliberately naive and separate from the package:
    the law is parsed by a tiny parser here and every assignment is tried."""
    import itertools
    import re

    tokens = re.findall(r"[A-Za-z]\w*|[()=◇]", law_text)
    position = 0

    def atom():
        nonlocal position
        token = tokens[position]
        position += 1
        if token == "(":
            value = expression()
            position += 1  # ")"
            return value
        return token

    def expression():
        nonlocal position
        value = atom()
        while position < len(tokens) and tokens[position] == "◇":
            position += 1
            value = (value, atom())
        return value

    lhs = expression()
    position += 1  # "="
    rhs = expression()
    names = sorted(set(re.findall(r"[A-Za-z]\w*", law_text)))

    def value(term, env):
        if isinstance(term, str):
            return env[term]
        return table[value(term[0], env)][value(term[1], env)]

    for values in itertools.product(range(len(table)), repeat=len(names)):
        env = dict(zip(names, values))
        if value(lhs, env) != value(rhs, env):
            return False
    return True


def load_bench_script(name: str):
    """bench/<name>.py as a module: the bench folder is no package, so it is loaded by path."""
    path = Path(__file__).resolve().parents[1] / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

"""What a mathematician reads in the magma report: formulas beside names, counterexamples as tables,
E's proofs as equational chains, and export codes that decode."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from helpers import law_holds, project_text

from mathteam.agents.magma.question import example_id
from mathteam.agents.magma.report_details import class_pairs_text
from mathteam.cli import main
from mathteam.domains.magma.readable import decode_example_id, table_rows
from mathteam.memory import Memory
from mathteam.project import load_project
from mathteam.runner import run_project

# Laws 14 and 29 imply 16 nowhere small: a targeted search finds a magma of size 4 against them,
# and E proves several implications among the others.
LAWS = '"etp:3,8,12,14,16,23,29"'


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    path = tmp_path_factory.mktemp("details") / "project.toml"
    path.write_text(project_text(name="details", laws=LAWS), encoding="utf-8")
    project = load_project(path)
    assert run_project(project).status == "done"
    return project


def section(text: str, title: str) -> str:
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_magma_codes_decode_to_their_tables():
    small = [[0, 1], [1, 0]]
    large = [[(x * y + 3) % 11 for y in range(11)] for x in range(11)]  # entries of 10 are bracketed
    for table in (small, large):
        assert decode_example_id(example_id(table)) == table
    assert table_rows(small) == "0 1 / 1 0"
    for bad in ("magma2:012", "magma2:0120", "group2:0110", "magma2:01[1]0x"):
        with pytest.raises(ValueError):
            decode_example_id(bad)


def test_class_pairs_are_written_compactly():
    assert class_pairs_text([(0, 1), (0, 2), (0, 3), (0, 6), (4, 2)]) == "1 ⇏ 2–4, 7; 5 ⇏ 3"


def test_classes_and_the_diagram_give_each_law_its_formula(finished):
    text = finished.report_path.read_text(encoding="utf-8")
    classes = section(text, "Equivalence classes")
    assert "Equation3 (`x = x ◇ x`)" in classes and "Equation16 (`x = y ◇ (y ◇ x)`)" in classes
    dot = (finished.run_dir / "implications.dot").read_text(encoding="utf-8")
    assert "Equation16: x = y ◇ (y ◇ x)" in dot


def test_counterexamples_are_tables_one_witness_per_refuted_class_pair(finished):
    text = finished.report_path.read_text(encoding="utf-8")
    classes = [re.findall(r"(Equation\d+) \(", line)
               for line in section(text, "Equivalence classes").splitlines() if re.match(r"\d+\. ", line)]
    class_of = {name: k for k, members in enumerate(classes) for name in members}
    laws = {item.name: str(item.law) for item in finished.config.domain.named_laws}
    with Memory.open(finished.memory_path) as memory:
        refuted = {(class_of[c.data["hypothesis"]], class_of[c.data["conclusion"]])
                   for c in memory.claims(status="refuted")}
        searched = {e.payload["example"] for e in memory.evidence(kind="counterexample")
                    if len(e.payload["table"]) >= 4}
    assert searched, "the targeted search found a magma of size 4"
    part = section(text, "Counterexamples")
    witnesses = re.split(r"\n### W\d+: ", part)[1:]
    assert {w.split("`")[1] for w in witnesses} >= searched, "every magma found by search is shown"
    covered = set()
    for witness in witnesses:
        code = witness.split("`")[1]
        rows = [line for line in witness.splitlines() if line.startswith("| **")]
        table = [[int(cell) for cell in row.strip("|").split("|")[1:]] for row in rows]
        assert table == decode_example_id(code), "the table shown is the magma the code names"
        pairs = witness.split("the second: ", 1)[1].split(".\n")[0]
        for group in pairs.split("; "):
            first, targets = group.split(" ⇏ ")
            for part_ in targets.split(", "):
                low, _, high = part_.partition("–")
                for second in range(int(low), int(high or low) + 1):
                    i, j = int(first) - 1, second - 1
                    covered.add((i, j))
                    # The witness really separates the classes: checked here, by the test's own evaluator.
                    assert law_holds(table, laws[classes[i][0]]) and not law_holds(table, laws[classes[j][0]])
    assert covered == refuted, "each refuted pair of classes has its witness, and only those"


def e_proof_blocks(run) -> list[tuple[str, str, str]]:
    """(hypothesis, conclusion, chain) of each E proof the report shows; at least one must be shown."""
    part = section(run.report_path.read_text(encoding="utf-8"), "Proofs by the E prover")
    blocks = re.findall(r"### (Equation\d+) ⇒ (Equation\d+)\n\n.*?\n\n```\n(.*?)```", part, re.S)
    assert blocks, "at least one proof is shown as a chain"
    return blocks


@pytest.mark.skipif(shutil.which("eprover") is None, reason="the E prover is not installed")
def test_e_proofs_are_readable_equational_chains(finished):
    blocks = e_proof_blocks(finished)
    laws = {item.name: item.law for item in finished.config.domain.named_laws}
    for a, b, chain in blocks:
        lines = chain.strip().splitlines()
        assert lines[0].startswith("h:    ∀ ")
        goal = lines.index(next(line for line in lines if line.startswith("goal: ")))
        statement = lines[goal].removeprefix("goal: ").split(", ", 1)[1]
        assert statement == str(laws[b]), "the chain ends with the conclusion as stated"
        lhs, rhs = statement.split(" = ", 1)
        assert lines[goal + 1].strip() == lhs and lines[-1].strip().startswith(f"= {rhs}    [")


def test_the_export_decodes_its_magma_codes(finished, capsys):
    assert main(["export", str(finished.path), "--format", "json"]) == 0
    out = capsys.readouterr().out
    found = re.search(r"counterexample (magma\d+:[0-9\[\]]+) \(x ◇ y by rows: ([0-9 /]+)\)", out)
    assert found and table_rows(decode_example_id(found.group(1))) == found.group(2)


@pytest.mark.skipif(shutil.which("eprover") is None, reason="the bulk engine's prover is the E prover")
def test_a_bulk_export_names_each_magma_by_its_table(write_project, capsys):
    path = write_project(name="bulkcodes", laws='"etp:1-8"', extra='engine = "bulk"')
    assert main(["run", "--quiet", str(path)]) == 0
    capsys.readouterr()
    assert main(["export", str(path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    refuted = [row for row in rows if row["status"] == "refuted"]
    assert refuted
    for row in refuted:
        found = re.fullmatch(r"counterexample magma\d+ = (magma\d+:[0-9\[\]]+) \(x ◇ y by rows: ([0-9 /]+)\)",
                             row["evidence"])
        assert found, row["evidence"]
        table = decode_example_id(found.group(1))
        assert table_rows(table) == found.group(2)
        assert law_holds(table, row["lhs_law"]) and not law_holds(table, row["rhs_law"])


@pytest.fixture(scope="module")
def bulk_finished(tmp_path_factory):
    if shutil.which("eprover") is None:
        pytest.skip("the bulk engine's prover is the E prover, not installed here")
    path = tmp_path_factory.mktemp("bulkdetails") / "project.toml"
    path.write_text(project_text(name="bulkdetails", laws=LAWS, extra='engine = "bulk"'), encoding="utf-8")
    project = load_project(path)
    assert run_project(project).status == "done"
    return project


def test_a_bulk_report_gives_each_law_its_formula_in_the_classes_and_the_diagram(bulk_finished):
    text = bulk_finished.report_path.read_text(encoding="utf-8")
    classes = section(text, "Equivalence classes")
    assert "Equation3 (`x = x ◇ x`)" in classes and "Equation16 (`x = y ◇ (y ◇ x)`)" in classes
    listed = [re.findall(r"(Equation\d+) \(", line) for line in classes.splitlines() if re.match(r"\d+\. ", line)]
    assert sorted(name for members in listed for name in members) == \
        sorted(item.name for item in bulk_finished.config.domain.named_laws), "every law in one class"
    full = (bulk_finished.run_dir / "classes.md").read_text(encoding="utf-8")
    assert "Equation29 (`" in full
    dot = (bulk_finished.run_dir / "implications.dot").read_text(encoding="utf-8")
    assert "Equation16: x = y ◇ (y ◇ x)" in dot and " -> " in dot


def test_a_bulk_report_shows_the_magmas_found_by_search_as_tables(bulk_finished):
    text = bulk_finished.report_path.read_text(encoding="utf-8")
    part = section(text, "Counterexamples of size 4 and more")
    laws = {item.name: str(item.law) for item in bulk_finished.config.domain.named_laws}
    magmas = re.split(r"\n### magma\d+: ", part)[1:]
    assert magmas, "the targeted search found a magma of size 4"
    for magma in magmas:
        code = magma.split("`")[1]
        rows = [line for line in magma.splitlines() if line.startswith("| **")]
        table = [[int(cell) for cell in row.strip("|").split("|")[1:]] for row in rows]
        assert len(table) >= 4 and table == decode_example_id(code)
        pairs = re.findall(r"^- (Equation\d+) \(`.*?`\) ⇏ (Equation\d+) \(", magma, re.M)
        assert pairs, "each magma names the pairs it refutes"
        for a, b in pairs:  # checked by the test's own evaluator
            assert law_holds(table, laws[a]) and not law_holds(table, laws[b])


def test_a_bulk_report_shows_e_proofs_as_equational_chains(bulk_finished):
    blocks = e_proof_blocks(bulk_finished)
    laws = {item.name: item.law for item in bulk_finished.config.domain.named_laws}
    for _a, b, chain in blocks:
        lines = chain.strip().splitlines()
        goal = lines.index(next(line for line in lines if line.startswith("goal: ")))
        statement = lines[goal].removeprefix("goal: ").split(", ", 1)[1]
        assert statement == str(laws[b]), "the chain ends with the conclusion as stated"

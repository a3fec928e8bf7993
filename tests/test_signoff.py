"""Durable sign-off: a report a person decided on keeps that decision and that text."""

from __future__ import annotations

from mathteam import review
from mathteam.cli import main
from mathteam.memory import Memory
from mathteam.project import load_project
from mathteam.runner import run_project

# Laws whose conjectures a person is asked about (a certificate settles the others unasked).
LAWS = '"etp:3-5,8,9,23"'


def memory_of(path) -> Memory:
    return Memory.open(load_project(path).memory_path)


def decide_report(path, decision: str, who: str, **kwargs) -> None:
    with memory_of(path) as memory:
        [item] = [i for i in review.pending(memory) if i.gate == "report"]
        review.decide(memory, item.id, decision, who, **kwargs)


def signed_project(write_project, decision: str, who: str = "dana", **kwargs):
    path = write_project(name="signed", laws=LAWS, approval='gates = ["report"]')
    assert run_project(load_project(path)).status == "paused"
    project = load_project(path)
    draft = project.report_path.read_text(encoding="utf-8")
    decide_report(path, decision, who, **kwargs)
    assert run_project(project).status == "done"
    return path, project, draft


def test_a_rejected_report_keeps_its_banner_and_text_when_the_report_is_rewritten(write_project, capsys):
    path, project, draft = signed_project(write_project, "rejected", reason="the classes are wrong")
    decided = project.report_path.read_text(encoding="utf-8")
    assert decided.startswith("> **Not approved** by dana at ")
    assert "the classes are wrong" in decided.splitlines()[0]
    capsys.readouterr()
    assert main(["report", str(path)]) == 0
    out, err = capsys.readouterr()
    assert project.report_path.read_text(encoding="utf-8") == decided, "report.md is the decided text"
    new = project.run_dir / "report.draft.md"
    assert out.strip() == str(new) and new.exists() and "Not approved" not in new.read_text(encoding="utf-8")
    assert "keeps the decision on it: rejected by dana" in err


def test_a_reviewers_edited_report_is_never_overwritten_by_the_generated_one(write_project, tmp_path, capsys):
    path = write_project(name="edited", laws=LAWS, approval='gates = ["report"]')
    run_project(load_project(path))
    mine = tmp_path / "mine.md"
    mine.write_text("# My own account\n\nOnly what I checked myself.\n", encoding="utf-8")
    with memory_of(path) as memory:
        [item] = review.pending(memory)
    assert main(["review", str(path), "edit", str(item.id), "--file", str(mine), "--as", "erin"]) == 0
    assert run_project(load_project(path)).status == "done"
    report = load_project(path).report_path
    assert main(["report", str(path)]) == 0
    text = report.read_text(encoding="utf-8")
    assert text.startswith("> **Written and signed off** by erin at ")
    assert text.endswith("# My own account\n\nOnly what I checked myself.\n")


def test_an_approved_report_names_who_signed_it_and_counts_the_decision(write_project):
    path, project, draft = signed_project(write_project, "approved", comment="checked the classes")
    text = project.report_path.read_text(encoding="utf-8")
    first, _, rest = text.partition("\n\n")
    assert first.startswith("> **Signed off** by dana at ") and "checked the classes" in first
    assert "| dana | report | approved | 1 |" in rest, "the report's own decision is in the table"
    added = "\n\n| person | gate | decision | items |\n|---|---|---|---|\n| dana | report | approved | 1 |"
    assert rest.count(added) == 1 and rest.replace(added, "") == draft, "the very text signed, nothing else"
    with memory_of(path) as memory:
        assert memory.task("report").status == "done"


def test_after_a_rejection_a_new_sign_off_can_be_requested_and_decided(write_project, capsys):
    path, project, _ = signed_project(write_project, "rejected", reason="too early")
    assert main(["report", str(path), "--request-sign-off", "--as", "dana"]) == 0
    draft = project.run_dir / "report.draft.md"
    assert "a new sign-off of report.draft.md is asked for" in capsys.readouterr().err
    asked = draft.read_text(encoding="utf-8")
    assert main(["report", str(path), "--request-sign-off"]) == 2, "one request at a time"
    assert "waits for a decision" in capsys.readouterr().err
    assert run_project(project).status == "paused"
    with memory_of(path) as memory:
        assert memory.task("report").status == "pending"
        [item] = review.pending(memory)
        assert item.gate == "report" and item.evidence["text"] == asked
    decide_report(path, "approved", "frank")
    assert run_project(project).status == "done"
    text = project.report_path.read_text(encoding="utf-8")
    assert text.startswith("> **Signed off** by frank at ") and "Not approved" not in text
    assert "| dana | report | rejected | 1 |" in text and "| frank | report | approved | 1 |" in text
    assert not draft.exists(), "the draft signed off is report.md now"


def test_rejected_conjectures_have_their_own_section_not_open_questions(write_project):
    path = write_project(name="rejecting", laws=LAWS, approval='gates = ["conjecture"]')
    run_project(load_project(path))
    with memory_of(path) as memory:
        by_subject = {item.subject: item.id for item in review.pending(memory)}
    assert main(["review", str(path), "reject", str(by_subject["Equation3=>Equation8"]),
                 "--reason", "not interesting", "--as", "gia"]) == 0
    assert main(["review", str(path), "approve", "--gate", "conjecture", "--as", "gia"]) == 0
    assert run_project(load_project(path)).status == "done"
    text = load_project(path).report_path.read_text(encoding="utf-8")
    open_part = text.split("## Open questions")[1].split("\n## ")[0]
    assert "Equation3" not in open_part or "Equation8" not in open_part
    section = text.split("## Conjectures rejected or replaced by a reviewer")[1].split("\n## ")[0]
    row = next(line for line in section.splitlines() if "Equation3" in line and "Equation8" in line)
    assert "| conjecture | rejected | gia at " in row and "not interesting" in row

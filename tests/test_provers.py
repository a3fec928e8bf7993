"""Choosing a prover: E when installed, z3 otherwise, or the one asked for."""

from __future__ import annotations

import pytest

from mathteam.domains.magma.terms import parse_law
from mathteam.tools import provers
from mathteam.tools.errors import ToolUnavailable
from mathteam.tools.results import Proved

HYPOTHESIS, CONCLUSION = parse_law("x = x ◇ y"), parse_law("x ◇ y = x ◇ z")


def test_without_e_auto_falls_back_to_z3(monkeypatch):
    monkeypatch.setattr(provers, "find_eprover", lambda: None)
    assert provers.available_provers() == ("z3",)
    result = provers.prove(HYPOTHESIS, CONCLUSION, 2)
    assert isinstance(result, Proved) and result.tool == "z3"


def test_with_e_auto_uses_e(monkeypatch):
    calls = []
    monkeypatch.setattr(provers, "find_eprover", lambda: "/opt/e/eprover")
    monkeypatch.setattr(provers, "prove_with_e", lambda *args, **kwargs: calls.append(args) or "from E")
    assert provers.available_provers() == ("eprover", "z3")
    assert provers.prove(HYPOTHESIS, CONCLUSION, 2) == "from E"
    assert calls == [(HYPOTHESIS, CONCLUSION, 2)]


def test_z3_can_be_asked_for_even_when_e_is_installed(monkeypatch):
    monkeypatch.setattr(provers, "find_eprover", lambda: "/opt/e/eprover")
    assert provers.prove(HYPOTHESIS, CONCLUSION, 2, prefer="z3").tool == "z3"


def test_asking_for_a_missing_e_is_tool_unavailable(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolUnavailable):
        provers.prove(HYPOTHESIS, CONCLUSION, 2, prefer="eprover")


def test_unknown_prover_name_is_rejected():
    with pytest.raises(ValueError, match="unknown prover"):
        provers.prove(HYPOTHESIS, CONCLUSION, 2, prefer="vampire")

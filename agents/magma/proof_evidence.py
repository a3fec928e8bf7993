"""Turning proofs into evidence rows, and the checks that decide whether each is accepted."""

from __future__ import annotations

import dataclasses
import re

from mathteam.agents.magma.question import MagmaQuestion
from mathteam.domains.magma import syntactic
from mathteam.domains.magma.laws import canonical_key
from mathteam.memory import Evidence, Memory
from mathteam.tools.results import Proved

_E_THEOREM = re.compile(r"^# SZS status Theorem\b", re.MULTILINE)


def certificate_payload(certificate: syntactic.Certificate) -> dict:
    """A syntactic certificate as JSON (terms become nested lists)."""
    return {"certificate": type(certificate).__name__, **dataclasses.asdict(certificate)}


def atp_accepts(result: Proved) -> bool:
    """Read the verdict again from the prover's own output, not from our parse of it."""
    if result.tool == "eprover":
        return bool(_E_THEOREM.search(result.output)) and "# Proof found!" in result.output
    if result.tool == "z3":
        return result.status_line == "unsat" and "; unsat" in result.output
    return False


def atp_evidence(claim_id: str, result: Proved) -> Evidence:
    return Evidence(
        claim_id=claim_id, kind="atp_proof", verdict="proves", accepted=atp_accepts(result),
        checker=f"{result.tool} status line re-read from its output",
        payload={"tool": result.tool, "version": result.version, "status_line": result.status_line,
                 "seconds": round(result.seconds, 3), "output": result.output})


def chain_is_proved(memory: Memory, chain: list[str], start: str, goal: str) -> bool:
    """Each link is a proved claim with accepted evidence, and the links meet end to end."""
    at = start
    for link in chain:
        claim = memory.claim(link)
        if claim is None or claim.status != "proved" or claim.data["hypothesis"] != at:
            return False
        if not any(e.accepted and e.verdict == "proves" for e in memory.evidence(link)):
            return False
        at = claim.data["conclusion"]
    return at == goal


def dual_names(question: MagmaQuestion) -> dict[str, str]:
    """For each law of the question whose mirror image is also in it, the mirror's name."""
    by_key = {canonical_key(item.law): item.name for item in question.named}
    return {item.name: by_key[key] for item in question.named
            if (key := canonical_key(item.law.dual())) in by_key}

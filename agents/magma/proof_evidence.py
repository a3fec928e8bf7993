"""Turning proofs into evidence rows, and the checks that decide whether each is accepted."""

from __future__ import annotations

import dataclasses

from mathteam.domains.magma import syntactic
from mathteam.memory import Memory


def certificate_payload(certificate: syntactic.Certificate) -> dict:
    """A syntactic certificate as JSON (terms become nested lists)."""
    return {"certificate": type(certificate).__name__, **dataclasses.asdict(certificate)}


def chain_is_proved(memory: Memory, chain: list[str], start: str, goal: str) -> bool:
    """Each link is a proved claim with accepted evidence, and the links meet end to end."""
    at = start
    for link in chain:
        claim = memory.claim(link)
        if claim is None or claim.status not in ("proved", "formally_verified") or claim.data["hypothesis"] != at:
            return False
        if not any(e.accepted and e.verdict == "proves" for e in memory.evidence(link)):
            return False
        at = claim.data["conclusion"]
    return at == goal

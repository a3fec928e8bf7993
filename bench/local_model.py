"""Local model figures for any configured model: speed, structured-output parsing, and a free-form run.

    python bench/local_model.py                                   # projects/freeform-local.toml, its planner's model
    python bench/local_model.py projects/freeform-example.toml --model local --repeats 5
    python bench/local_model.py --no-project                      # speed and parsing only

Reports, as JSON in bench/runs/local_model/<project>/result.json and on stdout:
- tokens per second (completion tokens over the time from the first streamed piece to the last) and
  time to the first streamed piece, over ``--speed-requests`` streamed requests (short prompts, the
  server already up); and the time to the first piece of each role's first, not yet cached prompt;
- the share of structured replies (every free-form role's prompt and reply schema, ``--repeats`` times
  each) that parse without a repair request, with one repair, and not at all;
- the wall time of the free-form project, run unattended from a fresh copy of its file;
- how many claims ended proved, refuted, checked or formally verified without accepted checker
  evidence (must be 0), and how many of the settled claims a model proposed.
A ``llama_cpp`` model's server is started here (its log beside the result); any other model must be up.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

from pydantic import BaseModel, Field

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from _common import machine  # noqa: E402

from mathteam.agents.freeform.compute import CodeCandidates  # noqa: E402
from mathteam.agents.freeform.conjectures import Conjectures  # noqa: E402
from mathteam.agents.freeform.lean import LeanDrafts  # noqa: E402
from mathteam.agents.freeform.plan import Plan  # noqa: E402
from mathteam.agents.freeform.proofs import InformalProof  # noqa: E402
from mathteam.agents.llm.brain import prompt  # noqa: E402
from mathteam.agents.llm.writer import Prose  # noqa: E402
from mathteam.errors import MathTeamError  # noqa: E402
from mathteam.memory import SETTLED, Memory  # noqa: E402
from mathteam.memory.audit import is_model_authored, unbacked_claims  # noqa: E402
from mathteam.project import load_project  # noqa: E402
from mathteam.runner import run_project  # noqa: E402
from mathteam.tools.errors import ToolError  # noqa: E402
from mathteam.tools.models import ModelClient, ModelSettings, Parsed  # noqa: E402
from mathteam.tools.models.llama_server import LocalServers  # noqa: E402
from mathteam.tools.models.providers import LlamaCppChat  # noqa: E402

ROLE_SCHEMAS = {"planner": Plan, "example_generator": CodeCandidates, "conjecturer": Conjectures,
                "prover": InformalProof, "formalizer": LeanDrafts, "writer": Prose}
SPEED_ASK = "Explain in about 150 words why the sum of two even numbers is even."


class Essay(BaseModel):
    text: str = Field(max_length=1000)
    """About 250 tokens at most: long enough to time the decoding, short enough to end before max_tokens."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", default=str(REPO / "projects" / "freeform-local.toml"))
    parser.add_argument("--model", help="the [models] name to measure (default: the planner's model)")
    parser.add_argument("--speed-requests", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3, help="structured requests per role schema")
    parser.add_argument("--no-project", action="store_true", help="skip the free-form project run")
    parser.add_argument("--out", help="result folder (default bench/runs/local_model/<project>)")
    args = parser.parse_args(argv)
    try:
        project = load_project(args.project)
    except MathTeamError as error:
        print(f"Error: {error.one_line()}", file=sys.stderr)
        return 2
    name = args.model or project.config.team.planner
    if name not in project.config.models:
        print(f"Error: {args.project}: no model {name!r} under [models]", file=sys.stderr)
        return 2
    settings = project.config.models[name]
    out = Path(args.out) if args.out else REPO / "bench" / "runs" / "local_model" / project.name
    out.mkdir(parents=True, exist_ok=True)
    result: dict = {"machine": machine(), "project": str(project.path), "model": name,
                    "settings": settings.model_dump(mode="json"), "command": " ".join(sys.argv)}
    with LocalServers(out, project.path.parent) as servers:
        try:
            client = _client(name, settings, servers)
        except ToolError as missing:
            print(f"Error: model {name!r}: {missing.message}", file=sys.stderr)
            return 2
        if settings.provider == "llama_cpp":  # started before the clock: no timed request waits for it
            server_started = time.monotonic()
            servers.server(name, settings).ensure_running()
            result["server_start_seconds"] = round(time.monotonic() - server_started, 2)
        started = time.monotonic()
        # The speed essay keeps its own cap: the project's max_string_chars would cut it to a few tokens.
        essay_settings = settings.model_copy(update={"max_string_chars": None})
        result["speed"] = speed(_client(name, essay_settings, servers), args.speed_requests)
        result["parsing"] = parsing(client, project.config.project.goal, args.repeats)
        result["measure_seconds"] = round(time.monotonic() - started, 1)
        if settings.provider == "llama_cpp":
            server = servers.server(name, settings)
            result["server"] = {"binary": str(server.spec.binary), "model_file": str(server.spec.model_file),
                                "model_mb": round(server.spec.model_file.stat().st_size / 1e6, 1),
                                "starts": server.starts}
    if not args.no_project:
        result["project_run"] = project_run(project, out)
    (out / "result.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


def _client(name: str, settings: ModelSettings, servers: LocalServers) -> ModelClient:
    if settings.provider == "llama_cpp":
        return ModelClient(name, settings, provider=LlamaCppChat(settings, servers.server(name, settings)))
    return ModelClient(name, settings)


def speed(client: ModelClient, requests: int) -> dict:
    """Streamed requests: time to the first piece, and completion tokens per second after it."""
    first_piece, rates, failed = [], [], 0
    for number in range(requests):
        marks: list[float] = []
        sent = time.monotonic()
        # Each request's own question: the server reuses a prompt it has seen, so a repeated one would
        # time its cache rather than the model (the shared instruction before it is cached all the same).
        ask = f"{SPEED_ASK} Number the argument as case {number + 1}."
        reply = client.complete([{"role": "user", "content": ask}], Essay,
                                on_token=lambda text, request: marks.append(time.monotonic()))
        ended = time.monotonic()
        if not marks or reply.usage.requests != 1 or not reply.usage.tokens_out:
            failed += 1
            continue
        first_piece.append(marks[0] - sent)
        if ended > marks[0] and reply.usage.tokens_out > 1:
            rates.append((reply.usage.tokens_out - 1) / (ended - marks[0]))
    return {"requests": requests, "failed_or_retried": failed,
            "time_to_first_token_s": _summary(first_piece), "tokens_per_second": _summary(rates)}


def parsing(client: ModelClient, goal: str, repeats: int) -> dict:
    """Every free-form role's own prompt and reply schema: parsed at once, after one repair, or not at all.

    Also the time to the first streamed piece of a role's first request, whose prompt (the role's system
    prompt, the reply schema, the goal: 300 to 1,400 tokens) the server has not seen: a run's cold start.
    """
    counts = {"first_try": 0, "after_one_repair": 0, "unparseable": 0, "failed": 0}
    by_role: dict[str, dict[str, int]] = {}
    cold_first_piece: list[float] = []
    prompt_tokens: list[int] = []
    for role, schema in ROLE_SCHEMAS.items():
        mine = by_role.setdefault(role, dict.fromkeys(counts, 0))
        for repeat in range(repeats):
            messages = [{"role": "system", "content": prompt(role)},
                        {"role": "user", "content": f"# Goal\n\n{goal}\n\nDo your part for this goal."}]
            marks: list[float] = []
            sent = time.monotonic()
            reply = client.complete(messages, schema, role=role,
                                    on_token=lambda text, request: marks.append(time.monotonic()))
            outcome = reply.outcome
            if repeat == 0 and marks:
                cold_first_piece.append(marks[0] - sent)
                prompt_tokens.append(reply.usage.tokens_in)
            kind = ("after_one_repair" if outcome.repaired else "first_try") if isinstance(outcome, Parsed) \
                else "unparseable" if outcome.outcome == "unparseable" else "failed"
            counts[kind] += 1
            mine[kind] += 1
    total = sum(counts.values())
    return {"replies": total, **counts,
            "share_first_try": round(counts["first_try"] / total, 3) if total else None,
            "share_within_one_repair": round((counts["first_try"] + counts["after_one_repair"]) / total, 3)
            if total else None, "by_role": by_role,
            "cold_time_to_first_token_s": _summary(cold_first_piece),
            "cold_prompt_tokens": _summary([float(n) for n in prompt_tokens])}


def project_run(project, out: Path) -> dict:
    """The project from a fresh copy of its file: wall time, outcome, and the audit of every settled claim."""
    folder = out / "project"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    copy = folder / project.path.name
    text = project.path.read_text(encoding="utf-8")
    copy.write_text(text, encoding="utf-8")
    fresh = load_project(copy)  # its run folder lands beside the copy, inside the bench folder
    started = time.monotonic()
    outcome = run_project(fresh, approve_all=True)
    wall = time.monotonic() - started
    with Memory.open(fresh.memory_path) as memory:
        claims = memory.claims()
        requests = [e.outputs for e in memory.events() if e.action == "model request"]
        unbacked = unbacked_claims(memory)
        settled_by_model_authors = [c for c in claims if is_model_authored(c) and c.status in (*SETTLED, "checked")]
        failed_steps = sum(1 for e in memory.events() if e.action == "model step failed")
    return {
        "wall_seconds": round(wall, 1), "status": outcome.status, "stop_reason": outcome.stop_reason,
        "claims": outcome.claims, "model_requests": len(requests),
        "repair_requests": sum(1 for r in requests if r.get("purpose") == "repair"),
        "failed_requests": sum(1 for r in requests if r.get("status") != "ok"),
        "failed_model_steps": failed_steps,
        "model_claims_settled_by_checkers": len(settled_by_model_authors),
        "settled_without_checker_evidence": len(unbacked),
        "unbacked_claim_ids": [c.id for c in unbacked],
        "run_folder": str(fresh.run_dir),
    }


def _summary(values: list[float]) -> dict | None:
    if not values:
        return None
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3), "n": len(values)}


if __name__ == "__main__":
    sys.exit(main())

"""`mathteam doctor`: which external tools are installed, and whether each configured model answers a real request."""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

import httpx2
from pydantic import BaseModel

from mathteam.project import load_project
from mathteam.tools.errors import ToolError
from mathteam.tools.lean_check import PROJECT_ENV, LeanToolchain, find_lean
from mathteam.tools.models import MissingApiKey, ModelClient, ModelSettings, RetryPolicy
from mathteam.tools.models.llama_server import INSTALL as LLAMA_INSTALL
from mathteam.tools.models.llama_server import LocalServers, find_server_binary, installed_model_packages
from mathteam.tools.models.outcomes import Parsed, Unparseable
from mathteam.tools.models.providers import LlamaCppChat
from mathteam.tools.results import FrozenModel
from mathteam.tools.command_runner import Runner, subprocess_runner

INSTALL = {
    "z3": "pip install z3-solver",
    "eprover": "apt-get install -y eprover",
    "lean": ("install elan (https://github.com/leanprover/elan): curl https://raw.githubusercontent.com/leanprover/"
             f"elan/master/elan-init.sh -sSf | sh; then set {PROJECT_ENV} to a Lake project (optional)"),
    "graphviz": "apt-get install -y graphviz",
    "llama-server": LLAMA_INSTALL,
    "local model": LLAMA_INSTALL,
}
PURPOSE = {
    "z3": "required: the prover used when E is not installed",
    "eprover": "optional: a much stronger equational prover (z3 is the fallback)",
    "lean": "optional: without it Lean files are written but marked not checked",
    "graphviz": "optional: renders the implication graph as SVG",
    "llama-server": "optional: serves local GGUF models ([models.NAME] provider = \"llama_cpp\")",
    "local model": "optional: a small GGUF model for provider = \"llama_cpp\" (model_package)",
}
PING_TIMEOUT_S = 30.0


class ToolCheck(FrozenModel):
    """Whether one external tool is usable here."""

    name: str
    """``z3``, ``eprover``, ``lean`` or ``graphviz``."""
    found: bool
    """True when the tool ran (or imported) and gave its version."""
    version: str | None = None
    """Its version line, when found."""
    required: bool
    """Whether a run cannot go without it."""
    detail: str
    """What it is for, or why it was not usable."""
    install: str
    """The command (or steps) that install it."""


class EndpointCheck(FrozenModel):
    """Whether one configured model answered a minimal real request."""

    name: str
    """The key under ``[models]``."""
    provider: str
    """The configured provider."""
    model: str
    """The provider's model identifier."""
    answered: bool
    """True when the endpoint sent back a chat reply."""
    latency_s: float | None = None
    """Seconds the request(s) took, when any was sent."""
    detail: str
    """What happened, in words."""


class GuaranteeCheck(FrozenModel):
    """Whether one guarantee of the Python sandbox is enforced by this kernel."""

    name: str
    """``processes``, ``filesystem``, ``network`` or ``limits``."""
    kernel: bool
    """True when a kernel mechanism enforces it here, whatever the code calls."""
    detail: str
    """Which mechanism, or why the guarantee is weaker here."""


def check_sandbox() -> list[GuaranteeCheck]:
    """What this kernel enforces of the sandbox's guarantees (seccomp, Landlock, namespaces, rlimits)."""
    from mathteam.tools.sandbox import network_namespace_works  # noqa: PLC0415 - only doctor needs it
    from mathteam.tools.sandbox_kernel import kernel_guarantees  # noqa: PLC0415

    checks = []
    for name, enforced, detail in kernel_guarantees():
        if name == "network" and not enforced and network_namespace_works():
            enforced, detail = True, "a private network namespace (no interface but a down loopback); " + detail
        checks.append(GuaranteeCheck(name=name, kernel=enforced, detail=detail))
    return checks


class DoctorReport(FrozenModel):
    """Everything ``mathteam doctor`` found."""

    tools: list[ToolCheck]
    """One check per external tool."""
    endpoints: list[EndpointCheck] = []
    """One check per model in the project file."""
    sandbox: list[GuaranteeCheck] = []
    """What the kernel enforces of the Python sandbox's guarantees."""

    @property
    def ok(self) -> bool:
        """True when every required tool is found and every configured model answered."""
        return all(t.found for t in self.tools if t.required) and all(e.answered for e in self.endpoints)


class _Pong(BaseModel):
    ok: bool


def check_tools(*, runner: Runner = subprocess_runner, which: Callable[[str], str | None] = shutil.which,
                import_module: Callable[[str], object] = importlib.import_module,
                lean_finder: Callable[[], LeanToolchain | None] = find_lean,
                server_finder: Callable[[], Path | None] = find_server_binary,
                model_finder: Callable[[], list[tuple[str, Path]]] = installed_model_packages) -> list[ToolCheck]:
    """Look for z3 (imported), E (``eprover --version``), Lean (``lean --version``), Graphviz (``dot -V``),
    llama.cpp's server (``llama-server --version``) and an installed GGUF model package."""
    checks = [_check_z3(import_module)]
    checks.append(_check_binary("eprover", which("eprover"), ["--version"], runner))
    try:
        toolchain = lean_finder()
    except ToolError as broken:
        checks.append(_tool("lean", None, f"configured but broken: {broken.message}"))
    else:
        checks.append(_check_binary("lean", list(toolchain.command) if toolchain else None, ["--version"], runner))
    checks.append(_check_binary("graphviz", which("dot"), ["-V"], runner))
    server = server_finder()
    checks.append(_at(_check_binary("llama-server", str(server) if server else None, ["--version"], runner), server))
    found = model_finder()
    checks.append(_at(_check_model_package(found), found[0][1] if found else None))
    return checks


def _at(check: ToolCheck, path: Path | None) -> ToolCheck:
    """A found tool's check, saying which file it is (a local model's server and GGUF come from several places)."""
    return check.model_copy(update={"detail": f"{check.detail}; {path}"}) if check.found and path else check


def _check_model_package(found: list[tuple[str, Path]]) -> ToolCheck:
    if not found:
        return _tool("local model", None, "no model package installed")
    package, gguf = found[0]
    size_mb = gguf.stat().st_size / 1e6 if gguf.exists() else 0.0
    return _tool("local model", f"{package}: {gguf.name} ({size_mb:.0f} MB)")


def _check_z3(import_module: Callable[[str], object]) -> ToolCheck:
    try:
        z3 = import_module("z3")
    except ImportError as error:
        return _tool("z3", None, f"cannot import z3 ({error})")
    return _tool("z3", f"z3 {z3.get_version_string()}")  # type: ignore[attr-defined]


def _check_binary(name: str, command: str | list[str] | None, flag: list[str], runner: Runner) -> ToolCheck:
    if command is None:
        return _tool(name, None, "not installed (not on PATH)")
    base = [command] if isinstance(command, str) else command
    try:
        done = runner([*base, *flag], "", 20.0)
    except ToolError as error:
        return _tool(name, None, error.message)
    text = (done.stdout.strip() or done.stderr.strip())  # `dot -V` prints on stderr
    if done.exit_code != 0 or not text:
        return _tool(name, None, f"`{' '.join(base + flag)}` failed (exit {done.exit_code}): {text[:200]}")
    lines = text.splitlines()
    versions = [line for line in lines if line.startswith("version:")]  # llama-server prints devices first
    return _tool(name, (versions or lines)[0])


def _tool(name: str, version: str | None, problem: str = "") -> ToolCheck:
    return ToolCheck(name=name, found=version is not None, version=version, required=name == "z3",
                     detail=PURPOSE[name] if version is not None else f"{problem} — {PURPOSE[name]}",
                     install=INSTALL[name])


def check_models(models: Mapping[str, ModelSettings], *, http_client: httpx2.Client | None = None,
                 environ: Mapping[str, str] = os.environ, base_dir: Path = Path(".")) -> list[EndpointCheck]:
    """Send each model one tiny request (no retries, a short timeout) and report whether it answered.

    A ``llama_cpp`` model's server is started for the request (its log in a temporary folder) and stopped after.
    """
    with tempfile.TemporaryDirectory(prefix="mathteam-doctor-") as logs, \
            LocalServers(Path(logs), base_dir, environ=environ) as servers:
        return [_ping(name, settings, http_client, environ, servers) for name, settings in models.items()]


def _ping(name: str, settings: ModelSettings, http_client: httpx2.Client | None,
          environ: Mapping[str, str], servers: LocalServers) -> EndpointCheck:
    quick = settings.model_copy(update={"max_retries": 0, "max_tokens": 128,
                                        "timeout_s": min(settings.timeout_s, PING_TIMEOUT_S)})
    found = {"name": name, "provider": settings.provider, "model": settings.model}
    provider = None
    if settings.provider == "llama_cpp":
        try:
            provider = LlamaCppChat(quick, servers.server(name, settings), http_client)
        except ToolError as missing:
            return EndpointCheck(**found, answered=False, detail=f"not tried: {missing.message}")
    try:
        client = ModelClient(name, quick, http_client=http_client, environ=environ, provider=provider,
                             retry=RetryPolicy(sleep=_no_sleep))
    except MissingApiKey as missing:
        return EndpointCheck(**found, answered=False, detail=f"not tried: ${missing.env_name} is not set")
    # Asked the way runs ask: with a token callback, so a model that streams in runs streams here too.
    with client:
        reply = client.complete([{"role": "user", "content": 'Reply with the JSON object {"ok": true}.'}], _Pong,
                                role=None, on_token=_ignore_tokens)
    outcome = reply.outcome
    latency = reply.usage.latency_s if reply.usage.requests else None
    if isinstance(outcome, Parsed):
        detail = f"answered ({reply.usage.tokens_in} tokens in, {reply.usage.tokens_out} out)"
    elif isinstance(outcome, Unparseable):
        detail = f"answered, but not with the JSON asked for: {outcome.error}"
    else:
        where = settings.base_url or "the provider's default endpoint"
        detail = f"{_failure(outcome)} (at {where}" + (", streaming)" if settings.stream else ")")
    return EndpointCheck(**found, answered=isinstance(outcome, (Parsed, Unparseable)), latency_s=latency,
                         detail=detail)


def _failure(outcome: BaseModel) -> str:
    kind = getattr(outcome, "outcome", "")
    if kind == "timed_out":
        return f"no answer within {outcome.timeout_s:g} s"  # type: ignore[attr-defined]
    status = getattr(outcome, "status", None)
    where = f"HTTP {status}: " if status else ""
    return f"failed ({getattr(outcome, 'kind', kind)}) {where}{getattr(outcome, 'message', '')}".strip()


def _no_sleep(seconds: float) -> None:
    pass


def _ignore_tokens(text: str, request: int) -> None:
    pass


def doctor(project: Path | None = None, *, tools: list[ToolCheck] | None = None,
           http_client: httpx2.Client | None = None, environ: Mapping[str, str] = os.environ,
           sandbox: list[GuaranteeCheck] | None = None) -> DoctorReport:
    """Check the tools, the sandbox, and the models ``project`` configures (when given)."""
    # The whole project file is validated exactly as `mathteam run` does (same one line, exit 2).
    models = load_project(project).config.models if project is not None else {}
    base_dir = project.resolve().parent if project is not None else Path(".")
    return DoctorReport(tools=tools if tools is not None else check_tools(),
                        endpoints=check_models(models, http_client=http_client, environ=environ, base_dir=base_dir),
                        sandbox=sandbox if sandbox is not None else check_sandbox())


def format_report(report: DoctorReport, project: Path | None = None) -> str:
    lines = ["Tools:"]
    for tool in report.tools:
        mark = "ok     " if tool.found else ("MISSING" if tool.required else "missing")
        lines.append(f"  {mark}  {tool.name:<12} {tool.version or ''}".rstrip())
        lines.append(f"           {tool.detail}")
        if not tool.found:
            lines.append(f"           install: {tool.install}")
    if report.sandbox:
        lines.append("Sandbox (mathteam compute, model-written code):")
    for guarantee in report.sandbox:
        mark = "kernel " if guarantee.kernel else "WEAKER "
        lines.append(f"  {mark}  {guarantee.name:<10} {guarantee.detail}")
    if project is not None:
        lines.append(f"Models in {project}:" if report.endpoints else f"Models in {project}: none configured")
    for end in report.endpoints:
        mark = "answered" if end.answered else "FAILED  "
        timing = f"  {end.latency_s:.2f} s" if end.latency_s is not None else ""
        lines.append(f"  {mark} {end.name} ({end.provider}: {end.model}){timing}")
        lines.append(f"           {end.detail}")
    lines.append("Ready: everything needed is here." if report.ok else "Not ready: see MISSING / FAILED above.")
    return "\n".join(lines)


def doctor_command(project: Path | None, out: TextIO | None = None, *, tools: list[ToolCheck] | None = None,
                   environ: Mapping[str, str] = os.environ) -> int:
    """Print the report; 0 when every required tool and every configured model is there, else 1."""
    report = doctor(project, tools=tools, environ=environ)
    print(format_report(report, project), file=out or sys.stdout)
    return 0 if report.ok else 1

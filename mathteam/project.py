"""The project file: pydantic models that validate it (and document it), and the loader.

A project file is TOML::

    [project]
    name = "quickstart"
    goal = "Which laws of magmas of order at most 2 imply which?"

    [domain]
    kind = "magma_implications"
    laws = "etp:1-46"

    [team]            # a brain per role; "symbolic" (offline) is the default for every role
    [budget]          # wall-clock seconds for the run, prover seconds per problem, ...
    [approval]        # which gates stop for a person; none by default
    [cluster]         # optional: the bulk engine's parallel work as Ray tasks (backend, address, num_cpus)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny, ValidationError, field_validator, model_validator

from mathteam.domain import DOMAINS
from mathteam.domains.section import DomainSection
from mathteam.errors import ProjectFileError
from mathteam.run_folder import NAME_MAX_LENGTH, NAME_PATTERN, read_project_toml, run_folder
from mathteam.tools.cluster import ClusterSettings
from mathteam.tools.models.config import ModelBudget, ModelName, ModelSettings

ROLES = ("planner", "example_generator", "conjecturer", "prover", "formalizer", "writer")
GATES = ("plan", "conjecture", "statement", "run_code", "report")


class Section(BaseModel):
    """Base of every project-file section: immutable, and unknown keys are an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ProjectInfo(Section):
    name: str = Field(pattern=NAME_PATTERN, max_length=NAME_MAX_LENGTH)
    """Short name: names the run folder and the LangGraph thread, so letters, digits, `_ . -`."""
    goal: str = Field(min_length=1)
    """The question, in words; it heads the report."""
    output_dir: str | None = None
    """Where the memory, checkpoints, report and Lean files go; relative paths are taken from the
    project file's folder. Default: `runs/<name>` beside the project file."""


Brain = Annotated[str, Field(min_length=1)]


class Team(Section):
    """The brain each role thinks with: `"symbolic"` (offline, the default) or the name of a model
    under `[models]`."""

    planner: Brain = "symbolic"
    example_generator: Brain = "symbolic"
    conjecturer: Brain = "symbolic"
    prover: Brain = "symbolic"
    formalizer: Brain = "symbolic"
    writer: Brain = "symbolic"
    conjecture_candidates: int = Field(default=4, ge=1, le=16)
    """Best-of-N: how many candidate conjectures one conjecturer request asks for; all are checked."""


class Budget(ModelBudget):
    """Time and effort limits; the model budgets (tokens, cost_usd, calls, model_seconds, and
    per-role tables under `[budget.roles.ROLE]`) come from the model layer."""

    wall_clock_seconds: float = Field(default=3600, gt=0)
    """The run stops at the next step boundary once this much time has been spent, over all
    resumptions, and writes its report."""
    prover_seconds: float = Field(default=2.0, gt=0)
    """CPU seconds the automated prover gets per implication."""
    prover_retry_seconds: float | None = Field(default=None, gt=0)
    """A second, longer prover attempt on what the first left open (bulk engine), if set."""
    search_seconds: float = Field(default=4.0, gt=0)
    """Seconds the targeted counterexample search gets per implication, over all its sizes."""
    workers: int = Field(default=2, ge=1, le=64)
    """Parallel prover/search workers."""
    max_rounds_without_progress: int = Field(default=2, ge=1, le=50)
    """Free-form research loop: stop after this many rounds in a row settle or check nothing new."""

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: dict) -> dict:
        unknown = sorted(set(value) - set(ROLES))
        if unknown:
            raise ValueError(f"unknown role {unknown[0]!r} in [budget.roles] (roles: {', '.join(ROLES)})")
        return value


class Tools(Section):
    prover: Literal["auto", "eprover", "z3"] = "auto"
    """The automated prover: `auto` uses the E prover when it is installed, else z3."""


GateName = Literal["plan", "conjecture", "statement", "run_code", "report"]


class Approval(Section):
    gates: list[GateName] = []
    """Which gates stop the run for a person's decision: `plan` (the task graph), `conjecture`
    (each conjecture before anyone tries to prove it), `statement` (each formal statement before
    it is proved), `run_code` (model-written code before it runs), `report` (the final report)."""
    policy: dict[GateName, Literal["ask", "auto"]] = {}
    """Per gate: `ask` (the default) waits for a person; `auto` approves and records that it did."""
    conjecture_min_examples: int = Field(default=0, ge=0)
    """Narrows the conjecture and statement gates to conjectures whose hypothesis held in at least
    this many computed examples; the others proceed without asking (and the memory says so)."""

    def asks(self, gate: str) -> bool:
        return gate in self.gates and self.policy.get(gate, "ask") == "ask"


class ProjectFile(Section):
    """The whole project file."""

    project: ProjectInfo
    domain: SerializeAsAny[DomainSection]
    """The question: a table whose `kind` names a registered domain (mathteam.domain), which
    gives the model of the rest of the table."""
    models: dict[ModelName, ModelSettings] = {}
    """Models the roles may think with (`[models.NAME]`); keys come from the environment."""
    team: Team = Team()
    budget: Budget = Budget()
    tools: Tools = Tools()
    approval: Approval = Approval()
    cluster: ClusterSettings | None = None
    """`[cluster]`: the bulk engine's parallel work as Ray tasks (`backend = "ray"`, `address`,
    `num_cpus`); without it the work runs in local processes as always."""

    @field_validator("domain", mode="wrap")
    @classmethod
    def _domain_of_its_kind(cls, value: Any, handler) -> DomainSection:
        if isinstance(value, dict) and isinstance(value.get("kind"), str) and value["kind"] in DOMAINS:
            return DOMAINS.settings(value["kind"]).model_validate(value)
        if isinstance(value, DomainSection):
            return value
        if not isinstance(value, dict) or "kind" not in value:
            raise ValueError("[domain] kind: missing (this field is required)")
        known = ", ".join(repr(k) for k in DOMAINS.kinds())
        raise ValueError(f"[domain] kind: unknown domain {value['kind']!r} (known: {known})")

    @model_validator(mode="after")
    def _brains_are_known(self) -> "ProjectFile":
        for role in ROLES:
            brain = getattr(self.team, role)
            if brain != "symbolic" and brain not in self.models:
                known = ", ".join(["'symbolic'", *(repr(name) for name in self.models)])
                raise ValueError(f"[team] {role}: unknown brain {brain!r} (known: {known}; a model "
                                 f"brain needs a [models.{brain}] table)")
        problem = self.domain.team_problem(self.team)
        if problem:
            raise ValueError(problem)
        return self


class Project(BaseModel):
    """A loaded project: its validated file, where it came from, and where its run lives."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    path: Path
    config: ProjectFile

    @property
    def name(self) -> str:
        return self.config.project.name

    @property
    def run_dir(self) -> Path:
        return run_folder(self.path, self.name, self.config.project.output_dir)

    @property
    def memory_path(self) -> Path:
        return self.run_dir / "memory.sqlite"

    @property
    def checkpoint_path(self) -> Path:
        return self.run_dir / "checkpoints.sqlite"

    @property
    def report_path(self) -> Path:
        return self.run_dir / "report.md"


def load_project(path: str | Path) -> Project:
    """Read and validate a project file; every problem becomes one ProjectFileError line."""
    path = Path(path)
    shown = str(path)
    data = read_project_toml(path)
    try:
        config = ProjectFile.model_validate(data)
    except ValidationError as error:
        field, problem = describe_validation_error(error, data)
        raise ProjectFileError(shown, problem, field) from None
    return Project(path=path.resolve(), config=config)


def describe_validation_error(error: ValidationError, data: dict) -> tuple[str, str]:
    """The first problem pydantic found, as (`[section] key`, plain-words problem)."""
    first = error.errors()[0]
    location = [str(part) for part in first["loc"]]
    field = _field_name(location)
    kind = first["type"]
    if location[:2] == ["domain", "claims"] and len(location) > 2 and location[2].isdigit():
        # A claim is named by its position among the file's [[domain.claims]] tables, counting from 1.
        field = " ".join([f"[[domain.claims]] #{int(location[2]) + 1}", *location[3:]])
        if kind == "extra_forbidden":
            from mathteam.domains.freeform.settings import ClaimSpec
            return field, f"unknown field (expected one of: {', '.join(ClaimSpec.model_fields)})"
    if kind == "missing":
        return field, "missing (this field is required)"
    if kind == "extra_forbidden":
        section = location[0] if len(location) > 1 else None
        known = _known_keys(section, data)
        return field, f"unknown field (expected one of: {', '.join(known)})"
    message = re.sub(r"^Value error, ", "", first["msg"])
    if location in ([], ["domain"], ["cluster"]) and message.startswith("["):
        # A whole-file rule (ProjectFile's validator) names its own field.
        field, _, message = message.partition(": ")
    if kind not in ("value_error",) and "input" in first and not isinstance(first["input"], dict):
        message += f" (got {first['input']!r})"
    return field, message


def _field_name(location: list[str]) -> str:
    if not location:
        return "(top level)"
    if len(location) == 1:
        return f"[{location[0]}]"
    if location[0] == "models":  # a model is its own table in the file: [models.NAME]
        rest = ".".join(location[2:])
        return f"[models.{location[1]}] {rest}".rstrip() if rest else f"[models.{location[1]}]"
    rest = ".".join(location[1:])
    return f"[{location[0]}] {rest}"


def _known_keys(section: str | None, data: dict) -> list[str]:
    if section == "domain":
        kind = data.get("domain", {}).get("kind")
        model = DOMAINS.settings(kind) if kind in DOMAINS else DomainSection
    else:
        model = ProjectFile if section is None else ProjectFile.model_fields[section].annotation
        # An optional section (`cluster: ClusterSettings | None`): its table's model.
        model = next((arm for arm in getattr(model, "__args__", ()) if hasattr(arm, "model_fields")), model)
    return list(model.model_fields)  # type: ignore[union-attr]

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
"""

from __future__ import annotations

import re
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mathteam.domains.magma.laws import LawSpecError, NamedLaw, parse_law_spec
from mathteam.errors import ProjectFileError
from mathteam.tools.models.config import ModelBudget, ModelName, ModelSettings

ROLES = ("planner", "example_generator", "conjecturer", "prover", "formalizer", "writer")
GATES = ("plan", "conjecture", "statement", "run_code", "report")


class Section(BaseModel):
    """Base of every project-file section: immutable, and unknown keys are an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ProjectInfo(Section):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80)
    """Short name: names the run folder and the LangGraph thread, so letters, digits, `_ . -`."""
    goal: str = Field(min_length=1)
    """The question, in words; it heads the report."""
    output_dir: str | None = None
    """Where the memory, checkpoints, report and Lean files go; relative paths are taken from the
    project file's folder. Default: `runs/<name>` beside the project file."""


class MagmaImplications(Section):
    kind: Literal["magma_implications"]
    """Which laws of magmas imply which."""
    laws: str | list[str]
    """`"etp:1-46"` (ranges and lists of ETP numbers), or a list mixing `"etp:…"` items and
    equations such as `"Commutative: x ◇ y = y ◇ x"` (`*` may stand for `◇`)."""
    exhaustive_sizes: list[int] = Field(default=[2, 3])
    """Sizes of magmas enumerated exhaustively (every operation table); 4 and up are too many."""
    search_sizes: list[int] = Field(default=[4, 5, 6])
    """Sizes tried by the targeted counterexample search when the prover fails."""
    engine: Literal["auto", "pairs", "bulk"] = "auto"
    """`pairs`: one claim and task per ordered pair (clear, for small questions); `bulk`: the
    engine that works on classes and the implication matrix, for hundreds or thousands of laws;
    `auto`: bulk above 60 laws."""

    @field_validator("laws")
    @classmethod
    def _laws_parse(cls, value: str | list[str]) -> str | list[str]:
        try:
            named = parse_law_spec(value)
        except LawSpecError as error:
            raise ValueError(str(error)) from None
        if len(named) < 2:
            raise ValueError("name at least two laws: the question is which implies which")
        return value

    @field_validator("exhaustive_sizes")
    @classmethod
    def _exhaustive_sizes_small(cls, value: list[int]) -> list[int]:
        if any(size < 1 or size > 3 for size in value):
            raise ValueError("exhaustive search is for sizes 1 to 3 (size 4 has 4^16 tables)")
        return sorted(set(value))

    @field_validator("search_sizes")
    @classmethod
    def _search_sizes_positive(cls, value: list[int]) -> list[int]:
        if any(size < 2 or size > 12 for size in value):
            raise ValueError("search sizes must lie between 2 and 12")
        return sorted(set(value))

    @cached_property
    def named_laws(self) -> list[NamedLaw]:
        """The laws of the question, parsed."""
        return parse_law_spec(self.laws)


class SequenceSpec(Section):
    """One sequence of a sequences project: by a short Python definition of `a(n)`, or by its terms."""

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=60)
    """An identifier: names the sequence's claims and Lean statements."""
    description: str = ""
    """What `a(n)` counts, in words."""
    code: str | None = None
    """Python source defining `a(n)` (standard library only); runs in the computation sandbox."""
    terms: list[int] | None = None
    """The first terms, when there is no definition to run."""
    offset: int = 0
    """The index of the first term."""
    count: int = Field(default=14, ge=4, le=200)
    """How many terms to compute from `code`."""

    @model_validator(mode="after")
    def _one_source(self) -> "SequenceSpec":
        if (self.code is None) == (self.terms is None):
            raise ValueError(f"sequence {self.name!r}: give exactly one of `code` or `terms`")
        if self.terms is not None and len(self.terms) < 4:
            raise ValueError(f"sequence {self.name!r}: give at least 4 terms")
        return self


class Sequences(Section):
    kind: Literal["sequences"]
    """Integer sequences: compute terms, guess formulas and recurrences, prove what can be proved."""
    sequences: list[SequenceSpec] = Field(min_length=1)
    """The sequences, as `[[domain.sequences]]` tables."""


class Freeform(Section):
    kind: Literal["freeform"]
    """A goal in words, worked on by model brains (`[project] goal`); needs a model for the planner."""
    max_tasks: int = Field(default=12, ge=1, le=200)
    """The most tasks the planner may create from the goal."""


Domain = Annotated[Union[MagmaImplications, Sequences, Freeform], Field(discriminator="kind")]
DOMAIN_KINDS = ("magma_implications", "sequences", "freeform")


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
    domain: Domain
    models: dict[ModelName, ModelSettings] = {}
    """Models the roles may think with (`[models.NAME]`); keys come from the environment."""
    team: Team = Team()
    budget: Budget = Budget()
    tools: Tools = Tools()
    approval: Approval = Approval()

    @model_validator(mode="after")
    def _brains_are_known(self) -> "ProjectFile":
        for role in ROLES:
            brain = getattr(self.team, role)
            if brain != "symbolic" and brain not in self.models:
                known = ", ".join(["'symbolic'", *(repr(name) for name in self.models)])
                raise ValueError(f"[team] {role}: unknown brain {brain!r} (known: {known}; a model "
                                 f"brain needs a [models.{brain}] table)")
        if self.domain.kind == "freeform" and self.team.planner == "symbolic":
            raise ValueError("[team] planner: a freeform project needs a model brain: add a "
                             "[models.NAME] table (provider, model, and base_url for a local "
                             "OpenAI-compatible server) and set [team] planner = \"NAME\"")
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
        chosen = self.config.project.output_dir or f"runs/{self.name}"
        return (self.path.parent / chosen).resolve()

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
    if not path.exists():
        raise ProjectFileError(shown, "file not found")
    if path.is_dir():
        raise ProjectFileError(shown, "is a folder, not a project file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ProjectFileError(shown, "not a text file (expected UTF-8 TOML)") from None
    except tomllib.TOMLDecodeError as error:
        raise ProjectFileError(shown, f"not valid TOML: {error}") from None
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
    if location[:1] == ["domain"] and len(location) > 1 and location[1] in DOMAIN_KINDS:
        location = ["domain", *location[2:]]  # pydantic names the union member; the file does not
    field = _field_name(location)
    kind = first["type"]
    if kind == "missing":
        return field, "missing (this field is required)"
    if kind == "extra_forbidden":
        section = location[0] if len(location) > 1 else None
        known = _known_keys(section, data)
        return field, f"unknown field (expected one of: {', '.join(known)})"
    if kind == "union_tag_invalid" and location == ["domain"]:
        known = ", ".join(repr(k) for k in DOMAIN_KINDS)
        return "[domain] kind", f"unknown domain {data.get('domain', {}).get('kind')!r} (known: {known})"
    if kind == "union_tag_not_found" and location == ["domain"]:
        return "[domain] kind", "missing (this field is required)"
    message = re.sub(r"^Value error, ", "", first["msg"])
    if location == [] and message.startswith("["):
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
    rest = ".".join(location[1:])
    return f"[{location[0]}] {rest}"


def _known_keys(section: str | None, data: dict) -> list[str]:
    if section == "domain":
        kind = data.get("domain", {}).get("kind")
        model = {"sequences": Sequences, "freeform": Freeform}.get(kind, MagmaImplications)
    else:
        model = ProjectFile if section is None else ProjectFile.model_fields[section].annotation
    return list(model.model_fields)  # type: ignore[union-attr]

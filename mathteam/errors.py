"""The errors mathteam raises on purpose, each with a stable short code and the exit status it maps to.

    MathTeamError                  code, exit_code=1
    ├── UserError                  exit_code=2: the person can fix it (file, argument, state)
    │   ├── ProjectFileError       path, field, problem        code "project-file"
    │   ├── ReviewError            item_id, problem             code "review"
    │   ├── ContributionError      problem                      code "contribution"
    │   └── NoRunYet               a command needs a run's memory  code "no-run"
    ├── EvidenceError              claim_id, status             code "evidence"
    │                              a claim was asked to change status without accepted evidence:
    │                              always a bug in a role, never the person's fault
    └── InternalError              anything else we detected    code "internal"

Tool outcomes (a prover gave up, Lean found an error) are data, not exceptions: see mathteam.tools.
"""

from __future__ import annotations


class MathTeamError(Exception):
    """Base of every error mathteam raises on purpose."""

    code = "error"
    exit_code = 1
    hint: str | None = None

    def one_line(self) -> str:
        """The message the command line prints: one line, no traceback."""
        return str(self).splitlines()[0] if str(self) else self.code


class UserError(MathTeamError):
    """Bad input from the person: exit code 2."""

    code = "user"
    exit_code = 2


class ProjectFileError(UserError):
    """The project file is missing, is not TOML, or has a bad field."""

    code = "project-file"

    def __init__(self, path: str, problem: str, field: str | None = None):
        self.path = path
        self.field = field
        self.problem = problem
        where = f"{path}: {field}: " if field else f"{path}: "
        super().__init__(where + problem)


class ReviewError(UserError):
    """A review decision that cannot be taken (unknown or decided item, empty reason)."""

    code = "review"

    def __init__(self, problem: str, item_id: int | None = None):
        self.item_id = item_id
        self.problem = problem
        super().__init__(problem)


class ContributionError(UserError):
    """A conjecture or task typed by hand that the team cannot take."""

    code = "contribution"


class NoRunYet(UserError):
    """A command that reads a run's memory was given a project that has not run yet."""

    code = "no-run"


class EvidenceError(MathTeamError):
    """A claim was asked to become proved/refuted/verified without evidence a checker accepted."""

    code = "evidence"

    def __init__(self, claim_id: str, status: str, problem: str):
        self.claim_id = claim_id
        self.status = status
        super().__init__(f"claim {claim_id} cannot become {status}: {problem}")


class InternalError(MathTeamError):
    """An inconsistency mathteam detected in itself."""

    code = "internal"

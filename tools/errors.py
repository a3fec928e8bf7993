"""Infrastructure failures of external tools (a missing binary, a crash); outcomes are not errors.

::

    ToolError                 base; ``tool`` names the tool, ``code`` is stable and short
    ├── ToolUnavailable       the tool is not installed or cannot be started   (tool_unavailable)
    └── ToolCrashed           the tool ran but produced no usable outcome       (tool_crashed)
"""

from __future__ import annotations


class ToolError(Exception):
    """A tool's infrastructure failed; a prover saying "no proof" is a result, never this."""

    code = "tool_error"

    def __init__(self, tool: str, message: str):
        self.tool = tool
        self.message = message
        super().__init__(f"{tool}: {message}")


class ToolUnavailable(ToolError):
    """The tool is not installed, not on PATH, or cannot be executed."""

    code = "tool_unavailable"


class ToolCrashed(ToolError):
    """The tool ran but its output carries no outcome; ``exit_code`` and ``output`` say what it printed."""

    code = "tool_crashed"

    def __init__(self, tool: str, message: str, exit_code: int | None = None, output: str = ""):
        self.exit_code = exit_code
        self.output = output
        super().__init__(tool, message)

"""mathteam core: project files, the project memory, errors and the command line."""

__version__ = "0.1.0"

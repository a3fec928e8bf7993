"""The `mathteam` command: parse arguments, call one library function, print known errors as one line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from mathteam import __version__
from mathteam.errors import MathTeamError

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_PAUSED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
# The approval gates, as mathteam.project.GATES names them (a test keeps the two equal): the
# project module is not imported before the arguments are parsed, so that `review` starts at once.
GATE_NAMES = ("plan", "conjecture", "statement", "run_code", "report")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mathteam",
        description="A team of specialist agents that runs a mathematics project: plan, compute "
                    "examples, conjecture, prove, formalize in Lean, write up.")
    parser.add_argument("--version", action="version", version=f"mathteam {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run", help="run the team headless until done, a gate, or the budget",
        description="Run the team on a project headless. Run it again to resume: finished work is "
                    "not redone. Exit codes: 0 done, 3 paused at an approval gate, 2 bad input, "
                    "5 model steps failed and nothing else could go on (the reason on stderr; a rerun "
                    "retries them), 6 stopped early: a budget is spent (the report says which), "
                    "1 internal error, 130 interrupted.")
    run.add_argument("project", help="the project file (TOML)")
    run.add_argument("--approve-all", action="store_true",
                     help="unattended: approve every gate's items, recording that it did")
    run.add_argument("--quiet", action="store_true", help="no progress bar")

    status = commands.add_parser("status", help="the plan, claims by status, time spent")
    status.add_argument("project", help="the project file (TOML)")

    export = commands.add_parser("export", help="one row per claim, as CSV or JSON")
    export.add_argument("project", help="the project file (TOML)")
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--output", "-o", help="write to this file instead of standard output")

    report = commands.add_parser(
        "report", help="(re)write the report and print its path",
        description="(Re)write the report and print its path. A report a person decided on at the "
                    "report gate keeps that decision and that text in report.md; the new report is "
                    "then written to report.draft.md beside it, and --request-sign-off asks for a "
                    "new sign-off of it (the next `mathteam run` acts on the decision).")
    report.add_argument("project", help="the project file (TOML)")
    report.add_argument("--request-sign-off", action="store_true",
                        help="queue the new report for a person's sign-off at the report gate")
    report.add_argument("--as", dest="reviewer", metavar="NAME", help="who asks for the sign-off")

    review = commands.add_parser(
        "review", help="list, show and decide the items waiting at approval gates",
        description="Without an action, list the items waiting for a decision. The reviewer's name "
                    "comes from --as, else $MATHTEAM_REVIEWER, else the login name. Approve and reject take one id, "
                    "a list with ranges (3,5,10-40), or --gate GATE for every item waiting there "
                    "(with --min-examples N, only conjectures that survived N examples). The next "
                    "`mathteam run` acts on the decisions. Exit code 2 when a decision cannot be "
                    "taken (unknown or already decided item, empty reason, an edit that does not parse).")
    review.add_argument("project", help="the project file (TOML)")
    review.add_argument("--as", dest="reviewer", metavar="NAME", help="who decides")
    actions = review.add_subparsers(dest="action", metavar="ACTION")
    # `--as` is accepted after the action too; SUPPRESS keeps the action's absent value from
    # overwriting one given before it.
    who = argparse.ArgumentParser(add_help=False)
    who.add_argument("--as", dest="reviewer", metavar="NAME", default=argparse.SUPPRESS, help="who decides")
    show = actions.add_parser("show", help="one item with its evidence")
    show.add_argument("item", type=int, metavar="ID")
    # Approve and reject take many items at once: ids and ranges, or every waiting item of a gate.
    many = argparse.ArgumentParser(add_help=False)
    many.add_argument("items", nargs="?", metavar="IDS",
                      help="an item id, or a list with ranges: 3,5,10-40")
    many.add_argument("--gate", choices=GATE_NAMES,
                      help="instead of ids: every item waiting at this gate")
    many.add_argument("--min-examples", type=int, metavar="N",
                      help="only conjectures that survived at least N examples")
    approve = actions.add_parser("approve", parents=[who, many], help="approve one item or many")
    approve.add_argument("--comment", help="a note kept with the decision")
    reject = actions.add_parser("reject", parents=[who, many], help="reject one item or many, with a reason")
    reject.add_argument("--reason", required=True, help="why (required)")
    edit = actions.add_parser("edit", parents=[who], help="replace what an item proposes (e.g. a corrected statement)")
    edit.add_argument("item", type=int, metavar="ID")
    edit.add_argument("--file", required=True, help="the replacement, e.g. 'LAW => LAW' for a conjecture")
    edit.add_argument("--comment", help="a note kept with the decision")

    tui = commands.add_parser(
        "tui", help="the terminal UI: steer the team, watch it work, clear the review queue",
        description="Open the Textual terminal UI on a project: dashboard, plan, claims with their "
                    "evidence, review queue, live log and report; start, pause and resume the team; "
                    "add a conjecture or a task as the person's contribution. Safe to use while a "
                    "headless `mathteam run` works on the same project. The reviewer's name comes "
                    "from --as, else $MATHTEAM_REVIEWER, else the login name.")
    tui.add_argument("project", help="the project file (TOML)")
    tui.add_argument("--as", dest="reviewer", metavar="NAME", help="who decides and contributes")

    compute = commands.add_parser(
        "compute", help="run a Python file in the sandbox and print its output and any limit hit",
        description="Run a Python file in the sandbox (separate process, CPU/memory/wall-clock limits, "
                    "no network, no processes, writes only in a private temporary directory). Prints "
                    "its output, its JSON result (result.json or emit(obj)) and one status line. Exit "
                    "codes: 0 completed, 1 the code failed (exception or non-zero exit), 4 a limit "
                    "stopped or refused it, 2 bad input (missing file, bad limit).")
    compute.add_argument("file", help="the Python file to run")
    compute.add_argument("--timeout", type=float, metavar="S",
                         help="CPU seconds (rounded up to whole seconds); the wall clock allows 2*S+1 "
                              "seconds, so computing hits `cpu` and waiting hits `wall_clock`; "
                              "default 10 CPU / 30 wall-clock")
    compute.add_argument("--memory", type=int, metavar="MB", help="address-space limit in MiB; default 1024")

    doctor = commands.add_parser(
        "doctor", help="which tools are installed and which configured models answer",
        description="Report which tools are installed (z3, E prover, Lean, Graphviz), with the command "
                    "that installs each missing one, and, given a project file, send each model under "
                    "[models] one minimal real request. Exit codes: 0 everything needed is there, "
                    "1 something needed is missing or a model did not answer, 2 bad project file.")
    doctor.add_argument("project", nargs="?", help="a project file (TOML) whose models to try")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except MathTeamError as error:
        print(f"Error: {error.one_line()}", file=sys.stderr)
        if error.hint:
            print(f"Try: {error.hint}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        # The reader went away (`mathteam export … | head`): not an error worth a traceback.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("\nInterrupted. Everything committed is kept; run the same command to resume.",
              file=sys.stderr)
        sys.stderr.flush()
        _stop_local_model_servers()
        # Worker threads may be inside a prover call; every memory write is a transaction, so
        # leaving now loses nothing committed (the same guarantee as kill -9).
        os._exit(EXIT_INTERRUPTED)


def _stop_local_model_servers() -> None:
    """os._exit skips atexit: stop the llama-server processes this run started (if it started any)."""
    servers = sys.modules.get("mathteam.tools.models.llama_server")
    if servers is not None:
        servers.stop_all()


def cmd_run(args: argparse.Namespace) -> int:
    from mathteam.commands import run_command
    return run_command(Path(args.project), approve_all=args.approve_all, quiet=args.quiet)


def cmd_status(args: argparse.Namespace) -> int:
    from mathteam.commands import status_command
    return status_command(Path(args.project))


def cmd_export(args: argparse.Namespace) -> int:
    from mathteam.export import export_command  # reads only: no team, no agents
    return export_command(Path(args.project), args.format, args.output)


def cmd_report(args: argparse.Namespace) -> int:
    from mathteam.commands import report_command
    return report_command(Path(args.project), request_sign_off=args.request_sign_off, reviewer=args.reviewer)


def cmd_review(args: argparse.Namespace) -> int:
    from mathteam.review_command import review_command
    return review_command(Path(args.project), args)


def cmd_tui(args: argparse.Namespace) -> int:
    from mathteam.tui.app import run_tui
    return run_tui(Path(args.project), reviewer=args.reviewer)


def cmd_compute(args: argparse.Namespace) -> int:
    from mathteam.compute_command import compute_command
    return compute_command(Path(args.file), timeout=args.timeout, memory_mb=args.memory)


def cmd_doctor(args: argparse.Namespace) -> int:
    from mathteam.doctor import doctor_command
    return doctor_command(Path(args.project) if args.project else None)


COMMANDS = {"run": cmd_run, "status": cmd_status, "export": cmd_export, "report": cmd_report, "review": cmd_review,
            "compute": cmd_compute, "doctor": cmd_doctor, "tui": cmd_tui}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""User-facing error types: one line that names the file/field/task and what to do.

Library code raises these; only ``cli.py`` turns them into exit codes and prints them.
"""


import json


def json_problem(exc: json.JSONDecodeError, line: int | None = None) -> str:
    """What a JSON parse error says, as a whole phrase: Python's messages that end in "at"
    ("Unterminated string starting at") get their place (``line``: the file's line, for JSON
    Lines, where the decoder only saw one line), and text that stops inside a value says so."""
    where = f"line {exc.lineno if line is None else line} column {exc.colno}"
    text = f"{exc.msg} {where}" if exc.msg.endswith(" at") else exc.msg
    if (exc.doc is not None and not exc.doc[exc.pos:].strip()) or exc.msg.startswith("Unterminated string"):
        text += ": the text ends inside a value (cut short?)"
    return text


class UserError(Exception):
    """A problem with the user's input or setup; reported as one line, exit code 2."""

    exit_code = 2


class ProblemsError(UserError):
    """The problem set cannot be loaded or a row is malformed."""


class SubmissionsError(UserError):
    """A generations file is malformed or names an unknown task."""


class SandboxUnavailable(UserError):
    """The requested jail cannot be used on this machine."""


class InfrastructureError(Exception):
    """The jail or its runner failed; retried on a fresh jail.

    ``code_ran``: the failure came after the program got control, so the program may have caused
    it. After the retries such a failure is SE only when a known-good probe program fails too
    (``executors``); else it is the program's (RE). Before the program runs, it is always SE.
    """

    def __init__(self, message: str = "", *, code_ran: bool = False) -> None:
        super().__init__(message)
        self.code_ran = code_ran

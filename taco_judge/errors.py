"""User-facing error types: one line that names the file/field/task and what to do.

Library code raises these; only ``cli.py`` turns them into exit codes and prints them.
"""


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

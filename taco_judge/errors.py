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
    """The jail or its runner failed (not the submission's fault); becomes verdict SE after retries."""

"""Errors a user can act on, and the process exit codes.

Every error says what went wrong, where, and (``hint``) how to fix it. The CLI
prints them without a traceback.
"""

from __future__ import annotations

EXIT_OK = 0
"""Everything asked for was done."""
EXIT_ERROR = 1
"""Nothing (or nothing usable) was produced; the message says why."""
EXIT_USAGE = 2
"""The command line was wrong (click's own code for usage errors)."""
EXIT_PARTIAL = 3
"""The output was written, but something was skipped or could not be read; findings say what."""
EXIT_CHANGES = 4
"""``dms2msk plan`` found changes to make (like ``terraform plan -detailed-exitcode``)."""


class Dms2mskError(Exception):
    """Base class of errors dms2msk reports to the user."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class InputError(Dms2mskError):
    """An input file or value is missing or malformed."""


class ConfigError(Dms2mskError):
    """A setting (``--config`` file or option) has a value AWS or the provider would reject."""


class AwsError(Dms2mskError):
    """An AWS call failed in a way the user must fix (credentials, permissions, region)."""


class ToolError(Dms2mskError):
    """An external tool (terraform, java) is missing or failed."""

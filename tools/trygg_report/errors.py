"""Failures the user can act on, with trygg's exit codes."""

EXIT_INPUT, EXIT_EXISTS, EXIT_IO, EXIT_INTERRUPTED = 2, 3, 4, 130


class ReportError(Exception):
    """Printed without a traceback, with an exit code."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code

"""Exceptions shown to users: bad input and failed jobs.

Every problem with what a user gave us (a file, a parameter) is an
:class:`InputError`; the dashboard shows its message next to the file and
never a traceback.  Locations are 1-based, as a spreadsheet user counts.
"""
from __future__ import annotations

__all__ = ["InputError", "JobError", "TooLargeError"]


class InputError(ValueError):
    """A problem with user input, explained in words.

    Parameters
    ----------
    message : str
        What is wrong. The file name, row and column are prepended
        automatically when given, so the message need not repeat them.
    file : str, optional
        The file (display name) the problem is in.
    row : int, optional
        1-based **line number in the file** (the header, if any, is line 1).
    column : int or str, optional
        The column: its name from the header when there is one, otherwise
        its 1-based position in the line.
    hint : str, optional
        What the user can do about it; appended to the message.
    value : str, optional
        The offending cell or parameter value, as given.
    parameter : str, optional
        The parameter name, for parameter errors.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: int | str | None = None,
        hint: str | None = None,
        value: str | None = None,
        parameter: str | None = None,
    ) -> None:
        self.reason = message
        self.file = file
        self.row = row
        self.column = column
        self.hint = hint
        self.value = value
        self.parameter = parameter
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = []
        if self.file:
            where.append(f"file '{self.file}'")
        if self.row is not None:
            where.append(f"line {self.row}")
        if self.column is not None:
            col = self.column
            where.append(f"column {col}" if isinstance(col, int) else f"column '{col}'")
        text = (", ".join(where) + ": " if where else "") + self.reason
        if self.hint:
            text = text.rstrip(".") + ". " + self.hint
        return text

    def __reduce__(self):
        # Keep the attributes when dask ships the exception between processes.
        return (_rebuild_input_error, (self.reason, self._fields()))

    def _fields(self) -> dict:
        return dict(file=self.file, row=self.row, column=self.column,
                    hint=self.hint, value=self.value, parameter=self.parameter)

    def located(self, file: str | None) -> "InputError":
        """Return a copy naming `file` (used when the caller knows the name)."""
        fields = self._fields()
        fields["file"] = file or self.file
        return InputError(self.reason, **fields)


def _rebuild_input_error(reason: str, fields: dict) -> InputError:
    return InputError(reason, **fields)


class TooLargeError(InputError):
    """A job that would not fit in memory, refused before it starts: what it would
    need, what there is, and what to do (fewer variables, a bigger cluster)."""


class JobError(RuntimeError):
    """A job failed while computing (R error, lost worker, unreachable scheduler).

    Parameters
    ----------
    message : str
        The reason in words (for an R error, R's own message).
    job_id : str, optional
        The job concerned.
    """

    def __init__(self, message: str, *, job_id: str | None = None) -> None:
        self.job_id = job_id
        super().__init__(message)

    def __reduce__(self):
        return (_rebuild_job_error, (str(self), self.job_id))


def _rebuild_job_error(message: str, job_id: str | None) -> JobError:
    return JobError(message, job_id=job_id)

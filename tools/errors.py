"""One way to turn a pydantic `ValidationError` into the project's messages: `field 'a.b': what is wrong`.

pydantic's own text ("1 validation error for ModelCard ... For further information visit https://...") reads like
a library's, not like this project's. Every place that validates user input (catalogs, feedback files, LLM
settings, eval sets) names the field path and pydantic's one-line message through these helpers instead.
"""

from __future__ import annotations

from pydantic import ValidationError


def field_path(loc: tuple | list, empty: str = "(entry)") -> str:
    """A pydantic error location joined with '.', e.g. ('source', 'hub', 'repo') -> 'source.hub.repo'; `empty` if none."""
    return ".".join(str(part) for part in loc) or empty


def all_errors(e: ValidationError, empty: str = "(entry)") -> list[tuple[str, str]]:
    """Every error of `e` as (field path, message), in pydantic's order."""
    return [(field_path(err["loc"], empty), err["msg"]) for err in e.errors()]


def first_error(e: ValidationError, empty: str = "(entry)") -> tuple[str, str, int]:
    """The first error of `e` as (field path, message, how many further errors there are)."""
    errors = all_errors(e, empty)
    if not errors:  # pydantic never raises an empty ValidationError, but a hand-built one could be
        return empty, str(e), 0
    field, msg = errors[0]
    return field, msg, len(errors) - 1


def describe(e: ValidationError, prefix: str = "", empty: str = "(entry)", count_more: bool = True) -> str:
    """`{prefix}field '{path}': {message}` for the first error, plus ' (and N more)' when there are others.

    With `count_more=False` the further errors are not mentioned (for messages that fix one thing at a time).
    """
    field, msg, more = first_error(e, empty)
    tail = f" (and {more} more)" if count_more and more else ""
    return f"{prefix}field '{field}': {msg}{tail}"


class DamagedStateError(RuntimeError):
    """A file of the data home (the thread store, the index) that cannot be read: the message names the file, what
    moving it aside loses, and how to start again."""


def damaged_state(path, what: str, lost: str, cause: BaseException | str) -> DamagedStateError:
    """`{what} {path} cannot be read ({cause}): move it aside ... ; {lost}`."""
    return DamagedStateError(
        f"{what} {path} cannot be read ({cause}); the file is damaged or was overwritten. Move it aside "
        f"(mv '{path}' '{path}.broken') and run again: a new one is created; {lost}"
    )

"""Where the project keeps its data, and which services it talks to. Read from the environment at call time.

Every `DGPT_*` variable is checked where it is read: a value the project cannot use raises `SettingError`, whose
message names the variable, the value and what is allowed, e.g.
`DGPT_DTYPE='float16x' is not a dtype; use one of fp32, fp16, bf16 (or unset it for the device's default)`.
An unset or empty variable means "use the default".
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlparse


class SettingError(ValueError):
    """An environment variable whose value cannot be used; the message names it, the value and the allowed values."""


def env_value(name: str) -> str | None:
    """The variable's value, or None when it is unset or empty."""
    return os.environ.get(name) or None


def bad_setting(name: str, value: str, problem: str, fix: str, unset: str | None = None) -> SettingError:
    """`{name}={value!r} {problem}; {fix} (or unset it {unset})`."""
    return SettingError(f"{name}={value!r} {problem}; {fix}" + (f" (or unset it {unset})" if unset else ""))


def env_choice(
    name: str,
    allowed: Iterable[str],
    default: str | None = None,
    *,
    what: str = "an allowed value",
    unset: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> str | None:
    """The variable's value if it is one of `allowed` (case and surrounding spaces ignored), else `default` when unset.

    `aliases` maps other accepted spellings to an allowed value; the message lists those too.
    """
    value = env_value(name)
    if value is None:
        return default
    allowed = list(allowed)
    known = {a.lower(): a for a in allowed} | {k.lower(): v for k, v in (aliases or {}).items()}
    hit = known.get(value.strip().lower())
    if hit is None:
        raise bad_setting(name, value, f"is not {what}", f"use one of {', '.join([*allowed, *(aliases or {})])}", unset)
    return hit


def env_float(
    name: str,
    default: float | None = None,
    *,
    minimum: float | None = None,
    above: float | None = None,
    what: str = "a number",
    example: str | None = None,
    unset: str | None = None,
) -> float | None:
    """The variable as a finite float, at least `minimum` and more than `above` where given; `default` when unset."""
    value = env_value(name)
    if value is None:
        return default
    bounds = [f"at least {minimum:g}"] if minimum is not None else []
    bounds += [f"above {above:g}"] if above is not None else []
    fix = "use a number" + (f" {' and '.join(bounds)}" if bounds else "") + (f", e.g. {example}" if example else "")
    try:
        number = float(value.strip())
    except ValueError:
        raise bad_setting(name, value, f"is not {what}", fix, unset) from None  # float()'s own message adds nothing
    if not math.isfinite(number):
        raise bad_setting(name, value, "is not a finite number", fix, unset)
    if (minimum is not None and number < minimum) or (above is not None and number <= above):
        raise bad_setting(name, value, "is out of range", fix, unset)
    return number


def env_url(
    name: str,
    schemes: Iterable[str] = ("http", "https"),
    *,
    example: str = "http://127.0.0.1:8000",
    unset: str | None = None,
) -> str | None:
    """The variable as a SCHEME://HOST[:PORT] address (no path beyond '/', no query); None when unset."""
    value = env_value(name)
    if value is None:
        return None
    schemes = tuple(schemes)
    form = "http(s)" if set(schemes) == {"http", "https"} else "|".join(schemes)
    fix = f"write it as {form}://HOST:PORT, e.g. {example}"
    parsed = urlparse(value.strip())
    if "://" not in value or parsed.scheme not in schemes:
        problem = f"has the scheme '{parsed.scheme}'" if "://" in value else f"does not start with {form}://"
        raise bad_setting(name, value, problem, fix, unset)
    if not parsed.hostname:
        raise bad_setting(name, value, "has no host", fix, unset)
    try:
        parsed.port  # noqa: B018 - urlparse checks the port only when it is read
    except ValueError:
        raise bad_setting(name, value, "has a port that is not a number from 0 to 65535", fix, unset) from None
    if parsed.path not in ("", "/") or parsed.query or parsed.fragment or parsed.params:
        raise bad_setting(name, value, "has a path or query, which would be ignored", fix, unset)
    return value.strip()


def data_home() -> Path:
    """`DGPT_HOME`, else ~/.dgpt. Holds the Chroma index, saved trees and (later) images and threads.

    The directory need not exist yet (it is created when first written); an existing file there is refused.
    """
    value = env_value("DGPT_HOME")
    home = Path(value or Path.home() / ".dgpt").expanduser()
    if value and home.exists() and not home.is_dir():
        raise bad_setting(
            "DGPT_HOME",
            value,
            "is a file, not a directory",
            "point it at a directory, which is created when missing",
            unset="for ~/.dgpt",
        )
    return home


def chroma_url() -> str | None:
    """`DGPT_CHROMA_URL` (e.g. http://127.0.0.1:8000) switches the index to a Chroma server."""
    return env_url("DGPT_CHROMA_URL", unset="to keep the index on disk under DGPT_HOME/chroma")

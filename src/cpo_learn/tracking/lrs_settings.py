"""Where and how ``lrs push`` sends: ``--endpoint``, else the environment, else ``[lrs]`` in ``<home>/config.toml``.

The file is the home's (settings that are not per learner); credentials come from the environment or the file
and are never shown: ``LrsSettings`` leaves the password out of its repr, and no message quotes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cpo_learn.errors import CpoLearnError, UsageError

PUSH_MODES = ("manual", "on-record")


@dataclass(frozen=True)
class LrsSettings:
    """Where and how to push: the endpoint (ending in ``/``), credentials, and the push's limits."""

    endpoint: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never shown, never written anywhere
    push: str = "manual"
    base: str | None = None
    batch_size: int = 50
    timeout: float = 30.0
    retries: int = 4

    @property
    def statements_url(self) -> str:
        """``<endpoint>statements``."""
        return self.endpoint + "statements"


def check_endpoint(endpoint: str) -> str:
    """The endpoint with a trailing ``/``; a ``UsageError`` unless it is an http(s) address without credentials."""
    from urllib.parse import urlsplit

    parts = urlsplit(endpoint.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"the LRS endpoint must be an http(s) address like https://lrs.example.com/xAPI/ "
                         f"(got {endpoint!r})")
    if parts.username or parts.password:
        raise UsageError("the LRS endpoint must not hold credentials: set CPO_LEARN_LRS_USER and "
                         "CPO_LEARN_LRS_PASSWORD (or user and password in [lrs] of config.toml) instead")
    text = endpoint.strip()
    return text if text.endswith("/") else text + "/"


SETTING_KEYS = ("endpoint", "user", "password", "push", "base", "batch_size", "timeout", "retries")
_SETTING_TYPES: dict[str, tuple[type, ...]] = {"batch_size": (int,), "timeout": (int, float), "retries": (int,)}
ENV_ENDPOINT, ENV_USER, ENV_PASSWORD = "CPO_LEARN_LRS_ENDPOINT", "CPO_LEARN_LRS_USER", "CPO_LEARN_LRS_PASSWORD"


def config_path(home: Path) -> Path:
    """``<home>/config.toml``: the settings that are not per learner."""
    return home / "config.toml"


def read_lrs_table(home: Path) -> dict[str, Any]:
    """The ``[lrs]`` table of ``<home>/config.toml`` (empty when there is none), its keys checked."""
    import tomllib

    from cpo_learn.text import did_you_mean

    path = config_path(home)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise CpoLearnError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CpoLearnError(f"{path} is not valid TOML: {exc}; fix it (the [lrs] table is described in "
                            "docs/tracking.md)") from None
    table = data.get("lrs", {})
    if not isinstance(table, dict):
        raise CpoLearnError(f"{path}: 'lrs' must be a table ([lrs])")
    for key, value in table.items():
        if key not in SETTING_KEYS:
            raise CpoLearnError(f"{path}: unknown key '{key}' in [lrs]{did_you_mean(key, SETTING_KEYS, n=1)} "
                                f"(keys: {', '.join(SETTING_KEYS)})")
        wanted = _SETTING_TYPES.get(key, (str,))
        if not isinstance(value, wanted) or isinstance(value, bool):
            raise CpoLearnError(f"{path}: [lrs] {key} has the wrong type ({type(value).__name__})")
    return table


def read_settings(home: Path, environ: Mapping[str, str], endpoint: str | None = None,
                  **overrides: Any) -> LrsSettings | None:
    """The LRS settings: ``endpoint`` (``--endpoint``), else the environment, else ``[lrs]`` in config.toml.

    Credentials come from the environment, else the file; ``overrides`` (options that were given) win over the
    file. None when no endpoint is set anywhere.
    """
    table = read_lrs_table(home)
    chosen = endpoint or environ.get(ENV_ENDPOINT) or table.get("endpoint")
    if not chosen:
        return None
    values = {**table, **{k: v for k, v in overrides.items() if v is not None}}
    push = values.get("push", "manual")
    if push not in PUSH_MODES:
        raise UsageError(f"[lrs] push must be one of {', '.join(PUSH_MODES)} (got {push!r})")
    batch_size, retries, timeout = values.get("batch_size", 50), values.get("retries", 4), values.get("timeout", 30)
    if batch_size < 1 or retries < 0 or timeout <= 0:
        raise UsageError("the batch size must be at least 1, retries at least 0 and the timeout above 0 seconds")
    return LrsSettings(endpoint=check_endpoint(chosen), user=environ.get(ENV_USER) or table.get("user"),
                       password=environ.get(ENV_PASSWORD) or table.get("password"), push=push,
                       base=values.get("base"), batch_size=batch_size, timeout=float(timeout), retries=retries)

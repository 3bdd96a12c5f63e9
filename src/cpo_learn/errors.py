"""Errors a user can cause. The CLI prints their message on one line and exits with ``exit_code``."""

from __future__ import annotations

from cpo_learn.terminal import one_line

__all__ = ["ContentError", "CpoLearnError", "PluginError", "StoreError", "UnknownIdError", "UsageError",
           "one_line"]


class CpoLearnError(Exception):
    """Base class: a problem the user can fix; the message says what is wrong and what to do."""

    exit_code = 1


class UsageError(CpoLearnError):
    """Bad arguments or options (exit 2, like click's own usage errors)."""

    exit_code = 2


class ContentError(CpoLearnError):
    """Content (a pack or a plugin's registrations) is invalid."""


class PluginError(CpoLearnError):
    """A plugin failed to load or raised inside a hook (fatal only in strict mode)."""


class UnknownIdError(CpoLearnError):
    """An id that is not in the catalog or the store; the message lists the closest ids."""


class StoreError(CpoLearnError):
    """The learner store cannot be read or written; the message names the file and how to recover."""

"""What the tests import by name: the built-in plugins, the settings no test may inherit, and small builders.

Kept out of ``conftest.py``: ``tests/`` and ``tests/tracking/`` each have a conftest, both imported as the
module ``conftest``, so ``from conftest import ...`` found the other one whenever both folders were named in
one pytest command.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result

from cpo_learn.app.context import App

BUILTIN_PLUGINS = (
    "education,starting-roles,mid-level,leadership,cpo,continuous-learning,diversify-experience,mentorship"
)

ENV_VARS = (
    "CPO_LEARN_HOME", "CPO_LEARN_LEARNER", "CPO_LEARN_PLUGINS_DIR", "CPO_LEARN_LOAD_PLUGINS",
    "CPO_LEARN_DISABLE_PLUGINS", "CPO_LEARN_STRICT_PLUGINS", "CPO_LEARN_TRACE_PLUGINS", "CPO_LEARN_NO_CACHE",
    "COLUMNS", "NO_COLOR",  # the runner's terminal (xdist workers set COLUMNS): tables are cut only where a test says
)
"""The settings removed from every test's environment: none leaks in from the real one."""

Invoke = Callable[..., Result]


def write(path: Path, text: str) -> Path:
    """Write dedented text, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def module_text(ident: str, **fields: Any) -> str:
    """A valid module file for ``ident`` with front-matter overrides (None removes a key)."""
    data: dict[str, Any] = {
        "id": ident,
        "title": f"Module {ident}",
        "stage": "mid-level",
        "kind": "core",
        "hours": 4,
        "skills": "{analytics: 3}",
        "prerequisites": "[]",
        "outcomes": "[Do one thing, Do another thing]",
    }
    data.update(fields)
    lines = [f"{key}: {value}" for key, value in data.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n## Why it matters\nBecause.\n"


def app_for_home(home: Path) -> App:
    """An App on a home, as the CLI would build it."""
    return App(home_option=str(home))

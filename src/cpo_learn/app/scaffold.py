"""``cpo-learn plugin new``: write an installable plugin package from the templates in scaffold_template/."""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from cpo_learn import __version__
from cpo_learn.content.model import STAGE_IDS
from cpo_learn.errors import CpoLearnError, UsageError

NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
TEMPLATES = Path(__file__).parent / "scaffold_template"
LEVELS = {"education": 1, "starting-roles": 2, "mid-level": 3, "leadership": 4, "cpo": 5}

# template file -> where it goes in the new package ({package} is the import name)
LAYOUT: dict[str, str] = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "__init__.py.tmpl": "src/{package}/__init__.py",
    "pack.toml.tmpl": "src/{package}/pack/pack.toml",
    "module.md.tmpl": "src/{package}/pack/modules/how-we-build-products-here.md",
    "milestone.md.tmpl": "src/{package}/pack/milestones/presented-a-product-review.md",
    "test_plugin.py.tmpl": "tests/test_plugin.py",
}


def check_name(name: str) -> str:
    """A plugin name is lower-case words joined by '-', at most 50 characters, not a built-in stage's name."""
    if not NAME.match(name) or len(name) > 50:
        raise UsageError(f"invalid plugin name '{name}': use lower-case letters, digits and '-', starting with a "
                         "letter (e.g. acme-data)")
    if name in STAGE_IDS or name.startswith("cpo-learn"):
        raise UsageError(f"plugin name '{name}' is taken by cpo-learn itself; choose another (e.g. acme-{name})")
    return name


def create_plugin(name: str, stage: str, directory: Path) -> Path:
    """Write the package for plugin ``name`` into ``directory/name``; refuse to touch an existing folder."""
    check_name(name)
    if stage not in LEVELS:
        raise UsageError(f"unknown stage '{stage}': use one of {', '.join(LEVELS)}")
    target = directory / name
    if target.exists():
        raise CpoLearnError(f"{target} already exists; choose another name or --dir, nothing was written")
    package = "cpo_learn_" + name.replace("-", "_")
    values = {
        "name": name, "package": package, "stage": stage, "level": str(LEVELS[stage]),
        "title": name.replace("-", " ").title(), "core_version": __version__,
    }
    written: list[Path] = []
    try:
        for template, destination in LAYOUT.items():
            path = target / destination.format(package=package)
            path.parent.mkdir(parents=True, exist_ok=True)
            text = Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(values)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise CpoLearnError(f"cannot write {target}: {exc.strerror}; check the folder's permissions") from None
    return target

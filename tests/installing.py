"""Install a package into a throw-away virtual environment that sees this environment's packages.

Creating a full venv with its own pip for every test would cost seconds and network; instead the new venv
gets a ``.pth`` file pointing at the running interpreter's site-packages, and this pip installs into it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path


def make_venv(root: Path) -> Path:
    """A venv at ``root`` that can import everything the test run can; returns its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    python = root / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # addsitedir (not a bare path line) so the outer site's own .pth files, e.g. editable installs, apply too
    outer = sysconfig.get_paths()["purelib"]
    Path(purelib, "outer-environment.pth").write_text(f"import site; site.addsitedir({outer!r})\n")
    return python


def pip_install(python: Path, *args: str) -> None:
    """``pip install --no-deps --no-build-isolation ARGS`` into the venv of ``python`` (no network needed)."""
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                    "--no-build-isolation", *args], check=True, capture_output=True)


def run_in(python: Path, *args: str, home: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m cpo_learn ARGS`` in the venv with its own home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPO_LEARN_")}
    env["CPO_LEARN_HOME"] = str(home)
    return subprocess.run([str(python), "-m", "cpo_learn", *args], capture_output=True, text=True, env=env,
                          cwd=cwd)

"""cpo-learn: a personalised learning curriculum for the product career path up to Chief Product Officer.

Plugins import ``hookimpl`` from here::

    import cpo_learn

    @cpo_learn.hookimpl
    def cpo_learn_register_content(registry):
        registry.load_pack(Path(__file__).parent / "pack")
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pluggy

__version__ = "0.1.0"

PROJECT_NAME = "cpo_learn"

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Marker for plugin hook implementations: ``@cpo_learn.hookimpl``."""



def pack_hook(directory: str | Path) -> Callable[[Any], None]:
    """A ready-made ``cpo_learn_register_content`` implementation that loads the pack in ``directory``.

    A plugin that is only a content pack needs one line::

        cpo_learn_register_content = cpo_learn.pack_hook(Path(__file__).parent / "pack")
    """
    pack = Path(directory)

    def cpo_learn_register_content(registry: Any) -> None:
        registry.load_pack(pack)

    cpo_learn_register_content.__doc__ = f"Load the content pack in {pack.name}/."
    return hookimpl(cpo_learn_register_content)


__all__ = ["PROJECT_NAME", "__version__", "hookimpl", "pack_hook"]

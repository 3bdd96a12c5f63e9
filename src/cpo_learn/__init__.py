"""cpo-learn: a personalised learning curriculum for the product career path up to Chief Product Officer.

Plugins import ``hookimpl`` from here::

    import cpo_learn

    @cpo_learn.hookimpl
    def cpo_learn_register_content(registry):
        registry.load_pack(Path(__file__).parent / "pack")
"""

from __future__ import annotations

# Nothing is imported at run time here: the launcher imports this package for every command, including the
# cached ``--help``, so even ``typing`` and ``pathlib`` would show in start-up time.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from typing import Any

    import pluggy

    hookimpl: pluggy.HookimplMarker

__version__ = "0.1.0"

PROJECT_NAME = "cpo_learn"


def __getattr__(name: str) -> Any:
    # pluggy is imported on first use of ``hookimpl`` so that ``cpo-learn --help`` served from the start-up
    # cache never imports it.
    if name == "hookimpl":
        import pluggy

        marker = pluggy.HookimplMarker(PROJECT_NAME)
        globals()["hookimpl"] = marker
        return marker
    raise AttributeError(f"module 'cpo_learn' has no attribute '{name}'")


def pack_hook(directory: str | Path) -> Callable[[Any], None]:
    """A ready-made ``cpo_learn_register_content`` implementation that loads the pack in ``directory``.

    A plugin that is only a content pack needs one line::

        cpo_learn_register_content = cpo_learn.pack_hook(Path(__file__).parent / "pack")
    """
    from pathlib import Path

    pack = Path(directory)

    def cpo_learn_register_content(registry: Any) -> None:
        registry.load_pack(pack)

    cpo_learn_register_content.__doc__ = f"Load the content pack in {pack.name}/."
    # the catalog cache keys a hook that only loads a pack on that pack's files (host/catalogcache.py)
    cpo_learn_register_content.cpo_learn_pack = pack  # type: ignore[attr-defined]
    marked: Callable[[Any], None] = __getattr__("hookimpl")(cpo_learn_register_content)
    return marked


__all__ = ["PROJECT_NAME", "__version__", "hookimpl", "pack_hook"]

"""Built-in cpo-learn plugin: the `mid-level` content pack (the Markdown files under `pack/`)."""

from pathlib import Path

import cpo_learn

__version__ = cpo_learn.__version__

cpo_learn_register_content = cpo_learn.pack_hook(Path(__file__).parent / "pack")

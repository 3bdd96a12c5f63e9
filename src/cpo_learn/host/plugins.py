"""Finding, loading and calling plugins.

Plugins come from three places: the core's own defaults (``cpo_learn.default_plugins``), the ``cpo_learn``
entry-point group (the built-in career plugins and anything ``pip install``-ed), and ``--plugins-dir``
folders (``*.py`` files and data-only pack directories). Every plugin is loaded and called on its own, so a
broken one is reported with its name and the rest keep working; in strict mode the first problem is fatal.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

import pluggy

from cpo_learn import PROJECT_NAME, hookimpl
from cpo_learn.cache import cache_enabled, mark_unrepeatable
from cpo_learn.errors import PluginError, one_line
from cpo_learn.host import hookspecs
from cpo_learn.host.hookcheck import hook_problem
from cpo_learn.isolation import PluginTimeout, run_contained, timeout_from

if TYPE_CHECKING:
    from cpo_learn.content.catalog import Catalog
    from cpo_learn.content.model import Problem
    from cpo_learn.content.packs import PackInfo
    from cpo_learn.content.registry import Registry

ENTRY_POINT_GROUP = "cpo_learn"
DEFAULT_PLUGINS: tuple[str, ...] = (
    "cpo_learn.default_plugins.vocabulary",
    "cpo_learn.default_plugins.exporters",
    "cpo_learn.default_plugins.lrs_forwarding",
)
CORE_DISTRIBUTION = "cpo-learn"
IN_PROCESS: dict[str, object] = {}
"""Plugins registered in-process (``cpo_learn.testing.registered``, for plugin tests): every host loads them
after the entry points, as source ``test``, in place of an installed plugin of the same name (a folder copy
of that name, e.g. ``validate PATH``, replaces them in turn)."""


@dataclass(frozen=True)
class PluginProblem:
    """One problem a plugin caused; ``content`` marks invalid content (``validate`` lists those item by item)."""

    message: str
    content: bool = False


@dataclass
class PluginRecord:
    """What the core knows about one plugin: where it came from and what it did."""

    name: str
    source: str  # "builtin", "entrypoint" or "dir"
    version: str | None = None
    path: str | None = None
    hooks: list[str] = field(default_factory=list)
    registered: dict[str, int] = field(default_factory=dict)
    problems: list[PluginProblem] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)
    loaded: bool = False
    stands_in_for: str | None = None  # "the installed <value> <version>" when a folder copy replaced it

    @property
    def errors(self) -> list[str]:
        """Every problem's message, in the order they happened."""
        return [problem.message for problem in self.problems]

    @property
    def error(self) -> str | None:
        """The first problem, or None."""
        return self.problems[0].message if self.problems else None


def _names(value: str | None) -> set[str] | None:
    if value is None:
        return None
    return {part.strip() for part in value.split(",") if part.strip()}


class PackPlugin:
    """A data-only pack found in a plugins dir, wrapped as a plugin that loads it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @hookimpl
    def cpo_learn_register_content(self, registry: Any) -> None:
        """Load the pack this plugin stands for."""
        registry.load_pack(self.path)


class PluginHost:
    """The plugin manager plus per-plugin bookkeeping, error reporting and one-at-a-time hook calls."""

    def __init__(
        self,
        plugins_dirs: list[str] | tuple[str, ...] = (),
        strict: bool = False,
        env: Mapping[str, str] | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.env = os.environ if env is None else env
        dirs = list(plugins_dirs)
        env_dirs = self.env.get("CPO_LEARN_PLUGINS_DIR", "")
        dirs.extend(d for d in env_dirs.split(os.pathsep) if d)
        self.plugins_dirs = dirs
        self.strict = strict or self.env.get("CPO_LEARN_STRICT_PLUGINS", "") not in ("", "0", "false", "no")
        self.trace = self.env.get("CPO_LEARN_TRACE_PLUGINS", "") not in ("", "0", "false", "no")
        self.only = _names(self.env.get("CPO_LEARN_LOAD_PLUGINS"))
        self.blocked = _names(self.env.get("CPO_LEARN_DISABLE_PLUGINS")) or set()
        self._pack_infos: dict[Path, PackInfo | None] = {}  # pack.toml of each pack dir, read once
        self.skipped: set[str] = set()
        # name -> a folder copy (pack directory or .py file) that stands in for an installed plugin of that name
        self.stand_ins: dict[str, Path] = {}
        self._installed: dict[str, tuple[str, str | None]] = {}  # stood-in-for name -> (entry point, version)
        self.records: dict[str, PluginRecord] = {}
        self.pm = pluggy.PluginManager(PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.timeout = timeout_from(self.env)
        self.hung: set[str] = set()  # plugins stopped for running past the timeout; skipped from then on
        self._warn = warn or (lambda line: print(line, file=sys.stderr))
        self._loaded = False
        self._catalog: Catalog | None = None
        self.catalog_key: list[Any] | None = None
        """Everything the catalog was built from (``catalogcache.py``), or None when it could not be keyed: what
        caches of things computed from the catalog (the report's rows) key on."""

    # -- reporting -------------------------------------------------------------------------------------------
    def report(self, plugin: str, message: str, *, content: bool = False) -> None:
        """Record a problem against a plugin: fatal in strict mode, one stderr line otherwise.

        ``content`` says the problem is invalid content the plugin registered (each item is in the catalog's
        problems too).
        """
        mark_unrepeatable(f"plugin {plugin} had a problem")  # checked again on every run (cli/replay.py)
        record = self.records.get(plugin)
        if record is not None:
            record.problems.append(PluginProblem(message, content))
        line = one_line(f"plugin '{plugin}': {message}")
        if self.strict:
            raise PluginError(f"{line} (strict mode: fix or disable it with "
                              f"CPO_LEARN_DISABLE_PLUGINS={plugin})")
        self._warn(f"cpo-learn: warning: {line}")

    def warn(self, plugin: str, message: str) -> None:
        """One warning line about a plugin that is never fatal (the user chose the situation, e.g. disabled a
        plugin another one names)."""
        self._warn(f"cpo-learn: warning: plugin '{plugin}': {message}")

    # -- loading ---------------------------------------------------------------------------------------------
    def _wanted(self, name: str) -> bool:
        if name in self.blocked or (self.only is not None and name not in self.only):
            self.skipped.add(name)
            return False
        return True

    def _register(self, plugin: object, record: PluginRecord) -> None:
        earlier = self.records.get(record.name)
        if earlier is not None and earlier.loaded:
            self.report(record.name, f"cannot load {record.path or record.name}: a plugin of that name is already "
                        f"loaded from {earlier.path or earlier.source}; rename one of them")
            return
        self.records[record.name] = record
        # a pack's plugin is cpo-learn's own class, whose one hook is sound: checked by the tests, not for each
        # of the fifty packs a plugins dir may hold
        problem = None if type(plugin) is PackPlugin else hook_problem(self.pm, plugin)
        if problem is not None:
            self.report(record.name, problem)
            return
        try:
            self.pm.register(plugin, name=record.name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            self.report(record.name, f"cannot register: {one_line(str(exc))}")
            return
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            self.pm.unregister(plugin)
            self.report(record.name, f"{one_line(str(exc))} (check the hook name's spelling in docs/hooks.md)")
            return
        record.loaded = True
        # the hooks this plugin implements (asking pluggy for the plugin's own, not every plugin's of every hook)
        record.hooks = sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or ()
                              if caller.name in hookspecs.HOOK_NAMES)

    def load(self) -> None:
        """Load every plugin once: defaults, entry points, then plugin directories.

        A plugin in a plugins dir with the name of an installed one stands in for it (a checkout being
        edited while the release is installed): the folder copy is loaded, the installed one is not, and one
        warning line says so.
        """
        if self._loaded:
            return
        self._loaded = True
        for module_name in DEFAULT_PLUGINS:
            module = importlib.import_module(module_name)
            self._register(module, PluginRecord(module_name.rsplit(".", 1)[1], "builtin", _core_version()))
        found = [entry for directory in self.plugins_dirs for entry in self._dir_entries(Path(directory))]
        for path, name in found:
            self.stand_ins.setdefault(name, path)
        self._load_entry_points()
        for name, plugin in list(IN_PROCESS.items()):
            if name not in self.stand_ins and self._wanted(name):
                version = getattr(plugin, "__version__", None)
                self._register(plugin, PluginRecord(name, "test", str(version) if version else None))
        for path, _ in found:
            if path.is_dir():
                self._load_pack_dir(path)
            else:
                self._load_file(path)

    def _dir_entries(self, directory: Path) -> list[tuple[Path, str]]:
        """The plugin files and pack directories in a plugins dir, with the plugin name of each."""
        if not directory.is_dir():
            self._warn(f"cpo-learn: warning: plugins dir '{directory}' does not exist; ignoring it")
            return []
        found: list[tuple[Path, str]] = []
        for path in sorted(directory.iterdir()):
            if path.suffix == ".py" and path.is_file() and not path.name.startswith(("_", ".")):
                found.append((path, path.stem.replace("_", "-")))
            elif path.is_dir() and (path / "pack.toml").is_file():
                found.append((path, self._pack_name(path)))
        return found

    def _load_entry_points(self) -> None:
        from cpo_learn.host.entrypoints import discover

        for ep in discover(ENTRY_POINT_GROUP):
            if not self._wanted(ep.name):
                continue
            if ep.name in IN_PROCESS:
                continue  # a test registered this plugin in-process: its object stands in for the installed one
            if ep.name in self.stand_ins:
                self._installed[ep.name] = (ep.value, ep.version)
                continue
            source = "builtin" if ep.distribution == CORE_DISTRIBUTION else "entrypoint"
            record = PluginRecord(ep.name, source, ep.version, ep.value)
            if self.trace:
                self._warn(f"cpo-learn: trace: import -> {ep.name}")
            loaded = run_contained(ep.load, timeout=self.timeout)  # a broken plugin never takes the CLI down
            if not loaded.ok:
                self.records[ep.name] = record
                self.report(ep.name, f"failed to import {ep.value}: {loaded.problem}")
                continue
            self._register(loaded.value, record)

    def load_path(self, path: Path) -> None:
        """Load one plugin file or pack directory given by the user (for ``validate PATH``)."""
        if any(r.loaded and r.path and Path(r.path).resolve() == path.resolve() for r in self.records.values()):
            return  # the same folder is in a plugins dir too: it is loaded already
        if path.is_dir():
            self._load_pack_dir(path, check_wanted=False)
        else:
            self._load_file(path, check_wanted=False)
        self._catalog = None

    def _stand_in(self, record: PluginRecord) -> None:
        """Note (one warning line, never fatal) that this folder copy is loaded instead of the installed one."""
        installed = self._installed.get(record.name)
        if installed is None or self.stand_ins.get(record.name) != Path(record.path or ""):
            return
        value, version = installed
        record.stands_in_for = f"the installed {value}" + (f" {version}" if version else "")
        if record.version is None:
            record.version = version
        self._warn(f"cpo-learn: warning: plugin '{record.name}': loading the folder copy {record.path} instead "
                   f"of {record.stands_in_for}")

    def _load_file(self, path: Path, check_wanted: bool = True) -> None:
        name = path.stem.replace("_", "-")
        if check_wanted and not self._wanted(name):
            return
        record = PluginRecord(name, "dir", None, str(path))
        module_name = f"cpo_learn_dir_plugin_{path.stem}"
        def load() -> Any:
            spec = importlib.util.spec_from_file_location(module_name, path)
            if spec is None or spec.loader is None:
                raise ImportError(f"cannot load {path}")
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
            return module

        if self.trace:
            self._warn(f"cpo-learn: trace: import -> {name}")
        loaded = run_contained(load, timeout=self.timeout)
        if not loaded.ok:
            sys.modules.pop(module_name, None)
            self.records[name] = record
            self.report(name, f"failed to import {path}: {loaded.problem}")
            return
        module = loaded.value
        record.version = str(getattr(module, "__version__", "")) or None
        self._stand_in(record)
        self._register(module, record)

    def _pack_info(self, path: Path) -> PackInfo | None:
        """A pack's ``pack.toml``, read once per load (the plugins dir's names are read before the packs load)."""
        from cpo_learn.content.packs import read_pack_toml

        if path not in self._pack_infos:
            self._pack_infos[path] = read_pack_toml(path)[0]
        return self._pack_infos[path]

    def _pack_name(self, path: Path) -> str:
        info = self._pack_info(path)
        return info.name if info is not None else path.name

    def _load_pack_dir(self, path: Path, check_wanted: bool = True) -> None:
        name = self._pack_name(path)
        if check_wanted and not self._wanted(name):
            return
        info = self._pack_info(path)
        record = PluginRecord(name, "dir", (info.version or None) if info else None, str(path))
        self._stand_in(record)
        self._register(PackPlugin(path), record)

    def versions(self) -> dict[str, str | None]:
        """Each plugin's version: its distribution's, or for a folder plugin ``__version__``/pack.toml's."""
        return {name: record.version for name, record in self.records.items()}

    # -- calling ---------------------------------------------------------------------------------------------
    def implementations(self, hook_name: str) -> list[tuple[str, Callable[..., Any]]]:
        """(plugin name, function) for every implementation of a hook: defaults first, then by name."""
        self.load()
        impls = getattr(self.pm.hook, hook_name).get_hookimpls()
        defaults = [name.rsplit(".", 1)[1] for name in DEFAULT_PLUGINS]
        pairs = [(impl.plugin_name, impl.function) for impl in impls]
        return sorted(pairs, key=lambda p: (p[0] not in defaults, p[0]))

    def call_one(
        self, hook_name: str, plugin: str, function: Callable[..., Any], **kwargs: Any
    ) -> tuple[bool, Any]:
        """Call one implementation, contained (``isolation.run_contained``): whatever it raises, a hang past
        the time limit, or output into stdout never reach the command. (False, None) when it failed and was
        reported (``PluginError`` in strict mode)."""
        if plugin in self.hung:  # stopped once for hanging: not waited for again in this command
            return False, None
        if getattr(function, "__module__", None) not in DEFAULT_PLUGINS:
            # its code may read anything (the time, say): no replay (cli/replay.py); cpo-learn's own default
            # plugins read the time only through cpo_learn.clock and their files through what the replay watches
            mark_unrepeatable(f"called plugin {plugin}")
        if self.trace:
            self._warn(f"cpo-learn: trace: {hook_name} -> {plugin}")
        outcome = run_contained(function, timeout=self.timeout, **kwargs)
        if outcome.ok:
            return True, outcome.value
        timed_out = isinstance(outcome.error, PluginTimeout)
        if timed_out:
            self.hung.add(plugin)
        verb = "" if timed_out else "raised "
        self.report(plugin, f"{hook_name} {verb}{outcome.problem}")
        return False, None

    def call_each(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call every implementation on its own (``call_one``); one that fails is reported and skipped."""
        results: list[tuple[str, Any]] = []
        for plugin, function in self.implementations(hook_name):
            ok, value = self.call_one(hook_name, plugin, function, **kwargs)
            if ok:
                results.append((plugin, value))
        return results

    # -- content ---------------------------------------------------------------------------------------------
    def catalog(self) -> Catalog:
        """Build (once) the validated catalog of everything the plugins registered."""
        if self._catalog is None:
            self._catalog = self._build_catalog()
        return self._catalog

    def _build_catalog(self) -> Catalog:
        """Call every ``cpo_learn_register_content`` and validate what they registered, or take the catalog
        from the cache when every input is as it was (``catalogcache.py`` says what the key holds)."""
        from cpo_learn.cache import stamp, tree_stamps
        from cpo_learn.host import catalogcache

        caching = cache_enabled() and not self.trace  # a trace shows every hook call: nothing is skipped
        parts: list[tuple[str, Registry | Path | Callable[..., Any]]] = []
        key: list[Any] = catalogcache.base_key(self.skipped, self.versions())
        raised = False
        for plugin, function in self.implementations("cpo_learn_register_content"):
            pack = _pack_of(function)
            if pack is not None and caching:
                parts.append((plugin, pack))
                key.append((plugin, "pack", str(pack), os.path.abspath(pack), tree_stamps(str(pack))))
                continue
            source = _static_source(function)
            if source is not None and caching:  # called only if the catalog is built
                parts.append((plugin, function))
                key.append((plugin, "static", stamp(source)))
                continue
            sub = self._register_content(plugin, function)
            if sub is None:
                raised = True
                continue
            parts.append((plugin, sub))
            if caching:
                try:
                    key.append((plugin, "code", catalogcache.comparable((sub.items, sub.problems, sub.packs))))
                except catalogcache.NotComparable:
                    caching = False
        names = [plugin for plugin, _ in parts]
        if caching and not raised:
            self.catalog_key = key
            cached = catalogcache.load(names, key)
            if cached is not None:
                self._account(cached, None)
                return cached
        from cpo_learn.content.registry import Registry
        from cpo_learn.content.validate import build_catalog

        registry = Registry()
        for plugin, part in parts:
            if not isinstance(part, Registry):
                found = self._register_content(plugin, _pack_hook(part) if isinstance(part, Path) else part)
                if found is None:
                    raised = True
                    continue
                part = found
            registry.items.extend(part.items)
            registry.problems.extend(part.problems)
            registry.packs.extend(part.packs)
        catalog = build_catalog(registry, disabled=self.skipped, versions=self.versions())
        if raised:  # a hook that raised is reported on every run, never cached over
            self.catalog_key = None
        if self.catalog_key is not None:
            catalogcache.store(names, key, catalog)
        self._account(catalog, registry)
        return catalog

    def _register_content(self, plugin: str, function: Callable[..., Any]) -> Registry | None:
        """What one plugin's ``cpo_learn_register_content`` registers, or None when it raised (reported)."""
        from cpo_learn.content.registry import Registry

        registry = Registry()
        registry.begin(plugin)
        ok, _ = self.call_one("cpo_learn_register_content", plugin, function, registry=registry)
        return registry if ok else None

    def _account(self, catalog: Catalog, registry: Any) -> None:
        counts: dict[str, dict[str, int]] = {}
        for stage in (*catalog.stages, *catalog.tracks):
            key = "tracks" if stage.is_track else "stages"
            counts.setdefault(stage.origin.plugin, {}).setdefault(key, 0)
            counts[stage.origin.plugin][key] += 1
        for table, items in (("skills", catalog.skills.values()),
                             ("practices", catalog.practices.values()),
                             ("modules", catalog.modules.values()),
                             ("milestones", catalog.milestones.values())):
            for item in items:
                plugin_counts = counts.setdefault(item.origin.plugin, {})
                plugin_counts[table] = plugin_counts.get(table, 0) + 1
        for module in catalog.modules.values():
            if module.replaces and module.plugin in self.records:
                self.records[module.plugin].replaces.append(f"{module.id} replaces {module.replaces}")
        for name, record in self.records.items():
            record.registered = dict(sorted(counts.get(name, {}).items()))
        by_plugin: dict[str, list[Problem]] = {}
        for problem in catalog.problems:
            by_plugin.setdefault(problem.plugin or "?", []).append(problem)
        for plugin, problems in by_plugin.items():
            more = (f" (+{len(problems) - 1} more; run 'cpo-learn validate' to see all)"
                    if len(problems) > 1 else "")
            self.report(plugin, f"invalid content left out: {problems[0]}{more}", content=True)


def _pack_of(function: Callable[..., Any]) -> Path | None:
    """The pack a content hook does nothing but load (``cpo_learn.pack_hook``, a plugins-dir pack), or None."""
    owner = getattr(function, "__self__", None)
    if isinstance(owner, PackPlugin):
        return owner.path
    pack = getattr(function, "cpo_learn_pack", None)
    return Path(pack) if isinstance(pack, PurePath) else None


def _static_source(function: Callable[..., Any]) -> str | None:
    """The module file of a default plugin's content hook that registers constants of that module only
    (marked ``cpo_learn_static_content``), else None. Its registrations are a function of that file, so the
    catalog cache keys on the file's stamp instead of calling the hook. Only cpo-learn's own default plugins
    are taken at their word: any other plugin's code is called on every run."""
    module = getattr(function, "__module__", "") or ""
    if not module.startswith("cpo_learn.default_plugins.") or getattr(function, "cpo_learn_static_content", None) \
            is not True:
        return None
    code = getattr(function, "__code__", None)
    return code.co_filename if code is not None else None


def _pack_hook(pack: Path) -> Callable[..., Any]:
    def load_pack(registry: Any) -> None:
        registry.load_pack(pack)

    return load_pack


def _core_version() -> str:
    from cpo_learn import __version__

    return __version__

"""Reading data-only content packs: ``pack.toml`` plus Markdown files with YAML front matter.

Everything read here is raw (dicts as written) with the line of every key, so that validation can report each
problem as ``path:line: message``. YAML is always safe-loaded.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpo_learn.content.model import Problem
from cpo_learn.text import suggestion

if TYPE_CHECKING:
    import yaml

# Sub-folders of a pack and the kind of item each holds.
FOLDERS: dict[str, str] = {
    "stages": "stage",
    "tracks": "track",
    "skills": "skill",
    "practices": "practice",
    "modules": "module",
    "milestones": "milestone",
}
PACK_KEYS = ("name", "version", "description", "namespace", "requires")
PACK_REQUIRED = ("name", "namespace")
"""``version`` is optional: an installed plugin's version is its distribution's; pack.toml's counts only for a
pack that is not installed as a package (a folder in a plugins dir)."""
MAX_DEPTH = 20
"""How deep front matter may nest. A module needs three levels (resources -> a resource -> its authors); the
limit keeps a hostile file from reaching Python's recursion limit in whatever walks the values later."""


MAX_FILE_BYTES = 1024 * 1024
"""The largest pack file read (bytes): a module is a page or two; 1 MiB is hundreds of them."""
MAX_BODY_CHARS = 100_000
"""The longest Markdown body of one item (characters), about 40 printed pages."""


class PackFileError(Exception):
    """A pack file that is not read: not a regular file inside the pack, too big, or not UTF-8."""


def read_pack_file(path: Path, root: Path) -> str:
    """The text of a file of the pack at ``root``: only a regular file inside the pack, at most
    ``MAX_FILE_BYTES``, UTF-8 (a byte-order mark is fine). ``PackFileError`` says why not.

    A symlink is followed only when it stays inside the pack; a FIFO, a device (``/dev/zero``) or a socket is
    never opened for reading, so validating a pack cannot hang or fill the memory.
    """
    try:
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(os.path.realpath(root)):
            raise PackFileError(f"a symlink leading outside the pack (to {real}); copy the file into the pack")
        info = os.stat(real)
        if not stat.S_ISREG(info.st_mode):
            raise PackFileError("not a regular file (a FIFO, a device or a socket); pack files must be files")
        if info.st_size > MAX_FILE_BYTES:
            raise PackFileError(f"{info.st_size:,} bytes, more than the {MAX_FILE_BYTES:,} a pack file may hold; "
                                "split it")
        # O_NONBLOCK: a file swapped for a FIFO after the check above still cannot block the open
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise PackFileError("not a regular file; pack files must be files")
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise PackFileError(f"cannot read the file: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise PackFileError(f"more than the {MAX_FILE_BYTES:,} bytes a pack file may hold; split it")
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark (some Windows editors add one) is fine
    except UnicodeDecodeError:
        raise PackFileError(f"not UTF-8 text: save {path.name} as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac line endings, as open() reads


class _CheckedValues:
    """Loader mixin: a value YAML can write but Python cannot build is a YAML error on its own line.

    PyYAML's constructors let ``ValueError``, ``KeyError`` and friends escape for scalars such as
    ``2026-02-30``, ``!!bool maybe`` or an integer of 5,000 digits; integers too large for a float (``hours``
    is a float) are refused here too, so no later ``float()`` or ``str()`` of them can fail.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        import yaml

        parent: Any = super()
        try:
            value = parent.construct_object(node, deep=deep)
        except (yaml.YAMLError, RecursionError):
            raise
        except Exception as exc:  # each constructor fails in its own way; all mean "not a valid value"
            raise _unreadable_value(node, exc) from None
        if isinstance(value, int) and abs(value) > sys.float_info.max:
            raise _unreadable_value(node, None)
        return value


def _unreadable_value(node: yaml.Node, error: Exception | None) -> yaml.YAMLError:
    import yaml

    text = node.value if isinstance(node.value, str) else ""
    shown = text if len(text) <= 40 else text[:37] + "..."
    kind = str(node.tag).rsplit(":", 1)[-1]
    if error is None or (kind == "int" and "digits" in str(error)):
        message = f"'{shown}' is too large a number"
    elif kind == "timestamp":
        message = f"'{shown}' is not a valid date: write a real date, or quote it to keep it as text"
    else:
        message = f"'{shown}' is not a valid {kind}; quote it to keep it as text"
    return yaml.constructor.ConstructorError(None, None, message, node.start_mark)


@functools.cache
def _safe_loader() -> Any:
    """libyaml's safe loader where the wheel ships it (much faster), else PyYAML's; both are safe loaders.

    Either way with ``_CheckedValues`` in front, so no value escapes as anything but a YAML error.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return type("FrontMatterLoader", (_CheckedValues, base), {})


@dataclass
class RawItem:
    """One item as written, before validation: its fields, the line of each key, and its text body."""

    kind: str
    data: dict[str, Any]
    path: str
    line: int
    plugin: str = ""
    body: str = ""
    lines: dict[str, int] = field(default_factory=dict)
    namespace: str = ""

    def line_of(self, *keys: str | int) -> int:
        """Line of the most specific key path that was recorded (``line_of("resources", 0, "url")``)."""
        for depth in range(len(keys), 0, -1):
            found = self.lines.get(".".join(str(k) for k in keys[:depth]))
            if found is not None:
                return found
        return self.line


@dataclass
class PackInfo:
    """What ``pack.toml`` says about a pack."""

    name: str
    version: str  # "" when pack.toml gives none
    description: str
    namespace: str
    requires: dict[str, str]
    path: str


@dataclass
class PackContents:
    """A pack read from disk: its metadata (None when ``pack.toml`` is missing or broken), items, problems."""

    info: PackInfo | None
    items: list[RawItem]
    problems: list[Problem]


class _FrontMatterError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split a Markdown file into (front matter, body, line where the body starts).

    The file must start with a ``---`` line; the front matter ends at the next ``---`` (or ``...``) line.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise _FrontMatterError(1, "no front matter: the file must start with a '---' line")
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n").rstrip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    raise _FrontMatterError(1, "front matter is not closed: add a '---' line after it")


def _record_lines(node: yaml.Node, prefix: str, offset: int, out: dict[str, int], seen: set[int],
                  depth: int = 0) -> None:
    import yaml

    if id(node) in seen:
        raise _FrontMatterError(node.start_mark.line + offset, "YAML anchors and aliases are not allowed")
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _FrontMatterError(node.start_mark.line + offset,
                                f"malformed YAML: nested too deeply (at most {MAX_DEPTH} levels)")
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = f"{prefix}{key_node.value}" if isinstance(key_node, yaml.ScalarNode) else prefix + "?"
            out.setdefault(key, key_node.start_mark.line + offset)
            _record_lines(value_node, key + ".", offset, out, seen, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key = f"{prefix}{index}"
            out.setdefault(key, item.start_mark.line + offset)
            _record_lines(item, key + ".", offset, out, seen, depth + 1)


def parse_front_matter(text: str, first_line: int = 2) -> tuple[dict[str, Any], dict[str, int]]:
    """Safe-load a YAML mapping and the (1-based, file-relative) line of every key path."""
    import yaml

    loader = _safe_loader()(text)
    try:
        try:
            node = loader.get_single_node()
            if node is None:
                return {}, {}
            lines: dict[str, int] = {}
            _record_lines(node, "", first_line, lines, set())
            data = loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = first_line + (mark.line if mark else 0)
            raise _FrontMatterError(line, f"malformed YAML: {exc.problem or exc.context}") from None
        except yaml.YAMLError as exc:
            raise _FrontMatterError(first_line, f"malformed YAML: {exc}") from None
        except RecursionError:
            raise _FrontMatterError(first_line, "malformed YAML: nested too deeply") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise _FrontMatterError(first_line, "front matter must be a mapping of 'key: value' lines")
    return data, lines


def read_item_file(path: Path, kind: str, plugin: str = "",
                   root: Path | None = None) -> tuple[RawItem | None, Problem | None]:
    """Read one Markdown item file of the pack at ``root`` (default: the folder above the file's folder);
    return the raw item or the problem that stopped it."""
    shown = str(path)
    try:
        text = read_pack_file(path, root if root is not None else path.parent.parent)
    except PackFileError as exc:
        return None, Problem(shown, 1, str(exc), plugin)
    try:
        front, body, _ = split_front_matter(text)
        data, lines = parse_front_matter(front)
    except _FrontMatterError as exc:
        return None, Problem(shown, exc.line, exc.message, plugin)
    if len(body) > MAX_BODY_CHARS:
        return None, Problem(shown, 1, f"the Markdown body is {len(body):,} characters, more than the "
                             f"{MAX_BODY_CHARS:,} an item may have; link to longer material", plugin)
    first = min(lines.values(), default=2)
    return RawItem(kind, data, shown, first, plugin, body.strip("\n"), lines), None


def _parse_requires(value: Any, where: str, problems: list[Problem], plugin: str) -> dict[str, str]:
    """``requires`` is a list of pack names (optionally with a version range) or a table name -> range."""
    result: dict[str, str] = {}
    if isinstance(value, dict):
        for name, spec in value.items():
            if not isinstance(spec, str):
                problems.append(Problem(where, 1, f"requires.{name} must be a version range string", plugin))
                continue
            result[str(name)] = spec.strip()
    elif isinstance(value, list):
        for entry in value:
            if not isinstance(entry, str) or not entry.strip():
                message = "requires must list pack names like 'mid-level>=1.0'"
                problems.append(Problem(where, 1, message, plugin))
                continue
            name = entry.strip()
            cut = next((i for i, ch in enumerate(name) if ch in "<>=!~ "), len(name))
            result[name[:cut].strip()] = name[cut:].strip()
    else:
        problems.append(Problem(where, 1, "requires must be a list or a table of pack names", plugin))
    return result


def read_pack_toml(root: Path, plugin: str = "") -> tuple[PackInfo | None, list[Problem]]:
    """Read and check ``pack.toml``."""
    path = root / "pack.toml"
    where = str(path)
    if not path.is_file():
        return None, [Problem(str(root), 1, "not a content pack: pack.toml is missing", plugin)]
    import tomllib  # lazily: a command served from the catalog cache reads no pack.toml

    try:
        meta = tomllib.loads(read_pack_file(path, root))
    except PackFileError as exc:
        return None, [Problem(where, 1, str(exc), plugin)]
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's error has no line attribute; its message ends "(at line N, column M)".
        found = re.search(r"at line (\d+)", str(exc))
        line = getattr(exc, "lineno", None) or (int(found.group(1)) if found else 1)
        return None, [Problem(where, line, f"malformed pack.toml: {exc}", plugin)]
    except OSError as exc:
        return None, [Problem(where, 1, f"cannot read pack.toml: {exc.strerror or exc}", plugin)]
    problems: list[Problem] = []
    for key in meta:
        if key not in PACK_KEYS:
            problems.append(Problem(where, 1, f"unknown key '{key}'{suggestion(key, PACK_KEYS)}", plugin))
    for key in PACK_REQUIRED:
        if not isinstance(meta.get(key), str) or not meta.get(key, "").strip():
            problems.append(Problem(where, 1, f"'{key}' is required and must be a non-empty string", plugin))
    version = meta.get("version", "")
    if not isinstance(version, str):
        problems.append(Problem(where, 1, "'version' must be a string such as \"1.2.0\"", plugin))
    if problems:
        return None, problems
    description = meta.get("description", "")
    requires = _parse_requires(meta.get("requires", []), where, problems, plugin)
    info = PackInfo(
        name=meta["name"].strip(),
        version=version.strip(),
        description=description if isinstance(description, str) else "",
        namespace=meta["namespace"].strip(),
        requires=requires,
        path=str(root),
    )
    return info, problems


def parse_pack(root: Path, plugin: str = "") -> PackContents:
    """Read a whole pack directory: metadata, every item file, and every problem found on the way."""
    info, problems = read_pack_toml(root, plugin)
    items: list[RawItem] = []
    if not root.is_dir():
        return PackContents(None, [], [Problem(str(root), 1, "not a directory", plugin)])
    for child in sorted(root.iterdir()):
        if child.name.startswith(".") or child.name == "pack.toml" or child.is_file():
            continue
        kind = FOLDERS.get(child.name)
        if kind is None:
            if any(child.glob("*.md")):
                problems.append(
                    Problem(str(child), 1,
                            f"unknown folder '{child.name}'{suggestion(child.name, list(FOLDERS))}"
                            f"; items go in {', '.join(FOLDERS)}", plugin)
                )
            continue
        for path in sorted(child.glob("*.md")):
            item, problem = read_item_file(path, kind, plugin, root)
            if problem is not None:
                problems.append(problem)
            elif item is not None:
                items.append(item)
    return PackContents(info, items, problems)

"""Safe YAML loading that remembers the line of every key.

Scenario files and the source catalogue are YAML written by people, so every
error must point at a line. PyYAML's safe loader builds the data; a walk over the
node tree it composed records, for each path of keys, the line it starts on.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from calc.errors import Location, ScenarioFileError
from calc.io.files import read_limited

#: A scenario is a page of text; a larger file is a mistake or an attack.
MAX_FILE_BYTES = 1_000_000
#: Nodes after alias expansion; stops "billion laughs" documents.
MAX_NODES = 100_000
#: How deep mappings and lists may nest; a scenario is four or five levels deep.
MAX_DEPTH = 32

#: libyaml's safe loader where PyYAML was built with it (10x faster), else PyYAML's own.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Numbers as YAML 1.2 reads them: decimal only. YAML 1.1 (PyYAML's default) reads
#: '1:30' as 90 (base 60), '012' as 10 (octal), '0x1F', '0b11' and '1_000' too; here
#: those stay text, as written, and calc's value parser refuses them with a message.
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_DECIMAL_FLOAT = re.compile(
    r"[-+]?(?:(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)


class _DecimalLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, with YAML 1.2's decimal numbers in place of YAML 1.1's."""

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {
        first: [
            (tag, rx)
            for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
        ]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


_DecimalLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(f"^(?:{_DECIMAL_INT.pattern})$"), list("-+0123456789")
)
_DecimalLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(f"^(?:{_DECIMAL_FLOAT.pattern})$"), list("-+.0123456789")
)


def _construct_number(loader: Any, node: yaml.ScalarNode) -> Any:
    """An int or float, read in decimal; an explicit '!!int 012' or '!!float 1:30' too."""
    text = loader.construct_scalar(node)
    if _DECIMAL_INT.fullmatch(text):
        return int(text)
    if _DECIMAL_FLOAT.fullmatch(text):
        return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
    raise yaml.constructor.ConstructorError(
        None,
        None,
        f"{text!r} is not a decimal number (calc reads numbers as written, such as "
        "90 or 1.5, not '1:30', '012' or '0x1F')",
        node.start_mark,
    )


for _tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
    _DecimalLoader.add_constructor(_tag, _construct_number)
_SafeLoader = _DecimalLoader

Path_ = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class YamlDocument:
    """Parsed YAML data, its file, and the line of every key path."""

    data: Any
    path: Path
    lines: dict[Path_, int] = field(default_factory=dict)
    #: Flow lists with an unquoted thousands comma between two items, as written
    #: ('[10,260 kWh]' is the items 10 and '260 kWh'), by key path.
    comma_splits: dict[Path_, str] = field(default_factory=dict)

    def line_of(self, keys: Path_) -> int | None:
        """The line of ``keys``, or of its nearest ancestor that has one."""
        keys = tuple(keys)
        while keys:
            if keys in self.lines:
                return self.lines[keys]
            keys = keys[:-1]
        return self.lines.get((), None)

    def locate(self, *keys: str | int) -> Location:
        """A Location for a path of keys: file, line and dotted field."""
        return Location(self.path, self.line_of(keys), dotted(keys))

    def error(self, message: str, *keys: str | int) -> ScenarioFileError:
        return ScenarioFileError(message, location=self.locate(*keys))

    def validate(self, model: type[M]) -> M:
        """Validate the data against a pydantic model, with located errors."""
        try:
            return model.model_validate(self.data)
        except ValidationError as exc:
            raise self._first_error(exc) from None

    def _first_error(self, exc: ValidationError) -> ScenarioFileError:
        detail = exc.errors(include_url=False)[0]
        keys = tuple(k for k in detail["loc"] if not _is_union_tag(k))
        message = _pydantic_message(detail)
        return self.error(message, *keys)


def dotted(keys: Path_) -> str:
    """('inputs', 'pue', 'value') -> 'inputs.pue.value'; list indexes as [i]."""
    text = ""
    for key in keys:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text


def _is_union_tag(key: object) -> bool:
    # pydantic adds the member type's name to the location of union errors
    return isinstance(key, str) and (key in {"str", "float", "int"} or key.startswith("list["))


#: Longest value a message repeats; a file's whole content must never be echoed.
MAX_ECHO = 60


def echo(value: object) -> str:
    """``repr(value)``, cut to MAX_ECHO characters: a message shows what was read, never
    a whole file (``catalogue: /etc/passwd`` must not print the password file).

    >>> print(echo("x" * 100))
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' (100 characters)
    """
    text = repr(value)
    if len(text) <= MAX_ECHO:
        return text
    size = f" ({len(value):,} characters)" if isinstance(value, str) else ""
    return text[: MAX_ECHO - 4] + "..." + text[0] + size


def _pydantic_message(detail: Any) -> str:
    kind = detail["type"]
    value = echo(detail.get("input"))
    if kind == "missing":
        return "is required but missing; add it"
    if kind == "extra_forbidden":
        return f"is not a known field (value {value}); check its spelling or remove it"
    if kind == "literal_error":
        expected = detail.get("ctx", {}).get("expected", "")
        return f"{value} is not allowed; use one of {expected}"
    return f"{value}: {detail['msg']}"


def load_yaml(path: str | Path) -> YamlDocument:
    """Read and safely parse a YAML file, keeping line numbers."""
    path = Path(path)
    raw = read_limited(path, MAX_FILE_BYTES, what="scenario files", error=ScenarioFileError)
    return parse_yaml(raw, path)


def parse_yaml(raw: bytes, path: Path, *, shipped: bool = False) -> YamlDocument:
    """Parse YAML bytes, with the checks that keep hostile files harmless.

    ``shipped``: one of calc's own data files, installed with its code (the reference
    library, the audit's relations): the scan of every token for deep nesting, which
    stops hostile files before the composer, is left out (~6 ms for the library, #17);
    the line of every key and the refusal of duplicate keys stay."""
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioFileError(
            f"is {len(raw):,} bytes; scenario files are at most {MAX_FILE_BYTES:,} bytes",
            location=Location(path),
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioFileError(
            f"is not UTF-8 text (byte {exc.start}); save it as UTF-8", location=Location(path)
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ScenarioFileError(
            "contains a NUL byte; it is not a text file", location=Location(path, line)
        )
    loader = _SafeLoader(text)
    try:
        if not shipped:
            _check_depth(text, path)
        node = loader.get_single_node()
        lines: dict[Path_, int] = {}
        splits: dict[Path_, str] = {}
        _count_and_record(node, lines, path, text, splits)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise ScenarioFileError(
            f"is not valid YAML: {problem}; check the indentation and quoting on this line",
            location=Location(path, line),
        ) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        raise ScenarioFileError(
            f"has the character {chr(exc.character)!r} (U+{exc.character:04X}), which YAML "
            "does not allow; delete it",
            location=Location(path, line),
        ) from None
    except yaml.YAMLError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "malformed YAML"
        raise ScenarioFileError(
            f"is not valid YAML: {reason}", location=Location(path, 1)
        ) from None
    finally:
        loader.dispose()
    return YamlDocument(data=data, path=path, lines=lines, comma_splits=splits)


_OPENS = (
    yaml.FlowSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.BlockMappingStartToken,
)
_CLOSES = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


def _check_depth(text: str, path: Path) -> None:
    """Refuse deep nesting from the token stream, before the (recursive) composer sees it:
    libyaml's composer would exhaust the C stack on a few hundred thousand '['.

    Newer libyaml scanners stop at their own nesting limit (with their own message)
    before handing back the first token, so a scan that fails is done once more by
    PyYAML's pure-Python scanner, which has no such limit: the message is ours at any
    depth, whatever the version of PyYAML or libyaml.
    """
    try:
        _scan_depth(text, path, _BaseLoader)
    except yaml.YAMLError:
        if _BaseLoader is yaml.SafeLoader:
            return  # malformed: the parser reports it, with a better message
        try:
            _scan_depth(text, path, yaml.SafeLoader)
        except yaml.YAMLError:
            return


def _scan_depth(text: str, path: Path, loader: Any) -> None:
    depth = 0
    for token in yaml.scan(text, Loader=loader):
        if isinstance(token, _OPENS):
            depth += 1
            if depth > MAX_DEPTH:
                raise ScenarioFileError(
                    f"nests more than {MAX_DEPTH} levels deep; a scenario is a few levels deep",
                    location=Location(path, token.start_mark.line + 1),
                )
        elif isinstance(token, _CLOSES):
            depth -= 1


def _count_and_record(
    root: yaml.Node | None,
    lines: dict[Path_, int],
    path: Path,
    text: str = "",
    splits: dict[Path_, str] | None = None,
) -> None:
    """Walk the node tree (aliases expanded), record key lines and thousands commas that
    split flow lists, cap the size."""
    for count, (node, keys) in enumerate(_walk(root, ()), start=1):
        if len(keys) > MAX_DEPTH:
            raise ScenarioFileError(
                f"nests more than {MAX_DEPTH} levels deep; a scenario is a few levels deep",
                location=Location(path, node.start_mark.line + 1),
            )
        if count > MAX_NODES:
            raise ScenarioFileError(
                f"expands to more than {MAX_NODES:,} values (through aliases?); "
                "a scenario file is far smaller",
                location=Location(path, node.start_mark.line + 1),
            )
        lines.setdefault(keys, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            _check_duplicate_keys(node, keys, path)
        elif splits is not None and _splits_a_number(node, text):
            splits[keys] = text[node.start_mark.index : node.end_mark.index]


_LEADING_GROUP = re.compile(r"[-+]?[$€£]?\d{1,3}")
_TRAILING_GROUP = re.compile(r"\d{3}(?!\d)")


def _splits_a_number(node: yaml.Node, text: str) -> bool:
    """A flow list in which a comma with no space stands between digits and three more
    digits, unquoted: '[10,260 kWh]' may be the number 10,260 kWh, which YAML split."""
    if not (isinstance(node, yaml.SequenceNode) and node.flow_style):
        return False
    items = node.value
    for first, second in itertools.pairwise(items):
        plain = all(isinstance(n, yaml.ScalarNode) and not n.style for n in (first, second))
        if (
            plain
            and text[first.end_mark.index : second.start_mark.index] == ","
            and _LEADING_GROUP.fullmatch(first.value)
            and _TRAILING_GROUP.match(second.value)
        ):
            return True
    return False


def _check_duplicate_keys(node: yaml.MappingNode, keys: Path_, path: Path) -> None:
    """Refuse a key written twice in one mapping: YAML loaders keep the last one, so a
    second ``inputs:`` would silently drop every input of the first."""
    first: dict[object, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
            continue
        line = key_node.start_mark.line + 1
        if key_node.value in first:
            raise ScenarioFileError(
                f"the key {echo(key_node.value)} appears twice in one mapping, on lines "
                f"{first[key_node.value]} and {line}; YAML would keep only the last, dropping "
                "the first: merge the two or rename one",
                location=Location(path, line, dotted((*keys, key_node.value))),
            )
        first[key_node.value] = line


def _walk(node: yaml.Node | None, keys: Path_) -> Iterator[tuple[yaml.Node, Path_]]:
    stack: list[tuple[yaml.Node, Path_]] = [(node, keys)] if node is not None else []
    while stack:
        current, path = stack.pop()
        yield current, path
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                yield key_node, (*path, key)
                stack.append((value_node, (*path, key)))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((item, (*path, i)) for i, item in enumerate(current.value))

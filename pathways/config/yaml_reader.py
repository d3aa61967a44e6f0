"""YAML text -> `Sourced` tree, with every problem located on its line.

PyYAML silently keeps the last of two equal keys and reads `17:00` as the number 1020
(YAML 1.1 base-60); neither is acceptable for hand-written configuration. So values
are resolved with the YAML 1.2 core schema (numbers, true/false, null; everything
else is text) and the node tree is walked here, which also gives each key its line.
Aliases are counted as the values they repeat while the file is read, so a few lines
of nested aliases (an "alias bomb") are refused before they are expanded in memory.
"""

from __future__ import annotations

import re

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pathways.config import limits
from pathways.config.errors import ConfigError, ConfigIssue, FieldPath, format_path
from pathways.config.sourced import Sourced

_CORE_SCHEMA = [  # (tag, pattern, what a match can start with; "" for the empty text)
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("bool", r"true|True|TRUE|false|False|FALSE", list("tTfF")),
    ("int", r"[-+]?(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+", list("-+0123456789")),
    (
        "float",
        (
            r"[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
        ),
        list("-+0123456789."),
    ),
]

_HINTS = {  # words in a PyYAML problem -> what usually fixes it
    "'\\t'": "indent with spaces: YAML does not allow tabs",
    "mapping values are not allowed": "check the indentation, or quote text that contains ': '",
}


class _Refused(yaml.MarkedYAMLError):
    """A document refused at `problem_mark` for the reason in `problem`."""

    problem: str
    problem_mark: yaml.Mark

    def __init__(self, problem: str, problem_mark: yaml.Mark):
        super().__init__(problem=problem, problem_mark=problem_mark)


class _CoreSchemaLoader(yaml.SafeLoader):
    """A safe loader that resolves plain scalars by the YAML 1.2 core schema and refuses
    a document whose values, aliases expanded, would number more than `node_limit`."""

    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}

    def __init__(self, text: str, node_limit: float):
        super().__init__(text)
        self.node_limit = node_limit
        self.node_count = 0  # values composed so far, an alias counting all it repeats
        self.expanded_sizes: dict[int, int] = {}  # id(node) -> values it holds, expanded

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()
        anchored = self.anchors.get(event.anchor) if isinstance(event, AliasEvent) else None
        if anchored is not None and anchored.end_mark is None:
            raise _Refused(problem=f"alias *{event.anchor} refers to the value it is inside",
                           problem_mark=event.start_mark)
        self.node_count += 1 if anchored is None else self._expanded_size(anchored)
        if self.node_count > self.node_limit:
            problem = (f"more than {self.node_limit:,.0f} values once aliases are expanded "
                       f"(an alias bomb?); raise the limit with the environment variable "
                       f"{limits.YAML_NODES_VARIABLE}")
            raise _Refused(problem=problem, problem_mark=event.start_mark)
        return super().compose_node(parent, index)

    def _expanded_size(self, node: Node) -> int:
        """Values in `node` with every alias inside it expanded (each node counted once:
        an alias repeats a finished node)."""
        size = self.expanded_sizes.get(id(node))
        if size is None:
            children = ([part for pair in node.value for part in pair]
                        if isinstance(node, MappingNode)
                        else node.value if isinstance(node, SequenceNode) else [])
            size = 1 + sum(map(self._expanded_size, children))
            self.expanded_sizes[id(node)] = size
        return size


for _tag, _pattern, _first in _CORE_SCHEMA:
    _CoreSchemaLoader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(f"^(?:{_pattern})$"), _first
    )


def parse_yaml(text: str, file: str) -> Sourced:
    """The document in `text` as a `Sourced` tree; `file` names it in positions and errors.

    Raises ConfigError for broken YAML, for duplicate keys (all of them) and for aliases
    that would expand to too many values (pathways.config.limits)."""
    node_limit = limits.limit(limits.YAML_NODES_VARIABLE, limits.YAML_NODES_LIMIT)
    try:
        builder = _TreeBuilder(_CoreSchemaLoader(text, node_limit), file)
        tree = builder.document()
    except _Refused as error:
        issue = ConfigIssue(file, _line(error.problem_mark), "", error.problem)
        raise ConfigError([issue]) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        message = f"invalid YAML: character #x{error.character:04x} is not allowed"
        raise ConfigError([ConfigIssue(file, line, "", message)]) from None
    except yaml.MarkedYAMLError as error:
        raise ConfigError([_syntax_issue(error, file)]) from None
    if builder.issues:
        raise ConfigError(builder.issues)
    return tree


class _TreeBuilder:
    """Turns PyYAML nodes into `Sourced` values, collecting duplicate keys on the way."""

    def __init__(self, loader: yaml.SafeLoader, file: str):
        self.loader = loader
        self.file = file
        self.issues: list[ConfigIssue] = []

    def document(self) -> Sourced:
        try:
            node = self.loader.get_single_node()
        finally:
            self.loader.dispose()
        return self.build(node, (), None) if node else Sourced(None, self.file, None)

    def build(self, node: Node, path: FieldPath, line: int | None) -> Sourced:
        if isinstance(node, MappingNode):
            return Sourced(self._mapping(node, path), self.file, line)
        if isinstance(node, SequenceNode):
            items = [
                self.build(item, (*path, i), _line(item.start_mark))
                for i, item in enumerate(node.value)
            ]
            return Sourced(items, self.file, line)
        return Sourced(self._scalar(node, path), self.file, line)

    def _scalar(self, node: Node, path: FieldPath) -> object:
        try:
            return self.loader.construct_object(node)
        except ValueError:  # an explicit tag the text does not fit, e.g. `!!int abc`
            self._report(_line(node.start_mark), path, f"cannot read {node.value!r} as {node.tag}")
            return None

    def _mapping(self, node: MappingNode, path: FieldPath) -> dict:
        entries: dict = {}
        for key_node, value_node in node.value:
            line = _line(key_node.start_mark)
            if not isinstance(key_node, ScalarNode):
                self._report(line, path, "a key must be a plain name, not a list or mapping")
                continue
            key = self._scalar(key_node, path)
            here = (*path, key if isinstance(key, str | int) else str(key))  # 1.5, null: as text
            if key in entries:
                first = entries[key].line
                self._report(line, here, f"duplicate key {key!r} (first set on line {first})")
                continue
            entries[key] = self.build(value_node, here, line)
        return entries

    def _report(self, line: int, path: FieldPath, message: str) -> None:
        self.issues.append(ConfigIssue(self.file, line, format_path(path), message))


def _line(mark: yaml.Mark) -> int:
    return mark.line + 1


def _syntax_issue(error: yaml.MarkedYAMLError, file: str) -> ConfigIssue:
    mark = error.problem_mark or error.context_mark
    message = f"invalid YAML: {error.problem or error.context}"
    if error.context and error.context_mark and error.problem:
        message += f" ({error.context} started on line {_line(error.context_mark)})"
    hints = [hint for words, hint in _HINTS.items() if words in message]
    return ConfigIssue(file, _line(mark) if mark else None, "", "; ".join([message, *hints]))

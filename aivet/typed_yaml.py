"""YAML read into frozen pydantic models, with mistakes reported at their file, line and field.

Profiles, the question bank and the intake are edited by hand; a mistake in one must be refused in a
sentence a risk owner can act on (`eu-fintech-standard.yaml, line 42: criteria[3].keys[1].weight is -2;
it must be a number from 0 to 100.`), not as a traceback. A leaf module: it imports nothing of the project."""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

Model = TypeVar("Model", bound=BaseModel)
NodePath = tuple[Any, ...]  # the keys and list indexes from the document's root to a node

# the pydantic error types whose wording is replaced by what to write instead
_WANTED = {
    "dict_type": "it must be a mapping of names to values",
    "model_type": "it must be a mapping of names to values",
    "list_type": "it must be a list",
    "tuple_type": "it must be a list",
    "string_type": "it must be text",
    "int_type": "it must be a whole number",
    "float_type": "it must be a number",
    "bool_type": "use true or false",
}


class Frozen(BaseModel):
    """The base of every file model: an unknown field is a mistake, and a loaded file never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Invalid(ValueError):
    """A validator's objection, worded after the field's path (`is 5; points run from 0 to 4`).

    `at` points below the validated node, so a model-level check can name the field it is about."""

    def __init__(self, problem: str, at: NodePath = ()):
        super().__init__(problem)
        self.at = at


def load(text: str, source: str, error: type[Exception]) -> tuple[Any, dict[NodePath, int]]:
    """The parsed YAML and the line (1-based) of the document, of every mapping key and of every list item, by path."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        lines: dict[NodePath, int] = {}
        if node is not None:
            lines[()] = node.start_mark.line + 1
            _record_lines(loader, node, (), lines)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise error(
            f"{source}{where}: this is not valid YAML ({getattr(problem, 'problem', problem)}); "
            "correct the syntax there."
        ) from None
    finally:
        loader.dispose()
    return data, lines


def _record_lines(loader: yaml.SafeLoader, node: yaml.Node, path: NodePath, lines: dict[NodePath, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)  # hashable: construct_document refused any other key
            lines[path + (key,)] = key_node.start_mark.line + 1
            _record_lines(loader, value_node, path + (key,), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1
            _record_lines(loader, item, path + (index,), lines)


def validate(
    model: type[Model],
    data: Any,
    source: str,
    error: type[Exception],
    lines: Mapping[NodePath, int] | None = None,
    context: dict[str, Any] | None = None,
) -> Model:
    """`data` as a `model`; a mistake raises `error` with one sentence per problem, on one line."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as problems:
        raise error(
            " ".join(_sentence(model, data, source, lines or {}, problem) for problem in problems.errors())
        ) from None


def read(
    text: str, model: type[Model], source: str, error: type[Exception], context: dict[str, Any] | None = None
) -> Model:
    """A YAML file's text as a `model`."""
    data, lines = load(text, source, error)
    return validate(model, data, source, error, lines, context)


def _sentence(model: type[BaseModel], data: Any, source: str, lines: Mapping[NodePath, int], problem: dict) -> str:
    objection = problem.get("ctx", {}).get("error")
    loc = tuple(problem["loc"])
    kind = problem["type"]
    if kind in ("union_tag_not_found", "union_tag_invalid"):  # the field that says which kind of mapping it is
        loc += (problem["ctx"]["discriminator"].strip("'"),)
        kind = "missing" if kind == "union_tag_not_found" else kind
    path = _data_path(data, loc, keep_last=kind in ("missing", "extra_forbidden", "union_tag_invalid"))
    path += objection.at if isinstance(objection, Invalid) else ()
    line = next((lines[path[:end]] for end in range(len(path), -1, -1) if path[:end] in lines), None)
    where = f"{source}, line {line}" if line else source
    field = _dotted(data, path) or "the document"
    value = problem.get("input")
    shown = (
        "a mapping"
        if isinstance(value, dict)
        else "a list"
        if isinstance(value, list)
        else "empty"
        if value is None
        else repr(value)
    )
    if kind == "missing":
        return f"{where}: {field} is missing; add it."
    if kind == "union_tag_invalid":
        return f"{where}: {field} is {problem['ctx']['tag']!r}; use one of {problem['ctx']['expected_tags']}."
    if kind == "extra_forbidden":
        allowed = _fields_at(model, path[:-1])
        hint = f"use one of {', '.join(allowed)}" if allowed else "remove it or correct its name"
        return f"{where}: {field} is not a field here; {hint}."
    if isinstance(objection, ValueError):
        return f"{where}: {field} {objection}."
    if kind == "literal_error":
        return f"{where}: {field} is {shown}; use one of {problem['ctx']['expected']}."
    wanted = _WANTED.get(kind) or problem["msg"].replace("Input should be", "it must be")
    return f"{where}: {field} is {shown}; {wanted}."


def _data_path(data: Any, loc: NodePath, keep_last: bool) -> NodePath:
    """The part of a pydantic error location that names nodes of the document.

    pydantic adds steps of its own (a union's member, `[key]` for a mapping's key); they are not in the data."""
    path: list[Any] = []
    node = data
    for step, element in enumerate(loc):
        if isinstance(node, (dict, list)) and _holds(node, element):
            node = node[element]
        elif keep_last and step == len(loc) - 1:
            node = None
        else:
            continue
        path.append(element)
    return tuple(path)


def _dotted(data: Any, path: NodePath) -> str:
    """`criteria[3].keys[1].weight`: a list's items by index, a mapping's entries by key."""
    text, node = "", data
    for element in path:
        text += f"[{element}]" if isinstance(node, list) else f".{element}"
        node = node[element] if isinstance(node, (dict, list)) and _holds(node, element) else None
    return text.lstrip(".")


def _holds(node: dict | list, element: Any) -> bool:
    return element in node if isinstance(node, dict) else isinstance(element, int) and 0 <= element < len(node)


def _fields_at(model: Any, path: NodePath) -> list[str]:
    """The field names of the model at `path`, when a plain walk of the annotations finds one model there."""
    kind = model
    for element in path:
        kind = _unwrapped(kind)
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            field = kind.model_fields.get(element) or next(
                (item for item in kind.model_fields.values() if item.alias == element), None
            )
            if field is None:
                return []
            kind = field.annotation
        elif typing.get_origin(kind) in (list, tuple, dict):
            kind = typing.get_args(kind)[-1 if typing.get_origin(kind) is dict else 0]
        else:
            return []
    kind = _unwrapped(kind)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return [field.alias or name for name, field in kind.model_fields.items()]
    return []


def _unwrapped(kind: Any) -> Any:
    """A type without Annotated and without `| None`; a union of several types stays as it is."""
    while typing.get_origin(kind) is typing.Annotated:
        kind = typing.get_args(kind)[0]
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        members = [member for member in typing.get_args(kind) if member is not type(None)]
        if len(members) == 1:
            return _unwrapped(members[0])
    return kind

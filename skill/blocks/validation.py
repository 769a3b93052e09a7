"""Content validated with pydantic: where a plugin's locale files become its content models.

Imported only where content is built from its sources (`model check`, the snapshot that
`secure-base package` writes, the development tools, a plugin no snapshot holds): the skill
serves from the snapshot without importing this module, or pydantic.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, get_args, get_type_hints

from pydantic import TypeAdapter, ValidationError

from skill.blocks.content import Model
from skill.speech import validate_text

ModelT = TypeVar("ModelT", bound=Model)


class Invalid(ValueError):
    """Where the first problem is (a dotted path) and what it is, never the value."""


def validated(model: type[ModelT], data: object, speakable: bool = False) -> ModelT:
    """`data` as a `model`: its fields' types and constraints, then each model's `check`
    (innermost first) and, with `speakable`, every string it holds as speech; raises Invalid."""
    try:
        value: ModelT = _adapter(model).validate_python(data)
    except ValidationError as error:
        raise Invalid(_first_error(error)) from None
    _checked(value, (), speakable)
    return value


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(model: type[Any]) -> TypeAdapter[Any]:
    if model not in _ADAPTERS:
        _dataclassed(model)
        _ADAPTERS[model] = TypeAdapter(model)
    return _ADAPTERS[model]


def _dataclassed(found: Any) -> None:
    """Makes a dataclass of every model `found` holds, in its fields' types at any depth, so
    that pydantic reads each as one (a model becomes one only when needed: Model)."""
    if isinstance(found, type) and issubclass(found, Model):
        if "__dataclass_fields__" in found.__dict__:
            return
        found.dataclassed()
        for hint in get_type_hints(found, include_extras=True).values():
            _dataclassed(hint)
    for argument in get_args(found):
        _dataclassed(argument)


def _checked(value: Any, path: tuple[str | int, ...], speakable: bool) -> None:
    if isinstance(value, Model):
        for each in dataclasses.fields(value):
            _checked(getattr(value, each.name), (*path, each.name), speakable)
        try:
            value.check()
        except ValueError as error:
            raise Invalid(f"{_dotted(path)}: {error}" if path else str(error)) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _checked(item, (*path, key), speakable)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _checked(item, (*path, index), speakable)
    elif isinstance(value, str) and speakable:
        try:
            validate_text(value)
        except ValueError as error:
            raise Invalid(f"{_dotted(path)}: {error}") from None


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in path) or "(the whole file)"


_PLAINER = {
    "unexpected_keyword_argument": "Extra inputs are not permitted",
    "missing_keyword_only_argument": "Field required",
}


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    # A dataclass's words for a key no field declares and a field left out; a model's are
    # clearer to content authors.
    message = _PLAINER.get(first["type"], first["msg"])
    more = error.error_count() - 1
    return f"{_dotted(tuple(first['loc']))}: {message}" + (f" (and {more} more)" if more else "")

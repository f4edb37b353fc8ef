"""Typed config sections: dataclasses whose fields carry a default, a doc line and checks.

Each feature declares its own section next to its code (``Limits`` in limits.py,
``PolicyConfig`` in policy.py …) and ``load_section`` builds it from a TOML table,
refusing unknown keys and wrong types with an error that names the key.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from filters.errors import ConfigError

T = TypeVar("T")


def option(
    default: Any,
    doc: str,
    *,
    choices: tuple[Any, ...] | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
) -> Any:
    """A config field: its default, a one-line doc and optional value checks."""
    meta = {"doc": doc, "choices": choices, "minimum": minimum, "maximum": maximum}
    if isinstance(default, (list, dict, set)):
        return dataclasses.field(default_factory=lambda: type(default)(default), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _coerce(key: str, hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        errors = []
        for arg in args:
            if arg is type(None):
                if value is None:
                    return None
                continue
            try:
                return _coerce(key, arg, value)
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError(errors[0] if errors else f"config key {key}: unexpected value")
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"config key {key}: expected true or false, got {_describe(value)}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"config key {key}: expected an integer, got {_describe(value)}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"config key {key}: expected a number, got {_describe(value)}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"config key {key}: expected a string, got {_describe(value)}")
        return value
    if origin in (list, tuple):
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"config key {key}: expected a list, got {_describe(value)}")
        inner = args[0] if args else Any
        items = [_coerce(f"{key}[{i}]", inner, v) for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(value, Mapping):
            raise ConfigError(f"config key {key}: expected a table, got {_describe(value)}")
        inner = args[1] if len(args) == 2 else Any
        return {str(k): _coerce(f"{key}.{k}", inner, v) for k, v in value.items()}
    if hint is Any:
        return value
    raise ConfigError(f"config key {key}: unsupported type {hint!r}")


def load_section(cls: type[T], data: Mapping[str, Any] | None, prefix: str) -> T:
    """Build config section ``cls`` from TOML table ``data``; errors name ``prefix.key``.

    An empty ``prefix`` means the top level of the file.
    """
    data = dict(data or {})
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(fields))
    if unknown:
        known = ", ".join(sorted(fields))
        where = f"[{prefix}]" if prefix else "the top level"
        name = f"{prefix}.{unknown[0]}" if prefix else unknown[0]
        raise ConfigError(f"config key {name}: unknown key; known keys in {where}: {known}")
    values = {}
    for name, value in data.items():
        key = f"{prefix}.{name}" if prefix else name
        f = fields[name]
        value = _coerce(key, hints[name], value)
        choices = f.metadata.get("choices")
        if choices and value not in choices:
            allowed = ", ".join(map(str, choices))
            raise ConfigError(f"config key {key}: expected one of {allowed}, got {_describe(value)}")
        low, high = f.metadata.get("minimum"), f.metadata.get("maximum")
        if low is not None and isinstance(value, (int, float)) and value < low:
            raise ConfigError(f"config key {key}: must be at least {low}, got {value}")
        if high is not None and isinstance(value, (int, float)) and value > high:
            raise ConfigError(f"config key {key}: must be at most {high}, got {value}")
        values[name] = value
    return cls(**values)


def describe_section(cls: type, prefix: str) -> list[tuple[str, Any, str]]:
    """(key, default, doc) for every key of a section, for docs and example configs."""
    out = []
    for f in dataclasses.fields(cls):
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
        out.append((f"{prefix}.{f.name}", default, f.metadata.get("doc", "")))
    return out

"""The pipeline's frozen types build as their dataclass definitions say (filters.types._quick_init)."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

from filters.types import Defect, Hit, Part, ScanStats, Verdict

TYPES = (Part, Defect, Hit, ScanStats, Verdict)


def _dataclass_twin(cls: type) -> type:
    """A plain frozen slots dataclass with ``cls``'s fields: the __init__ dataclasses writes."""
    namespace: dict[str, object] = {"__annotations__": {f.name: f.type for f in dataclasses.fields(cls)}}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            namespace[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f.name] = dataclasses.field(default_factory=f.default_factory)
    return dataclasses.dataclass(frozen=True, slots=True)(type(cls.__name__, (), namespace))


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
def test_the_same_parameters_as_the_dataclass_init(cls):
    twin = _dataclass_twin(cls)
    ours = inspect.signature(cls).parameters
    theirs = inspect.signature(twin).parameters
    assert list(ours) == list(theirs)
    for name, param in ours.items():
        assert param.kind == theirs[name].kind
        assert repr(param.default) == repr(theirs[name].default)


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
def test_defaults_and_factories_as_the_dataclass_gives_them(cls):
    required = [f.name for f in dataclasses.fields(cls)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    values = [f"value of {name}" for name in required]
    ours, theirs = cls(*values), _dataclass_twin(cls)(*values)
    for f in dataclasses.fields(cls):
        assert getattr(ours, f.name) == getattr(theirs, f.name), f.name
    for f in dataclasses.fields(cls):
        if f.default_factory is not dataclasses.MISSING:  # a fresh object per instance
            assert getattr(cls(*values), f.name) is not getattr(ours, f.name)


def test_fields_given_by_position_and_by_name():
    part = Part("mail/body[1]", b"", None, "Hello", "header", "To", "", "utf-8", "", 2, {"k": "v"})
    assert part == Part(origin="mail/body[1]", text="Hello", role="header", name="To",
                        charset="utf-8", depth=2, meta={"k": "v"})
    assert part.is_text and part.size == 5
    hit = Hit("r", "classification", "high", "mail", "SECRET", (0, 6))
    assert hit.span == (0, 6) and hit.description == ""
    assert Verdict("pass").stats == ScanStats()


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
def test_still_frozen_hashable_and_picklable(cls):
    required = [f.name for f in dataclasses.fields(cls)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    item = cls(*[f"v{i}" for i in range(len(required))])
    name = dataclasses.fields(cls)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(item, name, "other")
    assert pickle.loads(pickle.dumps(item)) == item
    assert dataclasses.replace(item) == item
    if cls in (Defect, Hit):  # no mapping among their fields
        assert hash(item) == hash(dataclasses.replace(item))

"""confgen.record gives the lint path's value types what dataclasses gives them: compared
here with the standard library on the same class bodies."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from confgen import record

VARIANTS = [{}, {"frozen": True}, {"frozen": True, "slots": True}, {"slots": True},
            {"eq": False}]


def _make(mod, opts, name):
    @mod.dataclass(**opts)
    class Point:
        """A point."""

        x: int
        y: int = 0
        tags: tuple = ()
        note: dict = mod.field(default_factory=dict, compare=False, hash=False)

        @property
        def norm(self) -> int:
            return abs(self.x) + abs(self.y)

    Point.__qualname__ = Point.__name__ = name  # module level, so that it pickles
    globals()[name] = Point
    return Point


CLASSES = [(_make(dataclasses, o, f"Std{i}"), _make(record, o, f"Rec{i}"), o)
           for i, o in enumerate(VARIANTS)]


@pytest.mark.parametrize("std,rec,opts", CLASSES, ids=[str(o) for o in VARIANTS])
def test_same_behaviour_as_dataclasses(std, rec, opts):
    for cls in (std, rec):
        a, b = cls(1, 2, note={"n": 1}), cls(1, 2)
        assert (a == b) is opts.get("eq", True)
        assert a.norm == 3 and b.note == {} and a.note is not b.note
        assert repr(a) == f"{cls.__name__}(x=1, y=2, tags=(), note={{'n': 1}})"
        assert (cls.__hash__ is None) is (opts.get("eq", True) and not opts.get("frozen"))
        if cls.__hash__ is not None and opts.get("eq", True):
            assert hash(a) == hash(b)
        if opts.get("frozen"):
            with pytest.raises(AttributeError):
                a.x = 5
        assert hasattr(a, "__dict__") is (not opts.get("slots"))
        c = pickle.loads(pickle.dumps(a))
        assert (c.x, c.y, c.note) == (1, 2, {"n": 1}) and copy.deepcopy(a).note == {"n": 1}
    assert record.replace(rec(1), y=5).y == 5
    with pytest.raises(TypeError):
        record.replace(rec(1), z=1)
    with pytest.raises(TypeError):
        rec()  # x is required


def test_methods_the_class_defines_win():
    @record.dataclass(frozen=True)
    class Version:
        major: int

        def __eq__(self, other):
            return isinstance(other, Version) and self.major // 10 == other.major // 10

        def __hash__(self):
            return self.major // 10

    assert Version(11) == Version(12) and hash(Version(11)) == 1

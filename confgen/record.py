"""Value types for the lint path: `@dataclass` and `field` as the standard library spells them,
without its cost at start-up.

`confgen lint` runs on every commit (pre-commit), so its start-up is most of its time. The
standard `dataclasses` module imports `inspect` (and with it `ast`, `dis`, `tokenize`, ...)
and compiles every generated method of every class while the class is defined: about 10 ms
for the twenty classes lint imports. Here a class gets its `__init__`, `__repr__`, `__eq__`
and `__hash__` compiled the first time one is called, so a class that is defined but never
used costs nothing.

Supported, with the standard meaning: defaults, `field(default=, default_factory=, compare=,
hash=, repr=, init=)`, `frozen=True` (assignment raises FrozenInstanceError, an AttributeError),
`eq=False`, `slots=True`, methods the class defines itself win, fields of record base
classes come first, `replace(obj, **changes)`. Instances pickle and copy like any object.
Modules off the lint path (intent, render) keep the standard dataclasses.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs start-up time; annotations are strings here
    from typing import Any

__all__ = ["FrozenInstanceError", "dataclass", "field", "fields", "replace"]

_MISSING: Any = object()


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record."""


class Field:
    __slots__ = ("compare", "default", "default_factory", "hash", "init", "name", "repr")

    def __init__(self, default: Any = _MISSING, default_factory: Any = _MISSING,
                 compare: bool = True, hash: bool | None = None, repr: bool = True,
                 init: bool = True):
        if default is not _MISSING and default_factory is not _MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.default, self.default_factory = default, default_factory
        self.compare, self.hash, self.repr, self.init = compare, hash, repr, init

    @property
    def hashed(self) -> bool:
        return self.compare if self.hash is None else self.hash


def field(*, default: Any = _MISSING, default_factory: Any = _MISSING, compare: bool = True,
          hash: bool | None = None, repr: bool = True, init: bool = True) -> Any:
    return Field(default, default_factory, compare, hash, repr, init)


def fields(obj_or_cls: Any) -> tuple[Field, ...]:
    return obj_or_cls.__record_fields__


def replace(obj: Any, **changes: Any) -> Any:
    """A copy of `obj` with some fields changed (like dataclasses.replace)."""
    names = {f.name for f in obj.__record_fields__ if f.init}
    unknown = set(changes) - names
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field {sorted(unknown)[0]!r} to set")
    return type(obj)(**{f.name: changes[f.name] if f.name in changes else getattr(obj, f.name)
                        for f in obj.__record_fields__ if f.init})


def dataclass(cls: type | None = None, /, *, frozen: bool = False, eq: bool = True,
              slots: bool = False) -> Any:
    def wrap(c: type) -> type:
        return _process(c, frozen, eq, slots)

    return wrap if cls is None else wrap(cls)


def _process(cls: type, frozen: bool, eq: bool, slots: bool = False) -> type:
    own = cls.__dict__
    inherited: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        for f in base.__dict__.get("__record_fields__", ()):
            inherited[f.name] = f
    for name, ann in own.get("__annotations__", {}).items():
        if isinstance(ann, str) and ann.replace("typing.", "").startswith("ClassVar"):
            continue
        value = own.get(name, _MISSING)
        f = value if isinstance(value, Field) else Field(default=value)
        f.name = name
        if isinstance(value, Field):  # the class attribute is the plain default, if any
            if f.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
        inherited[name] = f
    cls.__record_fields__ = tuple(inherited.values())  # type: ignore[attr-defined]
    cls.__record_frozen__ = frozen  # type: ignore[attr-defined]
    cls.__match_args__ = tuple(inherited)  # type: ignore[attr-defined]
    for name in ("__init__", "__repr__") + (("__eq__",) if eq else ()):
        if name not in own:
            setattr(cls, name, _lazy(name))
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    if eq and not explicit_hash:
        cls.__hash__ = _lazy("__hash__") if frozen else None  # type: ignore[assignment]
    if frozen:
        for name in ("__setattr__", "__delattr__"):
            if name not in own:
                setattr(cls, name, _refuse)
    return _with_slots(cls, frozen) if slots else cls


def _with_slots(cls: type, frozen: bool) -> type:
    """The class again, with __slots__ for its own fields (as dataclasses does it)."""
    inherited = {n for base in cls.__mro__[1:] for n in base.__dict__.get("__slots__", ())}
    own = [f.name for f in cls.__record_fields__ if f.name not in inherited]  # type: ignore[attr-defined]
    body = {k: v for k, v in cls.__dict__.items()
            if k not in own and k not in ("__dict__", "__weakref__")}
    body["__slots__"] = tuple(own)
    body["__record_slots__"] = True
    if frozen and "__getstate__" not in body:  # pickle and copy without assignment
        body["__getstate__"] = _getstate
        body["__setstate__"] = _setstate
    new = type(cls)(cls.__name__, cls.__bases__, body)
    new.__qualname__ = cls.__qualname__
    return new


def _getstate(self: Any) -> list:
    return [getattr(self, f.name) for f in self.__record_fields__]


def _setstate(self: Any, state: list) -> None:
    for f, value in zip(self.__record_fields__, state, strict=True):
        object.__setattr__(self, f.name, value)


def _refuse(self: Any, name: str, *value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _lazy(method: str) -> Any:
    """A stand-in that compiles the real method for its class, installs it, and calls it."""

    def stub(self: Any, *args: Any, **kw: Any) -> Any:
        cls = _owner(type(self), method)
        real = _make(method, cls)
        setattr(cls, method, real)
        return real(self, *args, **kw)

    stub.__name__ = method
    stub.__record_stub__ = True  # type: ignore[attr-defined]
    return stub


def _owner(cls: type, method: str) -> type:
    """The class in cls's MRO whose stand-in is being called (a subclass reuses it)."""
    for c in cls.__mro__:
        m = c.__dict__.get(method)
        if m is not None:
            return c
    return cls


def _compile(cls: type, name: str, src: str, env: dict[str, Any]) -> Any:
    """The method `name` from its source: made by a factory shipped compiled for exactly this
    source (confgen/compiled/records.py; compile() costs about 0.3 ms a method, and lint
    makes some thirty), else compiled here (a class changed since: same method, slower)."""
    factory = _factories().get(src)
    if factory is not None:
        fn = factory(**env)
    else:
        ns: dict[str, Any] = {}
        exec(compile(src, f"<record {cls.__qualname__}.{name}>", "exec"), env, ns)  # noqa: S102
        fn = ns[name]
    fn.__qualname__ = f"{cls.__qualname__}.{name}"
    fn.__record_made__ = True  # type: ignore[attr-defined]
    return fn


_FACTORIES: dict[str, Any] | None = None


def _factories() -> dict[str, Any]:
    global _FACTORIES
    if _FACTORIES is None:
        try:
            from confgen.compiled.records import FACTORIES
        except ImportError:  # being regenerated
            FACTORIES = {}
        _FACTORIES = FACTORIES
    return _FACTORIES


def sources(cls: type) -> list[tuple[str, str, list[str]]]:
    """(method, source, names its code reads from the environment) of every method a record
    class gets made (for confgen.compact, which ships them compiled)."""
    out = []
    for method, source in _SOURCES.items():
        m = cls.__dict__.get(method)  # a stand-in, or what it made (the class was used)
        if getattr(m, "__record_stub__", False) or getattr(m, "__record_made__", False):
            src, env = source(cls)
            out.append((method, src, sorted(env)))
    return out


def _init_source(cls: type) -> tuple[str, dict[str, Any]]:
    env: dict[str, Any] = {"_MISSING": _MISSING, "_set": object.__setattr__}
    slots = cls.__dict__.get("__record_slots__", False)
    args, body = [], []
    for f in cls.__record_fields__:  # type: ignore[attr-defined]
        n = f.name
        if not f.init:  # not a parameter: its default (or factory), if it has one
            if f.default_factory is not _MISSING:
                env[f"_f_{n}"] = f.default_factory
                value = f"_f_{n}()"
            elif f.default is not _MISSING:
                env[f"_d_{n}"] = f.default
                value = f"_d_{n}"
            else:
                continue
        elif f.default_factory is not _MISSING:
            env[f"_f_{n}"] = f.default_factory
            args.append(f"{n}=_MISSING")
            value = f"_f_{n}() if {n} is _MISSING else {n}"
        elif f.default is not _MISSING:
            env[f"_d_{n}"] = f.default
            args.append(f"{n}=_d_{n}")
            value = n
        else:
            args.append(n)
            value = n
        # a slot is set through object.__setattr__ (frozen too); else straight into __dict__
        body.append(f" _set(self, {n!r}, {value})" if slots else f" d[{n!r}] = {value}")
    post = " self.__post_init__()\n" if hasattr(cls, "__post_init__") else ""
    head = " d = self.__dict__\n" if body and not slots else ""
    src = (f"def __init__({', '.join(['self', *args])}):\n{head}"
           + "".join(f"{b}\n" for b in body) + (post or ("" if body else " pass\n")))
    return src, env


def _repr_source(cls: type) -> tuple[str, dict[str, Any]]:
    parts = [f"{f.name}={{self.{f.name}!r}}" for f in cls.__record_fields__ if f.repr]  # type: ignore[attr-defined]
    src = (f"def __repr__(self):\n return f\"{{type(self).__qualname__}}({', '.join(parts)})\"\n")
    return src, {}


def _tuple(cls: type, var: str, pick: str) -> str:
    names = [f.name for f in cls.__record_fields__ if getattr(f, pick)]  # type: ignore[attr-defined]
    return "(" + "".join(f"{var}.{n}," for n in names) + ")"


def _eq_source(cls: type) -> tuple[str, dict[str, Any]]:
    src = ("def __eq__(self, other):\n if other.__class__ is self.__class__:\n"
           f"  return {_tuple(cls, 'self', 'compare')} == {_tuple(cls, 'other', 'compare')}\n"
           " return NotImplemented\n")
    return src, {}


def _hash_source(cls: type) -> tuple[str, dict[str, Any]]:
    src = f"def __hash__(self):\n return hash({_tuple(cls, 'self', 'hashed')})\n"
    return src, {}


_SOURCES = {"__init__": _init_source, "__repr__": _repr_source, "__eq__": _eq_source,
            "__hash__": _hash_source}


def _make(method: str, cls: type) -> Any:
    return _compile(cls, method, *_SOURCES[method](cls))

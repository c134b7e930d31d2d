"""``TYPE_CHECKING`` and ``NamedTuple`` without importing :mod:`typing`.

Importing typing takes about 2 ms, a tenth of a one-file lint, so the modules every ``sagelint
lint`` imports take these two names from here and import the rest of typing for the type
checker only::

    from linter._typing import TYPE_CHECKING, NamedTuple

    if TYPE_CHECKING:
        from typing import Any, Literal

mypy sees :class:`typing.NamedTuple` (and treats any ``TYPE_CHECKING`` as true); at run time
``class Finding(NamedTuple)`` builds the same class as typing does, with
:func:`collections.namedtuple`: the annotated fields in order, their defaults, the docstring,
and the methods and properties of the class body.
"""

from __future__ import annotations

from collections import namedtuple

__all__ = ["TYPE_CHECKING", "NamedTuple"]

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    _NOT_COPIED = frozenset({"__annotations__", "__module__", "__qualname__", "__doc__"})

    class _Builder(type):
        def __new__(mcls, name, bases, namespace):
            if not bases:  # NamedTuple itself
                return super().__new__(mcls, name, bases, namespace)
            fields = tuple(namespace.get("__annotations__", {}))
            defaults = [namespace[field] for field in fields if field in namespace]
            if any(field not in namespace for field in fields[len(fields) - len(defaults) :]):
                raise TypeError(f"{name}: a field without a default follows one with a default")
            record = namedtuple(name, fields, defaults=defaults, module=namespace["__module__"])
            for key, value in namespace.items():
                if key not in fields and key not in _NOT_COPIED:
                    setattr(record, key, value)
            record.__qualname__ = namespace["__qualname__"]
            if namespace.get("__doc__"):
                record.__doc__ = namespace["__doc__"]
            return record

    class NamedTuple(metaclass=_Builder):
        """The base of a class-syntax named tuple (see the module's docstring)."""

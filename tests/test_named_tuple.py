"""linter._typing.NamedTuple builds what typing.NamedTuple builds (the lint path's records)."""

from __future__ import annotations

import typing

import pytest

from linter import _typing


def declare(base: type) -> type:
    class Record(base):  # type: ignore[misc]
        """A record."""

        name: str
        count: int = 0
        tags: tuple[str, ...] = ()

        @property
        def label(self) -> str:
            return f"{self.name}:{self.count}"

        def bump(self) -> typing.Any:
            return self._replace(count=self.count + 1)

    return Record


@pytest.mark.parametrize("base", [_typing.NamedTuple, typing.NamedTuple])
def test_records_behave_like_typing_named_tuples(base: type) -> None:
    record_type = declare(base)
    record = record_type("a", tags=("x",))
    assert record_type._fields == ("name", "count", "tags")  # type: ignore[attr-defined]
    assert record == ("a", 0, ("x",))
    assert record.bump().label == "a:1"
    assert record._asdict() == {"name": "a", "count": 0, "tags": ("x",)}
    assert record_type.__doc__ == "A record."
    assert record_type.__name__ == "Record"
    assert record_type.__module__ == __name__
    assert repr(record) == "Record(name='a', count=0, tags=('x',))"
    with pytest.raises(AttributeError):
        record.name = "b"
    with pytest.raises(TypeError):
        record_type()


def test_a_field_without_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError, match="without a default follows"):

        class Wrong(_typing.NamedTuple):
            first: int = 0
            second: int  # type: ignore[misc]


def test_type_checking_is_false_at_run_time() -> None:
    assert _typing.TYPE_CHECKING is False

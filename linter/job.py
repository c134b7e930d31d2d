"""The view of one training job that rules read.

A job is either a DescribeTrainingJob response (``describe``: a job that exists, with status and
timestamps) or a CreateTrainingJob request (``create``: a saved job spec). The accessors treat an
explicit ``null`` like an absent field (SDK dumps write nulls for unset fields) and return None
(or an empty container) for a value of the wrong type, so that a rule on a malformed document
says nothing rather than crash; the schema check reports the malformed value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any, Literal

    Kind = Literal["describe", "create"]

Key = str | int


def pointer(*tokens: Key) -> str:
    """The RFC 6901 JSON pointer of a path of object keys and array indexes."""
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in tokens)


class Job(NamedTuple):
    kind: Kind
    data: Mapping[str, Any]
    # The job's tags when known: a request spec's Tags, an event's Tags, ListTags in an audit.
    # None when the document does not say (a saved DescribeTrainingJob response has no tags).
    tags: Mapping[str, str] | None = None
    # What S3 holds under each channel's S3Uri (S3Uri -> rules.s3_data.S3Listing) when the
    # audit or `lint --s3` listed it; None otherwise (SM203, SM205, SM206 then say nothing).
    s3: Mapping[str, Any] | None = None

    @property
    def name(self) -> str | None:
        return self.text("TrainingJobName")

    def get(self, *path: Key) -> Any:
        value: Any = self.data
        for key in path:
            # dict, not Mapping: an ABC check costs more than the rest of the lookup
            if isinstance(key, str) and isinstance(value, dict):
                value = value.get(key)
            elif (
                isinstance(key, int) and isinstance(value, list) and -len(value) <= key < len(value)
            ):
                value = value[key]
            else:
                return None
        return value

    def text(self, *path: Key) -> str | None:
        value = self.get(*path)
        return value if isinstance(value, str) else None

    def integer(self, *path: Key) -> int | None:
        value = self.get(*path)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def flag(self, *path: Key) -> bool | None:
        value = self.get(*path)
        return value if isinstance(value, bool) else None

    def array(self, *path: Key) -> list[Any]:
        value = self.get(*path)
        return value if isinstance(value, list) else []

    def mapping(self, *path: Key) -> Mapping[str, Any]:
        value = self.get(*path)
        return value if isinstance(value, dict) else {}

    def has(self, *path: Key) -> bool:
        return self.get(*path) is not None

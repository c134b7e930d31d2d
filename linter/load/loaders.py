"""Reading job documents from files and standard input.

Everything that can go wrong with an input becomes a :class:`LoadError` for that file (or that
line of a JSON Lines file) and the next input is read: a problem never stops the run. Codes:
``SM001`` the file cannot be read as text, ``SM002`` its text is not valid JSON/YAML, ``SM003``
it holds no training job.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, NamedTuple

from sagelint.document_rules import INVALID_SYNTAX, NOT_A_TRAINING_JOB, UNREADABLE_FILE
from sagelint.job import Job, is_event, make_job
from sagelint.load.locate import (
    DECODER,
    JsonLocator,
    LineIndex,
    Position,
    YamlLocator,
    skip_whitespace,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, BinaryIO, Literal

    Locator = JsonLocator | YamlLocator
    Format = Literal["json", "jsonl", "yaml"]
FORMATS_BY_SUFFIX: Mapping[str, Format] = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".yaml": "yaml",
    ".yml": "yaml",
}
STDIN = "-"
DEFAULT_MAX_DOCUMENT_SIZE = 10 * 1024 * 1024
MAX_ERRORS_PER_FILE = 20


class Document(NamedTuple):
    """One training job read from ``path``; ``locate`` maps a pointer into it to a position."""

    path: str
    job: Job
    locate: Callable[[str], Position]


class LoadError(NamedTuple):
    path: str
    code: str
    message: str
    line: int = 1
    column: int = 1


Loaded = Document | LoadError


class _Unusable(Exception):
    def __init__(self, code: str, message: str, position: Position = (1, 1)) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.position = position


def sources(
    paths: Iterable[str], *, exclude: Callable[[str], bool] | None = None
) -> Iterator[str | LoadError]:
    """The inputs ``paths`` name, in order: files (folders searched recursively for job
    files), ``-`` for standard input, or a LoadError for a folder without job files.

    ``exclude`` says which files to skip, whether found in a folder or named.
    """
    for given in paths:
        if given == STDIN:
            yield given
            continue
        if os.path.isdir(given):
            found = False
            for file in _job_files(given):
                found = True
                if exclude is None or not exclude(file):
                    yield file
            if not found:
                suffixes = ", ".join(f"*{s}" for s in FORMATS_BY_SUFFIX)
                yield LoadError(
                    given, UNREADABLE_FILE.code, f"no job files ({suffixes}) in this folder"
                )
        elif exclude is None or not exclude(given):
            yield given


def load_source(
    source: str,
    *,
    max_document_size: int = DEFAULT_MAX_DOCUMENT_SIZE,
    stdin_name: str = "<stdin>",
    stdin: Callable[[], bytes] | None = None,
) -> Iterator[Loaded]:
    """Every job in one input: a file, or ``-`` for standard input."""
    if source == STDIN:
        if stdin is not None:
            read = stdin
        else:

            def read() -> bytes:
                import sys

                return _read_limited(sys.stdin.buffer.read, max_document_size)

        yield from _load_bytes(stdin_name, _format_of(stdin_name), read, max_document_size)
    else:
        yield from load_file(source, max_document_size=max_document_size)


def load(
    paths: Iterable[str],
    *,
    max_document_size: int = DEFAULT_MAX_DOCUMENT_SIZE,
    stdin_name: str = "<stdin>",
    stdin: Callable[[], bytes] | None = None,
    exclude: Callable[[str], bool] | None = None,
) -> Iterator[Loaded]:
    """Every job in ``paths`` (files, folders searched recursively, ``-`` for standard input)."""
    for source in sources(paths, exclude=exclude):
        if isinstance(source, LoadError):
            yield source
        else:
            yield from load_source(
                source, max_document_size=max_document_size, stdin_name=stdin_name, stdin=stdin
            )


def load_file(
    path: str | os.PathLike[str], *, max_document_size: int = DEFAULT_MAX_DOCUMENT_SIZE
) -> Iterator[Loaded]:
    name = os.fspath(path)
    fmt = _format_of(name)
    if fmt == "jsonl":
        try:
            with open(name, "rb") as stream:
                yield from _load_lines(
                    name, _bounded_lines(stream, max_document_size), max_document_size
                )
        except OSError as error:
            yield LoadError(name, UNREADABLE_FILE.code, f"cannot read: {_reason(error)}")
        return

    def read() -> bytes:
        with open(name, "rb") as stream:
            return _read_limited(stream.read, max_document_size)

    yield from _load_bytes(name, fmt, read, max_document_size)


def _bounded_lines(stream: BinaryIO, limit: int) -> Iterator[bytes]:
    """The lines of a stream; of a line longer than ``limit`` only its first ``limit + 1`` bytes."""
    while line := stream.readline(limit + 1):
        yield line
        while len(line) > limit and not line.endswith(b"\n"):
            line = stream.readline(limit + 1)


def _job_files(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file in sorted(files):
            if _format_of(file) and not file.startswith("."):
                yield clean_path(os.path.join(root, file))


def clean_path(path: str) -> str:
    """``path`` as :mod:`pathlib` writes it (``./jobs//a.json`` is ``jobs/a.json``), without
    importing pathlib on the lint path."""
    parts = [part for part in path.split(os.sep) if part not in ("", ".")]
    return (os.sep if path.startswith(os.sep) else "") + os.sep.join(parts) or "."


def _format_of(name: str) -> Format | None:
    return FORMATS_BY_SUFFIX.get(os.path.splitext(name)[1].lower())


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _read_limited(read: Callable[[int], bytes], limit: int) -> bytes:
    data = read(limit + 1)
    if len(data) > limit:
        raise _Unusable(
            UNREADABLE_FILE.code, f"larger than the {_size(limit)} limit (--max-document-size)"
        )
    return data


def _size(count: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if count < 1024 or unit == "GiB":
            return f"{count:g} {unit}" if unit == "B" else f"{count:.4g} {unit}"
        count //= 1024
    raise AssertionError  # pragma: no cover


def _load_bytes(
    name: str, fmt: Format | None, read: Callable[[], bytes], limit: int
) -> Iterator[Loaded]:
    try:
        text = decode(read())
    except _Unusable as problem:
        yield LoadError(name, problem.code, problem.message, *problem.position)
        return
    except OSError as error:
        yield LoadError(name, UNREADABLE_FILE.code, f"cannot read: {_reason(error)}")
        return
    if fmt is None:
        fmt = "json" if text.lstrip()[:1] in ("{", "[") else "yaml"
    if fmt == "yaml":
        yield from _load_yaml(name, text)
    elif fmt == "jsonl":
        yield from _load_lines(name, iter(text.encode().splitlines(keepends=True)), limit)
    else:
        yield from _load_json(name, text, limit)


def decode(data: bytes) -> str:
    """The text of a file: UTF-8 (a BOM is dropped), or UTF-16 with a BOM (Windows PowerShell)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise _Unusable(
                UNREADABLE_FILE.code, f"not valid UTF-16 text ({error.reason})"
            ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        raise _Unusable(
            UNREADABLE_FILE.code, "binary file (contains NUL bytes), not a job document"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _Unusable(
            UNREADABLE_FILE.code,
            f"not UTF-8 text (invalid byte 0x{data[error.start]:02x} at offset {error.start})",
        ) from None
    if not text.strip():
        raise _Unusable(INVALID_SYNTAX.code, "empty file: no job document in it")
    return text


def _json_error(error: json.JSONDecodeError) -> _Unusable:
    return _Unusable(INVALID_SYNTAX.code, f"invalid JSON: {error.msg}", (error.lineno, error.colno))


_TOO_DEEP = "nested too deeply to be a job document (more levels than Python's recursion limit)"


def _load_json(name: str, text: str, limit: int) -> Iterator[Loaded]:
    lines = LineIndex(text)
    start = skip_whitespace(text, 0)
    try:
        if text.startswith("[", start):
            yield from _load_json_array(name, text, start, lines)
            return
        value, end = DECODER.raw_decode(text, start)
        end = skip_whitespace(text, end)
        if end < len(text):
            # Several values, one a line: JSON Lines under a .json name.
            yield from _load_lines(name, iter(text.encode().splitlines(keepends=True)), limit)
            return
    except json.JSONDecodeError as error:
        yield _error(name, _json_error(error))
        return
    except RecursionError:
        yield LoadError(name, INVALID_SYNTAX.code, _TOO_DEEP)
        return
    yield from _jobs(name, value, JsonLocator(text, start, lines))


def _load_json_array(name: str, text: str, start: int, lines: LineIndex) -> Iterator[Loaded]:
    """Each element of a top-level array in turn, so that each is located from its own offset."""
    elements: list[tuple[Any, int]] = []
    i = skip_whitespace(text, start + 1)
    if not text.startswith("]", i):
        while True:
            value, end = DECODER.raw_decode(text, i)
            elements.append((value, i))
            i = skip_whitespace(text, end)
            if text.startswith("]", i):
                break
            if not text.startswith(",", i):
                raise json.JSONDecodeError("Expecting ',' delimiter", text, i)
            i = skip_whitespace(text, i + 1)
    i = skip_whitespace(text, i + 1)
    if i < len(text):
        raise json.JSONDecodeError("Extra data", text, i)
    if not elements:
        yield LoadError(
            name,
            NOT_A_TRAINING_JOB.code,
            "an empty array: no training job in it",
            *lines.position(start),
        )
    whole = JsonLocator(text, start, lines)
    for value, offset in elements:
        yield from _jobs(name, value, whole.at(offset), in_array=True)


def _load_lines(name: str, lines: Iterable[bytes], limit: int) -> Iterator[Loaded]:
    """JSON Lines, one line at a time: memory stays bounded by the longest line."""
    errors = 0
    seen_any = False
    for number, line in enumerate(lines, start=1):
        raw = line[3:] if number == 1 and line.startswith(b"\xef\xbb\xbf") else line
        if len(raw) > limit:
            problem = _Unusable(
                UNREADABLE_FILE.code,
                f"line longer than the {_size(limit)} limit (--max-document-size)",
            )
        elif not raw.strip():
            continue
        else:
            problem = None
            try:
                text = raw.decode("utf-8")
                if "\x00" in text:
                    raise _Unusable(
                        UNREADABLE_FILE.code, "binary data (contains NUL bytes), not a job document"
                    )
                value = json.loads(text)
            except UnicodeDecodeError as error:
                problem = _Unusable(
                    UNREADABLE_FILE.code, f"not UTF-8 text (invalid byte at offset {error.start})"
                )
            except json.JSONDecodeError as error:
                column = min(error.pos, len(text.rstrip("\r\n"))) + 1
                problem = _Unusable(INVALID_SYNTAX.code, f"invalid JSON: {error.msg}", (1, column))
            except RecursionError:
                problem = _Unusable(INVALID_SYNTAX.code, _TOO_DEEP)
            except _Unusable as unusable:
                problem = unusable
        seen_any = True
        if problem is not None:
            errors += 1
            yield LoadError(name, problem.code, problem.message, number, problem.position[1])
            if errors >= MAX_ERRORS_PER_FILE:
                yield LoadError(
                    name,
                    INVALID_SYNTAX.code,
                    f"{errors} bad lines; the rest of the file is skipped",
                    number,
                )
                return
            continue
        start = len(text) - len(text.lstrip())
        yield from _jobs(name, value, JsonLocator(text, start, LineIndex(text, number)))
    if not seen_any:
        yield LoadError(name, INVALID_SYNTAX.code, "empty file: no job document in it")


def _yaml_loader() -> type[Any]:
    import yaml

    base: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc]
        """Safe loading that keeps timestamps as the strings they are in the file."""

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    return Loader


def _load_yaml(name: str, text: str) -> Iterator[Loaded]:
    import yaml

    if _bracket_depth(text) > 200:
        yield LoadError(
            name, INVALID_SYNTAX.code, _TOO_DEEP.replace("Python's recursion limit", "200")
        )
        return
    loader = _yaml_loader()(text)
    documents: list[tuple[Any, YamlLocator]] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            documents.append((loader.construct_document(node), YamlLocator(node)))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        # Only the problem: PyYAML's full message quotes the line, which may hold a secret.
        yield LoadError(
            name, INVALID_SYNTAX.code, f"invalid YAML: {error.problem or error.context}", *where
        )
        return
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as error:
        message = _TOO_DEEP if isinstance(error, RecursionError) else f"invalid YAML: {error}"
        yield LoadError(name, INVALID_SYNTAX.code, message)
        return
    finally:
        loader.dispose()
    if not documents:
        yield LoadError(name, INVALID_SYNTAX.code, "empty file: no job document in it")
    for value, locator in documents:
        yield from _jobs(name, value, locator)


def _bracket_depth(text: str) -> int:
    """How deep flow collections nest (an upper bound: brackets inside strings count too)."""
    depth = deepest = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def _error(name: str, problem: _Unusable) -> LoadError:
    return LoadError(name, problem.code, problem.message, *problem.position)


def _jobs(name: str, value: Any, locate: Locator, in_array: bool = False) -> Iterator[Loaded]:
    """The training jobs one parsed value holds, or one SM003 error saying why there is none."""
    if isinstance(value, list) and not in_array:
        if not value:
            yield LoadError(
                name, NOT_A_TRAINING_JOB.code, "an empty array: no training job in it", *locate("")
            )
        for index, item in enumerate(value):
            yield from _jobs(name, item, locate.below(f"/{index}"), in_array=True)
        return
    if isinstance(value, dict):
        job = make_job(value)
        if job is not None:
            yield Document(name, job, locate.below("/detail") if is_event(value) else locate)
            return
    yield LoadError(
        name,
        NOT_A_TRAINING_JOB.code,
        f"not a SageMaker training job: {_describe(value)}",
        *locate(""),
    )


def _describe(value: Any) -> str:
    expected = (
        "expected a DescribeTrainingJob response, a CreateTrainingJob request, an EventBridge "
        "training job state change event, or an array of them"
    )
    if isinstance(value, dict):
        keys = ", ".join(json.dumps(k) for k in list(value)[:5]) + (
            ", ..." if len(value) > 5 else ""
        )
        found = f"an object with keys {keys}" if value else "an empty object"
    else:
        found = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
            type(value), "a number"
        )
        if isinstance(value, list):
            found = "an array nested in an array"
    return f"{expected} (found {found})"

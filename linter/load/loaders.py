"""Reading job documents from files and standard input.

Everything that can go wrong with an input becomes a :class:`LoadError` for that file (or that
line of a JSON Lines file) and the next input is read: a problem never stops the run. Codes:
``SM001`` the file cannot be read as text, ``SM002`` its text is not valid JSON/YAML, ``SM003``
it holds no training job. After ``MAX_ERRORS_PER_FILE`` of them a file's other errors are
counted in one closing line.

Hostile input never wins: only regular files are read (a FIFO or a device is refused without
blocking), every read is bounded by ``--max-document-size``, and no message quotes document text
(a syntax error says where and what, never which characters), so a secret in a broken file stays
out of the report. A document keeps the problems found while parsing it that are not errors
(``Document.problems``: a key given twice, SM005).
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, NamedTuple

from sagelint.document_rules import (
    DUPLICATE_KEY,
    INTERNAL_ERROR,
    INVALID_SYNTAX,
    NOT_A_TRAINING_JOB,
    UNREADABLE_FILE,
)
from sagelint.job import Job, is_event, make_job
from sagelint.load.declared import Broken, Found, declared_jobs
from sagelint.load.locate import (
    DECODER,
    Duplicate,
    JsonLocator,
    LineIndex,
    Locator,
    Position,
    RenamedLocator,
    Scanner,
    YamlLocator,
    json_duplicates,
    masked_key,
    secret_shaped,
    skip_whitespace,
    yaml_duplicates,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, AnyStr, BinaryIO, Literal

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


class Problem(NamedTuple):
    """A finding about a document that its parsing found (not an input error): reported at
    ``line``:``column``, its ``pointer`` into the job (a masked key in a sensitive map)."""

    code: str
    pointer: str
    message: str
    line: int
    column: int


class Document(NamedTuple):
    """One training job read from ``path``; ``locate`` maps a pointer into it to a position (and
    gives the source line at a position)."""

    path: str
    job: Job
    locate: Locator
    problems: tuple[Problem, ...] = ()
    at: str = ""  # the JSON pointer of a declared job in its file (see _jobs)
    # A pointer into the job -> the pointer below ``at`` the file writes it at, when they differ
    # (a Terraform plan's attribute names).
    rename: Callable[[str], str] | None = None
    label: str | None = None  # what names the job in its file when it has no TrainingJobName
    ignore: tuple[str, ...] = ()  # rules its declaration exempts it from (CloudFormation Metadata)
    # (pointer into the job, where its value came from) for values given indirectly.
    origins: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str | None:
        """The job's name: its TrainingJobName, else what names it in its file."""
        return self.job.name or self.label

    def file_pointer(self, pointer: str) -> str:
        """The JSON pointer into the file of ``pointer``, a pointer into the job."""
        return self.at + (self.rename(pointer) if self.rename else pointer)


class LoadError(NamedTuple):
    path: str
    code: str
    message: str
    line: int = 1
    column: int = 1


class NothingToCheck(NamedTuple):
    """A file that declares no training job: a template or a definition without one."""

    path: str


Loaded = Document | LoadError | NothingToCheck


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
    files), ``-`` for standard input, or a LoadError for a folder without job files, a
    sub-folder that cannot be read, or a job-named entry of a folder that is not a regular file.

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
                path = file.path if isinstance(file, LoadError) else file
                if exclude is None or not exclude(path):
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
    if source != STDIN:
        yield from load_file(source, max_document_size=max_document_size)
    elif stdin is not None:
        read = stdin
        loaded = _load_bytes(stdin_name, _format_of(stdin_name), read, max_document_size)
        yield from _capped(loaded)
    else:
        stream = sys.stdin.buffer
        yield from _capped(
            _load_stream(stdin_name, _format_of(stdin_name), stream, max_document_size)
        )


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
    try:
        stream = _open_regular(name)
    except _Unusable as problem:
        yield _error(name, problem)
        return
    except OSError as error:
        yield LoadError(name, UNREADABLE_FILE.code, f"cannot read: {_reason(error)}")
        return
    with stream:
        yield from _capped(_load_stream(name, _format_of(name), stream, max_document_size))


_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def _open_regular(name: str) -> BinaryIO:
    """``name`` opened for reading, or _Unusable when it is not a regular file (a FIFO, a
    device): opening never blocks and nothing is read from such a file."""
    fd = os.open(name, _OPEN_FLAGS)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _Unusable(UNREADABLE_FILE.code, _not_regular(mode))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _not_regular(mode: int) -> str:
    kinds = (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    )
    kind = next((kind for test, kind in kinds if test(mode)), "not a file")
    return f"not a regular file ({kind}), not read"


def _load_stream(name: str, fmt: Format | None, stream: BinaryIO, limit: int) -> Iterator[Loaded]:
    """The jobs of one stream: JSON Lines a line at a time, anything else read whole (at most
    ``limit`` bytes of it). Unnamed input over the limit that starts like JSON is read as JSON
    Lines: the limit is per document."""
    try:
        if fmt == "jsonl":
            yield from _load_lines(name, _stream_lines(stream, limit), limit)
            return
        head = stream.read(limit + 1)
    except _Unusable as problem:
        yield _error(name, problem)
        return
    except OSError as error:
        yield LoadError(name, UNREADABLE_FILE.code, f"cannot read: {_reason(error)}")
        return
    if len(head) <= limit:
        yield from _load_bytes(name, fmt, lambda: head, limit)
    elif fmt is None and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        whole = io.BufferedReader(_Prepended(head, stream))
        yield from _load_lines(name, _stream_lines(whole, limit), limit)
    else:
        yield LoadError(name, UNREADABLE_FILE.code, _too_large(limit))


class _Prepended(io.RawIOBase):
    """The bytes already read from a stream, then the rest of it."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        target = memoryview(buffer).cast("B")
        if self._head:
            count = min(len(target), len(self._head))
            target[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        data = self._rest.read(len(target))
        target[: len(data)] = data
        return len(data)


def _stream_lines(stream: BinaryIO, limit: int) -> Iterator[bytes]:
    """The lines of a JSON Lines stream as UTF-8 (UTF-16 with a byte-order mark is decoded)."""
    start = stream.peek(2)[:2] if isinstance(stream, io.BufferedReader) else b""
    if start not in (b"\xff\xfe", b"\xfe\xff"):
        yield from _bounded_lines(stream.readline, limit, b"\n")
        return
    text = io.TextIOWrapper(stream, encoding="utf-16", newline="")
    try:
        for line in _bounded_lines(text.readline, limit, "\n"):
            yield line.encode("utf-8", "surrogatepass")
    except UnicodeDecodeError as error:
        raise _Unusable(UNREADABLE_FILE.code, f"not valid UTF-16 text ({error.reason})") from None
    finally:
        text.detach()


def _bounded_lines(
    readline: Callable[[int], AnyStr], limit: int, newline: AnyStr
) -> Iterator[AnyStr]:
    """The lines ``readline`` gives; of a line longer than ``limit`` only its first
    ``limit + 1`` bytes (or characters): the rest of it is read past, never held."""
    while line := readline(limit + 1):
        yield line
        while len(line) > limit and not line.endswith(newline):
            line = readline(limit + 1)


def _job_files(folder: str) -> Iterator[str | LoadError]:
    """The job files below ``folder``, in order (a folder's files, then its sub-folders), and a
    LoadError for a sub-folder that cannot be read or a job-named entry that is not a file."""
    pending = [folder]
    while pending:
        here = pending.pop()
        try:
            with os.scandir(here) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            yield LoadError(
                clean_path(here), UNREADABLE_FILE.code, f"cannot read this folder: {_reason(error)}"
            )
            continue
        folders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if _is_dir(entry):
                if not entry.is_symlink():
                    folders.append(entry.path)
            elif _format_of(entry.name):
                yield _job_file(entry)
        pending.extend(reversed(folders))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _job_file(entry: os.DirEntry[str]) -> str | LoadError:
    path = clean_path(entry.path)
    try:
        if entry.is_file():
            return path
        mode = os.stat(entry.path).st_mode
    except OSError:
        return path  # reading it says why it cannot be read
    return LoadError(path, UNREADABLE_FILE.code, _not_regular(mode))


def clean_path(path: str) -> str:
    """``path`` as :mod:`pathlib` writes it (``./jobs//a.json`` is ``jobs/a.json``), without
    importing pathlib on the lint path."""
    parts = [part for part in path.split(os.sep) if part not in ("", ".")]
    return (os.sep if path.startswith(os.sep) else "") + os.sep.join(parts) or "."


def _format_of(name: str) -> Format | None:
    return FORMATS_BY_SUFFIX.get(os.path.splitext(name)[1].lower())


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _too_large(limit: int) -> str:
    return f"larger than the {_size(limit)} limit (--max-document-size)"


def _size(count: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if count < 1024 or unit == "GiB":
            return f"{count:g} {unit}" if unit == "B" else f"{count:.4g} {unit}"
        count //= 1024
    raise AssertionError  # pragma: no cover


def _capped(loaded: Iterable[Loaded]) -> Iterator[Loaded]:
    """Everything loaded from one file, its errors after the first ``MAX_ERRORS_PER_FILE``
    counted in one closing line (at the first one left out)."""
    shown = hidden = 0
    first_hidden: LoadError | None = None
    for item in loaded:
        if isinstance(item, LoadError):
            if shown < MAX_ERRORS_PER_FILE:
                shown += 1
            else:
                hidden += 1
                first_hidden = first_hidden or item
                continue
        yield item
    if first_hidden is not None:
        yield first_hidden._replace(
            message=f"and {hidden} more {'error' if hidden == 1 else 'errors'} in this file "
            f"(the first {MAX_ERRORS_PER_FILE} are shown)"
        )


def _load_bytes(
    name: str, fmt: Format | None, read: Callable[[], bytes], limit: int
) -> Iterator[Loaded]:
    try:
        data = read()
        if len(data) > limit:
            raise _Unusable(UNREADABLE_FILE.code, _too_large(limit))
        text = decode(data)
    except _Unusable as problem:
        yield _error(name, problem)
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
        raise _Unusable(UNREADABLE_FILE.code, _BINARY)
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


_BINARY = "binary file (contains NUL bytes), not a job document"
_TOO_DEEP = "nested too deeply to be a job document (more levels than Python's recursion limit)"


# --- JSON --------------------------------------------------------------------------------------


def _json_message(error: json.JSONDecodeError, position: Position) -> str:
    """The json module's message, whole: some end in "at", the position they refer to."""
    message = error.msg
    if message.endswith(" at"):
        message += f" line {position[0]}, column {position[1]}"
    return f"invalid JSON: {message}"


class _JsonParser:
    """Parses JSON values, noting whether an object of the last one repeats a key (the hook
    only compares sizes: positions are looked for when there is one). One per file."""

    def __init__(self) -> None:
        self._repeated = False
        self._decoder = json.JSONDecoder(object_pairs_hook=self._object)

    def _object(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        value = dict(pairs)
        if len(value) != len(pairs):
            self._repeated = True
        return value

    def parse(self, text: str, at: int, lines: LineIndex) -> Parsed:
        """The JSON value at ``at``, the offset after it, its repeated keys, and the scanner
        that locates pointers in it (it knows the members of an object from the parse).

        Raises json.JSONDecodeError, RecursionError, or _Unusable for an integer too long to
        convert.
        """
        self._repeated = False
        scanner = Scanner(text)
        try:
            if not text.startswith("{", at):
                raise ValueError(at)
            scan_value = self._decoder.scan_once  # type: ignore[attr-defined]  # set in __init__
            value, end, repeated = scanner.read_object(at, scan_value)
            self._repeated = self._repeated or repeated
        except (ValueError, StopIteration):  # not an object, or not valid: the json module says
            value, end = self._raw_decode(text, at, lines)
        duplicates = json_duplicates(text, at, lines) if self._repeated else []
        return Parsed(value, end, duplicates, scanner)

    def _raw_decode(self, text: str, at: int, lines: LineIndex) -> tuple[Any, int]:
        try:
            return self._decoder.raw_decode(text, at)
        except json.JSONDecodeError:
            raise
        except ValueError:  # Python's limit on the digits of an int (CVE-2020-10735)
            raise _Unusable(
                INVALID_SYNTAX.code,
                _LONG_INTEGER.format(sys.get_int_max_str_digits()),
                lines.position(_long_integer_at(text, at)),
            ) from None


class Parsed(NamedTuple):
    value: Any
    end: int
    duplicates: list[Duplicate]
    scanner: Scanner


_LONG_INTEGER = "invalid JSON: an integer with more than {} digits"


def _long_integer_at(text: str, start: int) -> int:
    """Where the first integer too long to convert is (strings are skipped whole)."""
    digits = sys.get_int_max_str_digits()
    tokens = re.compile(r'"(?:[^"\\]|\\.)*"|-?[0-9]{' + str(digits + 1) + ",}", re.DOTALL)
    for match in tokens.finditer(text, start):
        if not match.group().startswith('"'):
            return match.start()
    return start  # pragma: no cover - the parser found one


def _load_json(name: str, text: str, limit: int) -> Iterator[Loaded]:
    lines = LineIndex(text)
    start = skip_whitespace(text, 0)
    try:
        if text.startswith("[", start):
            yield from _load_json_array(name, text, start, lines)
            return
        value, end, duplicates, scanner = _JsonParser().parse(text, start, lines)
        end = skip_whitespace(text, end)
        if end < len(text):
            # Several values, one a line: JSON Lines under a .json name.
            yield from _load_lines(name, iter(text.encode().splitlines(keepends=True)), limit)
            return
    except json.JSONDecodeError as error:
        position = error.lineno, error.colno
        yield LoadError(name, INVALID_SYNTAX.code, _json_message(error, position), *position)
        return
    except _Unusable as problem:
        yield _error(name, problem)
        return
    except RecursionError:
        yield LoadError(name, INVALID_SYNTAX.code, _TOO_DEEP)
        return
    yield from _jobs(name, value, JsonLocator(scanner, start, lines), _problems(duplicates))


def _load_json_array(name: str, text: str, start: int, lines: LineIndex) -> Iterator[Loaded]:
    """Each element of a top-level array in turn, each located from its own offset. The array
    is parsed at once; the offsets of its elements are found only as far as a position is
    needed (a million numbers are parsed, counted, and not walked through)."""
    elements, end, duplicates, scanner = _JsonParser().parse(text, start, lines)
    if skip_whitespace(text, end) < len(text):
        raise json.JSONDecodeError("Extra data", text, skip_whitespace(text, end))
    if not elements:
        yield LoadError(
            name,
            NOT_A_TRAINING_JOB.code,
            "an empty array: no training job in it",
            *lines.position(start),
        )
        return
    problems: dict[str, list[Problem]] = {}
    for problem in _problems(duplicates):
        element, _, rest = problem.pointer[1:].partition("/")
        problems.setdefault(element, []).append(problem._replace(pointer="/" + rest))
    whole = JsonLocator(scanner, start, lines)
    offsets = _element_offsets(text, start)
    offset, reached = start, -1
    errors = 0
    for index, value in enumerate(elements):
        if errors > MAX_ERRORS_PER_FILE and not isinstance(value, dict):
            # only counted by _capped: where it is and why are not needed
            yield LoadError(name, NOT_A_TRAINING_JOB.code, "not a training job")
            continue
        while reached < index:
            offset, reached = next(offsets), reached + 1
        found = tuple(problems.get(str(index), ()))
        for loaded in _jobs(name, value, whole.at(offset), found, in_array=True):
            errors += isinstance(loaded, LoadError)
            yield loaded


def _element_offsets(text: str, start: int) -> Iterator[int]:
    """The offsets of the elements of the (valid) JSON array at ``start``, one at a time."""
    i = skip_whitespace(text, start + 1)
    while not text.startswith("]", i):
        yield i
        i = skip_whitespace(text, DECODER.raw_decode(text, i)[1])
        if text.startswith(",", i):
            i = skip_whitespace(text, i + 1)


def _load_lines(name: str, lines: Iterable[bytes], limit: int) -> Iterator[Loaded]:
    """JSON Lines, one line at a time: memory stays bounded by the longest line. A NUL byte
    ends the file at once (binary data, e.g. a sparse file): nothing more of it is read."""
    seen_any = False
    parser = _JsonParser()
    try:
        numbered = enumerate(lines, start=1)
        for number, line in numbered:
            raw = line[3:] if number == 1 and line.startswith(b"\xef\xbb\xbf") else line
            if b"\x00" in raw:
                yield LoadError(name, UNREADABLE_FILE.code, _BINARY, number)
                return
            if not raw.strip():
                continue
            seen_any = True
            loaded = _load_line(name, raw, number, limit, parser)
            if isinstance(loaded, LoadError):
                yield loaded
            else:
                yield from loaded
    except _Unusable as problem:  # the stream itself (not valid UTF-16)
        yield _error(name, problem)
        return
    if not seen_any:
        yield LoadError(name, INVALID_SYNTAX.code, "empty file: no job document in it")


def _load_line(
    name: str, raw: bytes, number: int, limit: int, parser: _JsonParser
) -> LoadError | Iterator[Loaded]:
    if len(raw) > limit:
        return LoadError(name, UNREADABLE_FILE.code, _too_large(limit), number)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text (invalid byte at offset {error.start})"
        return LoadError(name, UNREADABLE_FILE.code, message, number)
    index = LineIndex(text, number)
    start = skip_whitespace(text, 0)
    try:
        value, end, duplicates, scanner = parser.parse(text, start, index)
        if skip_whitespace(text, end) < len(text):
            raise json.JSONDecodeError("Extra data", text, end)
    except json.JSONDecodeError as error:
        position = number, min(error.pos, len(text.rstrip("\r\n"))) + 1
        return LoadError(name, INVALID_SYNTAX.code, _json_message(error, position), *position)
    except _Unusable as problem:
        return _error(name, problem)
    except RecursionError:
        return LoadError(name, INVALID_SYNTAX.code, _TOO_DEEP, number)
    return _jobs(name, value, JsonLocator(scanner, start, index), _problems(duplicates))


# --- YAML --------------------------------------------------------------------------------------


def _yaml_loader() -> type[Any]:
    import yaml

    base: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc]
        """Safe loading that keeps timestamps as the strings they are in the file, and turns a
        value its tag cannot be built from (``!!int abc``) into an error at its position that
        does not quote it."""

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[str, Any]:
            """A mapping whose keys are strings, as in JSON: a key written as a number, a date
            or a boolean is the text it is written as (``1: x`` has the key "1")."""
            if not isinstance(node, yaml.MappingNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "expected a mapping", node.start_mark
                )
            self.flatten_mapping(node)
            mapping: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise yaml.constructor.ConstructorError(
                        None, None, "a key that is a list or a mapping", key_node.start_mark
                    )
                key = self.construct_object(key_node, deep=deep)
                if not isinstance(key, str):
                    key = str(key_node.value)
                mapping[key] = self.construct_object(value_node, deep=deep)
            return mapping

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep)
            except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError):
                raise yaml.constructor.ConstructorError(
                    None, None, _bad_value(node), node.start_mark
                ) from None

    for name in _SHORT_FORM_INTRINSICS:
        Loader.add_constructor(f"!{name}", _intrinsic(name))
    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    return Loader


# CloudFormation's short-form intrinsic functions (!Ref Name is {"Ref": "Name"}, !Sub is
# {"Fn::Sub": ...}); a template's reader decides what they stand for.
_SHORT_FORM_INTRINSICS = (
    *("Ref", "Condition", "And", "Base64", "Cidr", "Equals", "FindInMap", "ForEach", "GetAtt"),
    *("GetAZs", "If", "ImportValue", "Join", "Length", "Not", "Or", "Select", "Split", "Sub"),
    *("ToJsonString", "Transform"),
)


def _intrinsic(name: str) -> Callable[[Any, Any], dict[str, Any]]:
    import yaml

    key = name if name in ("Ref", "Condition") else f"Fn::{name}"

    def construct(loader: Any, node: Any) -> dict[str, Any]:
        value: Any
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            if name == "GetAtt":  # !GetAtt Resource.Attribute
                value = str(value).split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {key: value}

    return construct


_YAML_TAG = "tag:yaml.org,2002:"


def _bad_value(node: Any) -> str:
    """What is wrong with a scalar its tag cannot be built from, without quoting it."""
    tag = str(node.tag)
    digits = str(node.value).lstrip("+-").replace("_", "")
    if digits.isdigit() and len(digits) > sys.get_int_max_str_digits():
        return f"an integer with more than {sys.get_int_max_str_digits()} digits"
    if tag.startswith(_YAML_TAG) and tag[len(_YAML_TAG) :].isalpha():
        return f"not a valid !!{tag[len(_YAML_TAG) :]} value"
    return "a value its tag cannot be built from"


# A YAML syntax token named in a message ('<block end>') or one punctuation mark (',' or ']').
_YAML_TOKEN = re.compile(r"'<[a-z ]+>'|'[,\]}:\[{-]'")


def _yaml_message(problem: str | None) -> str:
    """PyYAML's or libyaml's description of a problem, without the document text some of them
    quote (a tag, an alias, a character): cut where a quote is left."""
    if not problem:
        return "invalid YAML"
    if "constructor for the tag" in problem:
        return "invalid YAML: an unknown tag (quote a value that starts with !)"
    kept = _YAML_TOKEN.sub(lambda m: "\x00" * len(m.group()), problem)
    cut = min((kept.find(q) for q in "'\"#" if q in kept), default=len(kept))
    text = problem[:cut].rstrip(" :;,(")
    if not text.isprintable():
        text = "".join(c for c in text if c.isprintable())
    return f"invalid YAML: {text or 'malformed'}"


def _load_yaml(name: str, text: str) -> Iterator[Loaded]:
    import yaml

    if _bracket_depth(text) > 200:
        yield LoadError(
            name, INVALID_SYNTAX.code, _TOO_DEEP.replace("Python's recursion limit", "200")
        )
        return
    loader = _yaml_loader()(text)
    lines = LineIndex(text)
    documents: list[tuple[Any, YamlLocator, list[Duplicate]]] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            duplicates = yaml_duplicates(node)  # before construction merges `<<` keys in
            documents.append(
                (loader.construct_document(node), YamlLocator(node, lines), duplicates)
            )
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = error.problem
        if not problem or (error.context and "first occurrence" in error.context):
            problem = (error.context or "").replace("; first occurrence", "")
        yield LoadError(name, INVALID_SYNTAX.code, _yaml_message(problem), *where)
        return
    except yaml.reader.ReaderError as error:
        where = LineIndex(text).position(max(error.position, 0))
        yield LoadError(name, INVALID_SYNTAX.code, _yaml_message(error.reason), *where)
        return
    except RecursionError:
        yield LoadError(name, INVALID_SYNTAX.code, _TOO_DEEP)
        return
    except (yaml.YAMLError, ValueError, TypeError):
        yield LoadError(name, INVALID_SYNTAX.code, "invalid YAML")
        return
    finally:
        loader.dispose()
    if not documents:
        yield LoadError(name, INVALID_SYNTAX.code, "empty file: no job document in it")
    for value, locator, duplicates in documents:
        yield from _jobs(name, value, locator, _problems(duplicates))


def _bracket_depth(text: str) -> int:
    """How deep flow collections nest (an upper bound: brackets inside strings count too)."""
    depth = deepest = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


# --- what was parsed ---------------------------------------------------------------------------


def _error(name: str, problem: _Unusable) -> LoadError:
    return LoadError(name, problem.code, problem.message, *problem.position)


def _problems(duplicates: list[Duplicate]) -> tuple[Problem, ...]:
    """SM005 for each key given again (pointers relative to the parsed value); after
    ``MAX_ERRORS_PER_FILE`` of them, one that counts the others."""
    problems = []
    for duplicate in duplicates[:MAX_ERRORS_PER_FILE]:
        key = "a key" if duplicate.key is None else "key " + json.dumps(duplicate.key)[:80]
        line, column = duplicate.first
        message = (
            f"duplicate {key} (first at line {line}, column {column}): only the last one counts"
        )
        problems.append(Problem(DUPLICATE_KEY.code, duplicate.pointer, message, *duplicate.again))
    if len(duplicates) > MAX_ERRORS_PER_FILE:
        first_left_out = duplicates[MAX_ERRORS_PER_FILE]
        more = len(duplicates) - MAX_ERRORS_PER_FILE
        message = f"and {more} more duplicate {'key' if more == 1 else 'keys'}"
        problems.append(
            Problem(DUPLICATE_KEY.code, first_left_out.pointer, message, *first_left_out.again)
        )
    return tuple(problems)


def _below(problems: tuple[Problem, ...], prefix: str, *, only: bool) -> tuple[Problem, ...]:
    """The problems of the value at ``prefix``, with pointers relative to it; with ``only``
    False the others too, at the value itself."""
    kept = []
    for problem in problems:
        if problem.pointer.startswith(prefix + "/"):
            kept.append(problem._replace(pointer=problem.pointer[len(prefix) :]))
        elif not only:
            kept.append(problem._replace(pointer=""))
    return tuple(kept)


def _jobs(
    name: str,
    value: Any,
    locate: Locator,
    problems: tuple[Problem, ...] = (),
    in_array: bool = False,
) -> Iterator[Loaded]:
    """The training jobs one parsed value holds: job documents, or the jobs a template, a
    definition or a plan declares; or one SM003 error saying why there is none.

    A job document's findings point into the job (the same pointer whether the job was saved
    alone, in an array or as an event, or read from AWS: baselines match); a declared job's
    point into its file (``/Resources/TrainJob/Properties/ResourceConfig``)."""
    if isinstance(value, list) and not in_array:
        if not value:
            yield LoadError(
                name, NOT_A_TRAINING_JOB.code, "an empty array: no training job in it", *locate("")
            )
        for index, item in enumerate(value):
            below = _below(problems, f"/{index}", only=True) if problems else ()
            yield from _jobs(name, item, locate.below(f"/{index}"), below, in_array=True)
        return
    if isinstance(value, dict):
        job = make_job(value)
        if job is not None:
            if is_event(value):
                problems = _below(problems, "/detail", only=False) if problems else ()
                yield Document(name, job, locate.below("/detail"), problems)
            else:
                yield Document(name, job, locate, problems)
            return
        try:
            declared = declared_jobs(value)
        except RecursionError:
            yield LoadError(name, INVALID_SYNTAX.code, _TOO_DEEP)
            return
        except Exception as error:  # a bug of ours: this file, not the run
            message = (
                f"internal error ({type(error).__name__}) reading the training jobs this file "
                "declares; please report it"
            )
            yield LoadError(name, INTERNAL_ERROR.code, message)
            return
        if declared is not None:
            yield from _declared(name, declared, locate, problems)
            return
    yield LoadError(
        name,
        NOT_A_TRAINING_JOB.code,
        f"not a SageMaker training job: {_describe(value)}",
        *locate(""),
    )


def _declared(
    name: str, declared: list[Found], locate: Locator, problems: tuple[Problem, ...]
) -> Iterator[Loaded]:
    """The documents of the jobs a declaration holds (each located in the file), the errors of
    the definitions that cannot be read, or NothingToCheck."""
    if not declared:
        yield NothingToCheck(name)
    for found in declared:
        if isinstance(found, Broken):
            yield LoadError(name, INVALID_SYNTAX.code, found.message, *locate(found.at))
            continue
        job = make_job(found.request, kind="create", region=found.region)
        assert job is not None
        if found.embedded is not None:
            job_locate: Locator = locate.embedded(found.embedded)
            below: tuple[Problem, ...] = ()
        else:
            job_locate = locate.below(found.at)
            below = _below(problems, found.at, only=True) if problems else ()
            if found.rename is not None:  # problems are where the file writes them
                job_locate, below = RenamedLocator(job_locate, found.rename), ()
        yield Document(
            name,
            job,
            job_locate,
            below,
            found.at,
            found.rename,
            found.label,
            found.ignore,
            found.origins,
        )


def _describe(value: Any) -> str:
    expected = (
        "expected a DescribeTrainingJob response, a CreateTrainingJob request, an EventBridge "
        "training job state change event, or an array of them"
    )
    if isinstance(value, dict):
        shown = [
            masked_key(n) if secret_shaped(key) else json.dumps(key)
            for n, key in enumerate(list(value)[:5], start=1)
        ]
        keys = ", ".join(shown) + (", ..." if len(value) > 5 else "")
        found = f"an object with keys {keys}" if value else "an empty object"
    else:
        found = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
            type(value), "a number"
        )
        if isinstance(value, list):
            found = "an array nested in an array"
    return f"{expected} (found {found})"

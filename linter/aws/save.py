"""``sagelint audit --save DIR``: each described job written where ``sagelint lint DIR`` reads
it back, tags included.

What an endpoint answers decides the names (the account and region of the job's ARN, the job's
name): each is made a safe file name (:func:`safe_name`) and every file is checked to land
inside DIR. The files hold hyperparameters: they are created readable by their owner only
(0600), in folders of their owner (0700).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import re
from pathlib import Path

from sagelint.job import EVENT_DETAIL_TYPE
from sagelint.load.loaders import Document

# A training job's name (CreateTrainingJob's pattern); account ids and regions fit it too.
_SAFE = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
_LONGEST = 120
_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


class SaveError(Exception):
    """``--save`` cannot write: the folder (before the audit) or one job's file."""


def safe_name(text: str) -> str:
    """``text`` when it is a valid job name; otherwise every character but letters, digits and
    ``-`` written ``_XX`` (its UTF-8 bytes in hex), so that no name holds a separator or is
    ``.`` or ``..``, and no escaped name is a valid one (none holds ``_``); a long result is
    cut and ends with a digest of ``text``."""
    if _SAFE.fullmatch(text):
        return text
    escaped = "".join(
        char if char in _PLAIN else "".join(f"_{byte:02x}" for byte in char.encode())
        for char in text
    )
    if not escaped:
        return "_"
    if len(escaped) > _LONGEST:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        escaped = f"{escaped[: _LONGEST - 17]}_{digest}"
    return escaped


class Saver:
    """``--save DIR``: each described job as ``DIR/ACCOUNT/REGION/JOB.json``, in the form of a
    "SageMaker Training Job State Change" event whose ``detail`` is the DescribeTrainingJob
    response plus the job's tags: ``sagelint lint DIR`` reads it back, tags included.

    :meth:`check` makes DIR and tries a write in it before the audit starts; :meth:`save`
    raises :class:`SaveError` for a job that cannot be written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._root: Path | None = None
        self._made: dict[tuple[str, str], Path] = {}
        self._count = itertools.count()

    def check(self) -> None:
        """Make DIR (0700) if it does not exist and write a file in it: :class:`SaveError`
        says why it cannot be used."""
        folder = self.folder
        try:
            if not folder.exists():
                folder.mkdir(mode=0o700, parents=True)
        except OSError as error:
            raise SaveError(f"cannot create the folder: {_reason(error)}") from None
        if not folder.is_dir():
            raise SaveError("not a folder")
        probe = folder / f".sagelint-probe-{os.getpid()}"
        try:
            os.close(os.open(probe, _FILE_FLAGS, 0o600))
            probe.unlink()
            self._root = folder.resolve(strict=True)
        except OSError as error:
            raise SaveError(f"cannot write in the folder: {_reason(error)}") from None

    def save(self, document: Document) -> Path:
        """Write the job; its path. :class:`SaveError` when it cannot be written."""
        job = document.job
        parts = document.path.split(":")
        region, account = (parts[3], parts[4]) if len(parts) > 5 else ("unknown", "unknown")
        name = f"{safe_name(job.name or '')}.json"
        detail = dict(job.data)
        if job.tags is not None:
            detail["Tags"] = dict(job.tags)
        event = {
            "version": "0",
            "detail-type": EVENT_DETAIL_TYPE,
            "source": "sagelint.audit",
            "account": account,
            "time": job.data.get("LastModifiedTime"),
            "region": region,
            "resources": [document.path],
            "detail": detail,
        }
        text = json.dumps(event, indent=2) + "\n"
        try:
            folder = self._folder(safe_name(account), safe_name(region))
            return self._write(folder, name, text)
        except OSError as error:
            where = self.folder / safe_name(account) / safe_name(region) / name
            raise SaveError(f"cannot write {where}: {_reason(error)}") from None

    def _folder(self, account: str, region: str) -> Path:
        """``DIR/ACCOUNT/REGION``, made (0700) if need be, and checked to be inside DIR."""
        found = self._made.get((account, region))
        if found is not None:
            return found
        if self._root is None:
            self.check()
        assert self._root is not None
        folder = self.folder
        for part in (account, region):
            folder = folder / part
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=0o700)
        resolved = folder.resolve(strict=True)
        if not resolved.is_relative_to(self._root) or not resolved.is_dir():
            raise SaveError(f"{folder} leads outside {self.folder}; not written")
        self._made[account, region] = resolved
        return resolved

    def _write(self, folder: Path, name: str, text: str) -> Path:
        """Write ``text`` to a new file (0600) beside ``folder/name``, then put it in place."""
        path = folder / name
        temporary = folder / f".{name}.{os.getpid()}-{next(self._count)}.tmp"
        descriptor = os.open(temporary, _FILE_FLAGS, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                stream.write(text)
            temporary.replace(path)
        except BaseException:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
        return path


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__

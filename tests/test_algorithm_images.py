"""The table of built-in algorithm images is what scripts/generate_algorithm_images.py writes from
the pinned copy of the SageMaker Python SDK's image URI configuration, and that copy is intact."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "scripts" / "data" / "image_uri_config"


def test_the_copy_of_the_sdk_files_is_the_one_recorded() -> None:
    recorded: dict[str, str] = {}
    for line in (SOURCE / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        recorded[name] = digest
    files = sorted(path.name for path in SOURCE.glob("*.json"))
    assert sorted(recorded) == files
    for name, digest in recorded.items():
        assert hashlib.sha256((SOURCE / name).read_bytes()).hexdigest() == digest, name


def test_the_committed_table_is_what_the_generator_writes() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_algorithm_images.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr

"""Build the deployment zip of the Lambda function (deploy/template.yaml): sagelint and what it
needs, as binary wheels for the function's runtime, with the handler at
``sagelint.aws_lambda.handler``.

    python scripts/build_lambda_zip.py                         # dist/sagelint-lambda.zip
    python scripts/build_lambda_zip.py --config .sagelint.toml --policy policies/jobs.yaml
    python scripts/build_lambda_zip.py --python-version 3.13 --platform manylinux2014_aarch64

boto3 and botocore are left out: the Lambda Python runtime provides them. A configuration file
(``--config``) is bundled as ``.sagelint.toml`` at the root of the zip, where the function finds
it; the files it names (policies, local plugins) must be given too (``--policy``, ``--plugin``),
with paths relative to the configuration's folder kept. The zip is reproducible: its entries are
sorted and dated 1980-01-01.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_PROVIDES = ("boto3", "botocore", "s3transfer", "jmespath", "urllib3", "dateutil", "six")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def build(
    output: Path,
    python_version: str,
    platform: str,
    config: Path | None = None,
    extras: tuple[Path, ...] = (),
) -> Path:
    with tempfile.TemporaryDirectory() as scratch:
        wheels, target = Path(scratch, "wheels"), Path(scratch, "package")
        pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT)], check=True)
        [wheel] = wheels.glob("sagelint-*.whl")
        subprocess.run(
            [
                *pip,
                "install",
                "--target",
                str(target),
                "--platform",
                platform,
                "--python-version",
                python_version,
                "--implementation",
                "cp",
                "--only-binary=:all:",
                "--no-compile",
                "-c",
                str(ROOT / "constraints.txt"),
                str(wheel),
            ],
            check=True,
        )
        for entry in list(target.iterdir()):
            name = entry.name.split("-")[0].removesuffix(".py").lower().removeprefix("python_")
            if name in RUNTIME_PROVIDES or name == "bin":  # bin: console scripts
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        if config is not None:
            shutil.copy(config, target / ".sagelint.toml")
            for extra in extras:
                relative = extra.resolve().relative_to(config.resolve().parent)
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(extra, target / relative)
        output.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(target.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    info = zipfile.ZipInfo(path.relative_to(target).as_posix(), FIXED_TIME)
                    info.external_attr = 0o644 << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, path.read_bytes())
    return output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--output", type=Path, default=ROOT / "dist" / "sagelint-lambda.zip")
    parser.add_argument("--python-version", default="3.13", help="the function's runtime")
    parser.add_argument("--platform", default="manylinux2014_x86_64", help="wheels' platform")
    parser.add_argument("--config", type=Path, help="a configuration file to bundle")
    parser.add_argument("--policy", "--plugin", dest="extras", type=Path, action="append")
    args = parser.parse_args()
    if args.extras and args.config is None:
        parser.error("--policy and --plugin go with --config")
    zipped = build(
        args.output, args.python_version, args.platform, args.config, tuple(args.extras or ())
    )
    print(f"wrote {zipped} ({zipped.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

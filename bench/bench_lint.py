"""Benchmark `sagelint lint` against baselines measured in the same run.

    python bench/bench_lint.py [--files 10000] [--repeat 20] [--many-repeat 5] [--jsonl-mb 0]

Figures are reported as ratios, because this machine is noisy:
- start-up: `sagelint lint ONE_FILE` against `python -c "import json"` (median of --repeat runs);
- throughput: `sagelint lint DIR` over --files generated documents (median of --many-repeat
  runs) against a plain `json.load` loop over the same files;
- floors, in the same runs: a one-file lint's dependencies and plugin discovery alone (click,
  tabulate, json, and the ``sagelint.rules`` entry points read with importlib.metadata: what
  every run pays before any code of sagelint's), and the 10,000 files with the document rules
  only (``--select SM0``: reading, parsing with positions and the schema check, no rule check);
- the nearest peer, check-jsonschema (`pip install .[bench]`), on the same one file and the
  same --files documents (once: it is tens of times slower) against
  schemas/describe-training-job.schema.json, when installed;
- memory: peak RSS of the run over --files documents, and of a --jsonl-mb JSON Lines file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import write_jobs, write_jsonl

PYTHON = sys.executable
SAGELINT = shutil.which("sagelint", path=str(Path(PYTHON).parent)) or "sagelint"
CHECK_JSONSCHEMA = shutil.which("check-jsonschema", path=str(Path(PYTHON).parent))
JSON_LOOP = "import json, sys; [json.load(open(p)) for p in sys.argv[1:]]"
# What a one-file lint imports of its dependencies, and its plugin discovery: the floor of start-up
FLOOR = (
    "import json, click, tabulate; import importlib.metadata as m; "
    "m.entry_points(group='sagelint.rules')"
)
POLICIES = Path(__file__).parent / "policies.yaml"  # five schema policies


def run(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, int]:
    """Wall time in seconds and peak RSS in KiB of one command (stdout discarded), with
    ``env`` added to the environment."""
    environment = {**os.environ, **env} if env else None
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, env=environment)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{command[:3]} exited with {process.returncode}")
    return elapsed, usage.ru_maxrss


def median_time(
    commands: dict[str, list[str]],
    repeat: int,
    cwd: Path | dict[str, Path] | None = None,
    env: dict[str, dict[str, str]] | None = None,
) -> dict[str, float]:
    """Median wall time of each command, the runs interleaved so that noise hits all alike;
    ``cwd`` is one folder for all, or one per command; ``env`` adds variables per command."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            folder = cwd.get(name) if isinstance(cwd, dict) else cwd
            added = env.get(name) if env else None
            times[name].append(run(command, folder, added)[0])
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20, help="runs of each one-file command")
    parser.add_argument(
        "--many-repeat", type=int, default=5, help="runs of each command over --files files"
    )
    parser.add_argument(
        "--jsonl-mb", type=int, default=0, help="also lint a JSON Lines file of this size"
    )
    parser.add_argument("--output", type=Path, default=Path(__file__).parent / "out" / "lint.json")
    args = parser.parse_args()

    # Byte-compile the package as `pip install` does: with PYTHONDONTWRITEBYTECODE set (as on
    # this machine), an editable install would otherwise recompile every module on every start.
    import sagelint
    import sagelint.rules
    from sagelint.schema.validate import schema_path

    for package in (sagelint, sagelint.rules):
        subprocess.run(
            [PYTHON, "-m", "compileall", "-q", str(Path(str(package.__file__)).parent)], check=True
        )

    results: dict[str, object] = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="sagelint-bench-") as tmp:
        folder = Path(tmp, "jobs")
        paths = write_jobs(folder, args.files)
        names = [p.name for p in paths]

        # One file, as pre-commit lints it: without a configuration, and in a repository
        # whose pyproject.toml has a [tool.sagelint] table (read and checked on every run).
        # Each in a folder of its own: `python -c` looks modules up in the current folder
        # first, and listing the folder of 10,000 jobs would slow the baseline down.
        plain, configured = Path(tmp, "plain"), Path(tmp, "configured")
        for place in (plain, configured):
            place.mkdir()
            shutil.copy(paths[1], place / "job.json")
        (configured / "pyproject.toml").write_text(
            '[project]\nname = "ml-platform"\n\n[tool.sagelint]\nignore = ["SM104"]\n'
            'fail-on = "warning"\n\n[tool.sagelint.rules]\nmax-runtime-seconds = 172800\n'
        )
        schema = schema_path("describe")
        peer = [CHECK_JSONSCHEMA, "--schemafile", schema] if CHECK_JSONSCHEMA else []
        one_file = {
            "baseline": [PYTHON, "-c", "import json"],
            "floor": [PYTHON, "-c", FLOOR],
            "sagelint": [SAGELINT, "lint", "job.json"],
            "configured": [SAGELINT, "lint", "job.json"],
            # the same run without looking for installed plugins (importlib.metadata)
            "no_autoload": [SAGELINT, "lint", "job.json"],
        }
        if peer:
            one_file["check_jsonschema"] = [*peer, "job.json"]
        startup = median_time(
            one_file,
            args.repeat,
            cwd={
                "baseline": plain,
                "floor": plain,
                "sagelint": plain,
                "configured": configured,
                "no_autoload": plain,
                "check_jsonschema": plain,
            },
            env={"no_autoload": {"SAGELINT_DISABLE_PLUGIN_AUTOLOAD": "1"}},
        )
        one_file_result = {
            **startup,
            "ratio": startup["sagelint"] / startup["baseline"],
            "floor_ratio": startup["floor"] / startup["baseline"],
            "configured_ratio": startup["configured"] / startup["baseline"],
            "no_autoload_ratio": startup["no_autoload"] / startup["baseline"],
        }
        if peer:
            one_file_result["check_jsonschema_ratio"] = (
                startup["check_jsonschema"] / startup["baseline"]
            )
        results["one_file"] = one_file_result

        many_commands = {
            "baseline": [PYTHON, "-c", JSON_LOOP, *names],
            "sagelint": [SAGELINT, "lint", "."],
            "documents_only": [SAGELINT, "lint", "--select", "SM0", "."],
            "policies": [SAGELINT, "lint", "--policy", str(POLICIES), "."],
        }
        throughput = median_time(many_commands, args.many_repeat, cwd=folder)
        if peer:  # once: it is tens of times slower, far beyond the noise
            throughput["check_jsonschema"] = run([*peer, *names], cwd=folder)[0]
        _, peak = run([SAGELINT, "lint", "."], cwd=folder)
        many_result = {
            "files": float(args.files),
            **throughput,
            "ratio": throughput["sagelint"] / throughput["baseline"],
            "documents_only_ratio": throughput["documents_only"] / throughput["baseline"],
            "policies_ratio": throughput["policies"] / throughput["sagelint"],
            "jobs_per_second": args.files / throughput["sagelint"],
            "baseline_files_per_second": args.files / throughput["baseline"],
            "peak_rss_mib": peak / 1024,
        }
        if peer:
            many_result["check_jsonschema_ratio"] = (
                throughput["check_jsonschema"] / throughput["baseline"]
            )
        results["many_files"] = many_result

        if args.jsonl_mb:
            big = Path(tmp, "jobs.jsonl")
            lines = write_jsonl(big, args.jsonl_mb)
            elapsed, peak = run([SAGELINT, "lint", str(big)])
            _, small_peak = run([SAGELINT, "lint", str(paths[1])])
            results["jsonl"] = {
                "megabytes": args.jsonl_mb,
                "jobs": lines,
                "seconds": elapsed,
                "jobs_per_second": lines / elapsed,
                "peak_rss_mib": peak / 1024,
                "one_file_peak_rss_mib": small_peak / 1024,
            }

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    one, many = results["one_file"], results["many_files"]
    assert isinstance(one, dict) and isinstance(many, dict)
    print(
        f"one file:   sagelint {one['sagelint'] * 1000:.1f} ms, python -c 'import json' "
        f"{one['baseline'] * 1000:.1f} ms -> {one['ratio']:.2f}x (target <= 5x; <= 10x configured); with a "
        f"[tool.sagelint] configuration {one['configured'] * 1000:.1f} ms -> "
        f"{one['configured_ratio']:.2f}x; with SAGELINT_DISABLE_PLUGIN_AUTOLOAD=1 "
        f"{one['no_autoload'] * 1000:.1f} ms -> {one['no_autoload_ratio']:.2f}x"
    )
    print(
        f"one file, floor: click, tabulate, json and the plugin discovery alone "
        f"{one['floor'] * 1000:.1f} ms -> {one['floor_ratio']:.2f}x"
    )
    print(
        f"{many['files']:,.0f} files: sagelint {many['sagelint']:.2f} s "
        f"({many['jobs_per_second']:,.0f} jobs/s), json.load loop {many['baseline']:.2f} s "
        f"-> {many['ratio']:.2f}x (target <= 4x); peak RSS {many['peak_rss_mib']:.0f} MiB"
    )
    print(
        f"{many['files']:,.0f} files, document rules only (--select SM0: reading, parsing, schema "
        f"check): {many['documents_only']:.2f} s -> {many['documents_only_ratio']:.2f}x"
    )
    print(
        f"{many['files']:,.0f} files with five schema policies: {many['policies']:.2f} s -> "
        f"{many['policies_ratio']:.2f}x the run without them (target <= 2x)"
    )
    if "check_jsonschema" in one:
        print(
            f"check-jsonschema: one file {one['check_jsonschema'] * 1000:.1f} ms -> "
            f"{one['check_jsonschema_ratio']:.2f}x; {many['files']:,.0f} files "
            f"{many['check_jsonschema']:.2f} s -> {many['check_jsonschema_ratio']:.2f}x"
        )
    if "jsonl" in results:
        big_run = results["jsonl"]
        assert isinstance(big_run, dict)
        print(
            f"{big_run['megabytes']} MB JSON Lines ({big_run['jobs']:,} jobs): {big_run['seconds']:.1f} s, "
            f"peak RSS {big_run['peak_rss_mib']:.0f} MiB (one file: {big_run['one_file_peak_rss_mib']:.0f} MiB)"
        )


if __name__ == "__main__":
    main()

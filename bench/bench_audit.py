"""Benchmark `sagelint audit` against baselines measured in the same run, on a moto server.

    python bench/bench_audit.py [--jobs 1000] [--jobs 10000] [--latency 0.05] [--repeat 3]
                                [--no-custodian] [--custodian-latency-up-to 1000]

For each --jobs N: start moto_server (127.0.0.1, a free port; its Search of training jobs
answering a page at a time, as AWS does: tests/moto_search.py), create N training jobs with
boto3 (realistic ones, from bench/generate.py; 20 datasets of 8 objects in S3), then time:

- the floor: a plain boto3 ListTrainingJobs + DescribeTrainingJob loop with 16 threads
  (bench/audit_floor.py), nothing checked;
- Search alone: boto3 paging through Search (bench/audit_floor.py --search-only), 100 jobs a
  page: what the default audit's tags cost by themselves;
- `sagelint audit --no-tags --no-s3`: the same calls as the floor, every rule checked;
- `sagelint audit --no-s3`: the floor's calls and one Search (the jobs tagged sagelint:ignore):
  what Cloud Custodian reads too, which it reads with ListTrainingJobs, DescribeTrainingJob and
  ListTags per job;
- `sagelint audit`: the default (the sagelint:ignore tags, and the S3 listings of the S3-aware
  rules);
- `sagelint audit` with `required-tags` set (SM503 reads every job's tags): the default and
  every job's tags from Search, 100 jobs a call;
- Cloud Custodian (`pip install c7n` into bench/out/.c7n-venv, made once), an aws.sagemaker-job
  policy with StatusEquals: Completed (its default query lists only InProgress jobs, and moto
  marks every job Completed) and value filters like sagelint's security rules;

straight against moto_server (median of --repeat interleaved runs), then through a small local
proxy that adds --latency seconds to every call (closer to real AWS, where concurrency decides).
Also: a re-audit with --cache of the unchanged account (DescribeTrainingJob calls counted by a
proxy), and the peak RSS of each run. Figures are ratios, because this machine is noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))
from tests.aws_proxy import FaultProxy  # noqa: E402
from tests.aws_servers import SCRIPTS, fake_credentials, moto_server  # noqa: E402

PYTHON = sys.executable
SAGELINT = [str(SCRIPTS / "sagelint")]
OUT = Path(__file__).parent / "out"
REGION = "us-east-1"
CUSTODIAN_POLICY = """\
policies:
  - name: sagemaker-training-jobs
    resource: aws.sagemaker-job
    query:
      - StatusEquals: Completed
    filters:
      - or:
          - {type: value, key: EnableNetworkIsolation, value: true, op: ne}
          - {type: value, key: VpcConfig, value: absent}
          - {type: value, key: OutputDataConfig.KmsKeyId, value: empty}
          - {type: value, key: ResourceConfig.VolumeKmsKeyId, value: empty}
          - {type: value, key: EnableInterContainerTrafficEncryption, value: true, op: ne}
"""


def create_account(url: str, count: int) -> None:
    """bench/audit_setup.py in a subprocess: boto3 stays out of this process, whose size every
    child's peak RSS would otherwise start from (Linux counts the image a child was forked from)."""
    subprocess.run(
        [PYTHON, str(Path(__file__).parent / "audit_setup.py"), "--jobs", str(count)],
        env=fake_credentials(url),
        check=True,
    )


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int, str]:
    """Wall time (s), peak RSS (KiB) and the last 4 KiB of standard output of one command.

    Only the tail of the output is read: a child's peak RSS counts the memory of this process
    when it was started (subprocess starts children with vfork), so this process must stay
    small; 10,000 jobs' findings read whole would make it 86 MiB, and every child as large."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+b") as out, tempfile.TemporaryFile("w+b") as err:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        code = process.returncode
        error = _tail(err)
        text = _tail(out)
    if code not in (0, 1):
        raise SystemExit(f"{command[:4]} exited with {code}: {error[-2000:]}")
    return elapsed, usage.ru_maxrss, text


def _tail(file: Any, size: int = 4096) -> str:
    file.seek(0, os.SEEK_END)
    file.seek(max(0, file.tell() - size))
    return str(file.read().decode(errors="replace"))


def custodian_venv() -> Path:
    venv = OUT / ".c7n-venv"  # hidden: mypy, which checks bench/, skips hidden folders
    custodian = venv / "bin" / "custodian"
    if not custodian.exists():
        print("bench: making bench/out/.c7n-venv (pip install c7n)...", flush=True)
        subprocess.run([PYTHON, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "c7n"], check=True
        )
    return custodian


@contextmanager
def latency_proxy(upstream: str, latency: float) -> Iterator[str]:
    """tests/aws_proxy.py in its own process (so that it does not share a GIL with anyone)."""
    process = subprocess.Popen(
        [PYTHON, str(ROOT / "tests" / "aws_proxy.py"), "--upstream", upstream, "--latency",
         str(latency)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )  # fmt: skip
    assert process.stdout is not None
    port = process.stdout.readline().strip()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


class Runs:
    """The commands of one scenario, run interleaved ``repeat`` times; medians kept."""

    def __init__(self, folder: Path, endpoint: str, custodian: Path | None) -> None:
        self.folder = folder
        self.env = fake_credentials(endpoint)
        audit = [*SAGELINT, "audit", "--isolated", "--region", REGION]
        floor = [PYTHON, str(Path(__file__).parent / "audit_floor.py"), "--region", REGION]
        self.commands: dict[str, list[str]] = {
            "floor": floor,
            "search": [*floor, "--search-only"],
            "sagelint_no_tags_no_s3": [*audit, "--no-tags", "--no-s3"],
            "sagelint_no_s3": [*audit, "--no-s3"],
            "sagelint": audit,
            # every job's tags, for a rule that reads them (SM503 with required-tags)
            "sagelint_every_tag": [
                *SAGELINT,
                "audit",
                "--config",
                str(folder / "tags.toml"),
                "--region",
                REGION,
            ],
        }
        (folder / "tags.toml").write_text('[rules]\nrequired-tags = ["team"]\n')
        if custodian is not None:
            policy = folder / "policy.yml"
            policy.write_text(CUSTODIAN_POLICY)
            self.commands["custodian"] = [
                str(custodian), "run", "--cache-period", "0", "-s", str(folder / "c7n"),
                "--region", REGION, str(policy),
            ]  # fmt: skip

    def measure(self, repeat: int, expected: int) -> dict[str, dict[str, float]]:
        times: dict[str, list[float]] = {name: [] for name in self.commands}
        peaks: dict[str, int] = {}
        for _ in range(repeat):
            for name, command in self.commands.items():
                seconds, peak, out = timed(command, self.env, self.folder)
                self._check(name, out, expected)
                times[name].append(seconds)
                peaks[name] = max(peaks.get(name, 0), peak)
        return {
            name: {"seconds": statistics.median(values), "peak_rss_mib": peaks[name] / 1024}
            for name, values in times.items()
        }

    def _check(self, name: str, out: str, expected: int) -> None:
        """Each tool saw every job (Cloud Custodian: its run wrote its resources)."""
        if name == "custodian":
            resources = self.folder / "c7n" / "sagemaker-training-jobs" / "resources.json"
            if not resources.exists():
                raise SystemExit("custodian wrote no resources.json")
            return
        if name in ("floor", "search"):
            counted = int(out.strip())
        else:
            match = re.search(r"([\d,]+) jobs? from", out.strip().splitlines()[-1])
            counted = int(match.group(1).replace(",", "")) if match else -1
        if counted != expected:
            raise SystemExit(f"{name} saw {counted} jobs, not {expected}")


def bench(count: int, args: argparse.Namespace, custodian: Path | None) -> dict[str, Any]:
    result: dict[str, Any] = {"jobs": count}
    with (
        moto_server() as url,
        tempfile.TemporaryDirectory(prefix="sagelint-audit-") as tmp,
    ):
        folder = Path(tmp)
        start = time.perf_counter()
        create_account(url, count)
        result["setup_seconds"] = time.perf_counter() - start
        print(f"{count:,} jobs created in {result['setup_seconds']:.1f} s", flush=True)

        straight = Runs(folder, url, custodian).measure(args.repeat, count)
        result["straight"] = straight
        print(f"straight: {json.dumps(straight)}", flush=True)

        with FaultProxy(url) as counter:
            cache = str(folder / "audit.db")
            audit = [*SAGELINT, "audit", "--isolated", "--region", REGION]
            env = fake_credentials(counter.url)
            first, _, _ = timed([*audit, "--cache", cache], env, folder)
            counter.calls.clear()
            again, again_peak, _ = timed([*audit, "--cache", cache], env, folder)
            result["cache"] = {
                "first_seconds": first,
                "again_seconds": again,
                "again_calls": dict(counter.calls),
                "again_peak_rss_mib": again_peak / 1024,
            }
        print(f"cache: {json.dumps(result['cache'])}", flush=True)

        with latency_proxy(url, args.latency) as slow:
            with_custodian = custodian if count <= args.custodian_latency_up_to else None
            latency = Runs(folder, slow, with_custodian).measure(1, count)
        result["latency"] = {"seconds_added_per_call": args.latency, **latency}
        print(f"latency: {json.dumps(latency)}", flush=True)
    return result


def report(results: list[dict[str, Any]]) -> None:
    for result in results:
        n, straight, latency = result["jobs"], result["straight"], result["latency"]
        print(f"\n== {n:,} jobs (moto_server on 127.0.0.1)")
        for title, runs in (
            ("straight", straight),
            (f"+{latency['seconds_added_per_call'] * 1000:.0f} ms/call", latency),
        ):
            floor = runs["floor"]["seconds"]
            print(f"{title}: floor (boto3 list+describe, 16 threads) {floor:.2f} s")
            names = (
                "search",
                "sagelint_no_tags_no_s3",
                "sagelint_no_s3",
                "sagelint",
                "sagelint_every_tag",
                "custodian",
            )
            for name in names:
                if name in runs:
                    seconds = runs[name]["seconds"]
                    line = f"  {name:24} {seconds:7.2f} s  {seconds / floor:5.2f}x floor"
                    if "custodian" in runs and name != "custodian":
                        line += f"  custodian/this {runs['custodian']['seconds'] / seconds:5.2f}x"
                    line += f"  peak RSS {runs[name]['peak_rss_mib']:.0f} MiB"
                    print(line)
        cache = result["cache"]
        print(
            f"re-audit with --cache: {cache['again_seconds']:.2f} s (first {cache['first_seconds']:.2f} s), "
            f"calls {cache['again_calls']}"
        )
    if len(results) > 1:
        small, large = results[0], results[-1]
        grow = (
            large["straight"]["sagelint"]["peak_rss_mib"]
            / small["straight"]["sagelint"]["peak_rss_mib"]
        )
        print(
            f"\npeak RSS of sagelint audit, {large['jobs']:,} vs {small['jobs']:,} jobs: {grow:.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, action="append", help="N jobs (repeatable)")
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-custodian", action="store_true")
    parser.add_argument("--custodian-latency-up-to", type=int, default=1000, metavar="N")
    parser.add_argument("--output", type=Path, default=OUT / "audit.json")
    args = parser.parse_args()
    counts = sorted(args.jobs or [1000])
    custodian = None if args.no_custodian else custodian_venv()
    results = [bench(count, args, custodian) for count in counts]
    summary = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "results": results}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(summary, indent=2) + "\n")
    report(results)


if __name__ == "__main__":
    main()

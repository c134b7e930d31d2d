"""The pre-commit hook, for real: a new git repository uses this one as its hook repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.jobs import clean_request

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def hook_repository(folder: Path) -> Path:
    """A git repository holding this working tree as one commit: what pre-commit installs the
    hook from (the tree as it is, not its last commit)."""
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    git("init", "-q", cwd=folder)
    git("add", ".", cwd=folder)
    git(
        "-c",
        "user.email=dev@example.com",
        "-c",
        "user.name=Dev",
        "commit",
        "-qm",
        "tree",
        cwd=folder,
    )
    return folder


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout"
)
def test_hook_fails_on_a_bad_job_spec_and_passes_once_it_is_fixed(tmp_path: Path) -> None:
    hooks = hook_repository(tmp_path / "sagelint")
    revision = git("rev-parse", "HEAD", cwd=hooks)
    repo = tmp_path / "project"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    git("config", "user.email", "dev@example.com", cwd=repo)
    git("config", "user.name", "Dev", cwd=repo)
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {hooks}\n"
        f"    rev: {revision}\n"
        "    hooks:\n"
        "      - id: sagelint\n"
        "        files: ^training-jobs/\n"
    )
    jobs = repo / "training-jobs"
    jobs.mkdir()
    (jobs / "good.json").write_text(json.dumps(clean_request(), indent=2))
    for n in range(12):  # enough files for pre-commit to split them per CPU, were it allowed
        (jobs / f"good-{n:02}.json").write_text(json.dumps(clean_request(), indent=2))
    bad = clean_request()
    bad["StoppingCondition"] = {"MaxRuntimeInSeconds": 3_000_000}
    (jobs / "bad.json").write_text(json.dumps(bad, indent=2))
    (repo / "package.json").write_text('{"name": "not a job"}')  # outside files: not linted
    # a template declaring a training job (Gzip in File mode), and one declaring none
    stack = (ROOT / "tests" / "data" / "declared" / "template.yaml").read_text()
    (jobs / "stack.yaml").write_text(
        stack.replace("TrainingInputMode: Pipe", "TrainingInputMode: File")
    )
    (jobs / "bucket.yaml").write_text("Resources:\n  Data:\n    Type: AWS::S3::Bucket\n")
    git("add", ".", cwd=repo)
    git("commit", "-qm", "jobs", cwd=repo)

    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PRE_COMMIT, "run", "--all-files", "--color", "never"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    failed = run()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "training-jobs/bad.json:" in failed.stdout
    assert "SM301 [error]" in failed.stdout
    assert "good.json" not in failed.stdout
    assert "package.json" not in failed.stdout
    summaries = [
        line for line in failed.stdout.splitlines() if line.startswith(("Found ", "All checks"))
    ]
    assert len(summaries) == 1, failed.stdout  # one run over every file: one summary
    assert "in 18 jobs from 16 files" in failed.stdout
    line = stack.splitlines().index("          CompressionType: Gzip") + 1
    assert f"training-jobs/stack.yaml:{line}:11: SM201 [error]" in failed.stdout
    assert "bucket.yaml" not in failed.stdout  # no training job in it: nothing to check

    bad["StoppingCondition"] = {"MaxRuntimeInSeconds": 86_400}
    (jobs / "bad.json").write_text(json.dumps(bad, indent=2))
    (jobs / "stack.yaml").write_text(stack)
    passed = run()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "sagelint" in passed.stdout and "Passed" in passed.stdout


DOCS = ROOT / "docs" / "custom-rules.md"


def docs_block(after: str, language: str) -> str:
    """The first ``language`` code block of docs/custom-rules.md after the text ``after``."""
    text = DOCS.read_text(encoding="utf-8")
    rest = text[text.index(after) :]
    start = rest.index(f"```{language}\n") + len(f"```{language}\n")
    return rest[start : rest.index("```", start)]


def churn_job() -> dict[str, object]:
    """The job of docs/custom-rules.md's failing run: on ml.p5, outside the VPC, untagged."""
    job = clean_request()
    job["TrainingJobName"] = "churn"
    del job["VpcConfig"]
    job["ResourceConfig"] = {
        "InstanceType": "ml.p5.48xlarge",
        "InstanceCount": 1,
        "VolumeSizeInGB": 100,
    }
    job["Tags"] = [{"Key": "team", "Value": "growth"}]
    return job


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout"
)
def test_the_custom_rules_guide_runs_as_written(tmp_path: Path) -> None:
    """docs/custom-rules.md, from an empty repository to a failing pre-commit run: its policy
    file and its plugin, as they are in the guide, and the lines it shows."""
    hooks = hook_repository(tmp_path / "sagelint")
    repo = tmp_path / "ml-jobs"
    (repo / "training-jobs").mkdir(parents=True)
    (repo / "policies").mkdir()
    git("init", "-q", cwd=repo)
    git("config", "user.email", "dev@example.com", cwd=repo)
    git("config", "user.name", "Dev", cwd=repo)
    config = docs_block("`.pre-commit-config.yaml`:", "yaml")
    config = config.replace("https://github.com/your-org/sagelint", str(hooks))
    config = config.replace(
        "84b2f7a0e0afb39f3d3923460c90740a6fbf5424", git("rev-parse", "HEAD", cwd=hooks)
    )
    (repo / ".pre-commit-config.yaml").write_text(config)
    (repo / "policies" / "acme.yaml").write_text(docs_block("`policies/acme.yaml`", "yaml"))
    (repo / "acme_rules.py").write_text(docs_block("`acme_rules.py`", "python"))
    (repo / ".sagelint.toml").write_text(docs_block("Name the module in", "toml"))
    (repo / "training-jobs" / "churn.json").write_text(json.dumps(churn_job(), indent=2))
    git("add", ".", cwd=repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    failed = subprocess.run(
        [PRE_COMMIT, "run", "--all-files", "--color", "never"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert failed.returncode == 1, failed.stdout + failed.stderr
    shown = docs_block("### The failing run", "console").splitlines()
    for line in shown:
        if line.startswith("training-jobs/"):
            assert line in failed.stdout.splitlines(), (line, failed.stdout)
    tested = subprocess.run(
        [Path(sys.executable).with_name("sagelint"), "policy", "test", "policies/acme.yaml"],
        cwd=repo, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert tested.stdout == docs_block("its CI checks that each", "console").splitlines()[1] + "\n"

"""Would the tests notice if a rule's check were deleted? Mute each rule in turn and see.

python scripts/mute_each_rule.py                 # every rule that has a check
python scripts/mute_each_rule.py SM201 SM302     # only these
python scripts/mute_each_rule.py --jobs 2        # two pytest runs at a time

For each rule, runs the in-process rule tests (``SUITE``: they take seconds) with
``SAGELINT_MUTE=<code>``, which the autouse fixture ``muted_rules`` of tests/conftest.py honours by
replacing the rule's check with one that finds nothing. Prints, for each rule, how many tests
failed; a rule no test fails for "survives" and the script exits with 1. It first runs the suite
unmuted: the counts mean nothing unless that run passes.

Tests that run sagelint in a subprocess (the CLI end-to-end tests, moto's ``lint --s3``) do not
see the mute and are not in the suite.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sagelint.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
SUITE = (
    "tests/rules",
    "tests/test_rule_catalogue.py",
    "tests/test_rule_docs.py",
    "tests/test_real_corpus.py",
    "tests/test_library.py",
    "tests/test_s3_rules.py",
    # lint --s3 against moto (seconds each) and the docs currency check (a subprocess)
    "-k",
    "not lint_s3 and not up_to_date",
)


def failures(mute: str, folder: Path) -> int:
    """How many tests of the suite fail (or error) with the rules in ``mute`` muted."""
    report = folder / f"{mute or 'none'}.xml"
    # -n 0: one process a run (--jobs runs several at a time)
    command = [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", *SUITE]
    command.append(f"--junitxml={report}")
    environment = {**os.environ, "SAGELINT_MUTE": mute}
    done = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, check=False)
    if done.returncode not in (0, 1):  # 0: all passed, 1: some failed; else pytest could not run
        raise SystemExit(
            f"SAGELINT_MUTE={mute!r}: pytest exited with {done.returncode}\n"
            f"{done.stdout.decode()}{done.stderr.decode()}"
        )
    suites = ET.parse(report).getroot().iter("testsuite")
    return sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("codes", nargs="*", help="rules to mute (default: every rule with a check)")
    parser.add_argument("--jobs", type=int, default=1, help="pytest runs at a time (default 1)")
    args = parser.parse_args()
    codes = args.codes or [r.code for r in RULES if r.check is not None]
    with tempfile.TemporaryDirectory() as folder:
        if failures("", Path(folder)):
            print("the suite fails with no rule muted: fix that first", file=sys.stderr)
            return 2
        with ThreadPoolExecutor(args.jobs) as pool:
            counted = pool.map(lambda code: failures(code, Path(folder)), codes)
            counts = dict(zip(codes, counted, strict=True))
    print("| rule | failing tests when muted |")
    print("|---|---|")
    for code, count in counts.items():
        print(f"| {code} | {count}{'  SURVIVES' if count == 0 else ''} |")
    survivors = [code for code, count in counts.items() if count == 0]
    if survivors:
        print(f"\n{len(survivors)} rule(s) survive: {' '.join(survivors)}", file=sys.stderr)
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())

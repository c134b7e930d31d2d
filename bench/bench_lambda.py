"""Benchmark the Lambda function: events a warm handler lints per second, and what importing the
handler's module costs against the interpreter's own start-up, measured in the same run.

    python bench/bench_lambda.py [--events 2000] [--repeat 20]

The events are tests/data/events/ (real DescribeTrainingJob responses in the EventBridge
envelope), linted with every rule and logged (one JSON line per finding, to /dev/null), with no
Security Hub import and no SNS message: those are one API call each, whose time is AWS's. The
import is timed as `python -c "import sagelint.aws_lambda"` against `python -c "pass"`, and the
first event of a cold function (the import, the settings, the linter built, the lint) as
`python -c "<import>; handler(event)"`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVENTS = sorted((ROOT / "tests" / "data" / "events").glob("*.json"))
FIRST_EVENT = (
    "import json, sys; from sagelint.aws_lambda import handler; "
    "handler(json.load(open(sys.argv[1])))"
)


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "out" / "lambda.json")
    args = parser.parse_args()

    commands = {
        "interpreter": [sys.executable, "-c", "pass"],
        "import": [sys.executable, "-c", "import sagelint.aws_lambda"],
        "first_event": [sys.executable, "-c", FIRST_EVENT, str(EVENTS[0])],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, command in commands.items():
            times[name].append(wall(command))
    medians = {name: statistics.median(values) for name, values in times.items()}

    from sagelint.aws_lambda import handler

    events = [json.loads(path.read_text()) for path in EVENTS]
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink):
        handler(events[0])  # warm: settings read, linter built
        sink.seek(0)
        sink.truncate()
        start = time.perf_counter()
        for index in range(args.events):
            handler(events[index % len(events)])
        warm = time.perf_counter() - start

    result = {
        "python": sys.version.split()[0],
        "interpreter_s": medians["interpreter"],
        "import_s": medians["import"],
        "import_ratio": medians["import"] / medians["interpreter"],
        "first_event_s": medians["first_event"],
        "first_event_ratio": medians["first_event"] / medians["interpreter"],
        "events": args.events,
        "events_per_second": args.events / warm,
        "log_lines": sink.getvalue().count("\n"),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"import sagelint.aws_lambda: {result['import_s'] * 1000:.1f} ms, "
        f"{result['import_ratio']:.2f}x `python -c pass` ({medians['interpreter'] * 1000:.1f} ms); "
        f"a cold function's first event: {result['first_event_s'] * 1000:.1f} ms "
        f"({result['first_event_ratio']:.2f}x)"
    )
    print(
        f"warm handler: {result['events_per_second']:,.0f} events/s "
        f"({args.events} events, {result['log_lines']} log lines)"
    )


if __name__ == "__main__":
    main()

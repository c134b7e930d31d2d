"""Time sagelint's compiled schema validator against jsonschema, per document, in one run.

    python bench/bench_validator.py [--rounds 200]

The documents are the real DescribeTrainingJob responses of tests/data/real/ (see its
PROVENANCE.md); both validators check each against schemas/describe-training-job.schema.json,
compiled once beforehand (jsonschema: ``Draft202012Validator``, collecting every error as
sagelint does). The figure is the median over rounds of the time per document, and the ratio.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from jsonschema import Draft202012Validator
from sagelint.schema.validate import schema_path, validate_job

REAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "real"


def describe_documents() -> list[object]:
    documents = [json.loads(path.read_text()) for path in sorted(REAL.glob("*.json"))]
    return [doc for doc in documents if isinstance(doc, dict) and "TrainingJobStatus" in doc]


def per_document(validate: object, documents: list[object], rounds: int) -> float:
    assert callable(validate)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for document in documents:
            validate(document)
        times.append((time.perf_counter() - start) / len(documents))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument(
        "--output", type=Path, default=Path(__file__).parent / "out" / "validator.json"
    )
    args = parser.parse_args()

    documents = describe_documents()
    with Path(schema_path("describe")).open("rb") as stream:
        reference = Draft202012Validator(json.load(stream))
    validate_job(documents[0], "describe")  # compiles the schema

    def sagelint_validate(document: object) -> object:
        return validate_job(document, "describe")

    def jsonschema_validate(document: object) -> object:
        return list(reference.iter_errors(document))

    results = {
        "documents": len(documents),
        "sagelint_seconds": per_document(sagelint_validate, documents, args.rounds),
        "jsonschema_seconds": per_document(jsonschema_validate, documents, args.rounds),
    }
    results["ratio"] = results["jsonschema_seconds"] / results["sagelint_seconds"]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(
        f"{results['documents']} real describe documents: sagelint "
        f"{results['sagelint_seconds'] * 1e6:.0f} us/document, jsonschema "
        f"{results['jsonschema_seconds'] * 1e6:.0f} us/document -> "
        f"sagelint {results['ratio']:.1f}x faster"
    )


if __name__ == "__main__":
    main()

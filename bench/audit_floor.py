"""The floor of the audit benchmark: a plain boto3 ListTrainingJobs + DescribeTrainingJob loop
with a pool of threads, nothing checked, nothing kept.

    python bench/audit_floor.py --region us-east-1 [--threads 16] [--search-only]

(AWS_ENDPOINT_URL points it at the moto server.) Prints the number of jobs described. With
--search-only, pages through Search (the jobs with their tags, 100 a call) and nothing else: what
the default audit's Search costs on its own; prints the number of jobs Search gave.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
from botocore.config import Config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--search-only", action="store_true")
    args = parser.parse_args()
    client = boto3.client(
        "sagemaker",
        region_name=args.region,
        config=Config(max_pool_connections=args.threads, retries={"mode": "standard"}),
    )

    if args.search_only:
        pages = client.get_paginator("search").paginate(
            Resource="TrainingJob", PaginationConfig={"PageSize": 100}
        )
        print(sum(len(page["Results"]) for page in pages))
        return

    def names() -> Iterator[str]:
        for page in client.get_paginator("list_training_jobs").paginate(
            PaginationConfig={"PageSize": 100}
        ):
            for summary in page["TrainingJobSummaries"]:
                yield summary["TrainingJobName"]

    def describe(name: str) -> Any:
        return client.describe_training_job(TrainingJobName=name)

    with ThreadPoolExecutor(args.threads) as pool:
        count = sum(1 for _ in pool.map(describe, names()))
    print(count)


if __name__ == "__main__":
    main()

"""Make the account of the audit benchmark on a moto server (AWS_ENDPOINT_URL): N training jobs,
the request part of bench/generate.py's realistic documents, reading 20 datasets of 8 objects.

    python bench/audit_setup.py --jobs 1000
"""

from __future__ import annotations

import argparse
import random
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import botocore.session
from botocore.config import Config

sys.path.insert(0, str(Path(__file__).parent))
from generate import job_document

REGION = "us-east-1"
BUCKET = "ml-data-123456789012"
DATASETS = 20


def create_account(count: int) -> None:
    """``count`` jobs (the request part of bench/generate.py's documents), reading 20 datasets."""
    shape = (
        botocore.session.get_session()
        .get_service_model("sagemaker")
        .operation_model("CreateTrainingJob")
        .input_shape
    )
    assert shape is not None
    members = set(shape.members)
    session = boto3.Session(region_name=REGION)
    config = Config(max_pool_connections=16)
    s3 = session.client("s3", config=config)
    s3.create_bucket(Bucket=BUCKET)
    for dataset in range(DATASETS):
        for part in range(8):
            key = f"datasets/{dataset:02d}/train/part-{part}.csv"
            s3.put_object(Bucket=BUCKET, Key=key, Body=b"x" * (1000 * (part + 1)))
    sagemaker = session.client("sagemaker", config=config)
    rng = random.Random(11)
    requests = []
    for n in range(count):
        document = job_document(n * 4 + 1, rng)  # n*4+1: never a request spec of generate.py
        request = {k: v for k, v in document.items() if k in members}
        prefix = f"s3://{BUCKET}/datasets/{n % DATASETS:02d}"
        for channel in request.get("InputDataConfig", []):
            source = channel["DataSource"]["S3DataSource"]
            source["S3Uri"] = f"{prefix}/{channel['ChannelName']}/"
        request["Tags"] = [{"Key": "team", "Value": rng.choice(["growth", "risk", "search"])}]
        requests.append(request)
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda request: sagemaker.create_training_job(**request), requests))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=1000)
    create_account(parser.parse_args().jobs)


if __name__ == "__main__":
    main()

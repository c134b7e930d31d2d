"""SM203, SM205, SM206: the rules on jobs whose S3 listings are known, and the listings made by
``lint --s3`` (sagelint.aws.lint_with_s3) against moto's S3, in-process."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sagelint.aws import lint_with_s3
from sagelint.engine import Linter, Options
from sagelint.findings import Finding
from sagelint.job import Job
from sagelint.load.loaders import Document
from sagelint.load.locate import NOWHERE
from sagelint.rules import RULES, RULES_BY_CODE
from sagelint.s3_listing import ListingRequest, S3Listing, s3_aware, s3_requests

from tests.aws_moto import Fault, aws_env, job_request, moto, put_objects, s3_channel, wired_session
from tests.jobs import clean_describe

__all__ = ["aws_env", "moto"]  # fixtures

GIB = 1024**3
S3_CODES = ("SM203", "SM205", "SM206", "SM211")
SHARDED = "/InputDataConfig/0/DataSource/S3DataSource/S3DataDistributionType"


def describe(instances: int = 4, **changes: Any) -> dict[str, Any]:
    """A described job reading s3://data/train/ (sharded unless told otherwise)."""
    job = clean_describe()
    job["ResourceConfig"]["InstanceCount"] = instances
    job["InputDataConfig"] = [s3_channel("s3://data/train/", "ShardedByS3Key")]
    for key, value in changes.items():
        job[key] = value
    return job


def listing(objects: int, sizes: Sequence[int] = (), **more: Any) -> S3Listing:
    sizes = list(sizes) or [100] * objects
    ordered = sorted(sizes)
    return S3Listing(
        more.pop("uri", "s3://data/train/"),
        more.pop("data_type", "S3Prefix"),
        objects,
        total_bytes=sum(sizes),
        largest_bytes=ordered[-1] if ordered else None,
        largest_key="train/big" if ordered else None,
        median_bytes=ordered[(len(ordered) - 1) // 2] if ordered else None,
        **more,
    )


def check(
    data: dict[str, Any],
    s3: dict[str, S3Listing] | None,
    kind: str = "describe",
    select: Sequence[str] = S3_CODES,
) -> list[Finding]:
    job = Job(kind, data, None, s3)  # type: ignore[arg-type]
    linter = Linter(Options(select=tuple(select)), rules=RULES)
    return linter.lint_document(Document("job.json", job, NOWHERE))


def rules_of(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.rule, f.pointer) for f in findings]


# --- SM203 -------------------------------------------------------------------------------------


def test_sm203_fires_when_instances_outnumber_the_objects() -> None:
    (finding,) = check(describe(4), {"s3://data/train/": listing(3)})
    assert (finding.rule, finding.pointer) == ("SM203", SHARDED)
    assert finding.message == (
        "channel 'train' is ShardedByS3Key over 3 S3 objects under s3://data/train/ but 4 "
        "instances read it: 1 of them get no data and are billed all the same"
    )


@pytest.mark.parametrize(
    ("instances", "found", "kind"),
    [
        (4, listing(4), "describe"),  # as many objects as instances
        (1, listing(0), "create"),  # one instance: SM204's business
        (4, None, "describe"),  # not listed (plain lint): silent
        (4, listing(0), "describe"),  # an existing job had data: it was removed since
        (4, listing(2, partial="cap", cap=2), "describe"),  # cap below the instance count
    ],
)
def test_sm203_near_misses(instances: int, found: S3Listing | None, kind: str) -> None:
    data = describe(instances)
    assert check(data, {"s3://data/train/": found} if found else None, kind) == []


def test_sm203_on_an_empty_prefix_of_a_request_spec_and_on_manifests() -> None:
    request = describe(2)
    (finding,) = check(request, {"s3://data/train/": listing(0)}, kind="create")
    assert "over 0 S3 objects" in finding.message
    data = describe(3)
    data["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3DataType"] = "ManifestFile"
    manifest = S3Listing("s3://data/train/", "ManifestFile", 2)
    (finding,) = check(data, {"s3://data/train/": manifest})
    assert "over 2 entries in the manifest s3://data/train/ but 3 instances" in finding.message


def test_sm203_counts_the_instance_groups_a_channel_names() -> None:
    data = describe(1)
    data["ResourceConfig"] = {
        "InstanceGroups": [
            {"InstanceGroupName": "a", "InstanceType": "ml.m5.xlarge", "InstanceCount": 2},
            {"InstanceGroupName": "b", "InstanceType": "ml.m5.xlarge", "InstanceCount": 8},
        ],
        "VolumeSizeInGB": 50,
    }
    source = data["InputDataConfig"][0]["DataSource"]["S3DataSource"]
    source["InstanceGroupNames"] = ["a"]
    assert check(data, {"s3://data/train/": listing(3)}) == []
    source["InstanceGroupNames"] = ["b"]
    assert rules_of(check(data, {"s3://data/train/": listing(3)})) == [("SM203", SHARDED)]


# --- SM205 -------------------------------------------------------------------------------------


def file_job(
    distribution: str, instances: int = 1, volume: int = 50, **more: Any
) -> dict[str, Any]:
    job = describe(instances)
    job["InputDataConfig"] = [s3_channel("s3://data/train/", distribution)]
    job["ResourceConfig"]["VolumeSizeInGB"] = volume
    job.update(more)
    return job


def test_sm205_fires_when_file_mode_data_outgrows_the_volume() -> None:
    data = file_job("FullyReplicated", instances=2)
    (finding,) = check(data, {"s3://data/train/": listing(3, [20 * GIB, 20 * GIB, 20 * GIB])})
    assert (finding.rule, finding.pointer) == ("SM205", "/ResourceConfig/VolumeSizeInGB")
    assert finding.message == (
        "File mode downloads 60 GiB of input data to each instance ('train': 60 GiB under "
        "s3://data/train/) but the ML storage volume is 50 GB: the download fails once the "
        "volume is full"
    )


def test_sm205_counts_a_share_of_sharded_data_and_says_when_the_listing_was_cut() -> None:
    data = file_job("ShardedByS3Key", instances=4)
    sizes = [40 * GIB] * 4  # 160 GiB over 4 instances: 40 GiB each
    assert check(data, {"s3://data/train/": listing(4, sizes)}, select=["SM205"]) == []
    sizes = [80 * GIB] * 4  # 80 GiB each, and at least that: the listing stopped at the cap
    found = listing(4, sizes, partial="cap", cap=4)
    (finding,) = check(data, {"s3://data/train/": found}, select=["SM205"])
    assert "downloads at least 80 GiB" in finding.message
    assert "1/4 of at least 320 GiB" in finding.message
    assert "a lower bound: a listing stopped at --s3-max-objects" in finding.message


@pytest.mark.parametrize(
    "changes",
    [
        {"ResourceConfig": {"InstanceType": "ml.p4d.24xlarge", "InstanceCount": 1,
                            "VolumeSizeInGB": 50}},  # NVMe instance storage, size not stated
        {"AlgorithmSpecification": {"TrainingImage": "x", "TrainingInputMode": "Pipe"}},
        {"AlgorithmSpecification": {"TrainingImage": "x", "TrainingInputMode": "FastFile"}},
        {"ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1}},  # no size
    ],
)  # fmt: skip
def test_sm205_near_misses(changes: dict[str, Any]) -> None:
    data = file_job("FullyReplicated", **changes)
    assert check(data, {"s3://data/train/": listing(1, [500 * GIB])}, select=["SM205"]) == []


# --- SM206 -------------------------------------------------------------------------------------


def test_sm206_fires_on_one_object_far_larger_than_the_rest() -> None:
    sizes = [10 * 1024**2] * 9 + [2 * GIB]
    (finding,) = check(describe(4), {"s3://data/train/": listing(10, sizes)})
    assert (finding.rule, finding.pointer) == ("SM206", SHARDED)
    assert finding.message == (
        "channel 'train' shards 10 objects over 4 instances but their sizes are skewed: the "
        "largest (s3://data/train/big, 2 GiB) is 205 times the median (10 MiB) and more than an "
        "even share (534 MiB) on its own, so the instance that gets it finishes last"
    )


def test_sm206_near_misses() -> None:
    # Skewed, but the largest object is less than an even share: no bottleneck.
    many = [1024**2] * 999 + [100 * 1024**2]
    assert check(describe(4), {"s3://data/train/": listing(1000, many)}) == []
    # Alike in size.
    assert check(describe(4), {"s3://data/train/": listing(8, [100, 120, 90] * 3)}) == []
    # FullyReplicated: every instance reads everything.
    data = file_job("FullyReplicated", instances=4)
    assert check(data, {"s3://data/train/": listing(10, [1] * 9 + [10**9])}) == []


def test_the_listings_asked_for_depend_on_the_rules_enabled() -> None:
    job = Job("describe", describe(4))
    too_few, skewed = RULES_BY_CODE["SM203"], RULES_BY_CODE["SM206"]
    (only_count,) = s3_requests(job, {too_few})
    assert isinstance(only_count, ListingRequest)
    assert (only_count.uri, only_count.enough) == ("s3://data/train/", 4)
    (with_sizes,) = s3_requests(job, {too_few, skewed})
    assert isinstance(with_sizes, ListingRequest) and with_sizes.enough is None
    assert s3_requests(Job("describe", describe(1)), {too_few, skewed}) == []


def test_the_s3_aware_rules_are_those_that_ask_s3() -> None:
    assert [r.code for r in s3_aware(RULES)] == list(S3_CODES)
    volume = RULES_BY_CODE["SM205"]
    assert s3_aware([volume, RULES_BY_CODE["SM201"]]) == (volume,)


# --- lint --s3: listings from moto's S3 ------------------------------------------------------


def write(folder: Path, name: str, document: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(document, indent=2), encoding="utf-8")


def lint_s3(
    folder: Path, session: Any = None, select: Sequence[str] = S3_CODES, **options: Any
) -> tuple[list[Finding], Linter]:
    linter = Linter(Options(select=tuple(select)), rules=RULES)
    return list(lint_with_s3(linter, [str(folder)], session=session, **options)), linter


def spec(name: str, uri: str, instances: int, distribution: str = "ShardedByS3Key") -> Any:
    return job_request(
        name,
        InputDataConfig=[s3_channel(uri, distribution)],
        **{"ResourceConfig.InstanceCount": instances},
    )


@pytest.mark.usefixtures("moto")
def test_lint_s3_lists_each_prefix_once_and_stops_counting_at_the_instance_count(
    tmp_path: Path,
) -> None:
    put_objects("data", {f"many/part-{i:04d}": 10 for i in range(1500)})
    put_objects("data", {"few/a": 10, "few/b": 10, "few/folder/": 0})
    write(tmp_path, "few-1", spec("few-1", "s3://data/few/", 3))
    write(tmp_path, "few-2", spec("few-2", "s3://data/few/", 4))
    write(tmp_path, "many", spec("many", "s3://data/many/", 8))
    session, wire = wired_session()
    found, linter = lint_s3(tmp_path, session, select=["SM203"])
    assert sorted((f.rule, f.job, f.path) for f in found) == [
        ("SM203", "few-1", str(tmp_path / "few-1.json")),
        ("SM203", "few-2", str(tmp_path / "few-2.json")),
    ]
    assert "over 2 S3 objects" in found[0].message  # the folder placeholder is not an object
    listings = [p for op, p in wire.params if op == "ListObjectsV2"]
    # s3://data/few/ listed once for both jobs (3 then 4 objects wanted: the first listing
    # reached the end); s3://data/many/ in one call of 8 keys, not 2 pages of 1,000.
    assert sorted(p["prefix"] for p in listings) == ["few/", "many/"]
    assert {p["prefix"]: p["max-keys"] for p in listings}["many/"] == "8"
    assert (linter.jobs_checked, linter.files_seen) == (3, 3)


@pytest.mark.usefixtures("moto")
def test_lint_s3_sizes_skew_and_the_cap(tmp_path: Path) -> None:
    put_objects("data", {**{f"skew/p{i}": 1000 for i in range(12)}, "skew/zz-big": 100_000})
    write(tmp_path, "skew", spec("skew", "s3://data/skew/", 2))
    found, _ = lint_s3(tmp_path)
    assert [(f.rule, f.job) for f in found] == [("SM206", "skew")]
    assert "the largest (s3://data/skew/zz-big, 97.7 KiB) is 100 times" in found[0].message
    found, _ = lint_s3(tmp_path, s3_max_objects=13)
    assert [f.rule for f in found] == ["SM206"]
    found, _ = lint_s3(tmp_path, s3_max_objects=5)  # the big one is never reached
    assert found == []


@pytest.mark.usefixtures("moto")
def test_lint_s3_counts_manifest_entries_and_augmented_manifest_lines(tmp_path: Path) -> None:
    import boto3

    put_objects("data", {})
    s3 = boto3.client("s3", region_name="us-east-1")
    manifest = [{"prefix": "s3://data/x/"}, "a, b.csv", 'q"uote[d].csv']
    s3.put_object(Bucket="data", Key="m.manifest", Body=json.dumps(manifest).encode())
    lines = "\n".join(json.dumps({"source-ref": f"s3://data/x/{i}"}) for i in range(3))
    s3.put_object(Bucket="data", Key="a.manifest", Body=lines.encode() + b"\n")
    for name, uri, kind in (
        ("manifest", "s3://data/m.manifest", "ManifestFile"),
        ("augmented", "s3://data/a.manifest", "AugmentedManifestFile"),
    ):
        request = spec(name, uri, 4)
        request["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3DataType"] = kind
        write(tmp_path, name, request)
    found, _ = lint_s3(tmp_path, select=["SM203"])
    messages = {f.job: f.message for f in found}
    assert "over 2 entries in the manifest s3://data/m.manifest" in messages["manifest"]
    assert "over 3 lines in the augmented manifest" in messages["augmented"]


@pytest.mark.usefixtures("moto")
def test_lint_s3_access_denied_is_a_note_on_the_job_not_a_crash(tmp_path: Path) -> None:
    put_objects("data", {"few/a": 10})
    write(tmp_path, "denied", spec("denied", "s3://data/few/", 4))
    write(tmp_path, "missing", spec("missing", "s3://no-such-bucket/x/", 4))
    denied = Fault(
        "ListObjectsV2",
        status=403,
        code="AccessDenied",
        message="Access Denied",
        url_contains="/data",
    )
    session, _ = wired_session(denied)
    found, linter = lint_s3(tmp_path, session)
    (note,) = found
    assert (note.rule, note.job, note.severity) == ("SM004", "denied", "error")
    assert note.message == (
        "S3 listing failed for channel 'train' (s3://data/few/): AccessDenied: Access Denied; "
        "SM203, SM205, SM206 skipped for these channels"
    )
    assert note.pointer == "/InputDataConfig/0/DataSource/S3DataSource/S3Uri"
    assert note.line > 1  # located in the file
    assert linter.jobs_checked == 2  # a missing bucket: nothing to say


@pytest.mark.usefixtures("moto")
def test_lint_s3_on_many_files_lists_in_the_engines_worker_processes(tmp_path: Path) -> None:
    put_objects("data", {"few/a": 10, "many/a": 10, "many/b": 10, "many/c": 10})
    for n in range(260):  # from 256 files on, the engine checks them in worker processes
        uri = "s3://data/few/" if n % 10 == 0 else "s3://data/many/"
        write(tmp_path, f"job-{n:03d}", spec(f"job-{n:03d}", uri, 3))
    found, linter = lint_s3(tmp_path, select=["SM203"])
    assert sorted(str(f.job) for f in found) == [f"job-{n:03d}" for n in range(0, 260, 10)]
    assert (linter.jobs_checked, linter.files_seen) == (260, 260)


def test_lint_s3_without_s3_rules_selected_makes_no_call(tmp_path: Path) -> None:
    write(tmp_path, "job", spec("job", "s3://data/few/", 4))
    _, linter = lint_s3(tmp_path, session=object(), select=["SM1"])
    assert linter.jobs_checked == 1


# --- SM211 bucket-in-another-region -------------------------------------------------------------


def regional(folder: Path, region: str | None, session: Any = None) -> list[Finding]:
    linter = Linter(Options(select=("SM211",), region=region), rules=RULES)
    return list(lint_with_s3(linter, [str(folder)], session=session))


def two_regions(folder: Path) -> None:
    put_objects("data-eu", {"train/a": 10}, region="eu-west-1")
    put_objects("models-us", {}, region="us-east-1")
    job = spec("abroad", "s3://data-eu/train/", 1, "FullyReplicated")
    job["OutputDataConfig"] = {"S3OutputPath": "s3://models-us/out/"}
    write(folder, "abroad", job)


@pytest.mark.usefixtures("moto")
def test_sm211_fires_on_a_bucket_of_another_region(tmp_path: Path) -> None:
    two_regions(tmp_path)
    [finding] = regional(tmp_path, "us-east-1")
    assert (finding.rule, finding.severity) == ("SM211", "error")
    assert finding.pointer == "/InputDataConfig/0/DataSource/S3DataSource/S3Uri"
    assert finding.message.startswith(
        "the bucket of channel 'train' (data-eu) is in eu-west-1 but the job runs in us-east-1"
    )
    [finding] = regional(tmp_path, "eu-west-1")  # the other way round: the output's bucket
    assert finding.pointer == "/OutputDataConfig/S3OutputPath"
    assert "(models-us) is in us-east-1 but the job runs in eu-west-1" in finding.message


@pytest.mark.usefixtures("moto")
def test_sm211_asks_nothing_without_the_jobs_region(tmp_path: Path) -> None:
    two_regions(tmp_path)
    session, wire = wired_session()
    assert regional(tmp_path, None, session) == []
    assert wire.calls["GetBucketLocation"] == 0
    assert regional(tmp_path, "us-east-1", session) != []
    assert wire.calls["GetBucketLocation"] == 2  # once per bucket


@pytest.mark.usefixtures("moto")
def test_sm211_a_refused_bucket_location_is_a_note_on_the_job(tmp_path: Path) -> None:
    two_regions(tmp_path)
    denied = Fault(
        "GetBucketLocation", status=403, code="AccessDenied", message="Access Denied",
        url_contains="/data-eu",
    )  # fmt: skip
    session, _ = wired_session(denied)
    [note] = regional(tmp_path, "us-east-1", session)
    assert note.rule == "SM004"
    assert note.message == (
        "GetBucketLocation failed for the bucket of channel 'train' (data-eu): AccessDenied: "
        "Access Denied; SM211 skipped for these buckets"
    )
    assert note.pointer == "/InputDataConfig/0/DataSource/S3DataSource/S3Uri"


def test_sm211_says_nothing_without_s3(lint_doc: Any) -> None:
    job = clean_describe()
    job["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"] = "s3://data-eu/train/"
    assert [f for f in lint_doc(job) if f.rule == "SM211"] == []

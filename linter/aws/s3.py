"""What the S3-aware rules need S3 to say: listings of a job's channels (objects under a prefix,
sizes included; entries of a manifest; lines of an augmented manifest), capped per channel, and
the regions of buckets. Each answer is remembered for the rest of the run (concurrent requests
for one URI share one listing).
"""

from __future__ import annotations

import statistics
import threading
from collections import OrderedDict
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, NamedTuple

from sagelint.aws.errors import (
    MISSING,
    BadResponse,
    S3Failure,
    describe_error,
    error_code,
    is_aws_error,
)
from sagelint.aws.fetch import call
from sagelint.s3_listing import ListingRequest, RegionRequest, S3Listing, S3Request

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

DEFAULT_S3_MAX_OBJECTS = 10_000
S3_PAGE = 1000  # ListObjectsV2's largest page


def split_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/key/prefix`` -> (bucket, key prefix)."""
    if not uri.startswith("s3://"):
        raise ValueError(uri)
    bucket, _, key = uri[len("s3://") :].partition("/")
    if not bucket:
        raise ValueError(uri)
    return bucket, key


class S3Answers(NamedTuple):
    """What S3 said for a job: listings by ``S3Uri``, regions by bucket, and the requests it
    refused or failed, each with why."""

    listings: dict[str, S3Listing]
    regions: dict[str, str]
    failures: list[tuple[S3Request, str]]


def answer(
    lister: S3Lister, client: S3Client, account: str, requests: list[S3Request]
) -> S3Answers:
    """Ask S3 what ``requests`` need (the audit and ``lint --s3`` alike)."""
    found = S3Answers({}, {}, [])
    for request in requests:
        try:
            if isinstance(request, RegionRequest):
                region = lister.bucket_region(client, account, request.bucket)
                if region is not None:
                    found.regions[request.bucket] = region
                continue
            listing = lister.listing(client, account, request)
        except S3Failure as failure:
            found.failures.append((request, failure.text))
            continue
        except Exception as error:
            if not is_aws_error(error):
                raise
            found.failures.append((request, describe_error(error)))
            continue
        if listing is not None:
            found.listings[request.uri] = listing
    return found


class S3Lister:
    """Lists what the S3-aware rules need, at most ``cap`` objects (or manifest entries) per
    channel, and remembers each listing for the rest of the run (a bounded number of them),
    per account and URI; concurrent requests for the same URI share one listing."""

    def __init__(self, cap: int = DEFAULT_S3_MAX_OBJECTS, remember: int = 4096) -> None:
        self.cap = max(1, cap)
        self._remember = remember
        self._lock = threading.Lock()
        self._listings: OrderedDict[tuple[str, str, str], Future[S3Listing | None]] = OrderedDict()
        self.calls = 0  # S3 requests made (for the curious: tests, the benchmark)
        self._regions: dict[tuple[str, str], Future[str | None]] = {}

    def bucket_region(self, client: S3Client, account: str, bucket: str) -> str | None:
        """The region of ``bucket`` (GetBucketLocation: no constraint is us-east-1, ``EU`` the
        old name of eu-west-1); None when the bucket does not exist. Asked once per run: the
        threads that want it meanwhile wait for that answer. Raises :class:`S3Failure` when S3
        refuses or fails (then the next to want it asks again)."""
        key = (account, bucket)
        with self._lock:
            future = self._regions.get(key)
            owner = future is None
            if future is None:
                future = self._regions[key] = Future()
        if not owner:
            return future.result()
        try:
            region = self._ask_region(client, bucket)
        except BaseException as error:
            with self._lock:
                del self._regions[key]
            future.set_exception(error)
            raise
        future.set_result(region)
        return region

    def _ask_region(self, client: S3Client, bucket: str) -> str | None:
        self.calls += 1
        try:
            found = call("GetBucketLocation", client.get_bucket_location, Bucket=bucket)
        except Exception as error:
            if not is_aws_error(error):
                raise
            if error_code(error) in MISSING:
                return None
            raise S3Failure(f"s3://{bucket}", describe_error(error)) from None
        constraint = found.get("LocationConstraint")
        if constraint is not None and not isinstance(constraint, str):
            raise BadResponse("GetBucketLocation", "LocationConstraint is not a string")
        return {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(constraint, constraint)

    def listing(self, client: S3Client, account: str, request: ListingRequest) -> S3Listing | None:
        """The listing for ``request``; None when the bucket or manifest does not exist.
        Raises :class:`S3Failure` when S3 refuses or fails."""
        key = (account, request.data_type, request.uri)
        while True:
            with self._lock:
                future = self._listings.get(key)
                owner = future is None or (
                    future.done()
                    and future.exception() is None
                    and not self._enough(future.result(), request)
                )
                if owner:
                    future = self._listings[key] = Future()
                    while len(self._listings) > self._remember:
                        oldest = next(iter(self._listings))
                        if not self._listings[oldest].done():
                            break
                        del self._listings[oldest]
                self._listings.move_to_end(key)
            assert future is not None
            if owner:
                try:
                    future.set_result(self._fetch(client, request))
                except BaseException as error:
                    future.set_exception(error)
            result = future.result()
            if self._enough(result, request):
                return result

    @staticmethod
    def _enough(listing: S3Listing | None, request: ListingRequest) -> bool:
        if listing is None or listing.partial in (None, "cap"):
            return True
        return request.enough is not None and listing.objects >= request.enough

    def _fetch(self, client: S3Client, request: ListingRequest) -> S3Listing | None:
        try:
            bucket, key = split_uri(request.uri)
        except ValueError:
            return None
        limit = self.cap if request.enough is None else min(self.cap, request.enough)
        try:
            if request.data_type == "S3Prefix":
                return self._list_prefix(client, request, bucket, key, limit)
            return self._read_manifest(client, request, bucket, key, limit)
        except Exception as error:
            if not is_aws_error(error):
                raise
            if error_code(error) in MISSING:
                return None
            raise S3Failure(request.uri, describe_error(error)) from None

    def _list_prefix(
        self, client: S3Client, request: ListingRequest, bucket: str, prefix: str, limit: int
    ) -> S3Listing:
        sizes: list[int] = []
        largest, largest_key = -1, ""
        token: str | None = None
        partial = None
        while True:
            params: dict[str, Any] = {
                "Bucket": bucket,
                "Prefix": prefix,
                "MaxKeys": max(1, min(S3_PAGE, limit - len(sizes))),
            }
            if token:
                params["ContinuationToken"] = token
            self.calls += 1
            page = call("ListObjectsV2", client.list_objects_v2, **params)
            for item in page.get("Contents") or ():
                if not isinstance(item, dict) or not isinstance(item.get("Size", 0), int):
                    raise BadResponse("ListObjectsV2", "an object in the response has no size")
                key, size = str(item.get("Key", "")), int(item.get("Size", 0))
                if key.endswith("/") and size == 0:  # a "folder" placeholder
                    continue
                sizes.append(size)
                if size > largest:
                    largest, largest_key = size, key
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                break
            if len(sizes) >= limit:
                partial = "cap" if request.enough is None or request.enough > self.cap else "enough"
                break
        return S3Listing(
            request.uri,
            request.data_type,
            len(sizes),
            total_bytes=sum(sizes),
            largest_bytes=largest if sizes else None,
            largest_key=largest_key if sizes else None,
            median_bytes=int(statistics.median_low(sizes)) if sizes else None,
            partial=partial,  # type: ignore[arg-type]
            cap=self.cap,
        )

    def _read_manifest(
        self, client: S3Client, request: ListingRequest, bucket: str, key: str, limit: int
    ) -> S3Listing:
        """Count a manifest's entries (a JSON array: a prefix object, then keys) or an augmented
        manifest's lines (JSON Lines), reading the object as a stream and stopping at ``limit``."""
        self.calls += 1
        body = call("GetObject", client.get_object, Bucket=bucket, Key=key)["Body"]
        count = 0
        ended = True
        try:
            if request.data_type == "AugmentedManifestFile":
                for line in body.iter_lines():
                    if line.strip():
                        count += 1
                        if count >= limit:
                            ended = False
                            break
            else:
                counter = _ArrayCounter()
                for chunk in body.iter_chunks(64 * 1024):
                    counter.feed(chunk)
                    if counter.elements - 1 >= limit:
                        ended = False
                        break
                count = max(counter.elements - 1, 0)  # the first element is the prefix
        finally:
            body.close()
        partial = None
        if not ended:
            partial = "cap" if request.enough is None or request.enough > self.cap else "enough"
        return S3Listing(
            request.uri,
            request.data_type,
            min(count, limit),
            partial=partial,  # type: ignore[arg-type]
            cap=self.cap,
        )


class _ArrayCounter:
    """Counts the elements of a top-level JSON array fed in chunks, without parsing them."""

    def __init__(self) -> None:
        self.elements = 0
        self._depth = 0
        self._in_string = False
        self._escaped = False
        self._pending = False  # inside the top-level array, a value may start

    def feed(self, chunk: bytes) -> None:
        for byte in chunk:
            if self._in_string:
                if self._escaped:
                    self._escaped = False
                elif byte == 0x5C:  # backslash
                    self._escaped = True
                elif byte == 0x22:  # quote
                    self._in_string = False
                continue
            if byte in b" \t\r\n":
                continue
            if self._depth == 1 and self._pending and byte != 0x5D:  # a value starts
                self.elements += 1
                self._pending = False
            if byte == 0x22:
                self._in_string = True
            elif byte in b"[{":
                self._depth += 1
                if self._depth == 1:
                    self._pending = True
            elif byte in b"]}":
                self._depth -= 1
            elif byte == 0x2C and self._depth == 1:  # comma
                self._pending = True

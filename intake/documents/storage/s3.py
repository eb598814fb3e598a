"""The archive in S3-compatible object storage: `s3://bucket/prefix/<aa>/<sha256>.pdf`.

boto3 (the `s3` extra) does the talking. Credentials and region come from
boto3's usual chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_SESSION_TOKEN, AWS_PROFILE, AWS_DEFAULT_REGION, instance roles); the
endpoint from INTAKE_S3_ENDPOINT_URL, else boto3's own AWS_ENDPOINT_URL, so
MinIO, Ceph or any S3 clone works the same as AWS.

Why an outage cannot lose or corrupt a file: a PUT is atomic (an interrupted
upload leaves no object), and it carries the SHA-256 of the body, so the
store itself refuses bytes that do not match the content address. Transient
errors (connection refused or reset, timeouts, 5xx, throttling) are retried
by botocore's "standard" mode; when they last longer, the call raises
`ArchiveUnavailable`, the render stays failed and is retried later.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from urllib.parse import urlsplit

from intake.documents.storage import (
    ArchiveBackend,
    ArchiveUnavailable,
    MissingFile,
    Stored,
    check_address,
    is_sha256,
)

NOT_FOUND = frozenset({"404", "NoSuchKey", "NotFound"})
#: reads of a body whose connection dropped half-way
BODY_ATTEMPTS = 3


def _boto():
    try:
        import boto3
        import botocore.config
        import botocore.exceptions
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("INTAKE_ARCHIVE_URL=s3://... needs boto3: "
                           "pip install 'intake[s3]'") from exc
    return boto3, botocore


class S3Archive(ArchiveBackend):
    def __init__(self, bucket: str, prefix: str = "", *, client) -> None:
        import botocore.exceptions

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = client
        self._client_error = botocore.exceptions.ClientError
        self._transport_error = botocore.exceptions.BotoCoreError

    @classmethod
    def from_config(cls, url: str, config) -> S3Archive:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValueError("INTAKE_ARCHIVE_URL must look like s3://bucket/prefix")
        boto3, botocore = _boto()
        settings = botocore.config.Config(
            retries={"max_attempts": int(config.get("S3_MAX_ATTEMPTS") or 5),
                     "mode": "standard"},
            connect_timeout=float(config.get("S3_TIMEOUT_SECONDS") or 10),
            read_timeout=float(config.get("S3_TIMEOUT_SECONDS") or 10),
            s3={"addressing_style": config.get("S3_ADDRESSING_STYLE") or "auto"},
        )
        # A session of its own: boto3's default session is not thread-safe to create.
        client = boto3.session.Session().client(
            "s3", endpoint_url=config.get("S3_ENDPOINT_URL") or None, config=settings)
        return cls(parts.netloc, parts.path, client=client)

    def __repr__(self) -> str:
        return f"S3Archive({self.url_for_prefix()!r})"

    def url_for_prefix(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")

    def key_for(self, sha256: str) -> str:
        sha256 = check_address(sha256)
        name = f"{sha256[:2]}/{sha256}.pdf"
        return f"{self.prefix}/{name}" if self.prefix else name

    def _stored(self, sha256: str, size: int) -> Stored:
        return Stored(sha256, size, f"s3://{self.bucket}/{self.key_for(sha256)}")

    def _call(self, method: str, **kw):
        """One S3 call; failures become MissingFile or ArchiveUnavailable."""
        try:
            return getattr(self.client, method)(Bucket=self.bucket, **kw)
        except self._client_error as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in NOT_FOUND:
                raise MissingFile(kw.get("Key", "")) from exc
            raise ArchiveUnavailable(f"object store refused {method}: {code}") from exc
        except self._transport_error as exc:
            raise ArchiveUnavailable(
                f"object store unreachable during {method} ({type(exc).__name__})") from exc

    def put(self, data: bytes) -> Stored:
        digest = hashlib.sha256(data)
        sha = digest.hexdigest()
        # Re-sending identical bytes to a content address changes nothing, so
        # there is no read-before-write: one request, and a retry is harmless.
        self._call("put_object", Key=self.key_for(sha), Body=data,
                   ContentType="application/pdf", ChecksumAlgorithm="SHA256",
                   ChecksumSHA256=base64.b64encode(digest.digest()).decode())
        return self._stored(sha, len(data))

    def get(self, sha256: str) -> bytes:
        """The whole object. botocore retries the request; a connection lost
        while the body streams is retried here, and a short body is never
        returned (it would hash wrong and look like tampering)."""
        key = self.key_for(sha256)
        lost: Exception | None = None
        for _ in range(BODY_ATTEMPTS):
            response = self._call("get_object", Key=key)
            try:
                data = response["Body"].read()
            except (self._transport_error, OSError) as exc:
                lost = exc
                continue
            if len(data) == int(response.get("ContentLength", len(data))):
                return data
        raise ArchiveUnavailable("object store connection lost while reading") from lost

    def stat(self, sha256: str) -> Stored | None:
        try:
            head = self._call("head_object", Key=self.key_for(sha256))
        except MissingFile:
            return None
        return self._stored(sha256, int(head["ContentLength"]))

    def iterate(self) -> Iterator[Stored]:
        start = f"{self.prefix}/" if self.prefix else ""
        token = None
        while True:
            kw = {"Prefix": start}
            if token:
                kw["ContinuationToken"] = token
            page = self._call("list_objects_v2", **kw)
            for item in page.get("Contents", []):
                name = item["Key"][len(start):]
                folder, _, leaf = name.partition("/")
                sha = leaf.removesuffix(".pdf")
                if leaf.endswith(".pdf") and is_sha256(sha) and folder == sha[:2]:
                    yield self._stored(sha, int(item["Size"]))
            if not page.get("IsTruncated"):
                return
            token = page["NextContinuationToken"]

    def delete(self, sha256: str) -> bool:
        if self.stat(sha256) is None:
            return False
        self._call("delete_object", Key=self.key_for(sha256))
        return True

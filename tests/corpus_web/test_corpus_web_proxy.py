"""A few of the web corpus's requests end to end: aiohttp through the real proxy to a local origin.

The scoring loop (score.py, test_corpus_web.py) calls the inspection entry point the
proxy calls; these show the same outcome on the wire: a held upload gets the block page
with its quarantine id, a refused sign-up the sign-up page, and a passed request reaches
the origin byte for byte. The origin is on loopback; each request keeps its path and
query, headers and body.
"""

from __future__ import annotations

import asyncio
import urllib.parse

import aiohttp
import pytest
from integration.test_http_proxy import Redline, origin, pipeline  # noqa: F401

from tests.corpus_web.cases import CASES, Case

BY_NAME = {case.name: case for case in CASES}
# Only cases with the single domain the proxy fixture knows (example.org).
END_TO_END = [
    "dropbox-files-upload-en", "gmail-messages-send-attachment", "content-encoding-zstd-json",
    "s3-put-object-aws-chunked", "soap-mtom", "graphql-multipart-upload", "gmail-messages-send-disclaimer",
    "firebase-signup-work", "firebase-login", "devise-registration-work",
    "mastodon-web-form-personal", "adv-gzip-json", "google-identity-services-credential",
    "grpc-web-text", "grpc-web-proto-clean", "teams-graph-chat-message", "cognito-signup-work",
]


@pytest.fixture
def redline(tmp_path, pipeline):  # noqa: F811
    running = Redline(tmp_path, pipeline).start()
    yield running
    running.stop()


def send(proxy: str, url: str, case: Case) -> tuple[int, str]:
    async def go() -> tuple[int, str]:
        headers = dict(case.headers)
        headers.setdefault("Content-Type", "application/octet-stream")
        async with aiohttp.ClientSession(auto_decompress=False) as session, session.request(
                case.method, url, data=case.body or None, headers=headers, proxy=proxy,
                skip_auto_headers=["Accept-Encoding"]) as response:
            return response.status, await response.text()
    return asyncio.run(go())


@pytest.mark.parametrize("name", END_TO_END)
def test_through_the_proxy(redline, origin, name):  # noqa: F811
    case = BY_NAME[name]
    parts = urllib.parse.urlsplit(case.url)
    target = origin.url(parts.path + (f"?{parts.query}" if parts.query else ""))
    status, page = send(redline.url, target, case)
    if case.expect == "pass":
        assert status == 200, page
        (seen,) = origin.seen
        assert seen.body == case.body
    elif case.expect == "hold":
        assert status == 403, page
        assert "Q-" in page
        assert origin.seen == []
    else:
        assert status == 403, page
        assert "Sign-up with a work address blocked" in page
        assert "Q-" not in page
        assert origin.seen == []

"""Sign-ups a service would accept that used to pass, and request parts that are not the
body (query strings, paths, headers, cookies), sent through the real proxy (curl) and over
ICAP. A GraphQL query that creates no account, a login and ordinary browsing still pass."""

from __future__ import annotations

import base64
import io
import json
import urllib.parse

import docx
import pytest
from integration.listeners_harness import Listeners

BANNER = "TOP SECRET//NOFORN"


def _docx_b64() -> str:
    document = docx.Document()
    document.add_paragraph(BANNER)
    document.add_paragraph("Annex C: the order of battle.")
    out = io.BytesIO()
    document.save(out)
    return base64.urlsafe_b64encode(out.getvalue()).decode()


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("requests"))
    yield server
    server.close()


def _post_json(gateway, tmp_path, path: str, document: object, content_type: str = "application/json"):
    body = tmp_path / "body"
    body.write_text(json.dumps(document))
    return gateway.upload("-H", f"Content-Type: {content_type}", "--data-binary", f"@{body}",
                          path=path)


# -- sign-ups -------------------------------------------------------------------------------

SIGNUPS = {
    "GraphQL mutation, address in the query": ("/graphql", {
        "query": 'mutation { createUser(input: {email: "alice@example.org", password: "pw-1"}) '
                 "{ id } }"}),
    "GraphQL mutation, address in the variables": ("/graphql", {
        "operationName": "Onboard", "query": "mutation Onboard($input: NewUser!) "
        "{ signUp(input: $input) { token } }",
        "variables": {"input": {"email": "alice@example.org", "password": "pw-1"}}}),
    "account created on /api/v2/users": ("/api/v2/users", {
        "email": "alice@example.org", "password": "Winter-2026!"}),
    "quoted local part": ("/signup", {"email": '"alice"@example.org', "password": "x"}),
    "commented local part": ("/signup", {"email": "alice(office)@example.org"}),
    "user and domain apart": ("/register", {"username": "alice", "domain": "example.org"}),
}


@pytest.mark.parametrize("kind", SIGNUPS)
def test_signup_evasion_is_blocked_via_proxy_and_icap(gateway, tmp_path, kind):
    path, document = SIGNUPS[kind]
    assert _post_json(gateway, tmp_path, path, document).held, kind
    assert gateway.icap(json.dumps(document).encode(), "application/json", path=path).held, kind


def test_json_sign_up_sent_as_text_plain_is_blocked(gateway, tmp_path):
    document = {"email": "alice@example.org", "password": "Winter-2026!"}
    assert _post_json(gateway, tmp_path, "/api/v2/users", document, "text/plain;charset=UTF-8").held


@pytest.mark.parametrize(("path", "document"), [
    ("/graphql", {"query": 'query { user(email: "alice@example.org") { name avatarUrl } }'}),
    ("/graphql", {"query": 'mutation { addComment(issue: 7, body: "see alice@example.org") { id } }'}),
    ("/api/v2/sessions", {"email": "alice@example.org", "password": "Winter-2026!"}),
])
def test_requests_that_create_no_account_pass(gateway, tmp_path, path, document):
    assert not _post_json(gateway, tmp_path, path, document).held


# -- request parts that are not the body ----------------------------------------------------


def test_marking_in_a_query_string_is_held(gateway):
    query = urllib.parse.urlencode({"q": f"{BANNER} convoy schedule", "page": "1"})
    outcome = gateway.upload("-G", "--data", query)  # curl -G: a GET with the query string
    assert outcome.held and any(h["where"] == "upload:query[q]" for h in outcome.hits), \
        outcome.excerpts()


def test_base64_document_in_a_query_string_is_held(gateway):
    outcome = gateway.upload("-G", "--data", f"blob={_docx_b64()}")
    assert outcome.held and any(h["where"].startswith("upload:query[blob]/#base64")
                                and h["category"] == "classification" for h in outcome.hits), \
        outcome.excerpts()


def test_marking_in_a_header_or_cookie_of_an_upload_is_held(gateway):
    outcome = gateway.upload("-H", f"X-Note: {BANNER} minutes", "--data", "a=1")
    assert outcome.held and any(h["where"] == "upload:header[X-Note]" for h in outcome.hits), \
        outcome.excerpts()
    cookie = urllib.parse.quote(f"{BANNER} plan")
    outcome = gateway.upload("-H", f"Cookie: theme=dark; memo={cookie}", "--data", "a=1")
    assert outcome.held and any(h["where"] == "upload:cookie[memo]" for h in outcome.hits), \
        outcome.excerpts()


def test_document_in_a_long_path_of_a_get_is_held(gateway):
    outcome = gateway.upload("-G", path=f"/files/{_docx_b64()}")
    assert outcome.held and any("upload:path/#base64" in h["where"] for h in outcome.hits), \
        outcome.excerpts()


def test_ordinary_requests_pass(gateway):
    assert not gateway.upload("-G", "--data", "q=lunch+menu&page=2").held
    assert not gateway.upload("-H", "Cookie: session=8f14e45fceea167a5a36dedd4bea2543; theme=dark",
                              "-H", "X-Requested-With: XMLHttpRequest", "--data", "a=1").held
    assert not gateway.icap(b"", "text/plain", path="/search?q=weather+tomorrow").held

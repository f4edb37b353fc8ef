"""Sign-up forms of real-world shapes through the proxy: work addresses blocked, near misses forwarded."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from test_http_proxy import Redline, curl, origin, pipeline  # noqa: F401

from gateway.ops import metrics


@pytest.fixture
def redline(tmp_path, pipeline):  # noqa: F811
    running = Redline(tmp_path, pipeline).start()
    yield running
    running.stop()


def blocked_count() -> float:
    return metrics.sample("redline_signups_blocked_total") or 0.0


def post_json(proxy: str, url: str, document: object) -> tuple[int, str]:
    async def go() -> tuple[int, str]:
        async with aiohttp.ClientSession() as session, session.post(
                url, json=document, proxy=proxy, headers={"Accept-Language": "en"}) as response:
            return response.status, await response.text()
    return asyncio.run(go())


def test_rails_style_urlencoded_registration_is_blocked(redline, origin):  # noqa: F811
    before = blocked_count()
    status, page = curl(redline.url, "--data", "user%5Bemail%5D=alice%40example.org&"
                        "user%5Bpassword%5D=hunter2&user%5Bpassword_confirmation%5D=hunter2",
                        origin.url("/users"))
    assert status == 403
    assert "Sign-up with a work address blocked" in page
    assert "upload:form[user_email_]" in page  # brackets in names are made safe
    assert origin.seen == []
    assert blocked_count() == before + 1
    # Rejected, not held: nothing waits in quarantine for a sign-up.
    assert "Q-" not in page


def test_multipart_signup_form_is_blocked(redline, origin):  # noqa: F811
    status, _ = curl(redline.url, "-F", "full_name=Alice", "-F", "email=Alice+news@HR.Example.org",
                     "-F", "avatar=@/dev/null;filename=me.png", origin.url("/signup"))
    assert status == 403
    assert origin.seen == []


def test_nested_graphql_create_account_is_blocked(redline, origin):  # noqa: F811
    status, page = post_json(redline.url, origin.url("/graphql"), {
        "operationName": "CreateAccount",
        "variables": {"input": {"profile": {"contact": {"email": "bob@research.example.org"}}}},
        "query": "mutation CreateAccount($input: AccountInput!) { createAccount(input: $input) { id } }",
    })
    assert status == 403
    assert "upload:json[variables.input.profile.contact.email]" in page


def test_newsletter_subscription_in_the_query_string_is_blocked(redline, origin):  # noqa: F811
    status, _ = curl(redline.url, origin.url("/newsletter/subscribe?email=carol%2Bx%40example.org"))
    assert status == 403
    assert origin.seen == []


@pytest.mark.parametrize("path,form", [
    ("/session", "email=alice%40example.org&password=hunter2"),  # a login
    ("/signup", "email=alice%40gmail.com&password=a&password_confirmation=a"),  # personal
    ("/contact", "email=alice%40example.org&message=please+call+me"),  # not a sign-up
    ("/signup", "email=alice%40example.org.attacker.net&password=a"),  # look-alike domain
])
def test_near_misses_are_forwarded(redline, origin, path, form):  # noqa: F811
    status, _ = curl(redline.url, "--data", form, origin.url(path))
    assert status == 200
    assert len(origin.seen) == 1


def test_nested_json_login_is_forwarded(redline, origin):  # noqa: F811
    status, _ = post_json(redline.url, origin.url("/api/auth/login"),
                          {"credentials": {"email": "alice@example.org", "password": "x"}})
    assert status == 200
    assert json.loads(origin.seen[0].body)["credentials"]["email"] == "alice@example.org"

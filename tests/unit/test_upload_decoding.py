"""Request bodies decoded into fields and Parts by their media type (pure functions)."""

from __future__ import annotations

import pytest

from gateway.web.upload_decoding import decode_small_upload, decodes_in_memory


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/scim+json",
        "application/x-amz-json-1.1",
        "application/x-amz-json-1.0",
        "text/json; charset=utf-8",
        "application/x-json",
        "application/ion+json; okta-version=1.0.0",
    ],
)
def test_json_named_any_way_is_decoded_into_fields(content_type):
    body = b'{"Username": "alice@example.org", "Attrs": [{"Value": "x"}]}'
    assert decodes_in_memory(content_type, "", len(body))
    decoded = decode_small_upload(body, content_type=content_type)
    assert [(f.name, f.value) for f in decoded.fields] == [
        ("Username", "alice@example.org"),
        ("Attrs[0].Value", "x"),
    ]


@pytest.mark.parametrize("content_type", ["application/jsonp", "text/javascript", "application/octet-stream"])
def test_other_types_are_not_json(content_type):
    assert not decodes_in_memory(content_type, "", 10)


def test_html_in_a_json_value_is_read_as_a_page():
    body = (
        b'{"body": {"contentType": "html", "content": "<p><b>TOP&nbsp;SECRET</b></p><p>x</p>"},'
        b' "note": "a <b> tag", "heart": "<3 you", "tag": "<br>"}'
    )
    parts = {p.origin: p for p in decode_small_upload(body, content_type="application/json").parts}
    page = parts["upload:json[body.content]"]
    assert page.declared_type == "text/html"
    assert page.data.startswith(b"<p><b>TOP&nbsp;SECRET")
    # Text that merely holds a tag, or opens one without closing, stays text.
    for origin in (
        "upload:json[note]",
        "upload:json[heart]",
        "upload:json[tag]",
        "upload:json[body.contentType]",
    ):
        assert parts[origin].text and not parts[origin].declared_type, origin


def test_html_in_a_form_field_is_read_as_a_page():
    body = b"content=%3Cdiv%3ECONFIDENCIAL%3C%2Fdiv%3E%3Cdiv%3Eplan%3C%2Fdiv%3E&title=plan"
    parts = decode_small_upload(body, content_type="application/x-www-form-urlencoded").parts
    assert [p.declared_type for p in parts] == ["text/html", ""]


def _decoded(tmp_path, data: bytes, coding: str, max_bytes: int = 1 << 20) -> bytes:
    from gateway.web.upload_decoding import decode_content

    src = tmp_path / "body"
    src.write_bytes(data)
    return decode_content(src, tmp_path / "decoded", [coding], max_bytes).read_bytes()


def test_zstd_frames_in_a_row_are_one_body(tmp_path):
    import zstandard

    compressor = zstandard.ZstdCompressor()
    assert (
        _decoded(tmp_path, compressor.compress(b"one ") + compressor.compress(b"two"), "zstd") == b"one two"
    )


@pytest.mark.parametrize(
    "mangle,error",
    [(lambda data: data[:-4], "truncated"), (lambda data: b"\x28\xb5\x2f\xfd" + b"\xff" * 20, "corrupt")],
)
def test_a_broken_zstd_body_says_so(tmp_path, mangle, error):
    import zstandard

    data = zstandard.ZstdCompressor().compress(b"lunch at noon " * 100)
    with pytest.raises(ValueError, match=error):
        _decoded(tmp_path, mangle(data), "zstd")


def test_a_zstd_bomb_is_stopped(tmp_path):
    import zstandard

    with pytest.raises(ValueError, match="more than"):
        _decoded(tmp_path, zstandard.ZstdCompressor().compress(bytes(10 << 20)), "zstd")


@pytest.mark.parametrize(
    "framed",
    [
        # SigV4 signed chunks, as the AWS SDKs stream PutObject
        b"6;chunk-signature=ad80c7\r\nhello \r\n5;chunk-signature=0e99e0\r\nworld\r\n"
        b"0;chunk-signature=b6c6ea\r\n\r\n",
        # unsigned chunks with a trailing checksum (STREAMING-UNSIGNED-PAYLOAD-TRAILER)
        b"6\r\nhello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n",
    ],
)
def test_aws_chunked_framing_is_undone(tmp_path, framed):
    assert _decoded(tmp_path, framed, "aws-chunked") == b"hello world"


@pytest.mark.parametrize(
    "framed,error",
    [
        (b"zz;chunk-signature=1\r\nhello\r\n", "no chunk size"),
        (b"a\r\nhello", "truncated"),
        (b"5\r\nhelloXX0\r\n\r\n", "CRLF"),
    ],
)
def test_broken_aws_chunked_framing_says_what_is_wrong(tmp_path, framed, error):
    with pytest.raises(ValueError, match=error):
        _decoded(tmp_path, framed, "aws-chunked")


def test_a_json_document_in_base64_is_read_like_the_outer_one():
    import base64
    import json

    inner = json.dumps({"email": "alice@example.org", "action": "signup"}).encode()
    body = json.dumps(
        {
            "payload": base64.b64encode(inner).decode(),
            "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
            "greeting": "Welcome aboard",
        }
    ).encode()
    fields = {f.name: f.value for f in decode_small_upload(body, content_type="application/json").fields}
    assert fields["payload.base64.email"] == "alice@example.org"
    assert fields["payload.base64.action"] == "signup"
    assert not [name for name in fields if name.startswith(("jwt.", "greeting."))]
    form = b"state=" + base64.urlsafe_b64encode(inner).rstrip(b"=")
    fields = {
        f.name: f.value
        for f in decode_small_upload(form, content_type="application/x-www-form-urlencoded").fields
    }
    assert fields["email"] == "alice@example.org"


def test_a_true_flag_is_a_field_and_a_false_one_is_not():
    # Supabase's passwordless sign-up says so only in a flag (create_user: true).
    body = (
        b'{"email": "alice@example.org", "create_user": true, "remember": false,'
        b' "count": 0, "data": {"shouldCreateUser": true}}'
    )
    decoded = decode_small_upload(body, content_type="application/json")
    assert [(f.name, f.value, f.flag) for f in decoded.fields] == [
        ("email", "alice@example.org", False),
        ("create_user", "true", True),
        ("count", "0", False),
        ("data.shouldCreateUser", "true", True),
    ]
    # A flag is no text for the rules; the string "true" is text like any other.
    assert [p.text for p in decoded.parts] == ["alice@example.org", "0"]
    decoded = decode_small_upload(b'{"password": "true"}', content_type="application/json")
    assert [(f.value, f.flag) for f in decoded.fields] == [("true", False)]
    assert [p.text for p in decoded.parts] == ["true"]

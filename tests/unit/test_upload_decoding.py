"""Request bodies decoded into fields and Parts by their media type (pure functions)."""

from __future__ import annotations

import pytest

from gateway.web.upload_decoding import decode_small_upload, decodes_in_memory


@pytest.mark.parametrize("content_type", [
    "application/json", "application/scim+json", "application/x-amz-json-1.1",
    "application/x-amz-json-1.0", "text/json; charset=utf-8", "application/x-json",
    "application/ion+json; okta-version=1.0.0"])
def test_json_named_any_way_is_decoded_into_fields(content_type):
    body = b'{"Username": "alice@example.org", "Attrs": [{"Value": "x"}]}'
    assert decodes_in_memory(content_type, "", len(body))
    decoded = decode_small_upload(body, content_type=content_type)
    assert [(f.name, f.value) for f in decoded.fields] == [
        ("Username", "alice@example.org"), ("Attrs[0].Value", "x")]


@pytest.mark.parametrize("content_type", ["application/jsonp", "text/javascript",
                                          "application/octet-stream"])
def test_other_types_are_not_json(content_type):
    assert not decodes_in_memory(content_type, "", 10)


def test_html_in_a_json_value_is_read_as_a_page():
    body = (b'{"body": {"contentType": "html", "content": "<p><b>TOP&nbsp;SECRET</b></p><p>x</p>"},'
            b' "note": "a <b> tag", "heart": "<3 you", "tag": "<br>"}')
    parts = {p.origin: p for p in decode_small_upload(body, content_type="application/json").parts}
    page = parts["upload:json[body.content]"]
    assert page.declared_type == "text/html"
    assert page.data.startswith(b"<p><b>TOP&nbsp;SECRET")
    # Text that merely holds a tag, or opens one without closing, stays text.
    for origin in ("upload:json[note]", "upload:json[heart]", "upload:json[tag]",
                   "upload:json[body.contentType]"):
        assert parts[origin].text and not parts[origin].declared_type, origin


def test_html_in_a_form_field_is_read_as_a_page():
    body = b"content=%3Cdiv%3ECONFIDENCIAL%3C%2Fdiv%3E%3Cdiv%3Eplan%3C%2Fdiv%3E&title=plan"
    parts = decode_small_upload(body, content_type="application/x-www-form-urlencoded").parts
    assert [p.declared_type for p in parts] == ["text/html", ""]

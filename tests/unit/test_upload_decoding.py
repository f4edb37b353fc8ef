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

"""Published private keys (RFC 9500's test keys, example keys distributions ship) are
reported and pass; every other private key is held, whatever the text around it says."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from filters.build import build_pipeline
from filters.published_keys import fingerprint, only_published_keys

# RFC 9500's P-256 test key, as the RFC prints it (SEC 1): published so that software can
# recognise it as a test key.
RFC9500_P256 = """-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIObLW92AqkWunJXowVR2Z5/+yVPBaFHnEedDk5WJxk/BoAoGCCqGSM49
AwEHoUQDQgAEQiVI+I+3gv+17KN0RFLHKh5Vj71vc75eSOkyMsxFxbFsTNEMTLjV
uKFxOelIgsiZJXKZNCX0FBmrfpCkKklCcg==
-----END EC PRIVATE KEY-----
"""
MANUAL = "Example 4.2: configure the server with this key (for testing only):\n\n{key}\nThen restart.\n"


def _pem(key, fmt=serialization.PrivateFormat.PKCS8, password: bytes | None = None) -> str:
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, fmt, encryption).decode()


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline()


def _scan(pipeline, text: str, name: str = "manual.txt"):
    return pipeline.scan_bytes(text.encode(), origin=name, name=name)


def test_an_rfc_test_key_in_a_manual_is_reported_not_held(pipeline):
    verdict = _scan(pipeline, MANUAL.format(key=RFC9500_P256))
    assert verdict.action == "pass", verdict.hits
    assert [h.rule for h in verdict.hits] == ["yara:credentials.private_key_block.published"]


def test_the_same_key_in_another_encoding_is_the_same_published_key(pipeline):
    key = serialization.load_pem_private_key(RFC9500_P256.encode(), None)
    pkcs8 = _pem(key)
    assert "BEGIN PRIVATE KEY" in pkcs8
    assert fingerprint(pkcs8) == fingerprint(RFC9500_P256)
    assert _scan(pipeline, MANUAL.format(key=pkcs8), "server.key").action == "pass"


@pytest.mark.parametrize(
    "make",
    [
        lambda: _pem(ec.generate_private_key(ec.SECP256R1()), serialization.PrivateFormat.TraditionalOpenSSL),
        lambda: _pem(rsa.generate_private_key(public_exponent=65537, key_size=1024)),
        lambda: _pem(ec.generate_private_key(ec.SECP256R1()), password=b"example"),
    ],
)
def test_an_unpublished_key_is_held_even_when_the_text_calls_it_an_example(pipeline, make):
    verdict = _scan(pipeline, MANUAL.format(key=make()))
    assert verdict.action == "quarantine", verdict.hits
    assert "yara:credentials.private_key_block" in {h.rule for h in verdict.hits}


def test_a_published_key_beside_an_unpublished_one_is_held(pipeline):
    fresh = _pem(ec.generate_private_key(ec.SECP256R1()))
    assert _scan(pipeline, MANUAL.format(key=RFC9500_P256 + "\n" + fresh)).action == "quarantine"


@pytest.mark.parametrize(
    "text",
    [
        RFC9500_P256.rsplit("-----END", 1)[0],  # cut short: its END line is missing
        RFC9500_P256.replace("MHcC", "MHcD"),  # one character changed: another (broken) key
        RFC9500_P256 + "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n",
    ],
)
def test_a_damaged_or_extra_key_block_is_not_published(text):
    assert not only_published_keys(text)


def test_a_published_key_inside_a_zip_passes_and_a_fresh_one_is_held(pipeline):
    import io
    import zipfile

    def zipped(key: str) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("examples/server.key", key)
            archive.writestr("README", "Test keys for the examples.\n")
        return buffer.getvalue()

    assert pipeline.scan_bytes(zipped(RFC9500_P256), origin="e.zip", name="e.zip").action == "pass"
    fresh = _pem(rsa.generate_private_key(public_exponent=65537, key_size=1024))
    assert pipeline.scan_bytes(zipped(fresh), origin="e.zip", name="e.zip").action == "quarantine"


# An organisation's own key rule beside the shipped one: both match a PEM key block.
ORG_KEY_RULE = """rule org_key_file
{
    meta:
        category = "credentials"
        severity = "high"
        description = "A key file of ours."
        scope = "any"
        published_keys = true
    strings:
        $a = "PRIVATE KEY-----"
    condition:
        $a
}
"""


@pytest.fixture(scope="module")
def two_key_rules(tmp_path_factory):
    from filters.build import FiltersConfig

    folder = tmp_path_factory.mktemp("rules")
    (folder / "org.yar").write_text(ORG_KEY_RULE, encoding="utf-8")
    config = FiltersConfig.from_mapping({"rules": {"extra": [str(folder)], "cache_dir": "off"}})
    return build_pipeline(config)


def _counting(monkeypatch) -> list[str]:
    from filters import published_keys

    calls: list[str] = []
    real = published_keys.only_published_keys

    def counting(text: str) -> bool:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(published_keys, "only_published_keys", counting)
    return calls


def test_a_part_is_read_for_published_keys_once_however_many_key_rules_match(two_key_rules, monkeypatch):
    calls = _counting(monkeypatch)
    verdict = _scan(two_key_rules, MANUAL.format(key=RFC9500_P256))
    assert verdict.action == "pass", verdict.hits
    assert sorted(h.rule for h in verdict.hits) == [
        "yara:credentials.private_key_block.published",
        "yara:org.org_key_file.published",
    ]
    assert len(calls) == 1


def test_an_unpublished_key_is_held_by_every_key_rule(two_key_rules, monkeypatch):
    calls = _counting(monkeypatch)
    verdict = _scan(two_key_rules, MANUAL.format(key=_pem(ec.generate_private_key(ec.SECP256R1()))))
    assert verdict.action == "quarantine"
    assert {"yara:credentials.private_key_block", "yara:org.org_key_file"} <= {h.rule for h in verdict.hits}
    assert len(calls) == 1


@pytest.mark.parametrize("published", [True, False])
def test_a_key_in_the_bytes_of_a_content_part_is_judged_once_too(two_key_rules, monkeypatch, published):
    from filters.engines.yara import YaraEngine
    from filters.types import Part

    engine = next(e for e in two_key_rules.content_engines if isinstance(e, YaraEngine))
    key = RFC9500_P256 if published else _pem(ec.generate_private_key(ec.SECP256R1()))
    part = Part(origin="blob.bin", data=b"\x00\x01\x02binary\xff" + key.encode() + b"\x00",
                detected_type="application/octet-stream")
    calls = _counting(monkeypatch)
    rules = sorted(hit.rule for hit in engine.scan(part))
    suffix = ".published" if published else ""
    assert rules == [f"yara:credentials.private_key_block{suffix}", f"yara:org.org_key_file{suffix}"]
    assert len(calls) == 1

"""A marked document dressed as an ordinary structure that Redline recognises and lets
pass: the clothing must not carry the document out. Each attempt goes through the real
listeners (a mail over SMTP, an upload through the HTTP proxy with curl) and must be held
for the document's marking; the ordinary structure itself passes.

Certificates: a PEM certificate of this machine's trust stores is public and is not
decoded (a bundle of 140 of them passes); any other certificate block is decoded as before,
however many published ones surround it. Tables of hex words (numpy's random test sets):
decoded into the bytes they stand for, so a document written as words is opened and read.
Time-zone tables in moment-timezone's packed form: taken from the judge of encoded text
only when they are what the format says; hex written as their numbers is read. Registries
keyed by hex ids (the IEEE's MAC blocks): their ids are taken as ids only where the lines
follow their order, and a document's base64 as the names is still held. A case-mapping
table's code points ("1E5") are figures, not the abbreviation LES; an abbreviation typed
with look-alike digits among them is read."""

from __future__ import annotations

import base64
import datetime
import json
import random
import re
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ObjectIdentifier
from fixtures.office import make_two_paragraph_docx
from fixtures.registries import oui_registry, pci_catalogue
from fixtures.time_zones import packed_data, zone
from integration.listeners_harness import Listeners, Outcome
from integration.test_evasion import _text_mail

MARKED = make_two_paragraph_docx("TOP SECRET//NOFORN")
BUNDLE = Path(ssl.get_default_verify_paths().cafile or "/etc/ssl/certs/ca-certificates.crt")
_BLOCK = re.compile(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.DOTALL)


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("clothing"))
    yield server
    server.close()


@pytest.fixture(scope="module")
def bundle() -> str:
    if not BUNDLE.is_file():
        pytest.skip("no system certificate bundle on this machine")
    text = BUNDLE.read_text(encoding="ascii")
    assert len(_BLOCK.findall(text)) > 64  # more than the decoder's MAX_PAYLOADS
    return text


def _pem(data: bytes) -> str:
    encoded = base64.b64encode(data).decode()
    lines = [encoded[i:i + 64] for i in range(0, len(encoded), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def _first_der(bundle: str) -> bytes:
    return base64.b64decode(re.sub(r"\s+", "", _BLOCK.search(bundle).group(1)))


def _own_certificate(extension: bytes) -> str:
    """A well-formed self-signed certificate that carries ``extension`` in an extension of
    an unregistered OID: real X.509, but in no trust store."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "build.example.org")])
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(7)
        .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=365))
        .add_extension(x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.55555.1"), extension),
                       critical=False)
        .sign(key, hashes.SHA256()))
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def _both(gateway: Listeners, text: str, tmp_path: Path) -> tuple[Outcome, Outcome]:
    """``text`` as a mail body over SMTP and as a file uploaded through the proxy."""
    path = tmp_path / "certificates.pem"
    path.write_text(text, encoding="ascii")
    return (gateway.mail(_text_mail(text)),
            gateway.upload("-F", f"file=@{path};type=application/x-pem-file"))


def _held_for_marking(outcome: Outcome) -> bool:
    return outcome.held and any(hit["category"] == "classification" for hit in outcome.hits)


CLOTHING = {
    # The document's base64 in a certificate block of its own.
    "document as a certificate": lambda bundle: _pem(MARKED),
    # The same block after every certificate of the bundle: the published ones do not use
    # up the decoder's 64 values, so this one is still decoded.
    "document after the bundle": lambda bundle: bundle + _pem(MARKED),
    "document amid the bundle": lambda bundle: (
        bundle[:len(bundle) // 2].rsplit("-----BEGIN", 1)[0] + _pem(MARKED)
        + "-----BEGIN" + bundle[:len(bundle) // 2].rsplit("-----BEGIN", 1)[1]
        + bundle[len(bundle) // 2:]),
    # A published certificate's bytes with the document after them, in one block: not
    # the published encoding, so decoded (and the document found after the certificate).
    "document appended to a published certificate": lambda bundle: bundle + _pem(_first_der(bundle) + MARKED),
    # Real X.509, signed, with the document in an extension: in no trust store.
    "document in a certificate extension": lambda bundle: bundle + _own_certificate(MARKED),
}


@pytest.mark.parametrize("kind", list(CLOTHING))
def test_marked_document_dressed_as_certificates_is_held_for_its_marking(gateway, bundle, kind, tmp_path):
    by_mail, by_proxy = _both(gateway, CLOTHING[kind](bundle), tmp_path)
    assert _held_for_marking(by_mail), by_mail.excerpts()
    assert _held_for_marking(by_proxy), by_proxy.excerpts()


def test_system_certificate_bundle_passes(gateway, bundle, tmp_path):
    by_mail, by_proxy = _both(gateway, bundle, tmp_path)
    assert not by_mail.held, by_mail.excerpts()
    assert not by_proxy.held, by_proxy.excerpts()


# -- tables of hex words: decoded into the bytes they stand for ------------------------------

def _words(data: bytes, size: int, low_first: bool = False) -> list[str]:
    data += b"\0" * (-len(data) % size)
    order = "little" if low_first else "big"
    return [f"0x{int.from_bytes(data[i:i + size], order):0{size * 2}x}" for i in range(0, len(data), size)]


def _random_test_set(words: list[str]) -> str:
    return "seed, 0xdeadbeaf\n" + "".join(f"{i}, {w}\n" for i, w in enumerate(words))


def _validation_set(words: list[str]) -> str:
    pairs = zip(words[::2], words[1::2], strict=False)
    rows = [f"np.float32,{a},{b},{3 + i % 2}" for i, (a, b) in enumerate(pairs)]
    return "dtype,input,output,ulperrortol\n" + "\n".join(rows) + "\n"


TABLES = {
    # numpy's random test sets: an index and a 32- or 64-bit word a line
    "32-bit words, high byte first": lambda d: _random_test_set(_words(d, 4)),
    "64-bit words, high byte first": lambda d: _random_test_set(_words(d, 8)),
    "32-bit words, low byte first": lambda d: _random_test_set(_words(d, 4, low_first=True)),
    # numpy's validation sets: a type, two words, a tolerance
    "two words a line": lambda d: _validation_set(_words(d, 4)),
    # leading zeros left out, as printf("%#x") writes them
    "words without leading zeros": lambda d: _random_test_set([hex(int(w, 16)) for w in _words(d, 8)]),
}


@pytest.mark.parametrize("kind", list(TABLES))
def test_marked_document_as_a_table_of_hex_words_is_held_for_its_marking(gateway, kind, tmp_path):
    table = TABLES[kind](MARKED)
    path = tmp_path / "testset.csv"
    path.write_text(table, encoding="ascii")
    by_mail = gateway.mail(_text_mail(table))
    by_proxy = gateway.upload("-F", f"file=@{path};type=text/csv")
    assert _held_for_marking(by_mail), by_mail.excerpts()
    assert _held_for_marking(by_proxy), by_proxy.excerpts()


def test_table_whose_lines_change_their_number_of_words_is_still_held(gateway):
    # Lines of one and two words by turns make no block: nothing is decoded, and the
    # words are judged as encoded text, as before.
    words = _words(MARKED, 4)
    lines, at = [], 0
    while at < len(words):
        take = 1 + len(lines) % 2
        lines.append(", ".join(words[at:at + take]))
        at += take
    assert gateway.mail(_text_mail("\n".join(lines))).held


def test_table_of_random_words_passes(gateway, tmp_path):
    import random

    words = [f"0x{random.Random(7).getrandbits(64) ^ i * 0x9E3779B97F4A7C15 & (1 << 64) - 1:016x}"
             for i in range(1000)]
    table = _random_test_set(words)
    path = tmp_path / "testset.csv"
    path.write_text(table, encoding="ascii")
    assert not gateway.mail(_text_mail(table)).held
    assert not gateway.upload("-F", f"file=@{path};type=text/csv").held


# -- source maps: the mappings of a map whose every segment is a position in it -------------

JQUERY_MAP = Path("/usr/share/javascript/jquery/jquery.min.map")


def _source_map(mappings: str, **extra: object) -> str:
    return json.dumps({"version": 3, "file": "app.min.js", "sources": ["app.js"],
                       "names": ["init", "render"], "mappings": mappings, **extra})


def _every(text: str, width: int, separator: str) -> str:
    return separator.join(text[i:i + width] for i in range(0, len(text), width))


SOURCE_MAPS = {
    "document's base64 as the mappings": lambda b64: _source_map(b64),
    # cut into segments too short to be decoded as base64: no segment is a position
    "base64 cut into segments of four": lambda b64: _source_map(_every(b64, 4, ",")),
    "base64 cut into lines of eight": lambda b64: _source_map(_every(b64, 8, ";")),
    "document beside valid mappings": lambda b64: _source_map("AAAA,CAAC;ACAA", x_note=b64),
    "document as the source's content": lambda b64: _source_map("AAAA,CAAC", sourcesContent=[b64]),
}


@pytest.mark.parametrize("kind", list(SOURCE_MAPS))
def test_marked_document_dressed_as_a_source_map_is_held(gateway, kind, tmp_path):
    text = SOURCE_MAPS[kind](base64.b64encode(MARKED).decode())
    path = tmp_path / "app.min.js.map"
    path.write_text(text, encoding="ascii")
    by_mail = gateway.mail(_text_mail(text))
    by_proxy = gateway.upload("-F", f"file=@{path};type=application/json")
    assert by_mail.held, kind
    assert by_proxy.held, kind
    if kind not in ("base64 cut into segments of four", "base64 cut into lines of eight"):
        assert _held_for_marking(by_mail), by_mail.excerpts()
        assert _held_for_marking(by_proxy), by_proxy.excerpts()


def test_a_real_source_map_passes(gateway, tmp_path):
    assert JQUERY_MAP.is_file(), "scripts/setup.sh --test installs Debian's libjs-jquery"
    text = JQUERY_MAP.read_text(encoding="utf-8")
    path = tmp_path / "jquery.min.map"
    path.write_text(text, encoding="utf-8")
    assert not gateway.mail(_text_mail(text)).held
    assert not gateway.upload("-F", f"file=@{path};type=application/json").held


# -- time-zone tables in moment-timezone's packed form: taken from the judge when they hold --

def _zone_table(untils: list[str], per: int = 80) -> str:
    """A packed data file whose zones carry ``untils``, ``per`` a zone."""
    rng = random.Random(5)
    zones = [zone(f"Europe/City_{i:03d}", rng, untils=untils[i:i + per]) for i in range(0, len(untils), per)]
    return json.dumps({"version": "2023c", "zones": zones}, indent="\t")


def _groups(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)]


# The document padded to a whole number of 32-bit groups (a zip's end record allows it).
MARKED_HEX = (MARKED + b"\0" * (-len(MARKED) % 4)).hex()
ZONE_DRESS = {
    # hex bytes as the untils: no times (left to the judge), and read as hex
    "hex byte pairs as the untils": lambda: _zone_table(_groups(MARKED_HEX, 2)),
    "hex in groups of four as the untils": lambda: _zone_table(_groups(MARKED_HEX, 4)),
    "hex in groups of eight as the untils": lambda: _zone_table(_groups(MARKED_HEX, 8), per=40),
    # the marking beside real zones: the text is read as any text is
    "marking as the data's version": lambda: packed_data().replace('"2023c"', '"TOP SECRET//NOFORN"'),
}


def _zone_outcomes(gateway: Listeners, text: str, tmp_path: Path) -> tuple[Outcome, Outcome]:
    path = tmp_path / "latest.json"
    path.write_text(text, encoding="ascii")
    return (gateway.mail(_text_mail(text)),
            gateway.upload("-F", f"file=@{path};type=application/json"))


@pytest.mark.parametrize("kind", list(ZONE_DRESS))
def test_marked_document_dressed_as_time_zone_data_is_held_for_its_marking(gateway, kind, tmp_path):
    by_mail, by_proxy = _zone_outcomes(gateway, ZONE_DRESS[kind](), tmp_path)
    assert _held_for_marking(by_mail), by_mail.excerpts()
    assert _held_for_marking(by_proxy), by_proxy.excerpts()


def test_document_base64_as_time_zone_untils_is_held(gateway, tmp_path):
    # base64's "+/" and "Y", "Z" are no base-60 digits: no zone, judged as encoded text
    by_mail, by_proxy = _zone_outcomes(
        gateway, _zone_table(_groups(base64.b64encode(MARKED).decode(), 4)), tmp_path)
    assert by_mail.held, by_mail.excerpts()
    assert by_proxy.held, by_proxy.excerpts()


def test_time_zone_data_passes(gateway, tmp_path):
    by_mail, by_proxy = _zone_outcomes(gateway, packed_data(), tmp_path)
    assert not by_mail.held, by_mail.excerpts()
    assert not by_proxy.held, by_proxy.excerpts()


# -- registries keyed by hex ids (IEEE MAC blocks): lines in the order of their ids --------------

def _registry_outcomes(gateway: Listeners, text: str, tmp_path: Path) -> tuple[Outcome, Outcome]:
    path = tmp_path / "oui.dat"
    path.write_text(text, encoding="ascii")
    return (gateway.mail(_text_mail(text)),
            gateway.upload("-F", f"file=@{path};type=application/octet-stream"))


MARKED_B64 = base64.b64encode(MARKED).decode()


def _registrants(first: int, step: int) -> str:
    """Lines of ids in order, ``step`` apart from ``first``, the document's base64 as names."""
    return "\n".join(f'{first + step * n:06X} o="{MARKED_B64[i:i + 20]}"'
                     for n, i in enumerate(range(0, len(MARKED_B64), 20)))


REGISTRY_DRESS = {
    "base64 as registrants": lambda: _registrants(0xA00000, 7),
    "base64 after a registry": lambda: oui_registry(lines=300) + _registrants(0xFD0000, 3),
}


@pytest.mark.parametrize("kind", list(REGISTRY_DRESS))
def test_marked_document_dressed_as_a_mac_registry_is_held(gateway, kind, tmp_path):
    by_mail, by_proxy = _registry_outcomes(gateway, REGISTRY_DRESS[kind](), tmp_path)
    assert by_mail.held, by_mail.excerpts()
    assert by_proxy.held, by_proxy.excerpts()


def test_marking_as_a_registrant_is_held_for_it(gateway, tmp_path):
    text = oui_registry(lines=300).replace('o="', 'o="TOP SECRET//NOFORN ', 1)
    by_mail, by_proxy = _registry_outcomes(gateway, text, tmp_path)
    assert _held_for_marking(by_mail), by_mail.excerpts()
    assert _held_for_marking(by_proxy), by_proxy.excerpts()


def test_mac_registry_passes(gateway, tmp_path):
    by_mail, by_proxy = _registry_outcomes(gateway, oui_registry(), tmp_path)
    assert not by_mail.held, by_mail.excerpts()
    assert not by_proxy.held, by_proxy.excerpts()


# -- a case-mapping table (Perl's unicore/To/Uc.pl): code points in hex, "1E5" among them ----

def _case_table(extra: str = "") -> str:
    """Lower- to upper-case code points of Latin Extended-A and -B, as mktables writes them."""
    pairs = "\n".join(f"{cp:X}\t\t{cp - 1:X}" for cp in range(0x101, 0x250, 2))
    return ("# !!!!!!!   DO NOT EDIT THIS FILE   !!!!!!!\n# This file is machine-generated by "
            "lib/unicore/mktables from the Unicode database.\n\nreturn <<'END';\n"
            + pairs + extra + "\nEND\n")


def _table_outcomes(gateway: Listeners, text: str, tmp_path: Path) -> tuple[Outcome, Outcome]:
    path = tmp_path / "Uc.pl"
    path.write_text(text, encoding="ascii")
    return (gateway.mail(_text_mail(text)),
            gateway.upload("-F", f"file=@{path};type=text/x-perl"))


# A token with fewer letters than look-alikes ("1E$") is a code, as "1E5" is a figure: the
# look-alike forms read are those with at least as many letters.
@pytest.mark.parametrize("line", ["LES", "L3S", "FOU0", "[LE$]"])
def test_abbreviated_marking_in_a_case_table_is_held_for_it(gateway, line, tmp_path):
    by_mail, by_proxy = _table_outcomes(gateway, _case_table(f"\n{line}"), tmp_path)
    assert _held_for_marking(by_mail), by_mail.excerpts()
    assert _held_for_marking(by_proxy), by_proxy.excerpts()


def test_case_table_has_no_marking(gateway, tmp_path):
    text = _case_table()
    assert "\n1E5\t\t1E4\n" in text
    by_mail, by_proxy = _table_outcomes(gateway, text, tmp_path)
    assert not _held_for_marking(by_mail), by_mail.excerpts()
    assert not _held_for_marking(by_proxy), by_proxy.excerpts()


# -- the PCI id list's model numbers: names of a registry that repeat one another ------------

def _catalogue_outcomes(gateway: Listeners, text: str, tmp_path: Path) -> tuple[Outcome, Outcome]:
    path = tmp_path / "pci.ids"
    path.write_text(text, encoding="ascii")
    return (gateway.mail(_text_mail(text)),
            gateway.upload("-F", f"file=@{path};type=application/octet-stream"))


def test_pci_id_list_of_model_numbers_passes(gateway, tmp_path):
    for outcome in _catalogue_outcomes(gateway, pci_catalogue(), tmp_path):
        assert not outcome.held, outcome.excerpts()


def test_marked_document_as_model_numbers_of_a_pci_id_list_is_held(gateway, tmp_path):
    pieces = iter([MARKED_B64[i:i + 8] for i in range(0, len(MARKED_B64), 8)])
    text = re.sub(r"\b([A-Z]{2,3})\d{4,5}\w*", lambda m: m.group(1) + next(pieces, "X1"), pci_catalogue())
    for outcome in _catalogue_outcomes(gateway, text, tmp_path):
        assert outcome.held, outcome.excerpts()


def test_marking_as_a_device_name_of_a_pci_id_list_is_held_for_it(gateway, tmp_path):
    text = re.sub(r"(?m)^(\t[0-9a-f]{4})  .*$", r"\1  TOP SECRET//NOFORN", pci_catalogue(), count=1)
    for outcome in _catalogue_outcomes(gateway, text, tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()

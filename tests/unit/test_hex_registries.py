"""Registries keyed by hex identifiers (the IEEE's MAC address blocks, the PCI id list) are
not encoded data, though their ids mix digits and letters as encoded data does: their lines
come in the order of their keys (filters.embedded._ordered_keys). A document's bytes written
as such keys are in no order, and are still found."""

from __future__ import annotations

import base64
import random
import re

import pytest
from fixtures.registries import oui_registry, pci_catalogue, pci_ids

from filters import embedded

DOCUMENT = random.Random(11).randbytes(12_000)

def _unread(text: str) -> int:
    spans: list[tuple[int, int]] = []
    list(embedded.payloads(text, spans))
    return embedded.unread_encoded(text, spans)


def test_mac_address_registry_is_not_encoded():
    text = oui_registry()
    assert _unread(text) == 0


def test_pci_id_list_is_not_encoded():
    assert _unread(pci_ids()) == 0


def test_pci_id_list_of_model_numbers_is_not_encoded():
    # Names of model numbers with few words (its storage and network vendors'): mixed
    # tokens in many values, which repeat one another (filters.embedded._names_repeat).
    assert _unread(pci_catalogue()) == 0


def as_model_numbers(encoded: str, width: int) -> str:
    """The catalogue with each model number's digits and suffix replaced by the next
    ``width`` characters of ``encoded``, its product line's prefix kept."""
    pieces = iter([encoded[i:i + width] for i in range(0, len(encoded), width)])
    return re.sub(r"\b([A-Z]{2,3})\d{4,5}\w*", lambda m: m.group(1) + next(pieces, "X1"), pci_catalogue())


BASE64 = base64.b64encode(DOCUMENT).decode()
ENCODED = {
    # ids in order, the document's base64 as the names: only the ids are taken as ids
    "base64 as device names": "\n".join(f"\t{0x1000 + n:04x}  {BASE64[i:i + 24]}"
                                         for n, i in enumerate(range(0, 16_000, 24))),
    "base64 as registrants": "\n".join(f'{0xA00000 + 7 * n:06X} o="{BASE64[i:i + 20]}"'
                                        for n, i in enumerate(range(0, 16_000, 20))),
    # the catalogue's own dress: a product line's prefix, the document as the rest
    "base64 as model numbers": as_model_numbers(BASE64, 8),
    "base85 as model numbers": as_model_numbers(base64.b85encode(DOCUMENT).decode(), 6),
}


@pytest.mark.parametrize("kind", list(ENCODED))
def test_a_document_dressed_as_a_registry_is_still_found(kind):
    assert _unread(ENCODED[kind]) >= embedded.UNREAD_HOLD_CHARS

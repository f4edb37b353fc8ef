"""Registries keyed by hex identifiers (the IEEE's MAC address blocks, the PCI id list) are
not encoded data, though their ids mix digits and letters as encoded data does: their lines
come in the order of their keys (filters.embedded._ordered_keys). A document's bytes written
as such keys are in no order, and are still found."""

from __future__ import annotations

import base64
import random

import pytest
from fixtures.registries import oui_registry, pci_ids

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


BASE64 = base64.b64encode(DOCUMENT).decode()
ENCODED = {
    # ids in order, the document's base64 as the names: only the ids are taken as ids
    "base64 as device names": "\n".join(f"\t{0x1000 + n:04x}  {BASE64[i:i + 24]}"
                                         for n, i in enumerate(range(0, 16_000, 24))),
    "base64 as registrants": "\n".join(f'{0xA00000 + 7 * n:06X} o="{BASE64[i:i + 20]}"'
                                        for n, i in enumerate(range(0, 16_000, 20))),
}


@pytest.mark.parametrize("kind", list(ENCODED))
def test_a_document_dressed_as_a_registry_is_still_found(kind):
    assert _unread(ENCODED[kind]) >= embedded.UNREAD_HOLD_CHARS

"""Every detected type that carries documents reaches an extractor; leaf types do not."""

import pytest

from filters.extract import REGISTRY, extractor_for, load_all, module_for


@pytest.mark.parametrize(
    ("mime", "module"),
    [
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.template", "ooxml"),
        ("application/vnd.openxmlformats-officedocument.presentationml.slideshow", "ooxml"),
        ("application/vnd.ms-powerpoint.slideshow.macroEnabled.12", "ooxml"),
        ("application/vnd.oasis.opendocument.text-template", "odf"),
        ("application/vnd.oasis.opendocument.graphics", "odf"),
        ("application/vnd.ms-excel", "ole"),
        ("application/encrypted", "ole"),
        ("image/png", "image"),
        ("image/heic", "image"),
        ("audio/mpeg", None),
    ],
)
def test_type_families_map_to_extractors(mime, module):
    assert module_for(mime) == module


def test_every_registered_extractor_imports_and_has_an_entry_point():
    load_all()
    for mime in REGISTRY:
        assert callable(extractor_for(mime)), mime

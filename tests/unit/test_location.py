"""Photos taken inside a configured site are held (category location), by their EXIF or
XMP GPS position, as attachments and inside documents; others are unaffected."""

from __future__ import annotations

import pytest

from filters.build import FiltersConfig, build_pipeline
from filters.engines.location import Site, distance_m
from filters.errors import ConfigError
from filters.types import Part
from tests.fixtures import images as pictures

# A circle around a (fictional) secure wing and a polygon around a depot, as an
# organisation would write them in [sites].
SITES = {"places": [
    {"name": "HQ secure wing", "latitude": 51.5007, "longitude": -0.1246, "radius_m": 150},
    {"name": "North depot", "polygon": [[53.40, -2.30], [53.40, -2.20], [53.45, -2.20],
                                        [53.45, -2.30]]},
]}
INSIDE_CIRCLE = (51.5010, -0.1250)  # ~45 m from the centre
OUTSIDE_CIRCLE = (51.5040, -0.1246)  # ~370 m north
INSIDE_POLYGON = (53.42, -2.25)
OUTSIDE_POLYGON = (53.42, -2.10)


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline(FiltersConfig.from_mapping({"sites": SITES}))


def location_hits(pipeline, data: bytes, name: str):
    verdict = pipeline.scan(Part(origin=name, data=data, name=name))
    return verdict, [h for h in verdict.hits if h.category == "location"]


@pytest.mark.parametrize(("where", "site"), [(INSIDE_CIRCLE, "HQ secure wing"),
                                             (INSIDE_POLYGON, "North depot")])
def test_jpeg_taken_inside_a_site_is_held_naming_the_site(pipeline, where, site):
    verdict, hits = location_hits(pipeline, pictures.gps_jpeg(*where), "IMG_3301.jpg")
    assert verdict.action == "quarantine"
    assert [h.where for h in hits] == ["IMG_3301.jpg"]
    start, end = hits[0].span
    assert hits[0].excerpt[start:end] == site


@pytest.mark.parametrize("where", [OUTSIDE_CIRCLE, OUTSIDE_POLYGON])
def test_jpeg_taken_outside_every_site_passes(pipeline, where):
    verdict, hits = location_hits(pipeline, pictures.gps_jpeg(*where), "IMG_3302.jpg")
    assert not hits and verdict.action == "pass", verdict.hits


def test_photo_without_a_position_passes(pipeline):
    photo = pictures.encode(pictures.landscape_photo(size=(640, 480)), "JPEG", quality=80)
    verdict, hits = location_hits(pipeline, photo, "IMG_3303.jpg")
    assert not hits and verdict.action == "pass"


def test_heic_taken_inside_a_site_is_held(pipeline):
    verdict, hits = location_hits(pipeline, pictures.gps_heic(*INSIDE_CIRCLE), "IMG_3304.HEIC")
    assert [h.rule for h in hits] == ["location.site"]
    assert verdict.action == "quarantine"


def test_heic_taken_outside_passes(pipeline):
    verdict, hits = location_hits(pipeline, pictures.gps_heic(*OUTSIDE_CIRCLE), "IMG_3305.HEIC")
    assert not hits and verdict.action == "pass"


def test_png_with_an_exif_chunk_inside_a_site_is_held(pipeline):
    photo = pictures.landscape_photo(size=(400, 300))
    data = pictures.encode(photo, "PNG", exif=pictures.gps_exif(*INSIDE_POLYGON))
    assert location_hits(pipeline, data, "shot.png")[1]


def test_position_only_in_xmp_is_read(pipeline):
    """Editors (Lightroom, darktable) keep the position in XMP: exif:GPSLatitude="53,25.2N"."""
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
           b'02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
           b'exif:GPSLatitude="53,25.2N" exif:GPSLongitude="2,15.0W"/></rdf:RDF></x:xmpmeta>')
    photo = pictures.encode(pictures.landscape_photo(size=(400, 300)), "JPEG", xmp=xmp)
    assert location_hits(pipeline, photo, "edited.jpg")[1]


def test_photo_inside_a_word_document_is_held(pipeline):
    document = pictures.docx_with_picture(pictures.gps_jpeg(*INSIDE_CIRCLE))
    verdict, hits = location_hits(pipeline, document, "report.docx")
    assert hits and hits[0].where.startswith("report.docx/word/media/")
    assert verdict.action == "quarantine"


def test_without_sites_a_positioned_photo_passes():
    verdict = build_pipeline().scan(Part(origin="a.jpg", data=pictures.gps_jpeg(*INSIDE_CIRCLE)))
    assert verdict.action == "pass" and not [h for h in verdict.hits if h.category == "location"]


def test_distance_and_polygon_geometry():
    # One degree of latitude is ~111.2 km on the mean sphere.
    assert abs(distance_m(0, 0, 1, 0) - 111_195) < 10
    square = Site("sq", polygon=((0, 0), (0, 1), (1, 1), (1, 0)))
    assert square.contains(0.5, 0.5) and not square.contains(1.5, 0.5)


@pytest.mark.parametrize(("places", "message"), [
    ([{"latitude": 1, "longitude": 2, "radius_m": 3}], r"sites\.places\[0\]\.name"),
    ([{"name": "x", "latitude": 91, "longitude": 0, "radius_m": 10}], r"sites\.places\[0\]\.latitude"),
    ([{"name": "x", "latitude": 1, "longitude": 2}], r"sites\.places\[0\]\.radius_m"),
    ([{"name": "x", "polygon": [[0, 0], [1, 1]]}], r"sites\.places\[0\]\.polygon"),
    ([{"name": "x", "polygon": [[0, 0], [1, 1], [1, "a"]]}], r"sites\.places\[0\]\.polygon\[2\]\[1\]"),
    ([{"name": "x", "centre": [1, 2]}], r"sites\.places\[0\]\.centre: unknown key"),
])
def test_bad_sites_are_refused_with_the_key_named(places, message):
    with pytest.raises(ConfigError, match=message):
        FiltersConfig.from_mapping({"sites": {"places": places}})

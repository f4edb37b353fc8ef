"""Location engine (config section [sites]): a photo taken inside a protected site is held.

A photo of a secure room carries no text to read, but a phone writes where it was taken:
the GPS position in EXIF (JPEG, HEIC, PNG's eXIf chunk, TIFF) or XMP (exif:GPSLatitude).
A picture whose position falls inside a configured site — a circle (centre and radius)
or a polygon — gets a hit of category ``location`` naming the site. A picture with no
position, or outside every site, is unaffected. Pictures inside documents are content
parts like any attachment, so they are read too.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from filters.config import option
from filters.errors import ConfigError
from filters.types import Hit, Part

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)
GPS_IFD = 0x8825
XMP_BYTES = 256 * 1024  # XMP sits near the start of a file (APP1, iTXt, the TIFF header)
MAX_POINTS = 1000  # corners of one polygon site

_PICTURES = ("image/jpeg", "image/png", "image/tiff", "image/heic", "image/heif", "image/webp")
# XMP writes a GPS coordinate as "DDD,MM.mmmmK" or "DDD,MM,SSK" (K one of N S E W), as an
# attribute (exif:GPSLatitude="51,30.12N") or an element (<exif:GPSLatitude>…</…>).
_XMP_COORDINATE = re.compile(
    rb"exif:GPS(Latitude|Longitude)\s*(?:=\s*[\"']|>)\s*(\d{1,3}),(\d{1,2}(?:\.\d+)?)"
    rb"(?:,(\d{1,2}(?:\.\d+)?))?\s*([NSEW])")


@dataclass(frozen=True, slots=True)
class Site:
    """One protected place: a circle (centre, radius in metres) or a polygon of corners."""

    name: str
    latitude: float = 0.0
    longitude: float = 0.0
    radius_m: float = 0.0
    polygon: tuple[tuple[float, float], ...] = ()

    def contains(self, latitude: float, longitude: float) -> bool:
        """True when the position lies inside this site."""
        if self.polygon:
            return _in_polygon(latitude, longitude, self.polygon)
        return distance_m(self.latitude, self.longitude, latitude, longitude) <= self.radius_m


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _in_polygon(lat: float, lon: float, corners: tuple[tuple[float, float], ...]) -> bool:
    """Ray casting on latitude/longitude: exact enough for a site a few km across."""
    inside = False
    j = len(corners) - 1
    for i, (lat_i, lon_i) in enumerate(corners):
        lat_j, lon_j = corners[j]
        if (lat_i > lat) != (lat_j > lat):
            crossing = lon_i + (lat - lat_i) * (lon_j - lon_i) / (lat_j - lat_i)
            if lon < crossing:
                inside = not inside
        j = i
    return inside


def _number(key: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ConfigError(f"config key {key}: expected a number from {low:g} to {high:g}, got {value!r}")
    return float(value)


def _site(index: int, table: dict[str, Any]) -> Site:
    where = f"sites.places[{index}]"
    known = {"name", "latitude", "longitude", "radius_m", "polygon"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"config key {where}.{unknown[0]}: unknown key; a site has "
                          "name and either latitude, longitude, radius_m or polygon")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"config key {where}.name: every site needs a name (shown in the hit)")
    if "polygon" in table:
        if {"latitude", "longitude", "radius_m"} & set(table):
            raise ConfigError(f"config key {where}: give either polygon or latitude, longitude "
                              "and radius_m, not both")
        corners = table["polygon"]
        if not isinstance(corners, list) or not 3 <= len(corners) <= MAX_POINTS:
            raise ConfigError(f"config key {where}.polygon: expected 3 to {MAX_POINTS} corners "
                              f"[latitude, longitude], got {corners!r}")
        points = []
        for n, corner in enumerate(corners):
            if not isinstance(corner, list) or len(corner) != 2:
                raise ConfigError(f"config key {where}.polygon[{n}]: expected [latitude, "
                                  f"longitude], got {corner!r}")
            points.append((_number(f"{where}.polygon[{n}][0]", corner[0], -90, 90),
                           _number(f"{where}.polygon[{n}][1]", corner[1], -180, 180)))
        return Site(name.strip(), polygon=tuple(points))
    missing = [k for k in ("latitude", "longitude", "radius_m") if k not in table]
    if missing:
        raise ConfigError(f"config key {where}.{missing[0]}: a circle site needs latitude, "
                          "longitude and radius_m (or give a polygon)")
    return Site(name.strip(),
                latitude=_number(f"{where}.latitude", table["latitude"], -90, 90),
                longitude=_number(f"{where}.longitude", table["longitude"], -180, 180),
                radius_m=_number(f"{where}.radius_m", table["radius_m"], 1, 1_000_000))


@dataclass(frozen=True, slots=True)
class SitesConfig:
    """Protected places where photos must not be taken (config section [sites])."""

    places: list[dict[str, Any]] = option(
        [], "Sites as [[sites.places]] tables: name and either latitude, longitude and "
        "radius_m (a circle, metres) or polygon = [[lat, lon], …]; a photo whose GPS "
        "position is inside one is held (category location).",
    )
    severity: str = option("high", "Severity of a location hit.",
                           choices=("low", "medium", "high", "critical"))

    def __post_init__(self) -> None:
        self.sites()  # validate at start, with the key named

    def sites(self) -> tuple[Site, ...]:
        """The places as Sites (raises ConfigError naming the key of a bad one)."""
        out = []
        for index, table in enumerate(self.places):
            out.append(_site(index, table))
        return tuple(out)


def _rational(value: Any) -> float:
    if isinstance(value, tuple) and len(value) == 2:  # (numerator, denominator)
        return value[0] / value[1] if value[1] else math.nan
    return float(value)


def _exif_coordinate(dms: Any, ref: Any) -> float | None:
    try:
        degrees, minutes, seconds = (_rational(v) for v in dms)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(value):
        return None
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    return -value if str(ref).strip().upper()[:1] in ("S", "W") else value


def _from_exif(image: Any) -> tuple[float, float] | None:
    gps = image.getexif().get_ifd(GPS_IFD)
    if not gps or 2 not in gps or 4 not in gps:
        return None
    latitude = _exif_coordinate(gps[2], gps.get(1, "N"))
    longitude = _exif_coordinate(gps[4], gps.get(3, "E"))
    if latitude is None or longitude is None:
        return None
    return latitude, longitude


def _from_xmp(head: bytes) -> tuple[float, float] | None:
    found: dict[bytes, float] = {}
    for match in _XMP_COORDINATE.finditer(head):
        axis, degrees, minutes, seconds, ref = match.groups()
        value = int(degrees) + float(minutes) / 60 + (float(seconds) / 3600 if seconds else 0.0)
        found.setdefault(axis, -value if ref in (b"S", b"W") else value)
    if b"Latitude" in found and b"Longitude" in found:
        return found[b"Latitude"], found[b"Longitude"]
    return None


def position(part: Part) -> tuple[float, float] | None:
    """The (latitude, longitude) a picture says it was taken at, or None."""
    from PIL import Image  # only pictures are read here; most parts never get this far

    where: tuple[float, float] | None = None
    try:
        with part.open() as stream, Image.open(stream) as image:
            where = _from_exif(image)  # the header only: no pixel is decoded
    except (OSError, SyntaxError, ValueError, TypeError, KeyError, EOFError, struct.error):
        where = None  # an undecodable picture is held by its extractor; XMP may still say
    if where is None:
        where = _from_xmp(part.head(XMP_BYTES))
    if where is None:
        return None
    latitude, longitude = where
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or (latitude, longitude) == (0, 0):
        return None  # a blank or broken GPS block, not a place
    return where


class LocationEngine:
    """Holds pictures whose GPS position lies inside a configured site."""

    def __init__(self, sites: Iterable[Site], severity: str = "high") -> None:
        self.sites = tuple(sites)
        self.severity = severity

    def scan(self, part: Part) -> Iterable[Hit]:
        """A ``location`` hit per site the picture was taken in."""
        if part.is_text or not self.sites or part.detected_type not in _PICTURES:
            return ()
        where = position(part)
        if where is None:
            return ()
        latitude, longitude = where
        hits = []
        for site in self.sites:
            if site.contains(latitude, longitude):
                lead = f"taken at {latitude:.5f}, {longitude:.5f}, inside the site "
                hits.append(Hit(
                    rule="location.site", category="location", severity=self.severity,
                    where=part.origin, excerpt=lead + site.name,
                    span=(len(lead), len(lead) + len(site.name)),
                    description="A photo taken inside a protected site (GPS position in its "
                                "EXIF or XMP)."))
        return hits

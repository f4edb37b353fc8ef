"""Sensitivity labels: the label an organisation's Microsoft 365 put on a file or mail.

Office files carry ``MSIP_Label_<GUID>_Name`` (and ``_Enabled``, ``_SetDate``,
``_Method``) as custom properties in ``docProps/custom.xml``; newer files also list the
label's id in ``docMetadata/LabelInfo.xml`` (id only, no name). PDFs exported by Office
keep the same names in their XMP packet and Info dictionary; mail carries them in an
``msip_labels:`` header. Mail may also carry an RFC 7444 ``SIO-Label`` (an ESS or X.411
security label, whose classification integer names the level) and Titus's
``x-titus-metadata-NN`` (base64 of the label's JSON). The ``[labels]`` config maps label
names (or ids) to a category and severity. A file or mail whose label claims nothing
sensitive (Public, General) while its text carries a classification marking gets a
``label.mismatch`` hit of its own.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from filters.config import option
from filters.errors import ConfigError
from filters.types import SEVERITIES, Hit, Part, severity_rank

NONE = "none"
DEFAULT_NAMES: dict[str, str] = {
    "Top Secret": "classification/critical",
    "Secret": "classification/high",
    "Highly Confidential": "classification/high",
    "Strictly Confidential": "classification/high",
    "Confidential": "classification/high",
    "Highly Restricted": "classification/high",
    "Restricted": "classification/high",
    "Internal": "classification/low",
    "Internal Only": "classification/low",
    "Internal Use Only": "classification/low",
    "绝密": "classification/critical",
    "机密": "classification/high",
    "秘密": "classification/high",
    "内部": "classification/low",
    "Confidencial": "classification/high",
    "Altamente Confidencial": "classification/high",
    "Secreto": "classification/high",
    "Reservado": "classification/high",
    "Uso Interno": "classification/low",
    # The default labels as Microsoft 365 names them in an organisation's own language.
    "Streng vertraulich": "classification/high",
    "Hochvertraulich": "classification/high",
    "Vertraulich": "classification/high",
    "Hautement confidentiel": "classification/high",
    "Confidentiel": "classification/high",
    "Altamente riservato": "classification/high",
    "Riservato": "classification/high",
    "Strikt vertrouwelijk": "classification/high",
    "Zeer vertrouwelijk": "classification/high",
    "Vertrouwelijk": "classification/high",
    "Ściśle poufne": "classification/high",
    "Poufne": "classification/high",
    "Strengt fortrolig": "classification/high",
    "Fortrolig": "classification/high",
    "Strikt konfidentiell": "classification/high",
    "Konfidentiell": "classification/high",
    "Строго конфиденциально": "classification/high",
    "Конфиденциально": "classification/high",
    "極秘": "classification/high",
    "社外秘": "classification/high",
    "高度機密": "classification/high",
    "高度机密": "classification/high",
    "極機密": "classification/high",
    "機密": "classification/high",
    "극비": "classification/high",
    "기밀": "classification/high",
    "대외비": "classification/high",
    "Intern": "classification/low",
    "Interne": "classification/low",
    "Interno": "classification/low",
    "社内限り": "classification/low",
    "General": NONE,
    "Allgemein": NONE,
    "Öffentlich": NONE,
    "Général": NONE,
    "Generale": NONE,
    "Pubblico": NONE,
    "Algemeen": NONE,
    "Openbaar": NONE,
    "Ogólne": NONE,
    "Publiczne": NONE,
    "Generelt": NONE,
    "Offentlig": NONE,
    "Allmän": NONE,
    "Общий": NONE,
    "Общедоступно": NONE,
    "一般": NONE,
    "公開": NONE,
    "パブリック": NONE,
    "일반": NONE,
    "공개": NONE,
    "Public": NONE,
    # Levels below the classified ones: RFC 2634's, and the UK and Australian baselines.
    "Unclassified": NONE,
    "Unmarked": NONE,
    "Official": NONE,
    "Unofficial": NONE,
    "Personal": NONE,
    "Non-Business": NONE,
    "Público": NONE,
    "Publico": NONE,
    "公开": NONE,
    "非业务": NONE,
}
_GUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
_PROPERTY = re.compile(rf"^MSIP_Label_({_GUID})_(Name|Enabled)$")
_HEADER_PAIR = re.compile(rf"MSIP_Label_({_GUID})_(Name|Enabled)\s*=\s*([^;\r\n]*)")
# XMP element (<pdfx:MSIP_Label_…_Name>x<), XMP attribute (…_Name="x") or an Info
# dictionary entry (/MSIP_Label_…_Name (x)).
_PDF_PAIR = re.compile(rb"MSIP_Label_(" + _GUID.encode() + rb")_Name(?:>|=\"|\s*\()([^<\")]{1,200})")
# RFC 7444 parameters: name=value or name="quoted value", separated by ';'.
_SIO_PARAM = re.compile(r'([A-Za-z][\w-]*)\s*=\s*("[^"]*"|[^;\s]*)')
# RFC 2634 ESSSecurityLabel / X.411 classification values (RFC 7444 names them too).
_ESS_LEVELS = {0: "Unmarked", 1: "Unclassified", 2: "Restricted", 3: "Confidential", 4: "Secret",
               5: "Top Secret"}
_CLASSIFICATION_FIELD = re.compile(r"(?i)classif|sensitiv|marking|label")
TITUS_MAX_CHARS = 64 << 10
TITUS_MAX_PROPS = 64
PDF_SCAN_BYTES = 64 << 20  # a PDF's label sits in its metadata, read this far at most
PDF_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class LabelsConfig:
    """Sensitivity labels (config section [labels])."""

    enabled: bool = option(True, "Read sensitivity labels (MSIP) from Office files, PDFs and mail, "
                                 "and RFC 7444 SIO-Label and Titus label headers.")
    names: dict[str, str] = option(
        {}, "Label name -> 'category/severity' or 'none', e.g. { \"Project Amber\" = "
        "\"classification/high\" }; adds to and overrides the built-in map: Top Secret and 绝密 "
        "classification/critical; Secret, Highly or Strictly Confidential, Confidential, "
        "Restricted, 机密, 秘密, Confidencial, Secreto, Reservado classification/high; Internal, "
        "内部, Uso Interno classification/low (reported only); General, Public, Personal, "
        "Non-Business, Público, 公开, 非业务, Unclassified, Unmarked, Official, Unofficial none; "
        "and the default labels' names in German, "
        "French, Italian, Dutch, Polish, Danish, Swedish, Russian, Japanese, Chinese and Korean "
        "(Streng vertraulich, Hautement confidentiel, Allgemein, Général, 社外秘, 一般 …). A sub-label "
        "('Confidential\\All Employees') falls back to its parent.")
    ids: dict[str, str] = option(
        {}, "Label GUID -> label name, for files that carry only the id (docMetadata/LabelInfo.xml).")
    mismatch: bool = option(
        True, "Report a file or mail labelled with a 'none' label (Public, General) whose text "
        "carries a classification marking.")
    mismatch_severity: str = option("high", "Severity of a label-vs-content mismatch hit.",
                                    choices=SEVERITIES)

    def __post_init__(self) -> None:
        for name, value in self.names.items():
            parse_target(value, f"labels.names.{name}")
        for guid, name in self.ids.items():
            if not re.fullmatch(_GUID, guid.strip("{}")):
                raise ConfigError(f"config key labels.ids.{guid}: not a label GUID "
                                  "(expected 8-4-4-4-12 hex digits, as in MSIP_Label_<GUID>_Name)")
            if not name.strip():
                raise ConfigError(f"config key labels.ids.{guid}: give the label's name")

    def table(self) -> dict[str, str]:
        """Label name (case-folded) -> target, built-in entries overridden by config."""
        merged = {k.casefold(): v for k, v in DEFAULT_NAMES.items()}
        merged.update({k.casefold(): v for k, v in self.names.items()})
        return merged


def parse_target(value: str, key: str) -> tuple[str, str] | None:
    """('category', 'severity') of a map value, None for 'none'; ConfigError names the key."""
    if value.strip().lower() == NONE:
        return None
    category, _, severity = value.partition("/")
    if not category.strip() or severity.strip() not in SEVERITIES:
        raise ConfigError(f"config key {key}: expected 'category/severity' (severity one of "
                          f"{', '.join(SEVERITIES)}) or 'none', got {value!r}")
    return category.strip(), severity.strip()


class LabelEngine:
    """Reads label metadata (text and content parts) and reports the label as a hit."""

    def __init__(self, config: LabelsConfig | None = None) -> None:
        self.config = config or LabelsConfig()
        self._table = self.config.table()
        self._ids = {k.strip("{}").lower(): v for k, v in self.config.ids.items()}

    # -- per part -------------------------------------------------------------------------

    def scan(self, part: Part) -> Iterable[Hit]:
        """Label hits of one part: a label property, an msip_labels header, a PDF's metadata."""
        if not self.config.enabled:
            return ()
        if part.text is not None:
            if part.role == "property":
                found = _PROPERTY.match(part.name)
                if found:
                    return self._property(part, found.group(1), found.group(2), part.text)
            elif part.role == "header" and part.name.lower() == "msip_labels":
                return self._header(part)
            elif part.role == "header" and part.name.lower() == "sio-label":
                return self._sio_label(part)
            elif part.role == "header" and part.name.lower().startswith("x-titus-metadata"):
                return self._titus(part)
            return ()
        if "pdf" in part.detected_type:
            return self._pdf(part)
        return ()

    def _property(self, part: Part, guid: str, key: str, value: str) -> list[Hit]:
        if key == "Name":
            return [self._hit(part, value.strip(), guid)]
        # An id without a name (docMetadata/LabelInfo.xml, or _Enabled alone): the
        # configured ids give the name; custom.xml's _Name, when present, says the same.
        name = self._ids.get(guid.lower())
        if name is None or value.strip().lower() in ("false", "0"):
            return []
        return [self._hit(part, name, guid)]

    def _header(self, part: Part) -> list[Hit]:
        hits = []
        for guid, key, value in _HEADER_PAIR.findall(part.text or ""):
            hits.extend(self._property(part, guid, key, value))
        return hits

    def _sio_label(self, part: Part) -> list[Hit]:
        """RFC 7444 SIO-Label: the classification of its encoded ESS or X.411 label, else
        its display marking (``marking="SECRET"``); an XML label is read as text anyway."""
        text = part.text or ""
        params = {key.lower(): value for key, value in _SIO_PARAM.findall(text)}
        kind = params.get("type", "").strip('"').lower()
        level = None
        if kind in (":ess", ":x411") and "label" in params:
            level = ess_classification(params["label"].strip('"'))
        name = _ESS_LEVELS.get(level) if level is not None else None
        if name is None:
            name = params.get("marking", "").strip('"').strip()
        return [self._hit(part, name, "SIO-Label", source="security label")] if name else []

    def _titus(self, part: Part) -> list[Hit]:
        """Titus Message Classification's x-titus-metadata-NN: base64 of the label's JSON,
        whose ``props`` give each field's values (Classification = SECRET)."""
        raw = re.sub(r"\s+", "", part.text or "")[:TITUS_MAX_CHARS]
        try:
            doc = json.loads(base64.b64decode(raw + "=" * (-len(raw) % 4)))
            props = doc["Metadata"]["props"]
        except (ValueError, KeyError, TypeError):
            return []
        hits = []
        for prop in props[:TITUS_MAX_PROPS] if isinstance(props, list) else []:
            if not isinstance(prop, dict) or not isinstance(prop.get("vals"), list):
                continue
            field = str(prop.get("n", ""))
            for val in prop["vals"][:TITUS_MAX_PROPS]:
                value = str(val.get("value", "")).strip() if isinstance(val, dict) else ""
                # Field names are each organisation's own: a classification field is
                # reported whatever its value, another field only when its value is a level.
                if value and (_CLASSIFICATION_FIELD.search(field) or self._lookup(value) is not False):
                    hits.append(self._hit(part, value, f"Titus {field}", source="Titus label"))
        return hits

    def _pdf(self, part: Part) -> list[Hit]:
        hits: list[Hit] = []
        seen: set[str] = set()
        with part.open() as stream:
            carry = b""
            read = 0
            while read < PDF_SCAN_BYTES:
                chunk = stream.read(PDF_CHUNK)
                if not chunk:
                    break
                read += len(chunk)
                data = carry + chunk
                for match in _PDF_PAIR.finditer(data):
                    guid = match.group(1).decode()
                    name = match.group(2).decode("utf-8", "replace").strip()
                    if (guid, name) not in seen and name:
                        seen.add((guid, name))
                        hits.append(self._hit(part, name, guid))
                carry = data[-300:]  # a pair cut by the chunk edge is found next round
        return hits

    def _hit(self, part: Part, name: str, guid: str, source: str = "") -> Hit:
        target = self._lookup(name)
        excerpt = (f"{source} {name!r} ({guid})" if source
                   else f"sensitivity label {name!r} (MSIP_Label_{guid})")
        if target is False:
            return Hit(rule="label.unmapped", category="label", severity="info",
                       where=part.origin, excerpt=excerpt, span=None,
                       description="A sensitivity label that [labels] does not map; add it to "
                                   "labels.names to give it a category and severity.")
        if target is None:
            return Hit(rule="label.public", category="label", severity="info",
                       where=part.origin, excerpt=excerpt, span=None,
                       description="A sensitivity label that claims nothing sensitive.")
        category, severity = target
        return Hit(rule="label.sensitivity", category=category, severity=severity,
                   where=part.origin, excerpt=excerpt, span=None,
                   description="The file or mail carries a sensitivity label mapped in [labels].")

    def _lookup(self, name: str) -> tuple[str, str] | bool | None:
        """The target of a label name, its parent's for a sub-label, False when unmapped."""
        candidates = [name]
        parent = re.split(r"\s*[\\/]\s*", name, maxsplit=1)[0]
        if parent != name:
            candidates.append(parent)
        for candidate in candidates:
            value = self._table.get(candidate.casefold())
            if value is not None:
                return parse_target(value, f"labels.names.{candidate}")
        return False

    # -- per item -------------------------------------------------------------------------

    def finish(self, hits: Iterable[Hit]) -> list[Hit]:
        """A mismatch hit for each 'none' label whose file or mail holds a classification."""
        if not (self.config.enabled and self.config.mismatch):
            return []
        hits = list(hits)
        floor = severity_rank("medium")
        out = []
        done: set[str] = set()
        for label in hits:
            if label.rule != "label.public":
                continue
            root = label_scope(label.where)
            if root in done:
                continue
            marked = [h for h in hits if h.category == "classification"
                      and not h.rule.startswith("label.") and severity_rank(h.severity) >= floor
                      and within(h.where, root)]
            if marked:
                done.add(root)
                first = marked[0]
                out.append(Hit(
                    rule="label.mismatch", category="classification",
                    severity=self.config.mismatch_severity, where=root,
                    excerpt=f"{label.excerpt} on content marked: {first.excerpt}",
                    span=None,
                    description="Labelled as not sensitive (Public, General), yet the content "
                                "carries a classification marking: the label is wrong or was "
                                "lowered to get the content out."))
        return out


_SCOPE_SUFFIXES = ("/docProps/custom.xml", "/docMetadata/LabelInfo.xml")


def ess_classification(encoded: str) -> int | None:
    """The classification INTEGER of a base64 DER ESSSecurityLabel (RFC 2634) or X.411
    SecurityLabel: a SET of an optional policy OID, then the INTEGER; None if absent."""
    try:
        data = base64.b64decode(re.sub(r"\s+", "", encoded)[:4096], validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(data) < 2 or data[0] != 0x31:
        return None
    index = 2 if data[1] < 0x80 else 2 + (data[1] & 0x7F)
    while index + 2 <= len(data):
        tag, length = data[index], data[index + 1]
        if length >= 0x80:
            return None  # the fields before the classification are short; a long one is no label
        if tag == 0x02:
            return int.from_bytes(data[index + 2:index + 2 + length], "big") if length <= 2 else None
        if tag != 0x06:
            return None
        index += 2 + length
    return None


def label_scope(where: str) -> str:
    """The origin of what a label covers: the document or mail it was read from."""
    base = where.split("#", 1)[0]
    for suffix in _SCOPE_SUFFIXES:
        if base.endswith(suffix):
            return base[: -len(suffix)]
    head, sep, tail = base.rpartition("/")
    if sep and tail.startswith("header:"):
        return head
    return base


def within(where: str, root: str) -> bool:
    """Whether origin ``where`` lies in the part ``root`` (itself, a child or a fragment)."""
    return where == root or where.startswith((root + "/", root + "#"))


def labels_from_mapping(data: Mapping[str, object] | None) -> LabelsConfig:
    """A LabelsConfig from a TOML table (used by tests and tools without the gateway)."""
    from filters.config import load_section

    return load_section(LabelsConfig, data, "labels")

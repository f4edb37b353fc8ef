"""The inspection pipeline: walk every Part of an item, run the engines, decide a Verdict.

    bytes -> Part -> detect type -> engines -> extractor -> child Parts -> ... -> policy

The walk is depth-first so hits come out in document order. Every failure inside an
extractor becomes a ``policy`` hit on that part (fail closed), and a fatal limit ends
the walk with what was found so far plus the limit hit.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import logging
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from filters import appended, coverage, embedded, media
from filters.coverage import CoverageConfig
from filters.detect import detect_type
from filters.engines.personal import mask_identifiers
from filters.errors import ExtractionStop, LimitReached
from filters.extract import extractor_for, sfnt, strings
from filters.limits import Budget, Limits
from filters.ocr import OcrReader, OcrStatus
from filters.policy import Policy
from filters.types import Defect, Hit, Part, ScanStats, Verdict

log = logging.getLogger("redline.filters")


class Engine(Protocol):
    """Something that reads a Part (content or text) and reports Hits."""

    def scan(self, part: Part) -> Iterable[Hit]:
        """Hits found in ``part``; must not raise for any content."""
        ...


def policy_hit(rule: str, severity: str, where: str, reason: str) -> Hit:
    """A ``policy`` hit: something that could not be inspected or broke a limit."""
    return Hit(
        rule=rule,
        category="policy",
        severity=severity,
        where=where,
        excerpt=reason,
        span=None,
        description=POLICY_DESCRIPTIONS.get(rule.split(":")[0], ""),
    )


POLICY_DESCRIPTIONS = {
    "extract.unparseable": "A part could not be parsed, so its content was not inspected.",
    "extract.encrypted": "Encrypted or password-protected content cannot be inspected.",
    "extract.failed": "The extractor failed on this part; its content was not inspected.",
    "extract.crashed": "The scanner process died on this item; it was not fully inspected.",
    "limit.max_depth": "Containers nested deeper than the configured limit.",
    "limit.max_parts": "More parts than the configured limit; the rest was not inspected.",
    "limit.max_expanded_bytes": "Expands to more bytes than allowed; the rest was not inspected.",
    "limit.max_part_bytes": "A part expands beyond the configured size limit.",
    "limit.max_ratio": "Compression ratio typical of a decompression bomb.",
    "limit.part_seconds": "Extracting one part took longer than allowed.",
    "limit.item_seconds": "Scanning the item took longer than allowed.",
    "limit.max_text_chars": "Text longer than the configured limit; the rest was not scanned.",
    "limit.max_image_pixels": "A picture larger than the configured pixel limit (or a decompression bomb).",
    "limit.ocr_pages": "More pictures or scanned pages than OCR reads in one item; the rest was not read.",
    "limit.ocr_page_seconds": "Reading a picture took longer than allowed; it was not fully read.",
    "limit.ocr_item_seconds": "OCR of the item took longer than allowed; the rest was not read.",
    "ocr.off": "OCR is off, so text that exists only as a picture was not read.",
    "filetype.opaque": "Content of unknown type that looks random, as encrypted data does.",
    "limit.yara_timeout": "A part took too long to scan; it was not fully inspected.",
    "extract.charset": "Text not valid in its character set; undecodable bytes were replaced.",
    "extract.damaged": ("The file is damaged where its reader does not complain; what could be "
                        "read was scanned, the rest was not."),
    "extract.doc_structure": "A Word document's text table is damaged; text was recovered by a string scan.",
    "extract.pdf_permissions": "The PDF carries an owner password (permissions); its text was still read.",
    "upload.pieces_unseen": ("The upload came in pieces and this gateway did not see them all "
                             "(another node, a restart, an expired record): the whole file "
                             "was never inspected."),
    "upload.piece_invalid": ("A piece of an upload in pieces was refused: its range does not "
                             "fit its body or the file, or the file is over the size limit."),
    "upload.piece_conflict": ("A piece of an upload in pieces rewrote bytes already sent with "
                              "different ones."),
    "mail.truncated": "The mail's MIME structure is cut off; content may be missing or hidden.",
    "mail.fragment": "A fragment of a mail split into several (message/partial): only the whole can be read.",
    "mail.defect": "The mail breaks MIME rules in a way that did not hide content.",
    "mail.encoding": "Part of the mail's transfer encoding is damaged; some bytes could not be decoded.",
    "mail.limit": "The mail has more headers, or longer ones, than Redline reads.",
    "mail.ambiguous": "The mail can be read in more than one way (two transfer encodings); "
                      "what one client shows may not be what Redline read first.",
    "html.limit": "The page embeds more data: URIs than Redline extracts.",
    "html.data_uri": "An embedded data: URI could not be decoded.",
    "xml.malformed": "The XML is malformed; it was recovered as far as possible.",
    "extract.uninspectable": "A part of a type Redline does not open holds content that "
                             "cannot be read as text, so it could not be inspected.",
}


def file_part(path: Path, *, origin: str | None = None, declared_type: str = "") -> Part:
    """The root Part of an item in a file (a ``.eml`` is declared a message)."""
    path = Path(path)
    if not declared_type and path.suffix.lower() in (".eml", ".msg822", ".mbox"):
        declared_type = "message/rfc822"
    return Part(origin=origin if origin is not None else path.name, path=path, name=path.name,
                declared_type=declared_type)


class Pipeline:
    """Inspects items with a fixed set of engines, limits and policy (built once, reused)."""

    def __init__(
        self,
        *,
        limits: Limits | None = None,
        content_engines: Sequence[Engine] = (),
        text_engines: Sequence[Engine] = (),
        policy: Policy | None = None,
        spool_root: Path | None = None,
        coverage: CoverageConfig | None = None,
        ocr: OcrReader | None = None,
        ocr_status: OcrStatus | None = None,
    ) -> None:
        self.limits = limits or Limits()
        self.coverage = coverage or CoverageConfig()
        self.ocr = ocr
        self.ocr_status = ocr_status or OcrStatus(ocr is not None)
        self.content_engines = tuple(content_engines)
        self.text_engines = tuple(text_engines)
        self.policy = policy or Policy()
        self.spool_root = spool_root
        # Bytes of short decoded values in the item so far, over all its parts (an
        # upload's fields are scanned one by one): see filters.embedded.HOLD_BYTES.
        self.small_embedded_bytes = 0

    # -- entry points -------------------------------------------------------------------

    def scan_bytes(
        self, data: bytes, *, origin: str, name: str = "", declared_type: str = ""
    ) -> Verdict:
        """Inspect one item held in memory."""
        return self.scan(Part(origin=origin, data=data, name=name, declared_type=declared_type))

    def scan_file(
        self, path: Path, *, origin: str | None = None, declared_type: str = ""
    ) -> Verdict:
        """Inspect one item in a file (read through the file, never copied whole)."""
        return self.scan(file_part(path, origin=origin, declared_type=declared_type))

    # -- state kept in step with scanner processes --------------------------------------
    # An engine whose state grows while the gateway runs (the fingerprint index) has
    # ``sync_mark``, ``sync_since`` and ``apply_sync``: the scanning pool hands a forked
    # scanner what changed since its mark with its next item (filters/workers.py).

    def _synced_engines(self) -> list[Any]:
        return [e for e in dict.fromkeys((*self.content_engines, *self.text_engines))
                if hasattr(e, "sync_since")]

    def sync_mark(self) -> tuple[int, ...]:
        """Where the synced engines' state is now (compared, never interpreted)."""
        return tuple(e.sync_mark() for e in self._synced_engines())

    def sync_since(self, mark: tuple[int, ...]) -> list[Any]:
        """What changed in the synced engines after ``mark``, for ``apply_sync``."""
        return [e.sync_since(m) for e, m in zip(self._synced_engines(), mark, strict=True)]

    def apply_sync(self, update: list[Any]) -> None:
        """Apply ``sync_since``'s result (in a scanner process)."""
        for engine, changes in zip(self._synced_engines(), update, strict=True):
            engine.apply_sync(changes)

    def begin_item(self) -> None:
        """Tell the engines that add up an item's parts (``begin_item``) a new item starts."""
        self.small_embedded_bytes = 0
        for engine in (*self.content_engines, *self.text_engines):
            begin = getattr(engine, "begin_item", None)
            if begin is not None:
                begin()

    def end_item(self, where: str) -> list[Hit]:
        """The hits engines find in an item's parts together (``end_item``), e.g. volume."""
        hits: list[Hit] = []
        for engine in (*self.content_engines, *self.text_engines):
            end = getattr(engine, "end_item", None)
            if end is not None:
                hits += [_masked(hit) for hit in end(where)]
        return hits

    def scan(self, root: Part, *, whole_item: bool = True) -> Verdict:
        """Inspect ``root`` and everything inside it; never raises for any content.

        ``whole_item=False`` when ``root`` is one of several parts of an item the caller
        brackets with ``begin_item`` and ``end_item`` (an upload's fields).
        """
        return self._scan((self,), root, whole_item)[0]  # type: ignore[return-value]

    def scan_both(self, other: Pipeline, root: Part) -> tuple[Verdict, Verdict | None]:
        """Inspect ``root`` once for two engine sets: this pipeline's and ``other``'s.

        Each part is extracted once and both sets of engines read it, so comparing two
        configs that differ in rules, policy, labels or personal data costs one
        extraction (``redline replay``). ``other`` must share this pipeline's limits,
        coverage and OCR, which decide what is extracted. The second verdict is None in
        the rare case where the two engine sets led the walk apart (one held a part the
        other did not, which changes how that part is read): scan it with ``other`` alone.
        """
        first, second = self._scan((self, other), root, True)
        assert first is not None
        return first, second

    def _scan(self, pipelines: Sequence[Pipeline], root: Part,
              whole_item: bool) -> list[Verdict | None]:
        if whole_item and len(pipelines) == 1:
            self.begin_item()
        elif whole_item:
            self.small_embedded_bytes = 0
            for engine in _distinct_engines(pipelines):
                begin = getattr(engine, "begin_item", None)
                if begin is not None:
                    begin()
        # Two engine sets take longer over the same parts: the item's time limit grows
        # with them, so a pair reaches it where a single scan would.
        limits = (self.limits if len(pipelines) == 1 else dataclasses.replace(
            self.limits, item_seconds=self.limits.item_seconds * len(pipelines)))
        budget = Budget(limits, self.spool_root, ocr=self.ocr)
        walk = _Walk(self, budget, pipelines)
        try:
            walk.visit(root)
        except LimitReached as exc:
            walk.add(policy_hit(exc.rule, exc.severity, walk.current, str(exc)))
            budget.limits_reached.append(exc.limit)
        finally:
            budget.close()
        stats = ScanStats(
            bytes=root.size,
            expanded_bytes=budget.expanded,
            parts=budget.parts,
            max_depth=budget.max_depth,
            seconds=budget.elapsed(),
            limits_reached=tuple(dict.fromkeys(budget.limits_reached)),
            types=dict(walk.types),
            coverage={k: n for k, n in walk.coverage.items() if n},
            ocr_pages=budget.ocr_pages,
            ocr_seconds=budget.ocr_seconds,
            ocr_cached=budget.ocr_cached,
        )
        verdicts: list[Verdict | None] = []
        ended: dict[int, list[Hit]] = {}  # an engine two lanes share ends the item once
        for lane in walk.lanes:
            pipeline = lane.pipeline
            if whole_item and len(walk.lanes) == 1:
                for hit in pipeline.end_item(root.origin):
                    lane.add(hit)
            elif whole_item:
                for engine in (*pipeline.content_engines, *pipeline.text_engines):
                    end = getattr(engine, "end_item", None)
                    if end is None:
                        continue
                    if id(engine) not in ended:
                        ended[id(engine)] = [_masked(hit) for hit in end(root.origin)]
                    for hit in ended[id(engine)]:
                        lane.add(hit)
            # Engines that judge the item as a whole (a label against the markings found
            # under it) see every hit once the walk is done.
            finished: set[int] = set()
            for engine in (*pipeline.content_engines, *pipeline.text_engines):
                finish = getattr(engine, "finish", None)
                if finish is not None and id(engine) not in finished:
                    finished.add(id(engine))
                    for hit in finish(tuple(lane.hits)):
                        lane.add(hit)
            hits = tuple(lane.hits)
            verdicts.append(None if lane.diverged else
                            Verdict(action=pipeline.policy.decide(hits), hits=hits, stats=stats))
        return verdicts


def _distinct_engines(pipelines: Sequence[Pipeline], kind: str = "") -> list[Engine]:
    """Every engine of ``pipelines`` once, in order (pipelines may share engine objects);
    only the ``text`` or ``content`` engines when ``kind`` says which."""
    seen: dict[int, Engine] = {}
    for pipeline in pipelines:
        engines = (pipeline.text_engines if kind == "text" else pipeline.content_engines
                   if kind == "content" else (*pipeline.content_engines, *pipeline.text_engines))
        for engine in engines:
            seen.setdefault(id(engine), engine)
    return list(seen.values())


# The roles of a mail's header fields: a run of them is screened together (_Walk._screen).
FIELD_ROLES = frozenset({"header", "subject"})
# A run ends once its fields hold this many characters (a header flood is read in runs).
FIELD_RUN_CHARS = 64 * 1024


def _field_runs(children: Iterator[Part | Defect],
                budget: Budget) -> Iterator[list[tuple[Part | Defect, list[str]]]]:
    """``children`` in runs, each child with the limits noted while it was read: a run of
    header fields (and the Defects among them) ends with the first other child; any
    other child is a run of its own. A failure while reading ahead comes after the run
    read so far, where it would have come reading one child at a time."""
    run: list[tuple[Part | Defect, list[str]]] = []
    chars = 0
    while True:
        try:
            child = next(children)
        except StopIteration:
            break
        except BaseException:
            if run:
                yield run
            raise
        run.append((child, budget.drain_notes()))
        if isinstance(child, Defect):
            continue
        if child.role in FIELD_ROLES and child.text is not None:
            chars += len(child.text)
            if chars < FIELD_RUN_CHARS:
                continue
        yield run
        run, chars = [], 0
    if run:
        yield run


def _typed(part: Part, detected_type: str) -> Part:
    """``part`` with ``detected_type`` set: ``dataclasses.replace`` without its look-up of
    the fields and their defaults, which cost every content part a few microseconds."""
    return Part(part.origin, part.data, part.path, part.text, part.role, part.name,
                part.declared_type, part.charset, detected_type, part.depth, part.meta)


def _masked(hit: Hit) -> Hit:
    """Redline must not spread what it protects: an identifier quoted in any excerpt (a
    marking's line that also holds an ID number) is masked, keeping the span."""
    masked = mask_identifiers(hit.excerpt)
    return hit if masked == hit.excerpt else dataclasses.replace(hit, excerpt=masked)


class _Lane:
    """One engine set's findings during a walk: hits in order, de-duplicated."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.hits: list[Hit] = []
        self._seen: set[tuple[str, str, str]] = set()
        # True once this lane would have read a part differently from the first lane.
        self.diverged = False

    def add(self, hit: Hit) -> None:
        hit = _masked(hit)
        key = (hit.rule, hit.where, hit.excerpt)
        if key not in self._seen:
            self._seen.add(key)
            self.hits.append(hit)


class _Walk:
    """State of one depth-first walk: each engine set's hits (its lane), type counts.

    The first lane's pipeline decides how parts are extracted; every lane's engines read
    every part, and what extraction itself finds (limits, defects) goes to every lane.
    """

    def __init__(self, pipeline: Pipeline, budget: Budget,
                 pipelines: Sequence[Pipeline] = ()) -> None:
        self.pipeline = pipeline
        self.budget = budget
        self.lanes = [_Lane(p) for p in (pipelines or (pipeline,))]
        self.types: Counter[str] = Counter()
        # How parts were covered: opened, inert, accepted, strings, held (filters.coverage).
        self.coverage: Counter[str] = Counter()
        self.current = ""

    @property
    def hits(self) -> list[Hit]:
        """The first lane's hits."""
        return self.lanes[0].hits

    def add(self, hit: Hit) -> None:
        for lane in self.lanes:
            lane.add(hit)

    def _run(self, kind: str, part: Part, skip: Collection[int] = ()) -> None:
        """Run each lane's ``text`` or ``content`` engines on ``part``; an engine object
        two lanes share (same config, see ``build_pipeline(share=...)``) reads it once.
        Engines whose id is in ``skip`` screened the part out (``_screen``)."""
        if len(self.lanes) == 1:
            lane = self.lanes[0]
            for engine in (lane.pipeline.text_engines if kind == "text"
                           else lane.pipeline.content_engines):
                if skip and id(engine) in skip:
                    continue
                for hit in engine.scan(part):
                    lane.add(hit)
            return
        found: dict[int, list[Hit]] = {}
        for lane in self.lanes:
            for engine in (lane.pipeline.text_engines if kind == "text"
                           else lane.pipeline.content_engines):
                if skip and id(engine) in skip:
                    continue
                if id(engine) not in found:
                    found[id(engine)] = list(engine.scan(part))
                for hit in found[id(engine)]:
                    lane.add(hit)

    def _screen(self, run: list[tuple[Part | Defect, list[str]]]) -> dict[int, set[int]]:
        """For a run of a mail's header fields: by index in ``run``, the ids of the text
        engines that need not read that field.

        An engine with ``screen(parts)`` looks at all the fields at once (one text, with a
        map from offsets back to the fields) and names the fields its ``scan`` could find
        something in or learn something from; the others it would pass with no hit and no
        change, so they are not handed to it. The hits, their order and their fields are
        those of reading every field.
        """
        fields = [(index, child) for index, (child, _) in enumerate(run)
                  if isinstance(child, Part) and child.role in FIELD_ROLES and child.text is not None]
        if len(fields) < 2:
            return {}
        skips: dict[int, set[int]] = {}
        parts = [child for _, child in fields]
        for engine in _distinct_engines([lane.pipeline for lane in self.lanes], "text"):
            screen = getattr(engine, "screen", None)
            if screen is None:
                continue
            needed = screen(parts)
            if needed is None:
                continue
            for position, (index, _) in enumerate(fields):
                if position not in needed:
                    skips.setdefault(index, set()).add(id(engine))
        return skips

    def visit(self, part: Part, skip: Collection[int] = ()) -> None:
        budget = self.budget
        self.current = part.origin
        budget.count_part(part)
        budget.check_time()
        if part.is_text:
            self._run("text", part, skip)
            decoded: list[tuple[int, int]] = []
            if part.depth < budget.limits.max_depth:
                # base64 values, data: URLs and hex strings inside the text (a document in
                # a JSON value, a pasted data: URL) are inspected as child parts.
                for child in embedded.children(part, budget, decoded):
                    self.visit(child)
                    self.current = part.origin
            # Fail closed: a long stretch that reads as encoded data no decoder took
            # (base85, hex bytes, undeclared quoted-printable …) is held. Text runs
            # searched out of bytes are judged by how those bytes compress instead.
            if part.meta.get(strings.TEXT_RUNS_KEY) is None:
                unread = embedded.unread_encoded(part.text or "", decoded)
                if unread:
                    self.add(policy_hit(
                        "extract.uninspectable", "high", part.origin,
                        f"{unread} bytes or more of this text read as encoded data in a form "
                        "Redline does not decode, so what they hold was not inspected"))
            return
        if embedded.small_embedded(part):
            self.pipeline.small_embedded_bytes += part.size
            if self.pipeline.small_embedded_bytes >= embedded.HOLD_BYTES:
                # Short decoded values that add up to a document's size (a file cut into
                # JSON values or form fields) are judged like an attachment, each.
                part = dataclasses.replace(part, meta={
                    k: v for k, v in part.meta.items() if k != embedded.META_KEY})
        if part.name:
            # A marking in a file name ("SECRET_plan.docx") counts like one in the text.
            self._run(
                "text",
                Part(origin=part.origin, text=part.name, role="filename", depth=part.depth),
            )
        part = _typed(part, detect_type(part))
        self.types[part.detected_type] += 1
        before = [len(lane.hits) for lane in self.lanes]
        self._run("content", part)
        extract = extractor_for(part.detected_type)
        disposition = coverage.OPENED
        hidden_at = 0
        laid_out: media.Layout | None = None
        # An archive after the part's own end: looked for once, for the text-run search
        # (which skips its bytes) and to read its members.
        tail = appended.Appended(part)
        if extract is None:
            # Fail closed: a type no extractor opens is searched for text runs, and held
            # when it still holds unreadable content, unless inert or accepted.
            disposition = self.pipeline.coverage.disposition(part.detected_type)
            if disposition == coverage.INERT:
                hidden_at = appended.hidden_stream(part)
                if hidden_at:
                    # A font or a sound that carries an archive or a compressed stream
                    # after its first bytes is not inert: the stream is read, and the
                    # part judged like bytes of unknown type.
                    disposition = coverage.STRINGS
                elif part.detected_type.startswith(media.TYPES):
                    # libmagic names a sound by a few bytes: it is inert only when its
                    # frames or its container's structure run through it, and what that
                    # structure leaves over is judged as bytes of unknown type.
                    laid_out = media.layout(part)
                    if laid_out is None or not laid_out.inert:
                        disposition = coverage.STRINGS
            # An engine may have held the part already (encrypted, random-looking bytes).
            held_per_lane = [any(h.category == "policy" and h.where == part.origin
                                 and lane.pipeline.policy.counts(h) for h in lane.hits[start:])
                             for lane, start in zip(self.lanes, before, strict=True)]
            held = held_per_lane[0]
            for lane, lane_held in zip(self.lanes, held_per_lane, strict=True):
                # Held or not decides how the part's text runs are read: a lane that
                # differs here would have walked differently, so its verdict is void.
                lane.diverged |= lane_held != held
            counted = coverage.HELD if held and disposition == coverage.STRINGS else disposition
            self.coverage[counted] += 1
            if part.size == 0:
                return
            # A short decoded base64 value of no known type (a key, a signature, a token)
            # is searched but not held; an attachment-sized one is held like an attachment.
            # A decoded table of hex words that reads as figures is searched, never held.
            hold = (disposition == coverage.STRINGS and not held and not embedded.small_embedded(part)
                    and not embedded.figures(part))
            extract = functools.partial(
                strings.extract, hold=hold,
                max_bytes=self.pipeline.coverage.strings_bytes,
                min_chars=self.pipeline.coverage.strings_min_chars,
                archive=coverage.CoverageConfig.unopened_archive(part.detected_type),
                skip=tail.read_span())
            if disposition == coverage.INERT and part.detected_type in sfnt.FONT_TYPES:
                # A font's runs of numbers are no personal data; its name table is text.
                extract = functools.partial(
                    sfnt.extract, min_chars=self.pipeline.coverage.strings_min_chars,
                    otherwise=extract)
        else:
            self.coverage[disposition] += 1
        if disposition == coverage.OPENED and part.depth >= budget.limits.max_depth:
            budget.limits_reached.append("max_depth")
            self.add(policy_hit(
                "limit.max_depth", "high", part.origin,
                f"{part.detected_type} nested {part.depth} levels deep; the limit is "
                f"{budget.limits.max_depth}, so its content was not inspected",
            ))
            return
        with budget.part_timer():
            try:
                # A zip after the part's own end (a picture, a self-extracting program) is
                # read too: its type's extractor stops where that type ends.
                children = itertools.chain(extract(part, budget), tail.extract(budget),
                                           appended.carved(part, hidden_at, budget),
                                           media.loose_parts(part, laid_out, budget))
                carried: list[str] = []
                for run in _field_runs(children, budget):
                    skips = self._screen(run)
                    for index, (child, notes) in enumerate(run):
                        if isinstance(child, Defect):
                            carried += notes
                            if child.rule == "extract.uninspectable":
                                self.coverage[disposition] -= 1
                                self.coverage[coverage.HELD] += 1
                            self.add(policy_hit(
                                child.rule, child.severity, child.where or part.origin, child.reason
                            ))
                            continue
                        # The limits noted while this child was read, in the order they
                        # were noted: by the visits before it, by the Defects, by itself.
                        for limit in [*budget.drain_notes(), *carried, *notes]:
                            self.add(policy_hit(
                                f"limit.{limit}", "medium", child.origin,
                                f"{limit} reached: the rest of this part was not scanned",
                            ))
                        carried = []
                        self.visit(child, skips.get(index, ()))
                        self.current = part.origin
                        budget.check_time()
            except LimitReached as exc:
                if exc.fatal:
                    raise
                budget.limits_reached.append(exc.limit)
                self.add(policy_hit(exc.rule, exc.severity, part.origin, str(exc)))
            except ExtractionStop as exc:
                self.add(policy_hit(exc.rule, exc.severity, part.origin, str(exc)))
            except RecursionError:
                self.add(policy_hit(
                    "extract.failed", "high", part.origin, "structure nested too deeply to parse"
                ))
            except Exception as exc:
                log.warning("extractor failed on %s (%s): %r", part.origin, part.detected_type, exc)
                self.add(policy_hit(
                    "extract.failed", "high", part.origin,
                    f"{part.detected_type} extractor failed: {type(exc).__name__}: {exc}",
                ))

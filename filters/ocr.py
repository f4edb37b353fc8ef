"""Optical character recognition (config section [ocr]): Tesseract kept loaded once per
scanner process, with pre-processing passes for what a plain pass cannot read.

A marking that is only pixels — a scanned banner, a red rubber stamp, a diagonal DRAFT
watermark, a phone screenshot — is read here and handed back as text, which the
extractors (``filters/extract/image.py``, ``filters/extract/pdf.py``) turn into an
``…#ocr`` text part for the same rules as any other text.

Passes over one picture, all inside the page's time budget:

1. the picture in greyscale, page segmentation left to Tesseract; small pictures
   (screenshots) are enlarged first, since Tesseract reads text from about 20 px high,
   and pictures of large text (300 dpi pages, phone photos) reduced to the scale their
   survey's word heights ask (TEXT_HEIGHT);
   the script of a band across the page is detected first and the page read with that
   script's language data (a Latin page with English even when only Chinese is
   configured); lines it is unsure of are read again with each script's models alone (a
   Chinese marking line on a mostly Chinese page can be mistaken for Latin letters);
2. when the whole reading is unsure and the band's orientation detection is not sure the
   page is upright: orientation detection of the page, and the same pass on the picture
   turned upright (a page scanned sideways or upside down), kept when it is surer;
3. red ink alone (a colour-channel mask): a red stamp over black text is unreadable in
   greyscale, but alone on white it is plain text, once straightened by a few trial turns;
4. thick strokes alone (a morphological opening removes body text), turned by the angle
   a projection profile finds: a large diagonal watermark behind the text.

Only words Tesseract is reasonably sure of are kept (``min_confidence``), so the noise
of a photo does not become letters a rule could match.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filters.config import option
from filters.errors import ConfigError
from filters.limits import (
    DEFAULT_WALL_FACTOR,
    NOTHING_SPENT,
    THREAD_CLOCKS,
    Clocks,
    Deadline,
    Spent,
)
from filters.types import Defect

if TYPE_CHECKING:
    from filters.limits import Budget

# One Tesseract thread per scanner process: the worker pool already uses every core, and
# OpenMP threads inside each worker only contend with it (Tesseract's own advice).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

log = logging.getLogger("redline.filters")
# NumPy and Pillow are imported inside the functions that read a picture: most scans read
# none, and loading them would cost a one-file scan more than the scan.

TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
DEFAULT_LANGUAGES = ["eng", "spa", "chi_sim", "chi_tra"]
# Read with, script first, a Latin page when no configured language is Latin (tesseract-ocr's own).
LATIN_LANGUAGE = "eng"

# Working sizes: Tesseract reads body text best at 150-300 dpi; more pixels only cost time.
MAX_WORK_SIDE = 3600  # long side of the picture surveyed (~300 dpi A4), and most read
# The main pass reads a surveyed picture at the scale that brings its text to the height
# Tesseract reads best, from the word heights the survey's layout finds: body text at
# 300 dpi (a word 36-46 px high) is read at ~180-200 dpi, a 12 MP photo of a page likewise.
# Measured (docs/ocr.md): recall rose and CPU fell on 300 dpi pages and phone photos.
TEXT_HEIGHT = 24  # median height (px) of a layout word the main pass reads at
MIN_TEXT_SCALE = 0.5  # never reduced more than this (small lines on a page of large text)
MIN_HEIGHT_WORDS = 20  # layout words needed to trust their median height
SMALL_SIDE = 1000  # pictures with a shorter long side are enlarged 2x (screen text)
MASK_SIDE = 1600  # long side at which the stamp and watermark masks are computed
MAX_STAMPS = 4  # red regions tried per picture (largest first)
STAMP_ANGLES = (0, -12, 12, -24, 24, -36, 36)
MIN_WATERMARK_ANGLE = 8  # degrees; flatter strokes are left to the main pass
MAX_REREAD_LINES = 6  # unsure lines per picture read again with one script's models
REREAD_BELOW = 70  # mean word confidence under which a short line is read again by script
SHORT_LINE_WORDS = 4  # words of a short line (a marking's line)
CJK_LANGUAGES = ("chi_", "jpn", "kor")  # language data of the Han, kana and hangul scripts
SURE = 85  # mean word confidence of a reading that needs no check of the page's orientation
UPRIGHT_SURE = 2.0  # orientation confidence of the script band that makes a page upright
# Tesseract's OSD script names, and the language data (name prefixes) of each script.
SCRIPT_LANGUAGES = {"Han": ("chi_",), "HanS": ("chi_",), "HanT": ("chi_",),
                    "Japanese": ("jpn",), "Hiragana": ("jpn",), "Katakana": ("jpn",),
                    "Hangul": ("kor",), "Korean": ("kor",)}
SCRIPT_BAND = 0.04  # share of the page height, across the middle of its ink, whose script is detected
# The smallest line of text Tesseract reads (measured, docs/ocr.md): SECRET in 6 px bold
# type is a 31 x 8 picture, 机密 at 12 px a 29 x 17 one. A picture lower than the first or
# shorter than either holds no legible marking and is not read (Tesseract is not loaded).
MIN_LONG_SIDE = 28
# Pictures of at least this many pixels are surveyed before a full read: Tesseract's page
# layout analysis alone (no recognition). Smaller ones cost little to read in full, and
# the layout of a very small picture is unreliable (6 px SECRET came out as a picture).
SURVEY_PIXELS = 100_000
SURVEY_SIDE = 1800  # long side a larger picture is first laid out at (_surveyed)
# Layout block kinds that are not text (tesserocr.PT): pictures, rules and noise.
NOT_TEXT_BLOCKS = frozenset({9, 10, 11, 12, 13, 14})
PICTURE_BLOCK = 9  # tesserocr.PT.FLOWING_IMAGE: what a skipped layout is taken to have found
# A picture is laid out only when it has somewhere a stroke's edges or a plain area
# (_may_hold_text): a step of more than STEP_LEVELS grey levels across two pixels, at
# least STEP_COUNT of them in one 8 x 8 cell; or PLAIN_SHARE of the picture in 32 x 32
# blocks whose quarter-size pixels span at most PLAIN_LEVELS (paper, a sky, a slide),
# where Tesseract's one threshold could set fainter letters apart.
STEP_LEVELS = 40
STEP_COUNT = 4
PLAIN_LEVELS = 12
PLAIN_SHARE = 0.02
PAPER_LEVEL = 110  # darkest channel of a paper pixel (a photographed page is dimly lit)
PAPER_TINT = 45  # largest spread between channels of a paper pixel (lamp light tints it)
STAMP_PAPER = 0.5  # share of paper around a red region for it to be read as a stamp
# A red region without paper around it is read as a stamp when it is thin strokes: at the
# mask's size an opening of this radius removes them (a stamp's rings and letters are 2-6
# px wide there), and they fill this share of the region's box, with at least this many.
STROKE_RADIUS = 3
# A white-on-red banner: a red region filling this share of its box, whose gaps are mostly
# (this share) strokes an opening removes — letters, not a red area's corners; at most
# MAX_BANNERS read per picture, each once, level.
BANNER_FILL = 0.6
BANNER_WIDTH = 1.5  # a banner is a line of text: at least this many times wider than high
BANNER_LETTERS = 0.5
MAX_BANNERS = 2
STAMP_STROKES = 0.03
STAMP_STROKE_PIXELS = 1500
# Lines of words on a photograph (filters/ocr_regions.py) are each read within this time
# (a line of a few words takes 5-20 ms).
PHOTO_WORDS_MS = 1000
MAX_PHOTO_WORD_CHECKS = 4  # photographs of one item looked over for words
# Texts of pictures this process has read, kept by the SHA-256 of their file's bytes (a
# signature's logo, a forwarded attachment: the same picture in mail after mail).
TEXT_CACHE_ENTRIES = 256
TEXT_CACHE_MAX_CHARS = 64_000  # a longer text (a page of a scan) is not kept
PHOTO_WORDS_AFTER = 3  # a full read of fewer confident words looks for words on a photo

_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef★☆"


# Tesseract's Chinese models put a space between every character; rules want 机密, not 机 密.
# Compiled on first use (OCR's): its wide classes cost re's compiler 10 ms, at every start.
@functools.cache
def _cjk_space() -> re.Pattern[str]:
    return re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}0-9])|(?<=[{_CJK}0-9]) +(?=[{_CJK}])")


# The ★ of a Chinese marking (密级★保密期限, GB/T 7156) is not in Tesseract's Chinese
# character set: it comes out as some other character (机密妇10年). One character between
# the level and the period is that star.
_STAR = re.compile(r"(绝密|机密|秘密|絕密|機密)[^\d\s](?=\s*(?:\d{1,2}\s*[年个個]|长期|長期))")
_LEVEL_END = re.compile(r"(绝密|机密|秘密|絕密|機密)$")
_LEVEL_STAR_END = re.compile(r"(绝密|机密|秘密|絕密|機密)[^\d\s]$")
_PERIOD_NUMBER = re.compile(r"\d{1,2}")
_PERIOD_START = re.compile(r"\d{1,2}(?:$|[年个個])|长期|長期")


@dataclass(frozen=True, slots=True)
class OcrConfig:
    """Whether and how pictures are read (config section [ocr])."""

    enabled: bool | str = option(
        "auto", "true: OCR must work or the start fails; \"auto\": on when Tesseract and the "
        "language data are installed; false: off (image-only PDF pages are then held).",
    )
    languages: list[str] = option(
        list(DEFAULT_LANGUAGES), "Tesseract language data to read with (eng, spa, chi_sim, "
        "chi_tra …); each needs its tesseract-ocr-LANG package.",
    )
    tessdata: str = option(
        "", "Directory with the *.traineddata files; empty: TESSDATA_PREFIX or the usual "
        "system directories.",
    )
    min_confidence: int = option(
        50, "Words Tesseract is less sure of (0-100) are dropped, so photo noise is not read "
        "as letters.", minimum=0, maximum=100,
    )
    red_stamps: bool = option(True, "Also read red ink alone (rubber stamps over black text).")
    watermarks: bool = option(True, "Also read large thick strokes at their own angle "
                              "(diagonal watermarks behind text).")
    orientation: bool = option(True, "Turn pictures whose reading is unsure upright by the "
                               "orientation Tesseract detects (pages scanned sideways).")
    by_script: bool = option(
        True, "Detect a page's script first and read it with that script's language data "
        "alone (a Chinese page costs a third; a Latin page is read with English, eng, even "
        "when no Latin language is listed); false: every page with every language listed.",
    )
    min_image_side: int = option(
        8, "Pictures narrower or lower than this many pixels (spacers, rules) are not read; "
        "nor are those with a long side under 28 px (icons): neither holds a legible line.",
        minimum=1,
    )
    text_check: bool = option(
        True, "Survey larger pictures with Tesseract's layout analysis first and read in "
        "full only those where it finds text or nothing at all (photographs of landscapes, "
        "people and products are not read; see docs/ocr.md); false: read every picture in full.",
    )
    pdf_dpi: int = option(200, "Resolution at which PDF pages are rendered for OCR.",
                          minimum=72, maximum=600)
    pdf_min_chars: int = option(
        50, "A PDF page with pictures and fewer text characters than this is OCR'd.", minimum=0,
    )
    pdf_image_cover: float = option(
        0.75, "A PDF page whose pictures cover at least this share of it is OCR'd whole even "
        "when it has a text layer (a scan under invisible or unrelated text); on other pages "
        "of text each picture is read on its own.", minimum=0.0, maximum=1.0,
    )

    def __post_init__(self) -> None:
        if self.enabled not in (True, False, "auto"):
            raise ConfigError(
                f"config key ocr.enabled: expected true, false or \"auto\", got {self.enabled!r}"
            )
        for index, lang in enumerate(self.languages):
            if not re.fullmatch(r"[A-Za-z0-9_]+", lang):
                raise ConfigError(
                    f"config key ocr.languages[{index}]: {lang!r} is not a Tesseract "
                    "language name (such as eng, spa, chi_sim)"
                )
        if not self.languages:
            raise ConfigError("config key ocr.languages: name at least one language (eng)")


def _same_language(a: str, b: str) -> bool:
    """True for two language data of one language (chi_sim and chi_tra, jpn and jpn_vert)."""
    return "other" not in (a, b) and a.split("_")[0] == b.split("_")[0]


def _tessdata_dir(configured: str) -> Path | None:
    candidates = [configured] if configured else [
        os.environ.get("TESSDATA_PREFIX", ""), *TESSDATA_DIRS]
    for candidate in candidates:
        if candidate and Path(candidate, "eng.traineddata").exists():
            return Path(candidate)
        if candidate and Path(candidate, "tessdata", "eng.traineddata").exists():
            return Path(candidate, "tessdata")
    if configured:
        return Path(configured)
    return None


@dataclass(frozen=True, slots=True)
class OcrStatus:
    """What start-up found: is OCR on, with which languages, and if not, why."""

    active: bool
    languages: tuple[str, ...] = ()
    reason: str = ""
    engine: str = ""

    def as_dict(self) -> dict[str, object]:
        """The JSON form for /readyz and logs."""
        out: dict[str, object] = {"active": self.active, "languages": list(self.languages)}
        if self.engine:
            out["engine"] = self.engine
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True, slots=True)
class OcrResult:
    """What one picture gave: its text, whether every pass finished in time, CPU seconds used."""

    text: str
    complete: bool
    seconds: float
    read: bool = True  # False: the survey found no text, so only the red-ink pass (if any) ran
    # Time spent loading language data the reading needed (not in ``seconds``).
    loaded: Spent = NOTHING_SPENT
    # How the reading ended when not complete: "CPU" (its CPU seconds) or "wall" (the backstop).
    stopped_on: str = ""


def _recognize(handle: Any, deadline: Deadline) -> bool:
    """Run ``handle.Recognize`` within ``deadline``; False when a limit stopped it, or
    Tesseract failed.

    Tesseract takes a wall-clock timeout only: it is given the CPU seconds left at the
    share of a core the reading has had (``Deadline.left_ms``). When the machine got
    busier during the call, the call is cut with CPU seconds still left: it is then run
    again with the share measured anew, so load never cuts a reading short; only the
    CPU limit or the wall-clock backstop does.
    """
    while True:
        timeout = deadline.left_ms()
        if timeout <= 0:
            return False
        called = deadline.clocks.wall()
        if handle.Recognize(timeout=timeout):
            return True
        if deadline.expired() or deadline.clocks.wall() - called < 0.9 * timeout / 1000:
            return False  # a limit was reached, or Tesseract gave up before its timeout


_PROBED: dict[str, tuple[str, OcrReader | None]] = {}


class _LazyHandle:
    """A Tesseract handle whose language data is loaded on its first use.

    A reading needs some of a reader's handles: a Latin page the script detection
    handles takes the orientation model and the Latin languages' handle, never the
    every-language one nor the Chinese ones (0.44, 0.12 and 0.14 s of CPU to load here,
    of about 1.05 s for all). Loaded on first use, a scanner loads only what its
    pictures ask for. ``loaded`` is told the time each load took.
    """

    __slots__ = ("_clocks", "_handle", "_loaded", "_make")

    def __init__(self, make: Callable[[], Any], loaded: Callable[[Spent], None],
                 clocks: Clocks) -> None:
        self._make = make
        self._loaded = loaded
        self._clocks = clocks
        self._handle: Any = None

    def _ensure(self) -> Any:
        if self._handle is None:
            started = self._clocks.now()
            self._handle = self._make()
            self._loaded(self._clocks.since(started))
        return self._handle

    def __getattr__(self, name: str) -> Any:  # SetImage, Recognize, GetTSVText …
        return getattr(self._ensure(), name)


class TextCache:
    """The texts of the last ``entries`` pictures a scanner process read in full, each by
    the SHA-256 of the picture's file, which frame of it, and the settings it was read
    with: the same picture in another mail gives the same text without being read.

    Only a reading that every pass finished is kept, and what it added to its item's
    account (a photograph looked over for words) is kept with it, so an item that meets
    the picture again counts as it would have. Safe to share between threads.
    """

    def __init__(self, settings: str, entries: int = TEXT_CACHE_ENTRIES) -> None:
        self._settings = hashlib.sha256(settings.encode()).digest()
        self._entries: OrderedDict[bytes, tuple[str, bool]] = OrderedDict()
        self._lock = threading.Lock()
        self.limit = entries

    def key(self, source: bytes, *, words: bool) -> bytes:
        """The key of the picture ``source`` (its file's SHA-256 and frame) read with these
        settings, words on photographs looked for or not."""
        return hashlib.sha256(self._settings + source + (b"w" if words else b"-")).digest()

    def get(self, key: bytes) -> tuple[str, bool] | None:
        """(text, looked over for words) kept under ``key``, or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: bytes, text: str, looked_over: bool) -> None:
        """Keep ``text`` under ``key``, the least recently used entry going when full."""
        if len(text) > TEXT_CACHE_MAX_CHARS or self.limit <= 0:
            return
        with self._lock:
            self._entries[key] = (text, looked_over)
            self._entries.move_to_end(key)
            while len(self._entries) > self.limit:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every text."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class OcrReader:
    """Tesseract with its language data loaded once per process, and the passes above."""

    def __init__(self, config: OcrConfig, tessdata: Path, languages: tuple[str, ...],
                 engine: str = "") -> None:
        self.config = config
        self.tessdata = tessdata
        self.languages = languages
        self.engine = engine
        self._lock = threading.Lock()
        self._pid = 0
        self._api: Any = None
        self._osd: Any = None
        self._scripts: dict[str, Any] = {}
        self._group_languages: dict[str, tuple[str, ...]] = {}
        self._band_osd: dict[str, Any] | None = None  # the script band's detection, this read
        self._layout: Any = None
        self._layout_pid = 0
        # The process whose handles (loaded by load_for_forks, used by none) processes
        # forked from it keep; 0 when none (see load_for_forks).
        self._shared_pid = 0
        # CPU seconds of the scanning thread and wall seconds (tests inject their own).
        self.clocks: Clocks = THREAD_CLOCKS
        # The reading under way: a handle loaded during it moves its deadline on by the
        # load's time, which is no picture's reading time.
        self._deadline: Deadline | None = None
        self._loaded = NOTHING_SPENT
        # Texts of pictures read in this process (a forked scanner's copy is its own).
        self.texts = TextCache(f"{config!r} {languages} {engine}")

    # -- start-up ------------------------------------------------------------------------

    @classmethod
    def from_config(cls, config: OcrConfig, *, load_now: bool = True) -> tuple[OcrReader | None, OcrStatus]:
        """A reader and its status; ConfigError when ``enabled = true`` cannot be honoured.

        With ``load_now`` the engine is loaded once here to prove the language data works,
        and kept: scanner processes forked later keep it (``load_for_forks``) or load
        their own on first use. Without it (``redline scan``) only the package and the
        language files are looked for, and the engine's first load is the first picture's.
        """
        if config.enabled is False:
            return None, OcrStatus(False, reason="disabled by ocr.enabled = false")
        if load_now:
            key = repr(config)
            if key not in _PROBED:  # one probe per process and configuration
                _PROBED[key] = cls._probe(config)
            problem, reader = _PROBED[key]
        else:
            problem, reader = cls._find(config)
        if reader is not None:
            return reader, OcrStatus(True, reader.languages, engine=reader.engine)
        if config.enabled is True:
            raise ConfigError(f"config key ocr.enabled: OCR was required but {problem}")
        return None, OcrStatus(False, reason=problem)

    @classmethod
    def _find(cls, config: OcrConfig) -> tuple[str, OcrReader | None]:
        """The checks that need no engine: the package and each language's data file."""
        import importlib.util

        if importlib.util.find_spec("tesserocr") is None:
            return "the tesserocr package is not installed; pip install tesserocr", None
        tessdata = _tessdata_dir(config.tessdata)
        if tessdata is None:
            return ("no Tesseract language data was found; apt-get install tesseract-ocr "
                    "tesseract-ocr-spa tesseract-ocr-chi-sim tesseract-ocr-chi-tra, or set "
                    "ocr.tessdata"), None
        missing = [lang for lang in config.languages
                   if not (tessdata / f"{lang}.traineddata").exists()]
        if missing:
            package = " ".join("tesseract-ocr-" + m.replace("_", "-") for m in missing)
            return (f"language data {', '.join(missing)} is missing in {tessdata}; "
                    f"apt-get install {package}, or remove it from ocr.languages"), None
        return "", cls(config, tessdata, tuple(config.languages), engine="tesseract")

    @classmethod
    def _probe(cls, config: OcrConfig) -> tuple[str, OcrReader | None]:
        try:
            import tesserocr
        except ImportError as exc:
            return f"the tesserocr package cannot be loaded ({exc}); pip install tesserocr", None
        problem, found = cls._find(config)
        if found is None:
            return problem, None
        tessdata, languages = found.tessdata, found.languages
        try:
            api = tesserocr.PyTessBaseAPI(path=f"{tessdata}/", lang="+".join(languages))
        except RuntimeError as exc:
            return f"Tesseract failed to load {'+'.join(languages)} from {tessdata}: {exc}", None
        version = tesserocr.tesseract_version().split()[1]
        reader = cls(config, tessdata, languages, engine=f"tesseract {version}")
        # The every-language handle just loaded is the reader's own (a service forks its
        # scanners after this; load_for_forks lets them keep it) rather than 0.28 s thrown away.
        reader._engines()
        reader._api._handle = api
        if os.environ.get("OMP_THREAD_LIMIT") == "1":  # as load_for_forks
            reader._shared_pid = os.getpid()
        return "", reader

    def load(self) -> Spent:
        """Make this process's Tesseract handles if they are not yet; the time it took.

        Each handle loads its language data on first use, during a reading (a scanner
        process pays it once per handle): ``read`` keeps that time out of the picture's
        time limit and reports it (``OcrResult.loaded``) for the item's.
        """
        started = self.clocks.now()
        with self._lock:
            self._engines()
        return self.clocks.since(started)

    def load_every_handle(self) -> Spent:
        """Load every handle's language data now (what a scanner holds at most: memory
        benchmarks); the time it took."""
        started = self.clocks.now()
        with self._lock:
            api, osd = self._engines()
            for handle in (api, osd, *self._scripts.values()):
                if handle is not None:
                    handle._ensure()
        return self.clocks.since(started)

    def load_for_forks(self, *, latin: bool = False) -> Spent:
        """Load the handles every reading starts with (layout, orientation, every language),
        and with ``latin`` the Latin script's (a Latin page read by its script), for
        processes forked from this one to keep; the time it took (none when they cannot be
        shared). The other scripts' handles are still loaded by the process that needs them.

        A Tesseract handle is memory made by its load: after a fork the child has its own
        copy of it, shared with the parent until written. What does not survive a fork is
        an OpenMP thread pool (libtesseract links libgomp); no pool exists while
        OMP_THREAD_LIMIT is 1 (set above before libtesseract loads, read by libgomp when it
        loads), and loading starts no thread. So the handles are kept by forks only when
        OMP_THREAD_LIMIT is 1, and only while this process has read no picture with them:
        its first reading makes the forks after it load their own, as before.
        """
        if os.environ.get("OMP_THREAD_LIMIT") != "1":
            return NOTHING_SPENT
        started = self.clocks.now()
        with self._lock:
            shared = self._shared_pid == os.getpid() or (
                self._api is None and self._layout is None)
            if not shared:  # made for a reading here, or inherited: not for sharing
                return NOTHING_SPENT
            self._layout_engine()
            api, osd = self._engines()
            latin_handle = self._scripts.get("other") if latin else None
            for handle in (api, osd, latin_handle):
                if handle is not None:
                    handle._ensure()
            self._shared_pid = os.getpid()
        return self.clocks.since(started)

    def _own(self, pid: int) -> bool:
        """Whether handles made in process ``pid`` serve this one: its own, or shared by
        the process this one was forked from (load_for_forks)."""
        return pid == os.getpid() or (pid == self._shared_pid != 0)

    def _reading(self) -> None:
        # A process that reads a picture with shared handles (its own or inherited) makes
        # them its own: processes forked from it later load theirs.
        if self._shared_pid:
            pid = os.getpid()
            if self._pid == self._shared_pid:
                self._pid = pid
            if self._layout_pid == self._shared_pid:
                self._layout_pid = pid
            self._shared_pid = 0

    def _handle_loaded(self, spent: Spent) -> None:
        self._loaded = Spent(self._loaded.cpu + spent.cpu, self._loaded.wall + spent.wall)
        if self._deadline is not None:
            self._deadline.extend(spent)

    def load_layout(self) -> Spent:
        """Load this process's layout-analysis handle (English data only, a fraction of the
        full load) if it is not yet; the time it took. It decides whether a picture is
        worth the full engines, so a scanner that meets only photographs never loads them."""
        started = self.clocks.now()
        with self._lock:
            self._layout_engine()
        return self.clocks.since(started)

    def _layout_engine(self) -> Any:
        if self._layout is None or not self._own(self._layout_pid):
            import tesserocr

            self._layout = tesserocr.PyTessBaseAPI(path=f"{self.tessdata}/", lang="eng",
                                                   psm=tesserocr.PSM.AUTO_ONLY)
            self._layout_pid = os.getpid()
        return self._layout

    def survey(self, image: Any, *, words: bool = True) -> Survey:
        """Whether ``image`` may carry text, from Tesseract's page layout analysis alone.

        The layout is what a full read recognises: with page segmentation left to
        Tesseract, only blocks it lays out as text are read. So a picture whose every block
        is a picture, a rule or noise would read as nothing (or as noise) in its plain
        pass, and is not read; one with any text block, or with no block at all (a faint
        page, a lone stamp or watermark on white), is read in full. Pictures under
        SURVEY_PIXELS, and every picture with ``text_check = false``, are read in full.
        """
        from filters.ocr_regions import colour_bands

        started = self.clocks.cpu()
        grey, colour = _prepare(image)
        if not self.config.text_check or grey.width * grey.height < SURVEY_PIXELS:
            return Survey(True, grey, colour, self.clocks.cpu() - started)
        with self._lock:
            self._reading()
            layout = self._layout_engine()
            kinds, heights = _surveyed(layout, grey)
            text = not kinds or not kinds <= NOT_TEXT_BLOCKS
            # Words written on a photograph (dark on a sky, white on a busy picture) are
            # laid out as part of it: lines of strokes found by their local contrast are
            # read here, with this handle's English data (ocr_regions).
            # A photograph's channels, split once for its whiteness (words on the photo)
            # and its red-ink pass: each took its own at about 1 ms a 1400 x 900 photo.
            bands = (colour_bands(colour) if not text and colour is not None
                     and (words or self.config.red_stamps) else None)
            words = ("" if text or not words
                     else _photo_words(layout, grey, colour, self.config.min_confidence,
                                       bands=bands))
        scale = _text_scale(heights, grey.size) if text else 1.0
        if scale < 1.0:  # large text (a 300 dpi page, a phone photo): read at its best height
            from PIL import Image

            grey = grey.resize((round(grey.width * scale), round(grey.height * scale)),
                               Image.Resampling.BOX)
        # A red stamp over a photo of paper (a document on a desk), or pasted on a
        # photograph, is laid out as a picture; the red-ink pass still reads the red
        # regions that look like stamps (red ink on paper, or thin red strokes), and
        # nothing else of the picture.
        stamps = (tuple(_red_regions(colour, bands=bands))
                  if not text and self.config.red_stamps and colour is not None else ())
        # Display type across a photo (a diagonal CONFIDENTIAL over a product shot) is laid
        # out as part of the picture too; the thick-stroke pass reads it at its angle.
        strokes = None
        if not text and self.config.watermarks:
            strokes = _thick_strokes(grey)
            if strokes is not None and abs(strokes[1]) < MIN_WATERMARK_ANGLE:
                strokes = None
        return Survey(text, grey, colour, self.clocks.cpu() - started, stamps=stamps,
                      strokes=strokes, words=words)

    def _engines(self) -> tuple[Any, Any]:
        """This process's Tesseract handles (recognition, orientation), each loaded on its
        first use (_LazyHandle)."""
        if self._api is None or not self._own(self._pid):
            import tesserocr

            def handle(lang: str, psm: int) -> _LazyHandle:
                return _LazyHandle(lambda: tesserocr.PyTessBaseAPI(
                    path=f"{self.tessdata}/", lang=lang, psm=psm), self._handle_loaded,
                    self.clocks)

            # A handle inherited through fork belongs to the parent; this process gets its own.
            self._api = handle("+".join(self.languages), tesserocr.PSM.AUTO)
            self._osd = None
            if self.config.orientation and (self.tessdata / "osd.traineddata").exists():
                self._osd = handle("osd", tesserocr.PSM.OSD_ONLY)
            # Handles with part of the languages: each CJK language alone, the others
            # together. A page is read by the one its script needs (_plain_pass), and
            # lines a reading was unsure of by the others (_reread_unsure).
            groups: dict[str, list[str]] = {}
            for lang in self.languages:
                groups.setdefault(lang if lang.startswith(CJK_LANGUAGES) else "other", []).append(lang)
            if (self.config.by_script and "other" not in groups
                    and (self.tessdata / f"{LATIN_LANGUAGE}.traineddata").exists()):
                # No Latin language configured (chi_sim+chi_tra): a page whose script is
                # Latin is read with English, which tesseract-ocr itself installs. The
                # Chinese models read Latin letters slowly and worse (2.8 s against 1.3 s
                # of CPU for a 300 dpi English page, docs/ocr.md), and their unsure lines
                # of an English header on a Chinese page are read again with it.
                groups["other"] = [LATIN_LANGUAGE]
            self._scripts = {}
            self._group_languages = {name: tuple(langs) for name, langs in groups.items()}
            if len(groups) > 1:
                for name, langs in groups.items():
                    self._scripts[name] = handle("+".join(langs), tesserocr.PSM.SINGLE_LINE)
            self._pid = os.getpid()
        return self._api, self._osd

    # -- reading ---------------------------------------------------------------------------

    def read(self, image: Any, *, seconds: float, survey: Survey | None = None,
             wall_seconds: float | None = None, share: float = 1.0) -> OcrResult:
        """Text read from a Pillow image within ``seconds`` of CPU time (and
        ``wall_seconds`` of wall-clock time, by default ``DEFAULT_WALL_FACTOR`` times as many), and
        whether every pass finished.

        The text is lines of words Tesseract is reasonably sure of, from every pass that
        found any, each pass's lines after the previous one's. With a ``survey`` that found
        no text, only the red-ink pass runs, and only where the survey saw paper.
        ``share`` is the share of a core the scan is known to get (``Deadline``).
        """
        wall = seconds * DEFAULT_WALL_FACTOR if wall_seconds is None else wall_seconds
        deadline = Deadline(seconds, wall, self.clocks, share=share)
        with self._lock:
            self._reading()
            self._deadline, self._loaded = deadline, NOTHING_SPENT
            try:
                result = self._read(image, deadline, survey)
            finally:
                self._deadline = None
            return dataclasses.replace(result, seconds=deadline.used().cpu, loaded=self._loaded,
                                       stopped_on="" if result.complete
                                       else (deadline.expired_on() or "CPU"))

    def _read(self, image: Any, deadline: Deadline, survey: Survey | None) -> OcrResult:
        api, osd = self._engines()
        self._band_osd = None
        if survey is not None:
            grey, colour = survey.grey, survey.colour
        else:
            grey, colour = _prepare(image)
        if survey is not None and not survey.text:
            texts = [survey.words, *self._stamps(api, survey.stamps, deadline)]
            if survey.strokes is not None and not deadline.expired():
                texts.append(self._watermark(api, grey, deadline, found=survey.strokes))
            return OcrResult("\n".join(t for t in texts if t), not deadline.expired(), 0.0,
                             read=False)
        texts: list[str] = []
        words, text, sureness = self._plain_pass(api, osd, grey, deadline)
        sureness = sureness if words else 0
        if (sureness < SURE and osd is not None and not deadline.expired()
                and not self._band_upright(osd, grey)):
            # Unsure: perhaps the page lies sideways (Tesseract then reads confident
            # nonsense). The turned reading replaces it only when it is surer.
            turned = _upright(osd, grey)
            if turned is not None:
                turned_words, turned_text, turned_sureness = self._plain_pass(
                    api, osd, turned, deadline)
                if turned_words and turned_sureness > sureness:
                    text = turned_text
        texts.append(text)
        if (words < PHOTO_WORDS_AFTER and colour is not None and not deadline.expired()
                and grey.width * grey.height >= SURVEY_PIXELS):
            # A colour picture laid out as text but read as next to nothing: a photograph
            # whose own shapes (a street's windows in rows) the layout took for text, and
            # words written on it are lost to the one threshold as on any photograph.
            # Its lines of words are looked for as the survey does (a few dozen ms after
            # a full read of 1-2 s; a page of text reads more words and skips this, and
            # small pictures, logos and banners, are read in full without a survey).
            texts.append(_photo_words(self._layout_engine(), grey, colour,
                                      self.config.min_confidence))
        if self.config.red_stamps and colour is not None and not deadline.expired():
            texts.extend(self._stamps(api, _red_regions(colour), deadline))
        if self.config.watermarks and not deadline.expired():
            texts.append(self._watermark(api, grey, deadline))
        complete = not deadline.expired()
        return OcrResult("\n".join(t for t in texts if t), complete, 0.0)

    def _recognise(self, api: Any, image: Any, deadline: Deadline, *, psm: int | None,
                   upscale: bool = True) -> tuple[int, str]:
        """(confident words, their text in lines) for one pass; stops at the deadline."""
        import tesserocr
        from PIL import Image

        if upscale and max(image.size) < SMALL_SIDE:
            image = image.resize((image.width * 2, image.height * 2), Image.Resampling.LANCZOS)
        api.SetPageSegMode(tesserocr.PSM.AUTO if psm is None else psm)
        _set_image(api, image)
        if not _recognize(api, deadline):
            deadline.stopped = True  # marks the page as not fully read
            return 0, ""
        return _confident_lines(api.GetTSVText(0), self.config.min_confidence, image)

    def _plain_pass(self, api: Any, osd: Any, grey: Any, deadline: Deadline
                    ) -> tuple[int, str, float]:
        """(confident words, their text in lines, mean confidence) of the page read whole.

        Tesseract runs every loaded model on a line that none reads with certainty, and
        no Chinese line is read with certainty: a Chinese page read with eng+spa+chi_sim+
        chi_tra costs the sum of the four models, three times chi_sim alone. So, with the
        languages of several scripts loaded, the script of a band across the middle of
        the page is detected first (Tesseract's OSD) and the page read with that script's
        language data alone; of several for one script (chi_sim, chi_tra), the first
        configured, and the next only when that reading is unsure. Lines the reading is
        unsure of are read again by the other scripts' models (a Chinese marking on an
        English page). A page the guess does not fit (a reading less sure than SURE, or
        more unsure lines than can be read again) or an unknown script is read with every
        language, as without detection.
        """
        from PIL import Image

        if max(grey.size) < SMALL_SIDE:
            grey = grey.resize((grey.width * 2, grey.height * 2), Image.Resampling.LANCZOS)
        band = _script_band(grey)
        group = (self._page_group(osd, band)
                 if self.config.by_script and len(self._scripts) > 1 else None)
        if group is not None:
            group = self._surest_variant(group, band, deadline)
            handle = self._scripts[group]
            lines, sureness = self._page_lines(handle, grey, deadline)
            for other in self._scripts:
                if sureness >= SURE or deadline.expired():
                    break
                if other != group and _same_language(other, group):  # chi_sim, then chi_tra
                    other_lines, other_sure = self._page_lines(self._scripts[other], grey, deadline)
                    if other_sure > sureness:
                        lines, sureness, group = other_lines, other_sure, other
            least = self.config.min_confidence
            # Lines with words the reading doubts (lines with none are grain and specks).
            doubted = sum(1 for line in lines or () if line.words and not line.sure(least))
            # A wrong guess (a Chinese page taken for Latin) reads as nonsense Tesseract is
            # not sure of: only a sure reading is kept, never recall traded for time.
            if lines is not None and sureness >= SURE and doubted <= MAX_REREAD_LINES:
                return (*self._reread_unsure(lines, grey, deadline, read_by=group), sureness)
            if lines is not None and self._group_languages[group] == self.languages:
                # The script's language data are every configured language (chi_sim
                # alone, with English added for Latin pages): the reading with every
                # language would be this one again.
                return (*self._reread_unsure(lines, grey, deadline, read_by=None), sureness)
        lines, sureness = self._page_lines(api, grey, deadline)
        if lines is None:
            return 0, "", 0.0
        if len(self._scripts) < 2:
            least = self.config.min_confidence
            words = sum(1 for line in lines for _, c in line.words if c >= least)
            text = "\n".join(t for t in (_line_text(line.words, least, line.cuts)
                                          for line in lines) if t)
            return words, text, sureness
        return (*self._reread_unsure(lines, grey, deadline, read_by=None), sureness)

    def _page_group(self, osd: Any, band: Any) -> str | None:
        """The language group (a key of ``_scripts``) of the script of ``band`` (a band
        across the page, _script_band), None if unknown."""
        if osd is None:
            return None
        result = self._band_osd = _detect(osd, band)
        script = (result or {}).get("script_name", "")
        if script == "Latin":
            return "other" if "other" in self._scripts else None
        prefixes = SCRIPT_LANGUAGES.get(script)
        if prefixes is None:
            return None
        return next((name for name in self._scripts if name.startswith(prefixes)), None)

    def _band_upright(self, osd: Any, grey: Any) -> bool:
        """Whether orientation detection on the page's script band (the one script
        detection saw, else detected now) is sure the page is upright.

        An unsure reading of an upright page (a script no configured language reads, a
        noisy photo) is not mended by turning it, and the whole page's orientation
        detection costs 0.45 s of CPU at 300 dpi, the band's 0.10-0.2 s. The band told the
        orientation of the bench's pages turned by 0, 90, 180 and 270 degrees right in 24
        of 24 (docs/ocr.md); when it is not sure of upright, the whole page decides, as before.
        """
        if self._band_osd is None:
            from PIL import Image

            if max(grey.size) < SMALL_SIDE:  # as _plain_pass reads it
                grey = grey.resize((grey.width * 2, grey.height * 2), Image.Resampling.LANCZOS)
            self._band_osd = _detect(osd, _script_band(grey)) or {}
        return (self._band_osd.get("orient_deg") == 0
                and self._band_osd.get("orient_conf", 0.0) >= UPRIGHT_SURE)

    def _surest_variant(self, group: str, band: Any, deadline: Deadline) -> str:
        """Of several language data for ``group``'s language (chi_sim, chi_tra), the one
        that reads a sample of the page surest; ``group`` (the first configured) when it is
        sure, or when there is no other.

        A traditional page read whole with chi_sim is read unsurely, then whole again with
        chi_tra: two full reads. The few lines whose script was detected (_script_band)
        tell the two apart for a fraction of one (each a tenth of a page's time or less).
        """
        others = [name for name in self._scripts if name != group and _same_language(name, group)]
        if not others:
            return group
        best, best_sure = group, -1.0
        for name in (group, *others):
            if deadline.expired():
                break
            lines, sureness = self._page_lines(self._scripts[name], band, deadline)
            if lines is None or not any(line.words for line in lines):
                return group  # nothing to read in the sample: the page decides, as before
            if sureness > best_sure:
                best, best_sure = name, sureness
            if name == group and sureness >= SURE:
                break
        return best

    def _page_lines(self, handle: Any, image: Any, deadline: Deadline
                    ) -> tuple[list[_Line] | None, float]:
        """(lines, mean confidence) of ``image`` read whole by ``handle``; None past the deadline."""
        import tesserocr

        handle.SetPageSegMode(tesserocr.PSM.AUTO)
        _set_image(handle, image)
        if not _recognize(handle, deadline):
            deadline.stopped = True  # marks the page as not fully read
            return None, 0.0
        lines = _tsv_lines(handle.GetTSVText(0), image)
        return lines, (handle.MeanTextConf() if any(line.words for line in lines) else 0.0)

    def _reread_unsure(self, lines: list[_Line], image: Any, deadline: Deadline, *,
                       read_by: str | None) -> tuple[int, str]:
        """Lines read unsurely are read again by each script's models alone, the surest kept.

        With several scripts loaded, Tesseract may take a line of one script for another
        and read it with the wrong model: 机密★10年 alone on a line of an otherwise Chinese
        page came out as "WLR & LOG" at 300 dpi. Read with the Chinese models only, the
        line is read right; only the few unsure lines are read twice.
        """
        import tesserocr

        least = self.config.min_confidence
        # Markings sit at the top and the bottom of a page (banners, the 密级 line): the
        # unsure lines nearest an edge are read again first, up to MAX_REREAD_LINES.
        # A short line (a banner, a 密级 line) of another script read as Latin nonsense
        # may score 50-60 (机密★10年 came out as "LEA LOSE"): doubt starts higher there.
        # Long lines keep min_confidence, so body text is not swapped for fewer words.
        unsure = [line for line in lines if not line.sure(least) or (
            len(line.words) <= SHORT_LINE_WORDS and not line.sure(REREAD_BELOW))]
        unsure.sort(key=lambda line: min(line.box[1], image.height - line.box[1] - line.box[3]))
        for line in unsure[:MAX_REREAD_LINES]:
            if deadline.expired():
                break
            left, top, width, height = line.box
            margin = max(4, height // 4)
            crop = image.crop((max(0, left - margin), max(0, top - margin),
                               min(image.width, left + width + margin),
                               min(image.height, top + height + margin)))
            best, best_cuts = line.words, line.cuts
            best_score = sum(c for _, c in best) / len(best) if best else 0.0
            for name in self._scripts:
                if name == read_by:
                    continue  # it read the page (nor is a handle loaded for it)
                handle = self._scripts[name]
                handle.SetPageSegMode(tesserocr.PSM.SINGLE_LINE)
                _set_image(handle, crop)
                if not _recognize(handle, deadline):
                    continue
                rereads = _tsv_lines(handle.GetTSVText(0), crop)
                words = [(w, c) for reread in rereads for w, c in reread.words]
                score = sum(c for _, c in words) / len(words) if words else 0.0
                if score > best_score:
                    best, best_score = words, score
                    best_cuts = [cut for reread in rereads for cut in reread.cuts]
            line.words, line.cuts = best, best_cuts
        words = sum(1 for line in lines for _, c in line.words if c >= least)
        text = "\n".join(t for t in (_line_text(line.words, least, line.cuts)
                                      for line in lines) if t)
        return words, text

    def _stamps(self, api: Any, crops: Iterable[tuple[Any, tuple[int, ...]]],
                deadline: Deadline) -> Iterator[str]:
        """Text of red regions (``_red_regions``), each tried at its turns; the surest
        reading wins."""
        import tesserocr
        from PIL import Image

        for crop, angles in crops:
            best = (0.0, "")
            for angle in angles:
                if deadline.expired():
                    return
                turned = crop.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
                words, text = self._recognise(api, turned, deadline,
                                              psm=tesserocr.PSM.SINGLE_BLOCK, upscale=False)
                score = words * api.MeanTextConf() if words else 0.0
                if score > best[0]:
                    best = (score, text)
                if api.MeanTextConf() >= 85 and words:
                    break
            if best[1]:
                yield best[1]

    def _watermark(self, api: Any, grey: Any, deadline: Deadline,
                   found: tuple[Any, int] | None = None) -> str:
        """Text of large thick strokes, read at the angle they run at (``found``: the
        strokes and their angle, when the survey already found them)."""
        import tesserocr
        from PIL import Image

        surveyed = found is not None
        found = found or _thick_strokes(grey, smooth=True)
        if found is None:
            return ""
        mask, angle = found
        if abs(angle) < MIN_WATERMARK_ANGLE and not surveyed:
            # A page read in full: its level bold heading may hide a slanted watermark.
            # The heading is left out of what is read too: turned with the watermark, it
            # is a slanted smear beside it, and the reading of both came out as noise.
            angle, mask = _slant_beside_level_lines(mask)
        if abs(angle) < MIN_WATERMARK_ANGLE:
            return ""  # level display type is read by the main pass
        if not surveyed:
            mask = _without_specks(mask)
        turned = mask.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
        text = self._recognise(api, turned, deadline, psm=tesserocr.PSM.SPARSE_TEXT,
                               upscale=False)[1]
        return _with_joined_lines(text)


# Pieces of the thick-stroke mask of a page read in full smaller than this share of its
# largest piece's long side are left out of the watermark's reading.
SPECK_SHARE = 0.12


def _without_specks(mask: Any) -> Any:
    """``mask`` without pieces much smaller than its largest (SPECK_SHARE).

    On a page read in full the opening leaves, besides a watermark's letters, the dots and
    bold stops of its body text and the odd blot of a bold heading; turned with the
    watermark they are a spray of specks around it, which Tesseract read as stray words
    and split the watermark's line at (SE CRET). A watermark's letters are of one size.
    """
    import numpy as np
    from PIL import Image

    cv2 = _opencv()
    ink = (_pixels(mask) < 128).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count < 3:
        return mask
    sides = np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT])
    small = np.flatnonzero(sides < SPECK_SHARE * sides.max()) + 1
    if not len(small):
        return mask
    drop = np.zeros(count, dtype=bool)
    drop[small] = True
    return Image.fromarray(np.where(drop[labels] | (ink == 0), 255, 0).astype(np.uint8))


_LINE_SPECKS = " ()[]{}\\/\"'`‘’“”„|!.,:;_~-—–=*+<>«»"


def _photo_words(layout: Any, grey: Any, colour: Any, min_confidence: int, *,
                 bands: tuple[Any, Any, Any] | None = None) -> str:
    """Text of the lines of words ``ocr_regions`` finds on a photograph, each read as one
    line by ``layout`` (the survey's handle, English data) and its surer preparation kept;
    short lines also given without their spaces (display type read split at a gap).
    ``bands``: ``colour``'s channels (``ocr_regions.colour_bands``), when already split."""
    import tesserocr
    from PIL import Image

    from filters.ocr_regions import crops, whiteness, word_regions

    texts = []
    # Each crop is already black letters on white, and a line of the other polarity is
    # found and cut out as such: Tesseract's second reading of an unsure line inverted
    # (tessedit_do_invert) reads only what no crop shows, at a fifth of the pass's reading time.
    inverts = layout.GetBoolVariable("tessedit_do_invert")
    layout.SetVariable("tessedit_do_invert", "0")
    try:
        white = None
        if colour is not None:
            white = whiteness(colour, bands)
            if white.size != grey.size:  # grey brought to its text's height (survey)
                white = white.resize(grey.size, Image.Resampling.BOX)
        for region in word_regions(grey, white):
            best = (0.0, "")
            for crop in crops(grey, region, white):
                layout.SetPageSegMode(tesserocr.PSM.SINGLE_LINE)
                _set_image(layout, crop)
                if not layout.Recognize(timeout=PHOTO_WORDS_MS):
                    continue
                words, text = _confident_lines(layout.GetTSVText(0), min_confidence)
                if words and words * layout.MeanTextConf() > best[0]:
                    best = (words * layout.MeanTextConf(), text)
            # A speck of the photo at the line's end is read as a quote mark or a rule, and
            # rules take a word in quotes for a mention, not a marking: display type
            # written on a photo is no quotation.
            texts.extend(line.strip(_LINE_SPECKS) for line in best[1].splitlines())
    finally:
        layout.SetPageSegMode(tesserocr.PSM.AUTO_ONLY)
        layout.SetVariable("tessedit_do_invert", "1" if inverts else "0")
    # A line found at both detection sizes is read twice: given once.
    return _with_joined_lines("\n".join(dict.fromkeys(t for t in texts if t)))


def _with_joined_lines(text: str) -> str:
    """``text`` and, after each short line of several words, the same line without spaces.

    Display type is spaced wide, and its mask's ragged edges widen the gaps: Tesseract
    splits one word of it at a gap (CON FIDENTIAL, CONFIDENTI AL: 2 of 30 photos),
    which no marking rule matches. Only short lines are joined (a watermark's, not a
    body's), and a joined line matches only where its letters, in order, spell a marking."""
    out = []
    for line in text.splitlines():
        out.append(line)
        words = line.split()
        if 1 < len(words) <= SHORT_LINE_WORDS:
            out.append("".join(words))
    return "\n".join(out)


# -- image helpers (Pillow and numpy; no Tesseract) ------------------------------------------

def _script_band(grey: Any) -> Any:
    """The band across the page (SCRIPT_BAND of its height) whose script is detected,
    centred on the middle of its ink: a letter's text may end above the page's middle.
    A small picture whole."""
    import numpy as np

    if grey.height < SMALL_SIDE:
        return grey
    ink = (np.asarray(grey) < 128).mean(axis=1) > 0.005  # rows with ink
    rows = np.flatnonzero(ink)
    centre = int(rows[len(rows) // 2]) if len(rows) else grey.height // 2
    half = round(grey.height * SCRIPT_BAND / 2)
    top = min(max(centre - half, 0), max(0, grey.height - 2 * half))
    bottom = min(grey.height, top + 2 * half)
    # Edges moved out to the gaps between lines (at most a band's height): a line cut in
    # half reads unsurely with any language data.
    while top > 0 and ink[top] and centre - top < 4 * half:
        top -= 1
    while bottom < grey.height and ink[bottom - 1] and bottom - centre < 4 * half:
        bottom += 1
    return grey.crop((0, top, grey.width, bottom))


# A transparent picture blank on white (grey levels within BLANK_RANGE) whose opacity
# spans SHAPE_RANGE draws its shapes in opacity alone.
BLANK_RANGE = 16
SHAPE_RANGE = 128


def _prepare(image: Any) -> tuple[Any, Any]:
    """(greyscale picture at working size, RGB picture or None when it has no colour)."""
    import numpy as np
    from PIL import Image, ImageOps

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent pixels are whatever colour the writer left (often black): text drawn
        # on a transparent background must be read against white, as a viewer shows it.
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba).convert("RGB")
        low, high = image.convert("L").getextrema()
        if high - low < BLANK_RANGE:
            opacity = rgba.getchannel("A")
            low, high = opacity.getextrema()
            if high - low >= SHAPE_RANGE:
                # Blank on white, a shape on any darker background: white text on a
                # transparent one (a dark-mode logo, or a line meant to pass unseen).
                # The shape its opacity draws is read, dark on white.
                image = ImageOps.invert(opacity)
    elif image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        # 16-bit and float pictures (scientific TIFF, 16-bit PNG): scaled to 8 bits.
        values = np.asarray(image, dtype=np.float32)
        top = float(values.max()) or 1.0
        image = Image.fromarray((np.clip(values / top, 0, 1) * 255).astype(np.uint8))
    elif image.mode not in ("L", "RGB"):
        image = image.convert("RGB")  # CMYK, palette, 16-bit and bilevel pictures
    if max(image.size) > MAX_WORK_SIDE:
        scale = MAX_WORK_SIDE / max(image.size)
        image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                             Image.Resampling.BOX)
    colour = image if image.mode == "RGB" else None
    return image.convert("L"), colour


@dataclass(frozen=True, slots=True)
class Survey:
    """What the layout analysis found in a picture, and the picture at working size."""

    text: bool  # may carry text: read in full
    grey: Any
    colour: Any
    seconds: float
    stamps: tuple[Any, ...] = ()  # no text, but red regions like stamps: read them
    strokes: tuple[Any, int] | None = None  # no text, but slanted display type: read it
    words: str = ""  # no text laid out, but lines of words found and read on the photo

    @property
    def worth_reading(self) -> bool:
        """Whether any pass has something to read (else the engines need not be loaded)."""
        return self.text or bool(self.stamps) or self.strokes is not None


def legible(width: int, height: int, config: OcrConfig) -> bool:
    """Whether a ``width`` x ``height`` picture can hold a legible line of text.

    Spacers, rules and icons cannot (MIN_LONG_SIDE, ``min_image_side``): they are not read
    and Tesseract is not loaded for them. A 200 x 60 banner, or a 40 x 10 one, is read.
    """
    return min(width, height) >= config.min_image_side and max(width, height) >= MIN_LONG_SIDE


def _surveyed(layout: Any, grey: Any) -> tuple[set[int], list[int]]:
    """The block kinds and word heights (at ``grey``'s scale) of ``grey``'s layout.

    A picture longer than SURVEY_SIDE is laid out reduced to it first: a 300 dpi page's
    layout costs a third (0.09-0.10 against 0.26-0.29 s of CPU) and gives the same text
    blocks and, scaled back, word heights within a pixel. Only text found there is
    trusted: where the reduced layout finds none (a large photo whose text is small),
    the picture is laid out again at full size, as before, so nothing is lost to the
    reduction but the time of one small layout.
    """
    if not _may_hold_text(grey):
        return {PICTURE_BLOCK}, []
    small, scale = _shrink(grey, SURVEY_SIDE)
    if scale < 1.0:
        _set_image(layout, small)
        kinds, heights = _block_kinds(layout)
        if kinds and not kinds <= NOT_TEXT_BLOCKS:
            return kinds, [round(height / scale) for height in heights]
    _set_image(layout, grey)
    return _block_kinds(layout)


def _may_hold_text(grey: Any) -> bool:
    """Whether ``grey`` has anything Tesseract's layout could lay out as text: somewhere
    the edges of strokes (STEP_COUNT steps of more than STEP_LEVELS in a cell), or plain
    areas (PLAIN_SHARE) where its one global threshold could set faint letters apart.

    A smooth photograph (sky, skin, soft colour areas, fine grain) has neither: its
    layout is a picture block, so it is not laid out (0.02-0.1 s of CPU) and goes on to
    the passes that read what a photograph's layout misses (red ink, slanted display
    type, words on the photo). Noise added to a picture only adds steps, so it is laid
    out; text fainter than STEP_LEVELS on a busy background is what the words-on-photo
    pass (28 levels) looks for. Rows are examined a band at a time and the first cell
    of strokes ends it: a photograph with edges costs a band or two.
    """
    import numpy as np

    if min(grey.size) >= 32:
        small = _pixels(grey.reduce(4))
        height, width = small.shape[0] // 8 * 8, small.shape[1] // 8 * 8
        blocks = small[:height, :width].reshape(height // 8, 8, width // 8, 8)
        # One axis at a time, across the rows first (whole rows compared at once, where
        # the 8 pixels of a row's cell first take 6 times as long): a reduction over two
        # short axes at once is several times slower still.
        spans = blocks.max(axis=1).max(axis=2) - blocks.min(axis=1).min(axis=2)
        if blocks.size and float((spans <= PLAIN_LEVELS).mean()) >= PLAIN_SHARE:
            return True
    cv2 = _opencv()
    pixels = _pixels(grey)
    height, width = pixels.shape
    columns = (width - 2) // 8 * 8  # steps are taken at columns and rows 1 .. side-2
    if columns < 8 or height < 3:
        return True
    steps = np.zeros((64, columns), dtype=bool)  # a band's steps; rows past its end stay False
    for top in range(0, height - 2, 64):
        rows = pixels[top:top + 66]
        count = len(rows) - 2
        # A step is the difference of two neighbours (OpenCV's absdiff over the strided
        # views, about a sixth of NumPy's maximum less minimum into new arrays).
        across = cv2.absdiff(rows[1:-1, :columns], rows[1:-1, 2:columns + 2])
        cv2.max(across, cv2.absdiff(rows[:-2, 1:columns + 1], rows[2:, 1:columns + 1]), dst=across)
        band = steps[:-(-count // 8) * 8]  # the last band: its rows in cells of 8, the last one short
        band[count:] = False
        np.greater(across, STEP_LEVELS, out=band[:count])
        # A cell's steps counted as bytes: each row's 8 cells read as one 64-bit number,
        # the cell's 8 rows added lane by lane (at most 8 a byte, no carry), then the 8
        # bytes of the sum added by one multiplication (the total is at most 64).
        lanes = band.view(np.uint64).reshape(len(band) // 8, 8, columns // 8).sum(axis=1, dtype=np.uint64)
        counts = (lanes * np.uint64(0x0101010101010101)) >> np.uint64(56)
        if (counts >= STEP_COUNT).any():
            return True
    return False


def _block_kinds(layout: Any) -> tuple[set[int], list[int]]:
    """The kinds (tesserocr.PT) of the blocks Tesseract's layout analysis finds, and the
    heights (short sides) of the words in its text blocks."""
    import tesserocr

    kinds: set[int] = set()
    heights: list[int] = []
    found = layout.AnalyseLayout()
    if found is None:
        return kinds, heights
    while True:
        kind = int(found.BlockType())
        kinds.add(kind)
        box = found.BoundingBox(tesserocr.RIL.WORD)
        if box is not None and kind not in NOT_TEXT_BLOCKS:
            # The short side: a page scanned sideways has its words standing upright.
            heights.append(min(box[2] - box[0], box[3] - box[1]))
        if not found.Next(tesserocr.RIL.WORD):
            return kinds, heights


def _text_scale(heights: list[int], size: tuple[int, int]) -> float:
    """The factor (at most 1) that brings the median word height to TEXT_HEIGHT.

    Word boxes, not line boxes: a line's box grows with the page's skew (a 3° turn adds
    130 px across a 300 dpi page), a word's hardly. Never enlarged here (small pictures
    are enlarged by the main pass), never below MIN_TEXT_SCALE, nor below SMALL_SIDE.
    """
    if len(heights) < MIN_HEIGHT_WORDS:
        return 1.0
    median = sorted(heights)[len(heights) // 2]
    floor = max(MIN_TEXT_SCALE, SMALL_SIDE / max(size))
    return min(1.0, max(floor, TEXT_HEIGHT / max(median, 1)))


@dataclass
class _Line:
    """One line of Tesseract's TSV: its box and its words with their confidence."""

    box: tuple[int, int, int, int]  # left, top, width, height
    words: list[tuple[str, float]]
    text: str = ""
    # A column break before each word (the next cell of a table row: ocr_columns).
    cuts: list[bool] = dataclasses.field(default_factory=list)

    def sure(self, min_confidence: int) -> bool:
        confidences = [c for _, c in self.words]
        return bool(confidences) and sum(confidences) / len(confidences) >= min_confidence


def _tsv_lines(tsv: str, image: Any = None) -> list[_Line]:
    """The lines of Tesseract's TSV output (level 4 rows) with their words (level 5) and
    the column breaks between them (``image``: the picture read, to see table rules by)."""
    from filters.ocr_columns import aligned_cuts, column_cuts

    lines: dict[tuple[str, str, str], _Line] = {}
    boxes: dict[tuple[str, str, str], list[tuple[int, int, int, int]]] = {}
    for row in tsv.splitlines():
        fields = row.split("\t")
        if len(fields) < 12 or fields[0] not in ("4", "5"):
            continue
        key = (fields[2], fields[3], fields[4])
        try:
            box = (int(fields[6]), int(fields[7]), int(fields[8]), int(fields[9]))
            confidence = float(fields[10])
        except ValueError:
            continue
        if fields[0] == "4":
            lines[key], boxes[key] = _Line(box, []), []
        elif fields[11].strip() and key in lines:
            lines[key].words.append((fields[11].strip(), confidence))
            boxes[key].append(box)
    pixels = None
    for key, line in lines.items():
        if len(line.words) < 2:
            line.cuts = [False] * len(line.words)
            continue
        if pixels is None and image is not None and image.mode == "L":
            pixels = _pixels(image)
        cuts, rules = column_cuts(boxes[key], [w for w, _ in line.words], pixels)
        if any(rules):  # a table rule read as a word is a break, not a word
            cuts = [cut for cut, rule in zip(cuts, rules, strict=True) if not rule]
            line.words = [word for word, rule in zip(line.words, rules, strict=True) if not rule]
            boxes[key] = [box for box, rule in zip(boxes[key], rules, strict=True) if not rule]
        line.cuts = cuts
    # A borderless table's narrow gap: a break where the rows around it start a column.
    keys = list(lines)
    for key, cuts in zip(keys, aligned_cuts([boxes[k] for k in keys], [lines[k].cuts for k in keys]),
                         strict=True):
        lines[key].cuts = cuts
    return list(lines.values())


def _line_text(words: list[tuple[str, float]], min_confidence: int,
               cuts: list[bool] | None = None) -> str:
    """The confident words of a line joined by spaces, by a tab at a column break (``cuts``)."""
    kept: list[str] = []
    separators: list[str] = []  # before each kept word
    cut = False  # a break before a word dropped still parts the words around it
    for index, (word, confidence) in enumerate(words):
        cut = cut or bool(cuts and cuts[index])
        if confidence >= min_confidence:
            pass
        elif (len(word) == 1 and _LEVEL_END.search("".join(kept[-2:]))
              and index + 1 < len(words) and _PERIOD_START.match(words[index + 1][0])):
            # The star's stand-in is read unsurely (the models do not know ★): between a
            # level and a period it is the star all the same, not noise to drop.
            word = "★"
        elif (_PERIOD_NUMBER.fullmatch(word) and _LEVEL_STAR_END.search("".join(kept[-3:]))
              and index + 1 < len(words) and words[index + 1][0][:1] in "年个個"):
            pass  # and so is the period's number after the star, read unsurely
        else:
            continue
        separators.append("\t" if cut else " ")
        kept.append(word)
        cut = False
    if not kept:
        return ""
    text = kept[0] + "".join(sep + word for sep, word in zip(separators[1:], kept[1:], strict=True))
    return _STAR.sub(r"\1★", _cjk_space().sub("", text))


def _confident_lines(tsv: str, min_confidence: int, image: Any = None) -> tuple[int, str]:
    """Words at or above ``min_confidence`` from Tesseract's TSV, grouped into its lines
    (``image``: the picture read, whose table rules part a line's cells)."""
    lines = _tsv_lines(tsv, image)
    words = sum(1 for line in lines for _, c in line.words if c >= min_confidence)
    text = "\n".join(t for t in (_line_text(line.words, min_confidence, line.cuts)
                                  for line in lines) if t)
    return words, text


def _detect(osd: Any, picture: Any) -> dict[str, Any] | None:
    """Tesseract's orientation and script detection of ``picture``; None when it has too
    few characters to tell."""
    _set_image(osd, picture)
    try:
        return osd.DetectOrientationScript() or None
    except RuntimeError:
        return None


def _upright(osd: Any, grey: Any) -> Any:
    """``grey`` turned upright when orientation detection is sure it is not, else None."""
    small = grey
    if max(grey.size) > 2000:
        small = grey.resize((grey.width // 2, grey.height // 2))
    _set_image(osd, small)
    with contextlib.suppress(RuntimeError):
        result = osd.DetectOrientationScript()
        # orient_deg is how far the picture is turned clockwise; PIL turns anticlockwise.
        if result and result["orient_deg"] and result["orient_conf"] >= 1.0:
            return grey.rotate(result["orient_deg"], expand=True, fillcolor=255)
    return None


# The resolution tesserocr's SetImage declares: it writes the picture as a BMP of 96 dpi.
HANDED_DPI = 96


def _set_image(api: Any, image: Any) -> None:
    """Give ``image`` to the Tesseract handle ``api`` as raw pixels.

    tesserocr's SetImage writes the picture as a BMP (for a grey one, a palette built a
    byte at a time in Python) that Leptonica parses back: 1-2 ms a picture, and the
    survey hands over several crops per photograph. Raw 8- or 24-bit rows are the same
    pixels, given the same 96 dpi, so layout and reading are unchanged. Other modes go
    through SetImage as before.
    """
    if image.mode not in ("L", "RGB"):
        api.SetImage(image)
        return
    depth = 1 if image.mode == "L" else 3
    # Tesseract copies the rows into a picture of its own before this returns.
    api.SetImageBytes(image.tobytes(), image.width, image.height, depth, depth * image.width)
    api.SetSourceResolution(HANDED_DPI)  # after the image, which sets it (0 for raw rows)


@functools.cache
def _opencv() -> Any:
    """OpenCV (``cv2``), imported on first use and kept to the calling thread: a survey's
    CPU is counted on its thread's clock (THREAD_CLOCKS), and a scanner is one process a
    core, so pool threads would only hide work from the budget and add their hand-offs."""
    import cv2

    cv2.setNumThreads(1)
    return cv2


@functools.cache
def _arrow() -> tuple[Any, Any]:
    """The Arrow C data interface's ArrowArray as a ctypes structure, and the function that
    opens a capsule (arrow.apache.org/docs/format/CDataInterface.html). Made on first use:
    ctypes costs a one-file scan's start-up 3 ms, and most scans read no picture."""
    import ctypes

    class ArrowArray(ctypes.Structure):
        pass

    ArrowArray._fields_ = [
        ("length", ctypes.c_int64), ("null_count", ctypes.c_int64), ("offset", ctypes.c_int64),
        ("n_buffers", ctypes.c_int64), ("n_children", ctypes.c_int64),
        ("buffers", ctypes.POINTER(ctypes.c_void_p)),
        ("children", ctypes.POINTER(ctypes.POINTER(ArrowArray))),
        ("dictionary", ctypes.POINTER(ArrowArray)),
        ("release", ctypes.c_void_p), ("private_data", ctypes.c_void_p)]
    capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    capsule_pointer.restype = ctypes.c_void_p
    capsule_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    return ArrowArray, capsule_pointer


class _Exported:
    """A Pillow picture's pixels as NumPy sees them (``__array_interface__``), read-only,
    holding the Arrow export that keeps Pillow's memory alive as long as an array does."""

    def __init__(self, export: Any, pointer: int, shape: tuple[int, ...]) -> None:
        self.export = export
        self.__array_interface__ = {"shape": shape, "typestr": "|u1", "data": (pointer, True),
                                    "version": 3}


def _pixels(image: Any) -> Any:
    """``np.asarray(image)`` of an L picture; of an RGB one, its (height, width, 4) pixels
    as Pillow holds them (the fourth byte padding: ``[..., :3]`` is ``np.asarray``'s).

    Not a copy: Pillow exports its own memory through the Arrow C data interface
    (Pillow 11.2 and later), where ``np.asarray`` copies every row through Pillow's raw
    encoder (0.6 ms for an 1800 x 1200 grey picture, 3 ms split into channels for a colour
    one; the survey takes a dozen such arrays of each photograph). A picture Pillow holds
    in several blocks (over its block size), or a Pillow without the export, is copied."""
    import numpy as np

    width, height = image.size
    bands = {"L": 1, "RGB": 4}[image.mode]
    try:
        export = image.im.__arrow_c_array__()
        arrow_array, capsule_pointer = _arrow()
        array = arrow_array.from_address(capsule_pointer(export, b"arrow_array"))
        if array.n_children:  # RGB: a fixed-size list of 4 bytes a pixel
            array = array.children[0].contents
        if array.length != width * height * bands or array.offset:
            raise ValueError("not one block of pixels")
        shape = (height, width) if bands == 1 else (height, width, bands)
        return np.asarray(_Exported(export, array.buffers[1], shape))
    except (AttributeError, ValueError):
        pixels = np.asarray(image)
        if bands == 1:
            return pixels
        padded = np.empty((height, width, 4), dtype=np.uint8)
        padded[..., :3] = pixels
        padded[..., 3] = 255
        padded.flags.writeable = False
        return padded


def _shrink(image: Any, side: int) -> tuple[Any, float]:
    """``image`` with its long side at most ``side`` pixels, and the factor applied."""
    from PIL import Image

    scale = min(1.0, side / max(image.size))
    if scale < 1.0:
        image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                             Image.Resampling.BOX)
    return image, scale


def _red_regions(colour: Any, *, bands: tuple[Any, Any, Any] | None = None
                 ) -> list[tuple[Any, tuple[int, ...]]]:
    """Greyscale crops (black ink on white) of the red regions of a picture that look like
    stamps — red ink on paper, or red strokes as thin as a stamp's anywhere — or like a
    white-on-red banner, each with the turns to read it at. ``bands``: ``colour``'s
    channels (``ocr_regions.colour_bands``), when already split."""
    import numpy as np
    from PIL import Image, ImageFilter

    small, _ = _shrink(colour, MASK_SIDE)
    # Each channel whole and 8-bit (Pillow splits them; _pixels copies none of them): no
    # widened copy of the picture, and no channel strided (NumPy compares those 4 times slower).
    red, green, blue = (bands if bands is not None and small is colour
                        else (_pixels(band) for band in small.split()))
    other = np.maximum(green, blue)
    # Red 60 levels above both others and over 110: over 60 + the others' level held
    # between 50 and 195 (no 8-bit overflow: over 195 nothing is 60 above it).
    ink = red > np.clip(other, 50, 195) + 60
    share = float(np.count_nonzero(ink)) / ink.size
    if share < 0.0002 or share > 0.3:
        return []  # no red ink, or a red picture (a photo, a slide background), not a stamp
    # Where the stamp crosses black text the ink is dark, not red: a closing fills those
    # gaps so the stamp's strokes stay whole.
    width = ink.shape[1]
    packed = _pack(ink)
    closed_words = ~_spread(_complement(_spread(packed, 2), width), 2)
    closed = _unpack(closed_words, width)
    size = (width, closed.shape[0])
    regions = _ink_boxes(closed_words, size)  # also the banners' candidates
    boxes: list[tuple[tuple[int, int, int, int], int]] = []
    if regions:
        # Paper: light and colourless. A stamp is pressed on paper; the red of a
        # photograph (a jacket, a sunset, a brick wall) lies among other colours.
        low = np.minimum(red, np.minimum(green, blue))
        paper = (low >= PAPER_LEVEL) & (np.maximum(red, other) - low <= PAPER_TINT)
        paper &= ~closed  # paper around the ink: what _around_share counts
        for box in regions:
            if len(boxes) >= MAX_STAMPS:
                break
            if _around_share(paper, closed, box) >= STAMP_PAPER:
                boxes.append((box, 500))
    if len(boxes) < MAX_STAMPS:
        # A stamp pasted on a photograph has no paper around it. Its ink is thin strokes
        # (rings, letters); the red of a photograph is areas. An opening keeps the areas,
        # and red regions made mostly of what it removes are read as stamps too: a few
        # per cent of their box thin ink (stamps 4-7 %, the fringes of a photograph's red
        # areas under 2 %), and enough of it for a line of letters. (The opening's
        # dilation and the 2 px margin after it are one dilation by their sum.)
        thin_words = packed & ~_spread(_eroded(packed, width, STROKE_RADIUS), STROKE_RADIUS + 2)
        # Fewer thin pixels in the whole picture than a stamp needs in its box: none is.
        thin = (_unpack(thin_words, width) if _count(thin_words, width) >= STAMP_STROKE_PIXELS
                else None)
        for box in _ink_boxes(thin_words, size) if thin is not None else ():
            if len(boxes) >= MAX_STAMPS:
                break
            strokes = thin[box[1]:box[3], box[0]:box[2]]
            count = np.count_nonzero(strokes)
            if (count >= STAMP_STROKE_PIXELS and count / strokes.size >= STAMP_STROKES
                    and not any(_overlap(box, kept) for kept, _ in boxes)):
                # Read a third smaller than a stamp on paper: the ink of a stamp on a
                # photo is ragged, and enlarged to 500 px it read as noise (4 of 4
                # stamps on landscapes read at 300 px, 1 at 500).
                boxes.append((box, 300))
    crops: list[tuple[Any, tuple[int, ...]]] = [
        (crop, (0,)) for crop in _banners(ink, closed, regions, [box for box, _ in boxes])]
    for box, side in boxes:
        # The stamp's mask, cut from the closed ink (black on white), only where read.
        crop = _tight(_ink_image(closed[box[1]:box[3], box[0]:box[2]]))
        width, height = crop.size
        if min(width, height) < 24:
            continue
        if 0.75 < width / height < 1.33:
            crop = _inside_ring(crop)
        # Tesseract wants stamp letters 30+ px high: small stamps are enlarged.
        if max(crop.size) < side:
            factor = side / max(crop.size)
            crop = crop.resize((round(width * factor), round(height * factor)), Image.Resampling.LANCZOS)
        framed = Image.new("L", (crop.width + 40, crop.height + 40), 255)
        framed.paste(crop.filter(ImageFilter.MedianFilter(3)), (20, 20))
        crops.append((framed, STAMP_ANGLES))
    return crops


def _ink_image(ink: Any) -> Any:
    """A Pillow greyscale picture of a boolean mask: ink black (0), the rest white (255).
    In 8 bits throughout (``np.where(ink, 0, 255)`` makes a 64-bit array first, most of
    the cost of turning a 1600 px mask into a picture)."""
    import numpy as np
    from PIL import Image

    return Image.fromarray(np.ascontiguousarray((~ink).view(np.uint8) * np.uint8(255)))


def _banners(ink: Any, closed: Any, regions: list[tuple[int, int, int, int]],
             taken: list[tuple[int, int, int, int]]) -> list[Any]:
    """Crops (black letters on white) of white-on-red banners: red regions nearly solid
    (BANNER_FILL of their box) whose gaps are thin strokes (letters), not the corners a
    photograph's red areas leave in their box. A banner pasted in a photo is laid out as
    part of the picture and thresholded with it; read alone, its letters are plain.
    ``regions`` are the boxes of ``closed`` (``_ink_boxes``), largest first."""
    import numpy as np
    from PIL import Image

    cv2 = _opencv()

    crops = []
    for box in regions[:MAX_STAMPS]:
        if len(crops) >= MAX_BANNERS:
            break
        if any(_overlap(box, kept) for kept in taken):
            continue
        # The ink's bounds in the box (OpenCV's bounding box of a mask's nonzero pixels,
        # where two NumPy any() and flatnonzero took 5 times as long).
        x, y, width, height = cv2.boundingRect(closed[box[1]:box[3], box[0]:box[2]].view(np.uint8))
        left, top = box[0] + x, box[1] + y
        right, bottom = left + width, top + height
        if height < 12 or width < BANNER_WIDTH * height:
            continue  # too low for a line, or not a line's shape (a red blob of a photo, standing)
        region = closed[top:bottom, left:right]
        filled = np.count_nonzero(region)  # its share as region.mean() gives it, from the count
        if filled / region.size < BANNER_FILL or (region.size - filled) / region.size < 0.05:
            continue  # not solid red, or red without letters (a flag)
        holes = ~region
        radius = max(2, height // 10)
        letters = holes & ~_dilate(_erode(holes, radius), radius)
        if letters.sum() < BANNER_LETTERS * holes.sum():
            continue
        # The letters are what is not red inside the banner (the closing would fill their
        # counters, so the red mask before it is used).
        inside = ~ink[top:bottom, left:right]
        crop = Image.fromarray(np.where(inside, 0, 255).astype(np.uint8))
        if crop.height < 60:  # Tesseract reads letters from about 20 px high
            factor = 60 / crop.height
            crop = crop.resize((round(crop.width * factor), 60), Image.Resampling.LANCZOS)
        framed = Image.new("L", (crop.width + 40, crop.height + 40), 255)
        framed.paste(crop, (20, 20))
        crops.append(framed)
    return crops


def _ink_boxes(words: Any, size: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    """Boxes (left, top, right, bottom) of the ink's regions (packed ``words``, ``_pack``,
    of a ``size`` mask), largest first: the ink in blocks of INK_CELL pixels, joined across
    small gaps, labelled."""
    import numpy as np

    width, height = size
    # Pillow's MinFilter(3) of the grid, its edge repeated: a minimum over the window's
    # cells inside the grid, as OpenCV's erosion takes it by default.
    cv2 = _opencv()
    grid = cv2.erode(_ink_grid(words, width, height), np.ones((3, 3), dtype=np.uint8))
    boxes = _component_boxes(grid < 250)
    cell = INK_CELL
    boxes[:, :2] = np.maximum(0, (boxes[:, :2] - 1) * cell)
    boxes[:, 2:] = np.minimum((width, height), (boxes[:, 2:] + 2) * cell)
    return list(map(tuple, boxes.tolist()))


INK_CELL = 16  # pixels a side of _ink_boxes's blocks


def _ink_grid(words: Any, width: int, height: int) -> Any:
    """``_ink_image`` of the packed mask ``words`` (``_pack``) reduced by Pillow's BOX filter
    to 1/INK_CELL of each side, value for value, without drawing the mask or resizing it.

    Each reduced pixel is the mean of one run of pixels on each axis (``_box_runs``), in
    Pillow's 22-bit fixed point, along rows first: a row's run of a mask of 0 and 255 sums
    to 255 times its pixels that are not ink, which are the run's bits counted in the
    packed words (a run of 16-17 pixels lies in one or two of them); the columns' runs then
    add those rounded means. About 0.35 ms against 0.85 for drawing the mask and resizing
    it at 1400 x 900; a unit test compares it with Pillow's resize."""
    import numpy as np
    from PIL import Image

    cells = (max(1, width // INK_CELL), max(1, height // INK_CELL))
    columns = _box_runs(width, cells[0])
    rows = _box_runs(height, cells[1])
    # Pillow 13 reduces a mask much taller than wide down its columns first (its rounding
    # then differs), earlier versions along its rows first always: such a mask is resized.
    if (columns is None or rows is None or not hasattr(np, "bitwise_count")
            or height - cells[1] > 2 * (width - cells[0])):
        return np.asarray(_ink_image(_unpack(words, width)).resize(cells, Image.Resampling.BOX))
    first, last, weight, count = columns
    low, high, straddle = _run_bits(width, cells[0])
    ink = np.bitwise_count(np.take(words, first // 64, axis=1) & low)
    if len(straddle):  # runs that go on into the next word
        ink[:, straddle] += np.bitwise_count(
            np.take(words, (last[straddle] - 1) // 64, axis=1) & high[straddle])
    # 255 x weight x (pixels - ink) + rounding, at most 255.5 x 2**22: 32 bits suffice.
    across = (255 * weight * count + (1 << 21)).astype(np.int32) - (255 * weight).astype(np.int32) * ink
    across >>= 22
    top, bottom, weight, _ = rows
    if np.array_equal(top[1:], bottom[:-1]):  # the runs follow on: each one a sum of rows
        sums = np.add.reduceat(across[:bottom[-1]], top, axis=0)
    else:
        ends = np.zeros((height + 1, cells[0]), dtype=np.int32)
        np.cumsum(across, axis=0, out=ends[1:])
        sums = ends[bottom] - ends[top]
    down = sums * weight.astype(np.int32)[:, None]
    down += 1 << 21
    down >>= 22
    return down.astype(np.uint8)


@functools.lru_cache(maxsize=64)
def _box_runs(size: int, cells: int) -> tuple[Any, Any, Any, Any] | None:
    """Pillow's BOX reduction of ``size`` pixels to ``cells`` (its Resample.c
    precompute_coeffs and normalize_coeffs_8bpc, replayed in the same double arithmetic):
    each cell's first pixel of weight, one past its last, the weight in 22-bit fixed point,
    and how many pixels carry it. None when a cell's weighted pixels are no single run of
    one weight (not so for a box filter; the caller then resizes with Pillow)."""
    import numpy as np

    scale = float(np.float32(size)) / cells  # Pillow takes the box's sides as C floats
    filterscale = max(scale, 1.0)
    support = 0.5 * filterscale
    step = 1.0 / filterscale
    out: list[tuple[int, int, int, int]] = []
    for cell in range(cells):
        centre = (cell + 0.5) * scale
        start = max(int(centre - support + 0.5), 0)
        taps = min(int(centre + support + 0.5), size) - start
        weighted = [x for x in range(taps) if -0.5 < (x + start - centre + 0.5) * step <= 0.5]
        if not weighted or weighted[-1] - weighted[0] + 1 != len(weighted):
            return None
        out.append((start + weighted[0], start + weighted[-1] + 1,
                    int(0.5 + (1.0 / len(weighted)) * (1 << 22)), len(weighted)))
    first, last, weight, count = (np.array(column, dtype=np.int64) for column in zip(*out, strict=True))
    return first, last, weight, count


@functools.lru_cache(maxsize=64)
def _run_bits(size: int, cells: int) -> tuple[Any, Any, Any]:
    """Bit masks, in packed words (``_pack``), of ``_box_runs(size, cells)``'s runs (each
    at most 64 pixels): each run's bits in the word of its first pixel and in the next
    word, and the runs that have any there."""
    import numpy as np

    runs = _box_runs(size, cells)
    assert runs is not None
    low, high = [], []
    for start, end in zip(runs[0].tolist(), runs[1].tolist(), strict=True):
        word = start // 64
        low.append(((1 << min(end - word * 64, 64)) - 1) ^ ((1 << (start % 64)) - 1))
        high.append((1 << ((end - 1) % 64 + 1)) - 1 if (end - 1) // 64 != word else 0)
    high_bits = np.array(high, dtype=np.uint64)
    return np.array(low, dtype=np.uint64), high_bits, np.flatnonzero(high_bits)


def _around_share(paper: Any, ink: Any, box: tuple[int, int, int, int]) -> float:
    """Share of paper among the pixels of ``box`` that are not ink (1.0 when all are ink);
    ``paper`` holds none of the ink's pixels."""
    import numpy as np

    region = ink[box[1]:box[3], box[0]:box[2]]
    around = region.size - np.count_nonzero(region)
    if not around:
        return 1.0
    return np.count_nonzero(paper[box[1]:box[3], box[0]:box[2]]) / around


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _tight(crop: Any) -> Any:
    """``crop`` cut to the bounding box of its ink."""
    import numpy as np

    ink = np.asarray(crop) < 128
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows) or not len(cols):
        return crop
    return crop.crop((int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1))


def _inside_ring(crop: Any) -> Any:
    """A round stamp's crop with its ring(s) whitened, so only the text inside is left."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(crop).copy()
    height, width = pixels.shape
    ys, xs = np.ogrid[:height, :width]
    cy, cx = (height - 1) / 2, (width - 1) / 2
    radius = min(height, width) / 2
    distance = np.sqrt(((ys - cy) / (height / 2)) ** 2 + ((xs - cx) / (width / 2)) ** 2) * radius
    pixels[distance > radius * 0.78] = 255
    return Image.fromarray(pixels)


def _components(cells: Any, most: int | None = None) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (top, left, bottom, right) of the 4-connected True regions, largest
    first, ties in the order of their first cell row by row; the first ``most`` of them.

    OpenCV labels them (its labels follow their first cell in raster order, so a stable
    sort by size keeps the ties' order): 0.05 ms for a busy photo's grid, where labelling
    its runs with NumPy took 0.4."""
    return [(top, left, bottom, right) for left, top, right, bottom in _component_boxes(cells, most)]


def _component_boxes(cells: Any, most: int | None = None) -> Any:
    """``_components``'s boxes as an (n, 4) array of (left, top, right, bottom), inclusive."""
    import numpy as np

    cv2 = _opencv()
    count, _, stats, _ = cv2.connectedComponentsWithStats(
        np.ascontiguousarray(cells, dtype=np.uint8), connectivity=4, ltype=cv2.CV_32S)
    stats = stats[1:count]  # label 0 is the background
    stats = stats[np.argsort(-stats[:, cv2.CC_STAT_AREA], kind="stable")[:most]]
    left, top = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    return np.stack((left, top, left + stats[:, cv2.CC_STAT_WIDTH] - 1,
                     top + stats[:, cv2.CC_STAT_HEIGHT] - 1), axis=1).astype(np.int64)


def _thick_strokes(grey: Any, *, smooth: bool = False) -> tuple[Any, int] | None:
    """(mask of strokes much thicker than body text, the angle they run at) or None.

    The paper is flattened first (divided by its blurred brightness), so a photo's uneven
    light is not taken for ink; an opening then removes every stroke thinner than a few
    pixels — body text — and leaves display type such as a watermark. ``smooth``: a page's
    scanner grain is taken out first (a 3 x 3 median), as on a page read in full.
    """
    import numpy as np
    from PIL import Image, ImageFilter

    small, _ = _shrink(grey, MASK_SIDE)
    if smooth:
        # A pale watermark (#ddd: 12 % under the paper) lies 3-9 grey levels past the ink
        # threshold; a 200 dpi scanner's grain pits its strokes here and there, the opening
        # widens each pit, and the letters came out in pieces (OP, ECRET). The median takes
        # out single grains and keeps the strokes' edges (a box blur would soften them).
        small = Image.fromarray(_opencv().medianBlur(_pixels(small), 3))
    paper = small.resize((max(1, small.width // 8), max(1, small.height // 8)), Image.Resampling.BOX)
    paper = _max_filter(paper, 2).filter(ImageFilter.GaussianBlur(2))
    total = small.width * small.height
    if _surely_eroded(small, paper) > 0.25 * total:
        return None  # the erosion below is over a quarter of the picture: see there
    background = paper.resize(small.size, Image.Resampling.BILINEAR)
    # Ink: under 232/255 of its paper's brightness (pixel * 255 < paper * 232, paper at
    # least 1), compared in 8 bits against each paper level's first brightness that is not.
    ink = _pixels(small) < _pixels(background.point(_INK_UNDER))
    # The opening lies between its erosion and the ink: the share of strokes it would
    # leave is already out of bounds when the ink's is too low or the erosion's too high
    # (a busy photo's dark half), and the rest of the opening is not done.
    if np.count_nonzero(ink) / total < 0.003:
        return None
    width = ink.shape[1]
    eroded = _eroded(_pack(ink), width, 3)
    if _count(eroded, width) / total > 0.25:
        return None
    # Opening of the dark strokes: an erosion erases those thinner than the kernel, the
    # dilation after it gives the survivors back their width.
    thick = _spread(eroded, 3)
    share = _count(thick, width) / total
    if share < 0.003 or share > 0.25:
        return None
    mask = _ink_image(_unpack(thick, width))
    return mask, _stroke_angle(mask)


# Blocks (pixels a side) in which _surely_eroded bounds the thick-stroke pass's ink.
SURE_BLOCK = 4


def _surely_eroded(small: Any, paper: Any) -> int:
    """A lower bound, from 4 x 4 blocks, of the pixels that ``_thick_strokes``'s ink eroded
    by 3 holds, where ``paper`` is its paper level before Pillow's bilinear enlargement to
    ``small``'s size.

    An enlarged pixel is a weighted mean of the 2-3 paper levels nearest it on each axis
    (no weight negative), so it is never under their least; a block whose brightest pixel
    is under the ink threshold of the least level near it is all ink, and so is, after the
    erosion, a block whose 8 neighbours (or the picture's edge) are all ink too. A busy
    photo's dark half is found so without enlarging the paper level, thresholding every
    pixel and eroding: 1 ms against 3.5 at 1400 x 900, and the pass ends as before.
    """
    import numpy as np

    pixels = _pixels(small)
    height, width = pixels.shape
    levels = _pixels(paper)
    rows, columns = height // SURE_BLOCK, width // SURE_BLOCK
    if not rows or not columns:
        return 0

    def nearest(side: int, nodes: int, blocks: int) -> tuple[Any, Any, Any]:
        # Pillow's weights for output pixel x fall on levels floor(c - 0.5) .. floor(c + 0.5),
        # c = (x + 0.5) * nodes / side; a block's first pixel gives the first, its last the last.
        start = np.arange(blocks) * SURE_BLOCK
        scale = nodes / side
        first = np.clip(np.floor((start + 0.5) * scale - 0.5 - 1e-9).astype(np.int64), 0, nodes - 1)
        last = np.clip(np.floor((start + SURE_BLOCK - 0.5) * scale + 0.5 + 1e-9).astype(np.int64),
                       0, nodes - 1)
        return first, np.minimum(first + 1, last), last

    top, middle, bottom = nearest(height, levels.shape[0], rows)
    left, centre, right = nearest(width, levels.shape[1], columns)
    if (bottom - top).max() > 2 or (right - left).max() > 2:
        return 0  # a picture too small for its paper level's grid: no bound
    across = np.minimum(np.minimum(levels[top], levels[middle]), levels[bottom])
    least = np.minimum(np.minimum(across[:, left], across[:, centre]), across[:, right])
    cut = pixels[:rows * SURE_BLOCK, :columns * SURE_BLOCK]
    brightest = cut[0::SURE_BLOCK]
    for offset in range(1, SURE_BLOCK):
        brightest = np.maximum(brightest, cut[offset::SURE_BLOCK])
    block = brightest[:, 0::SURE_BLOCK]
    for offset in range(1, SURE_BLOCK):
        block = np.maximum(block, brightest[:, offset::SURE_BLOCK])
    # Outside the picture counts as ink (as in _erode); the pixels past the last whole
    # block on a side are not known to be.
    known = np.ones((rows + 2 + bool(height % SURE_BLOCK), columns + 2 + bool(width % SURE_BLOCK)),
                    dtype=bool)
    known[1:rows + 1, 1:columns + 1] = block < _ink_thresholds()[least]
    if height % SURE_BLOCK:
        known[rows + 1, 1:-1] = False
    if width % SURE_BLOCK:
        known[1:-1, columns + 1] = False
    # The erosion by 3 pixels reaches no further than the 8 blocks around a block.
    eroded = known[1:rows + 1, 1:columns + 1].copy()
    for down in (0, 1, 2):
        for across_ in (0, 1, 2):
            eroded &= known[down:down + rows, across_:across_ + columns]
    return int(np.count_nonzero(eroded)) * SURE_BLOCK * SURE_BLOCK


@functools.cache
def _ink_thresholds() -> Any:
    """_INK_UNDER as a NumPy lookup table."""
    import numpy as np

    return np.array(_INK_UNDER, dtype=np.uint8)


# For each paper brightness p (0-255): the least pixel brightness that is not ink on it,
# ceil(max(p, 1) * 232 / 255); a pixel is ink when under it.
_INK_UNDER = [-(-max(level, 1) * 232 // 255) for level in range(256)]


def _max_filter(image: Any, radius: int) -> Any:
    """``image.filter(ImageFilter.MaxFilter(2 * radius + 1))`` (its edge pixels repeated
    outwards) in NumPy: Pillow's rank filter sorts every window, 5-10 ms for a 200 px
    picture's 5 x 5, where a maximum over rows, then columns, is separable."""
    import numpy as np
    from PIL import Image

    pixels = _pixels(image)
    out = pixels.copy()
    for shift in range(1, radius + 1):
        np.maximum(out[shift:, :], pixels[:-shift, :], out=out[shift:, :])
        np.maximum(out[:-shift, :], pixels[shift:, :], out=out[:-shift, :])
    wide = out.copy()
    for shift in range(1, radius + 1):
        np.maximum(wide[:, shift:], out[:, :-shift], out=wide[:, shift:])
        np.maximum(wide[:, :-shift], out[:, shift:], out=wide[:, :-shift])
    return Image.fromarray(wide)


def _erode(ink: Any, radius: int) -> Any:
    """Boolean erosion by a square of side 2*radius+1 (pixels outside the picture count
    as ink)."""
    return ~_dilate(~ink, radius)


def _dilate(ink: Any, radius: int) -> Any:
    """Boolean dilation by a square of side 2*radius+1 (pixels outside the picture add
    nothing)."""
    return _unpack(_spread(_pack(ink), radius), ink.shape[1])


def _pack(ink: Any) -> Any:
    """A boolean mask's rows packed 64 pixels to a word (pixel x is bit x % 64 of word
    x // 64), the bits past a row's end clear. The morphology below works on the words:
    a 1600 px mask is dilated in 0.1-0.3 ms, where a boolean at a time takes 2-5 ms, and
    a chain of operations packs and unpacks once (each costs about as much as a dilation)."""
    import numpy as np

    height, width = ink.shape
    packed = np.packbits(ink, axis=1, bitorder="little")
    words = np.zeros((height, -(-width // 64) * 8), dtype=np.uint8)
    words[:, :packed.shape[1]] = packed
    return words.view("<u8")


def _unpack(words: Any, width: int) -> Any:
    """The boolean mask of packed ``words`` (``_pack``), its rows ``width`` pixels long."""
    import numpy as np

    return np.unpackbits(words.view(np.uint8), axis=1, count=width, bitorder="little").view(bool)


def _complement(words: Any, width: int) -> Any:
    """The packed complement of packed ``words`` (``_pack``), the bits past ``width`` clear:
    what is outside the picture is outside the complement too, so an erosion counts it as ink."""
    import numpy as np

    tail = width % 64
    out = ~words
    if tail:
        out[:, -1] &= np.uint64((1 << tail) - 1)
    return out


def _spread(words: Any, radius: int) -> Any:
    """Packed dilation (``_pack``) by a square of side 2*radius+1: separable, rows then
    columns. Bits past a row's end may be set on the way (``_unpack`` and ``_count`` leave
    them out; ``_complement`` clears them)."""
    import numpy as np

    out = words.copy()
    for shift in range(1, radius + 1):
        out[shift:, :] |= words[:-shift, :]
        out[:-shift, :] |= words[shift:, :]
    # Each word's neighbours on the left and right (none past the row's ends), and one
    # buffer for the shifts: whole arrays in place, where shifting a column-sliced view
    # into a new array took nearly twice as long.
    before = np.zeros_like(out)
    before[:, 1:] = out[:, :-1]
    after = np.zeros_like(out)
    after[:, :-1] = out[:, 1:]
    wide = out.copy()
    moved = np.empty_like(out)
    for shift in range(1, radius + 1):
        # Pixel x takes x - shift (from the left, across the word before at a word's
        # start) and x + shift (from the right, across the word after).
        step, rest = np.uint64(shift), np.uint64(64 - shift)
        wide |= np.left_shift(out, step, out=moved)
        wide |= np.right_shift(before, rest, out=moved)
        wide |= np.right_shift(out, step, out=moved)
        wide |= np.left_shift(after, rest, out=moved)
    return wide


def _eroded(words: Any, width: int, radius: int) -> Any:
    """Packed erosion (``_pack``) by a square of side 2*radius+1, pixels outside the
    picture counted as ink; the bits past a row's end clear."""
    return _complement(_spread(_complement(words, width), radius), width)


def _count(words: Any, width: int) -> int:
    """Pixels set in packed ``words`` (``_pack``), bits past a row's end left out."""
    import numpy as np

    tail = width % 64
    if tail:
        words = words.copy()
        words[:, -1] &= np.uint64((1 << tail) - 1)
    if hasattr(np, "bitwise_count"):  # NumPy 2
        return int(np.bitwise_count(words).sum())
    return int(np.count_nonzero(_unpack(words, width)))


def _stroke_angle(mask: Any) -> int:
    """The turn (degrees, anticlockwise) that makes the strokes' lines horizontal.

    Classic projection-profile skew search: the turn at which the row sums of the ink
    vary most lines the text up in rows.
    """
    small, _ = _shrink(mask, 400)
    return _profile_angle(small)


def _profile_angle(small: Any) -> int:
    """The turn of ``small`` (a mask) at which its row sums vary most, to 2 degrees."""
    import numpy as np

    best = (-1.0, 0)
    for angle in range(-85, 90, 5):
        turned = np.asarray(small.rotate(angle, fillcolor=255, expand=True)) < 128
        variance = float(turned.sum(axis=1).astype(np.float32).var())
        if variance > best[0]:
            best = (variance, angle)
    coarse = best[1]
    for angle in (coarse - 2, coarse + 2):
        turned = np.asarray(small.rotate(angle, fillcolor=255, expand=True)) < 128
        variance = float(turned.sum(axis=1).astype(np.float32).var())
        if variance > best[0]:
            best = (variance, angle)
    return best[1]


# Level lines of thick strokes (a bold heading) set aside before a slanted watermark is
# looked for on the same page: the run of rows around the fullest one, down to
# LEVEL_ROW_EDGE of its ink, when its strokes run LEVEL_LINE_WIDTH times wider than it is
# high (a slanted watermark's rows run on over much of its width).
LEVEL_LINES_SET_ASIDE = 3
LEVEL_ROW_EDGE = 0.05
LEVEL_LINE_WIDTH = 3
SLANT_LEFT = 0.003  # share of the mask's pixels left as strokes for a slant to be sought


def _slant_beside_level_lines(mask: Any) -> tuple[int, Any]:
    """(the turn of the strokes of ``mask`` left when its level lines are set aside, the
    mask without them), where ``_stroke_angle`` found them level (0 and ``mask`` when
    nothing slanted is left).

    A page's bold heading, level, outweighs a pale watermark slanted across the page in
    the projection profile (a #ddd TOP SECRET under "Restaurant Bella Vista - Menu" was
    not read): the line of the fullest rows is set aside and the search made again on
    what is left, up to LEVEL_LINES_SET_ASIDE times, while strokes are left."""
    import numpy as np
    from PIL import Image

    small, _ = _shrink(mask, 400)
    ink = np.asarray(small) < 128
    aside: list[tuple[int, int, int, int]] = []  # rows and columns of the lines set aside
    for _ in range(LEVEL_LINES_SET_ASIDE):
        rows = ink.sum(axis=1)
        fullest = int(rows.argmax())
        edge = rows >= max(1, LEVEL_ROW_EDGE * rows[fullest])
        top = bottom = fullest
        while top > 0 and edge[top - 1]:
            top -= 1
        while bottom + 1 < len(rows) and edge[bottom + 1]:
            bottom += 1
        columns = np.flatnonzero(ink[top:bottom + 1].any(axis=0))
        if not len(columns) or columns[-1] - columns[0] < LEVEL_LINE_WIDTH * (bottom + 1 - top):
            return 0, mask  # the fullest rows are no level line: the strokes are level
        ink[top:bottom + 1] = False
        aside.append((top, bottom, int(columns[0]), int(columns[-1])))
        if np.count_nonzero(ink) < SLANT_LEFT * ink.size:
            return 0, mask
        angle = _profile_angle(Image.fromarray(np.where(ink, 0, 255).astype(np.uint8)))
        if abs(angle) >= MIN_WATERMARK_ANGLE:
            kept = np.array(mask)  # a copy: the caller's mask stays as it was
            across, down = mask.width / small.width, mask.height / small.height
            for top, bottom, left, right in aside:
                kept[int(top * down):int((bottom + 1) * down) + 1,
                     int(left * across):int((right + 1) * across) + 1] = 255
            return angle, Image.fromarray(kept)
    return 0, mask


def read_for_item(budget: Budget, image: Any, where: str, source: bytes = b""
                  ) -> tuple[str, Defect | None]:
    """OCR of one picture or page of an item, under the item's OCR limits.

    Returns the text (possibly empty) and a Defect when a limit stopped the reading: the
    picture count, the item's OCR time, or this picture's time. Callers yield the text
    as an ``#ocr`` text part and the Defect beside it, so the item is held, not passed.
    ``source`` names the picture by its encoded bytes (their SHA-256 and the frame): one
    this process has read before is not read again (``TextCache``).
    """
    reader = budget.ocr
    limits = budget.limits
    if reader is None or not legible(*image.size, reader.config):
        return "", None  # no legible line fits: not read, and no engine loaded for it
    # A small picture (a logo, a signature's banner: read in full, 0.05-0.3 s) seen before
    # in this item gives the same text; it is known by its pixels, which cost nothing to
    # hash at that size. Larger pictures are surveyed, where hashing would cost a tenth.
    digest = b""
    if image.width * image.height < SURVEY_PIXELS:
        pixels = hashlib.blake2b(image.tobytes(), digest_size=16,
                                 person=f"{image.mode} {image.width}x{image.height}".encode()[:16])
        digest = pixels.digest()
        if digest in budget.ocr_texts:
            return budget.ocr_texts[digest], None
    if budget.ocr_pages >= limits.ocr_pages:
        budget.limits_reached.append("ocr_pages")
        return "", Defect("limit.ocr_pages", "high",
                          f"more than {limits.ocr_pages} pictures or scanned pages in this item; "
                          "this one was not read", where)
    left = limits.ocr_item_seconds - budget.ocr_seconds
    if left <= 0:
        budget.limits_reached.append("ocr_item_seconds")
        return "", Defect("limit.ocr_item_seconds", "high",
                          f"OCR of this item took more than {limits.ocr_item_seconds:g} CPU "
                          "seconds; this picture was not read", where)
    # Words on photographs are looked for on an item's first few (MAX_PHOTO_WORD_CHECKS):
    # 0.1-0.15 s a busy photo, which a deck or a report of dozens of photos would add up
    # to a time limit on a loaded machine (a false hold).
    words = budget.photo_word_checks < MAX_PHOTO_WORD_CHECKS
    key = reader.texts.key(source, words=words) if source else b""
    cached = reader.texts.get(key) if key else None
    if cached is not None:  # read before in this process: its text, and its count
        text, looked_over = cached
        budget.ocr_pages += 1
        budget.ocr_cached += 1
        budget.photo_word_checks += looked_over
        if digest:
            budget.ocr_texts[digest] = text
        return text, None
    # Loading the engines (on a scanner process's first picture) is not this item's time.
    budget.extend_deadlines(reader.load_layout())
    survey = reader.survey(image, words=words)
    looked_over = not survey.text and survey.grey.width * survey.grey.height >= SURVEY_PIXELS
    budget.photo_word_checks += looked_over
    budget.ocr_seconds += survey.seconds
    if survey.worth_reading:
        budget.extend_deadlines(reader.load())
    else:  # a photograph without text: nothing more to read, no engine to load
        budget.ocr_pages += 1
        if key:
            reader.texts.put(key, survey.words, looked_over)
        return survey.words, None
    # CPU seconds: this page's, within the item's OCR and the open part's; the wall-clock
    # backstop: wall_factor times those, within the part's own backstop.
    cpu_left, wall_left = budget.left()
    seconds = max(min(limits.ocr_page_seconds, left - survey.seconds, cpu_left), 0.001)
    result = reader.read(image, seconds=seconds, survey=survey,
                         wall_seconds=max(min(seconds * limits.wall_factor, wall_left), 0.001),
                         share=budget.item_deadline.measured_share())
    budget.extend_deadlines(result.loaded)
    budget.ocr_pages += 1
    budget.ocr_seconds += result.seconds
    if result.complete:
        if digest:
            budget.ocr_texts[digest] = result.text
        if key:
            reader.texts.put(key, result.text, looked_over)
        return result.text, None
    budget.limits_reached.append("ocr_page_seconds")
    return result.text, Defect("limit.ocr_page_seconds", "high",
                               budget.took("reading this picture", result.stopped_on, seconds)
                               + "; it was not fully read", where)

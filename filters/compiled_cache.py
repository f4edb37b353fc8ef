"""Compiled rules kept on disk between runs (config key ``rules.cache_dir``), so that a
one-file ``redline scan`` does not compile every rule again.

Two things are kept: the rule set (YARA's compiled rules and the marking rules with each
regular expression's program, see ``load_rules_cached`` and ``program_of``, and where
each marking rule's matches can begin, ``rules.match_starts``; its YARA rules for text
beyond ASCII in a file of their own, read only by a text that needs them; the Hyperscan
databases of the trigger words, ``filters.trigger_scan``, loaded on first use) and the
Hyperscan databases of the personal-data engine and of the ROT13 and reversed-text
pre-search (``engines/substitution.py``). Each file is
named by a hash of everything its content depends on. For the rule set that is each rule
file's path and bytes, the inline ``[[rules.custom]]`` rules, the source of the modules
that compile them (this package's top level), and the versions of YARA, yara-python, Hyperscan and
Python; for the database, its expressions and Hyperscan's version. A changed rule file,
an edited compiler or an upgrade gives a new name, so a stale file is never read.

Files are kept by configuration, not by count: each CompiledCache (one is made for
each pipeline build) stamps every file it reads or writes with its own generation, the
time it was made, as the file's modify time. A write keeps the files of the
``KEEP_GENERATIONS`` newest stamps, and its own, and removes the rest: the files of
configurations no longer run. A file the current configuration uses carries the newest
stamp, whatever its kind or whenever it was first written, so it is never removed; a
configuration changed many times leaves at most that many configurations' files. (The
personal-data engine's databases are read, and stamped, when a text first needs one; a
server reads them all at start.)

A file that cannot be read whole (cut short, damaged, another format) is logged and the
rules are compiled afresh; a folder that cannot be written leaves them compiled in
memory only. Either way the scan is the same.

The files hold a pickle and YARA's and Hyperscan's compiled forms, which could make a
scan run other rules, or other code, than the rule files say. So the folder and each
file must belong to this user and be writable by no one else, or the cache is not used.
"""

from __future__ import annotations

import _sre
import array
import contextlib
import copyreg
import dataclasses
import hashlib
import io
import json
import logging
import operator
import os
import pickle
import re
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar

import hyperscan
import yara

from filters import rules as rules_module
from filters import vocabulary
from filters.errors import RuleError
from filters.rules import Arm, Context, MarkingRule, MatchStarts, RuleSet, YaraMeta
from filters.trigger_scan import TriggerScan

log = logging.getLogger("redline.filters")

FORMAT = b"redline compiled cache 3\n"
# How many configurations' files are kept (a configuration is one CompiledCache's
# generation stamp; one holds the rule set and the personal-data engine's ~15 databases).
KEEP_GENERATIONS = 8
TEXT_RULES = "textrules"  # the kind of the file of the text rules beyond ASCII (LazyYara)
_DIGEST = 4  # CRC-32 of the key and payload: catches a file cut short or damaged (a
# planted file is kept out by the ownership checks, not by this); a third of SHA-256's
# time over a rule set's 10 MB


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/redline``, or ``~/.cache/redline`` (the XDG base directory default)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "redline"


def _checksum(data: bytes, before: bytes = b"") -> bytes:
    """The CRC-32 of ``before`` (another checksum) continued over ``data``."""
    return zlib.crc32(data, int.from_bytes(before, "big")).to_bytes(_DIGEST, "big")


def _private(stat: os.stat_result) -> bool:
    """Owned by this user and writable by no one else."""
    return stat.st_uid == os.getuid() and not stat.st_mode & 0o022


class CompiledCache:
    """A private folder of compiled forms, each named by the hash of what it came from.

    Every file this object reads or writes is stamped with ``generation`` (see the module
    docstring): make one object for everything one configuration compiles.
    """

    def __init__(self, folder: Path | None = None, generation: int | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_cache_dir()
        self.generation = generation if generation is not None else time.time_ns()

    def _usable(self) -> bool:
        try:
            if _private(self.folder.stat()):
                return True
            log.warning(
                "compiled-rules cache %s: the folder is not this user's alone (or "
                "others may write to it); compiling without the cache",
                self.folder,
            )
        except FileNotFoundError:
            return True  # made, private, when the first file is written
        except OSError as exc:
            log.warning(
                "compiled-rules cache %s: %s; compiling without the cache", self.folder, exc.strerror or exc
            )
        return False

    def path(self, kind: str, key: str) -> Path:
        """Where the ``kind`` file for ``key`` lives."""
        return self.folder / f"{kind}-{key[:32]}.cache"

    def get(self, kind: str, key: str) -> bytes | None:
        """The stored bytes for ``key``, or None (absent, or unusable: logged)."""
        path = self.path(kind, key)
        if not self._usable():
            return None
        head = len(FORMAT) + _DIGEST + 64  # the format, the checksum and the key
        try:
            with open(path, "rb") as handle:
                stat = os.fstat(handle.fileno())
                if not _private(stat):
                    raise ValueError("the file is not this user's alone")
                # The payload read on its own: no copy of a rule set's 10 MB cut from it.
                start, payload = handle.read(head), handle.read()
                self._stamp(handle.fileno(), stat)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            self.unusable(path, exc)
            return None
        digest, stored_key = start[len(FORMAT) : len(FORMAT) + _DIGEST], start[len(FORMAT) + _DIGEST :]
        if not start.startswith(FORMAT):
            self.unusable(path, "not a cache file of this format")
        elif len(start) < head or _checksum(payload, _checksum(stored_key)) != digest:
            self.unusable(path, "its checksum does not match (cut short or damaged)")
        elif stored_key != key.encode():
            self.unusable(path, "it was written for something else")
        else:
            return payload
        return None

    def touch(self, kind: str, key: str) -> None:
        """Stamp the ``kind`` file for ``key`` as used by this generation without reading
        it (one read later, or not at all, is kept with the files read now)."""
        if self._usable():
            self._stamp(str(self.path(kind, key)))

    def _stamp(self, target: int | str, stat: os.stat_result | None = None) -> None:
        """Mark the file (a descriptor or path) as used by this generation; one read is
        never moved back (``stat``: a later configuration that uses it too keeps it)."""
        if stat is None or stat.st_mtime_ns < self.generation:
            with contextlib.suppress(OSError):  # a file we may not stamp is pruned sooner
                os.utime(target, ns=(self.generation, self.generation))

    def _prune(self, written: Path) -> None:
        """Remove the files of all but the ``KEEP_GENERATIONS`` newest stamps (and this
        object's own, and ``written``)."""
        stamps: dict[int, list[Path]] = {}
        for path in self.folder.glob("*-*.cache"):
            try:
                stamps.setdefault(path.stat().st_mtime_ns, []).append(path)
            except FileNotFoundError:  # pruned by another process meanwhile
                continue
        for stamp in sorted(stamps, reverse=True)[KEEP_GENERATIONS:]:
            if stamp == self.generation:
                continue
            for old in stamps[stamp]:
                if old != written:
                    old.unlink(missing_ok=True)

    def unusable(self, path: Path, reason: object) -> None:
        """Log that the file at ``path`` cannot be used and will be compiled afresh."""
        if isinstance(reason, OSError) and reason.strerror:
            reason = reason.strerror
        log.warning("compiled-rules cache %s: %s; compiling again", path, reason)

    def put(self, kind: str, key: str, payload: bytes) -> None:
        """Store ``payload`` for ``key`` atomically (a reader sees the old file or the whole
        new one); a folder that cannot be written is logged and left alone."""
        if not self._usable():
            return
        folder = self.folder
        body = key.encode() + payload
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _private(folder.stat()):  # made by someone else meanwhile: leave it
                return
            import tempfile  # only when writing: not for a scan that reads the cache

            descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
            try:
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(FORMAT + _checksum(body) + body)
                    handle.flush()
                    os.fsync(handle.fileno())
                path = self.path(kind, key)
                self._stamp(temporary)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            self._prune(path)
        except OSError as exc:
            log.info(
                "compiled-rules cache %s: not written (%s); compiled in memory only",
                folder,
                exc.strerror or exc,
            )


# What re.compile hands the regular-expression engine: final flags, the program's code
# (as bytes, deflated: a marking rule's program is mostly character-set bitmaps, 4.6 MB
# for the shipped rules against 0.5 MB deflated, and every start reads and checksums the
# cache file whole while a scan builds only the few patterns its trigger words open),
# the group count, and the group names both ways. Python's compiler (parse,
# then code generation) is what makes re.compile slow for a marking rule's long pattern
# (about a millisecond each, 34 of them for one plain mail); the engine builds a pattern
# from its program in microseconds. Programs are only read back by the Python that wrote
# them: the cache's name includes sys.version and _sre.MAGIC.
Program = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]


def program_of(compiled: re.Pattern[Any]) -> Program | None:
    """``compiled``'s program, produced again the way re.compile produces it (None where
    this Python's engine does not take programs so, or the result would differ)."""
    try:
        from re import _compiler, _parser

        parsed = _parser.parse(compiled.pattern, compiled.flags)
        code = _compiler._code(parsed, compiled.flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        words = array.array("I", code)
        if words.itemsize != _sre.CODESIZE:
            return None
        program = (
            compiled.flags | parsed.state.flags,
            zlib.compress(words.tobytes()),
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
        built = _from_program(compiled.pattern, program)
    except Exception:  # an internal interface changed: compile as re.compile does
        return None
    same = (built.flags, built.groups, built.groupindex) == (
        compiled.flags,
        compiled.groups,
        compiled.groupindex,
    )
    return program if same else None


def _from_program(pattern: str | bytes, program: Program) -> re.Pattern[Any]:
    flags, code, groups, groupindex, indexgroup = program
    words = array.array("I")
    words.frombytes(zlib.decompress(code))
    return _sre.compile(pattern, flags, words.tolist(), groups, groupindex, indexgroup)


class LazyPattern:
    """A regular expression compiled on its first use.

    A rule set read from the cache holds a few hundred patterns, and one scan tries only
    those whose trigger words occur; compiling them all would cost more than the rest of
    a one-file scan. Each is built on first use from the program stored with it when the
    cache was written (see ``program_of``), or compiled again.
    """

    __slots__ = ("_compiled", "_program", "flags", "pattern")

    def __init__(self, pattern: str | bytes, flags: int = 0, program: Program | None = None) -> None:
        self.pattern = pattern
        self.flags = flags
        self._program = program
        self._compiled: re.Pattern[Any] | None = None

    def compiled(self) -> re.Pattern[Any]:
        """The compiled pattern (built or compiled now if this is its first use)."""
        if self._compiled is None:
            if self._program is not None:
                try:
                    self._compiled = _from_program(self.pattern, self._program)
                except Exception:  # a damaged program: what re.compile gives instead
                    self._program = None
            if self._compiled is None:
                self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def search(self, *args: Any) -> re.Match[Any] | None:
        """As ``re.Pattern.search``."""
        return self.compiled().search(*args)

    def match(self, *args: Any) -> re.Match[Any] | None:
        """As ``re.Pattern.match``."""
        return self.compiled().match(*args)

    def fullmatch(self, *args: Any) -> re.Match[Any] | None:
        """As ``re.Pattern.fullmatch``."""
        return self.compiled().fullmatch(*args)

    def finditer(self, *args: Any) -> Any:
        """As ``re.Pattern.finditer``."""
        return self.compiled().finditer(*args)

    def __getattr__(self, name: str) -> Any:  # findall, sub, groupindex …
        return getattr(self.compiled(), name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (LazyPattern, (self.pattern, self.flags, self._program))

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags})"


def compile_patterns(root: Any) -> int:
    """Compile now every LazyPattern reachable from ``root`` (a rule set), and load its
    YARA rules left to load on first use (LazyYara); how many patterns were not compiled
    yet.

    ``redline serve`` forks its scanner processes from a process that has read the rules
    from the cache: compiled there once, the patterns are inherited, where each fresh
    scanner would otherwise compile them during its first item (and a replaced one again).
    """
    count = 0
    seen: set[int] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if isinstance(obj, (str, bytes, int, float, re.Pattern)) or id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, LazyPattern):
            if obj._compiled is None:
                obj.compiled()
                count += 1
        elif isinstance(obj, LazyYara):
            obj.loaded()
        elif isinstance(obj, TriggerScan):
            obj.load()
        elif isinstance(obj, dict):
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack.extend(obj)
        elif hasattr(obj, "__dataclass_fields__"):
            stack.extend(getattr(obj, name, None) for name in obj.__dataclass_fields__)
        elif hasattr(obj, "__dict__"):
            stack.extend(vars(obj).values())
    return count


def _constructor_reducer(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    """A reducer that pickles a dataclass instance as ``cls(*fields)``: dataclasses' own
    state functions for frozen slots classes look the fields up again for every object,
    which was most of the time of reading 757 marking rules back."""
    fields = dataclasses.fields(cls)
    # cls(*fields) rebuilds the object only when every field is a positional argument.
    assert all(f.init and not f.kw_only for f in fields), cls
    assert not hasattr(cls, "__post_init__"), cls
    values = operator.attrgetter(*(f.name for f in fields))
    return lambda obj: (cls, values(obj))


class _Pickler(pickle.Pickler):
    """Writes every compiled pattern as a LazyPattern with its program (a pickled
    re.Pattern is compiled again when read, which is the cost the cache is there to save)
    and the rules' frozen dataclasses as constructor calls."""

    dispatch_table: ClassVar[dict[type, Callable[[Any], Any]]] = {
        **copyreg.dispatch_table,
        **{
            cls: _constructor_reducer(cls)
            for cls in (
                MarkingRule,
                MatchStarts,
                Arm,
                YaraMeta,
                Context,
                vocabulary.Entry,
                vocabulary.Grammar,
            )
        },
    }

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, re.Pattern):
            return (LazyPattern, (obj.pattern, obj.flags, program_of(obj)))
        return NotImplemented


def rules_key(files: Iterable[Path], custom: Iterable[Mapping[str, Any]]) -> str:
    """The hash that names a rule set's cache file (see the module docstring)."""
    digest = hashlib.sha256(FORMAT)
    digest.update(
        f"{yara.__version__} {yara.YARA_VERSION} {hyperscan.__version__} {sys.version} "
        f"{sys.implementation.cache_tag} {_sre.MAGIC} {os.uname().machine}\n".encode()
    )
    code = Path(rules_module.__file__).parent
    for path in sorted(code.iterdir()):
        if path.suffix in (".py", ".tsv"):
            digest.update(b"code " + path.name.encode() + b"\n" + path.read_bytes())
    for path in files:
        digest.update(b"rules " + str(Path(path).resolve()).encode() + b"\n" + path.read_bytes())
    digest.update(json.dumps(list(custom), sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _saved(rules: Any) -> bytes | None:
    if rules is None:
        return None
    out = io.BytesIO()
    rules.save(file=out)
    return out.getvalue()


def load_yara(blob: bytes) -> Any:
    """YARA's compiled rules saved in ``blob`` (``yara.Rules.save``), loaded.

    From a file object, libyara asks yara-python for each of its small reads and each
    is a call into Python (about 160,000 of them for the shipped text rules: 34 ms of a
    one-file scan's start-up); from a path it reads the file itself (6 ms). So the bytes
    are written to an anonymous in-memory file (memfd) and loaded by its /proc path;
    where that is not available, from a file object.
    """
    try:
        descriptor = os.memfd_create("redline-rules", os.MFD_CLOEXEC)
    except (AttributeError, OSError):  # not Linux
        return yara.load(file=io.BytesIO(blob))
    try:
        with open(descriptor, "wb", closefd=False) as handle:
            handle.write(blob)
        try:
            return yara.load(filepath=f"/proc/self/fd/{descriptor}")
        except yara.Error:  # no /proc
            return yara.load(file=io.BytesIO(blob))
    finally:
        os.close(descriptor)


class LazyYara:
    """YARA's compiled rules, loaded from their saved bytes on first use.

    A cached rule set keeps its rules for text beyond ASCII so (3 MB with every trigger
    word's other spellings: 13 ms of a one-file scan's start-up), in a file of their own
    (kind ``textrules``) that is read, and checksummed, only then: an English mail is
    read with the ASCII rules alone and never loads them. ``compile_patterns`` loads them
    before scanners fork. Should the bytes be missing or not load (a file removed, or
    damaged: the cache logs which), ``recompile`` gives the rules compiled afresh.
    """

    __slots__ = ("_blob", "_lock", "_recompile", "_rules")

    def __init__(self, blob: bytes | Callable[[], bytes | None], recompile: Callable[[], Any]) -> None:
        """``blob``: the saved rules, or what reads them (None when they cannot be had)."""
        self._blob: bytes | Callable[[], bytes | None] | None = blob
        self._recompile = recompile
        self._rules: Any = None
        self._lock = threading.Lock()

    @property
    def is_loaded(self) -> bool:
        """Whether the rules have been loaded."""
        return self._rules is not None

    def loaded(self) -> Any:
        """The ``yara.Rules`` (loaded now if this is their first use)."""
        if self._rules is None:
            with self._lock:  # scanner threads of one process: one load
                if self._rules is None and self._blob is not None:
                    try:
                        blob = self._blob() if callable(self._blob) else self._blob
                        if blob is None:
                            raise ValueError("their cache file is missing or unusable")
                        self._rules = load_yara(blob)
                    except Exception as exc:
                        log.warning(
                            "compiled-rules cache: YARA rules that do not load (%s: %s); compiling again",
                            type(exc).__name__,
                            exc,
                        )
                        self._rules = self._recompile()
                    self._blob = None
        return self._rules

    def match(self, *args: Any, **kwargs: Any) -> Any:
        """As ``yara.Rules.match``."""
        return self.loaded().match(*args, **kwargs)

    def __iter__(self) -> Any:
        return iter(self.loaded())

    def __getattr__(self, name: str) -> Any:  # save, …
        if name.startswith("_"):  # a slot not set yet (copy, pickle): not the rules'
            raise AttributeError(name)
        return getattr(self.loaded(), name)


def _ruleset(
    payload: bytes, recompile: Callable[[], RuleSet], text_file: Callable[[], bytes | None] | None = None
) -> RuleSet:
    """The rule set stored in ``payload``; ValueError when it does not load.

    The text rules for text beyond ASCII are loaded on first use (LazyYara) when there are
    ASCII ones beside them, from ``text_file`` when the payload says they were stored
    there; ``recompile`` compiles the rule set afresh should they fail.
    """
    try:
        stored = pickle.loads(payload)  # our own private file, checked by CompiledCache.get
        compiled = {
            name: None if stored[name] is None else load_yara(stored[name]) for name in ("raw", "text_ascii")
        }
        text = stored["text"]
        if stored.get("text_file"):
            if text_file is None or compiled["text_ascii"] is None:
                raise ValueError("its text rules are stored apart")
            compiled["text"] = LazyYara(text_file, lambda: recompile().text)
        elif text is not None:
            compiled["text"] = (
                load_yara(text)
                if compiled["text_ascii"] is None
                else LazyYara(text, lambda: recompile().text)
            )
        else:
            compiled["text"] = None
        return dataclasses.replace(stored["rules"], **compiled)
    except Exception as exc:  # whatever the reason, the answer is to compile afresh
        raise ValueError(f"it does not load ({type(exc).__name__}: {exc})") from None


def load_rules_cached(
    paths: Iterable[Path] | None,
    *,
    custom: Iterable[Mapping[str, Any]] = (),
    cache: CompiledCache | None = None,
) -> RuleSet:
    """``filters.rules.load_rules``, read from ``cache`` (default: ``default_cache_dir()``)
    when it holds these rules, else compiled and stored there.

    Raises RuleError as load_rules does; problems with the cache itself are logged, never
    raised.
    """
    custom = list(custom)
    rule_paths = list(paths) if paths is not None else [rules_module.default_rules_dir()]
    cache = cache or CompiledCache()
    try:
        key = rules_key(rules_module.rule_files(rule_paths), custom)
    except (OSError, RuleError):
        return rules_module.load_rules(rule_paths, custom=custom)  # it says what is wrong
    payload = cache.get("rules", key)
    if payload is not None:
        # Kept with the rules (a write prunes files by their stamps) though not read now.
        cache.touch(TEXT_RULES, key)
        try:
            return _ruleset(
                payload,
                lambda: rules_module.load_rules(rule_paths, custom=custom),
                lambda: cache.get(TEXT_RULES, key),
            )
        except ValueError as exc:
            cache.unusable(cache.path("rules", key), exc)
    ruleset = rules_module.load_rules(rule_paths, custom=custom)
    ruleset = dataclasses.replace(
        ruleset,
        starts={
            rule_id: rules_module.match_starts(rule.pattern)
            for rule_id, rule in ruleset.marking_rules.items()
        },
        words=rules_module.marking_words_of(ruleset),
    )
    # The text rules beyond ASCII go to a file of their own when ASCII ones stand beside
    # them (see LazyYara): written first, so that a reader finding the rules finds them.
    text_file = ruleset.text is not None and ruleset.text_ascii is not None
    if text_file:
        cache.put(TEXT_RULES, key, _saved(ruleset.text) or b"")
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(
        {
            "rules": dataclasses.replace(ruleset, raw=None, text=None, text_ascii=None),
            "raw": _saved(ruleset.raw),
            "text": None if text_file else _saved(ruleset.text),
            "text_file": text_file,
            "text_ascii": _saved(ruleset.text_ascii),
        }
    )
    cache.put("rules", key, buffer.getvalue())
    return ruleset

"""Compiled rules cached on disk give the same scans as rules compiled afresh; a changed
rule file, a damaged cache file and a folder that cannot be written or that others can
write each fall back to compiling, and say so."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from filters.build import FiltersConfig, build_pipeline
from filters.compiled_cache import CompiledCache, LazyPattern, load_rules_cached
from filters.rule_examples import problems
from filters.rules import RuleSet, default_rules_dir, marking_words_of, match_starts
from tests.fixtures.shipped_rules import shipped_rules

SECRET_MAIL = b"Subject: plans\n\nSECRET\n\nThe plan for next quarter.\n"
MARKER_RULE = (
    'rule bluefin {{ meta: category = "custom" severity = "high" strings: $a = "{word}" condition: $a }}\n'
)
BLUEFIN = "yara:org.bluefin"  # the hit of the organisation's rule above
BANNER = "classification.en.banner"  # the hit of SECRET alone on a line


def _cache_files(folder: Path, kind: str = "rules") -> list[Path]:
    return sorted(folder.glob(f"{kind}-*.cache"))


def _rules_copy(tmp_path: Path) -> Path:
    """The shipped rules plus one organisation rule file, in a folder the test may edit."""
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder)
    (folder / "org.yar").write_text(MARKER_RULE.format(word="BLUEFIN"), encoding="utf-8")
    return folder


def _verdict(rules_folder: Path, cache_folder: Path, data: bytes) -> tuple[str, list[str]]:
    config = FiltersConfig.from_mapping(
        {"rules": {"paths": [str(rules_folder)], "cache_dir": str(cache_folder)}}
    )
    verdict = build_pipeline(config, lazy=True).scan_bytes(data, origin="mail.eml")
    return verdict.action, sorted(hit.rule for hit in verdict.hits)


# Compiling the rules takes seconds: the rules compiled afresh, and cache folders written
# from them, are made once for this module. A test that reads rules from a cache starts
# from a copy of such a folder (``_seeded``); the tests of compiling and writing itself
# still start from an empty folder.


@pytest.fixture(scope="module")
def fresh() -> RuleSet:
    """The shipped rules compiled afresh (no test changes them), shared with other modules."""
    return shipped_rules()


@pytest.fixture(scope="module")
def shipped_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder written by a scan of a short text with the shipped rules."""
    folder = tmp_path_factory.mktemp("shipped") / "cache"
    _verdict(default_rules_dir(), folder, b"x")
    return folder


@pytest.fixture(scope="module")
def org_rules(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, tuple[str, list[str]]]:
    """The shipped rules plus the organisation's rule file (``_rules_copy``) in a folder no
    test edits; a cache folder written from them; and the verdict on SECRET_MAIL with
    BLUEFIN given by the rules compiled afresh as that folder was written."""
    base = tmp_path_factory.mktemp("org")
    rules_folder = _rules_copy(base)
    first = _verdict(rules_folder, base / "cache", SECRET_MAIL + b"BLUEFIN\n")
    return rules_folder, base / "cache", first


def _seeded(source: Path, folder: Path) -> Path:
    """``folder`` (private, as the cache makes its own) holding a copy of every cache file
    in ``source``, with their stamps."""
    folder.mkdir(mode=0o700, exist_ok=True)
    for path in source.iterdir():
        shutil.copy2(path, folder / path.name)
    return folder


def test_rules_read_from_the_cache_behave_as_freshly_compiled_ones(tmp_path, fresh):
    cache = CompiledCache(tmp_path / "cache")
    written = load_rules_cached(None, cache=cache)
    assert len(_cache_files(cache.folder)) == 1
    cached = load_rules_cached(None, cache=cache)
    # Read from the file: patterns compile on first use, and nothing was compiled here.
    assert all(isinstance(rule.pattern, LazyPattern) for rule in cached.marking_rules.values())
    assert sorted(cached.marking_rules) == sorted(fresh.marking_rules) == sorted(written.marking_rules)
    assert cached.yara_meta == fresh.yara_meta
    assert cached.trigger_owner == fresh.trigger_owner
    # Each rule's alternatives and their pre-tests come back with it (rules.Arm), lazily.
    arms = {rule_id: starts.arms for rule_id, starts in cached.starts.items() if starts and starts.arms}
    assert arms and all(isinstance(arm.pattern, LazyPattern) for each in arms.values() for arm in each)
    assert {
        rule_id: [(arm.pattern.pattern, arm.needs and arm.needs.pattern) for arm in each]
        for rule_id, each in arms.items()
    } == {
        rule_id: [(arm.pattern.pattern, arm.needs and arm.needs.pattern) for arm in starts.arms]
        for rule_id, rule in fresh.marking_rules.items()
        if (starts := match_starts(rule.pattern)) and starts.arms
    }
    # Every rule's examples and counter-examples, as `redline rules check` runs them.
    assert problems(cached) == []


def test_the_marking_words_stored_with_the_rules_are_the_ones_worked_out_afresh(
    tmp_path, fresh, shipped_cache
):
    cache = CompiledCache(_seeded(shipped_cache, tmp_path / "cache"))
    assert fresh.words is None  # worked out by the engine that needs them
    cached = load_rules_cached(None, cache=cache)
    assert cached.words == marking_words_of(fresh)
    assert {"SECRET", "CONFIDENTIAL", "CONFIDENCIAL"} <= cached.words
    # A look-alike digit is read back into a stored word: the banner is found.
    action, rules = _verdict(
        default_rules_dir(), tmp_path / "cache", b"Subject: plans\n\nC0NFIDENTIAL\n\nThe plan.\n"
    )
    assert action == "quarantine" and any(rule.startswith("classification.") for rule in rules)


@pytest.mark.parametrize("memfd", [True, False], ids=["memfd", "file object"])
def test_saved_yara_rules_load_the_same_from_memory_or_a_file_object(monkeypatch, memfd):
    import io

    import yara

    from filters.compiled_cache import load_yara

    rules = yara.compile(source=MARKER_RULE.format(word="BLUEFIN").replace("rule ", "rule org_", 1))
    saved = io.BytesIO()
    rules.save(file=saved)
    if not memfd:
        monkeypatch.delattr("os.memfd_create")
    loaded = load_yara(saved.getvalue())
    assert [m.rule for m in loaded.match(data=b"x BLUEFIN y")] == ["org_bluefin"]
    assert loaded.match(data=b"nothing here") == []


def test_the_text_rules_beyond_ascii_load_when_a_text_needs_them(tmp_path, fresh, shipped_cache):
    # An English mail is read with the ASCII trigger strings alone; the database of every
    # trigger's non-ASCII spellings loads with the first such text, and finds what rules
    # compiled afresh find. YARA's text rules with the triggers are kept for a text whose
    # trigger matches Hyperscan does not answer for, and not loaded before.
    from filters.compiled_cache import LazyYara, compile_patterns
    from filters.engines.markings import MarkingEngine

    cache = CompiledCache(_seeded(shipped_cache, tmp_path / "cache"))
    cached = load_rules_cached(None, cache=cache)
    assert isinstance(cached.text, LazyYara) and not cached.text.is_loaded
    assert cached.triggers is not None and not cached.triggers.is_loaded()
    engine, fresh = MarkingEngine(cached), MarkingEngine(fresh)
    assert [m.rule.id for m in engine.matches("SECRET")] == [m.rule.id for m in fresh.matches("SECRET")]
    assert cached.triggers.is_loaded(ascii_text=True) and not cached.triggers.is_loaded()
    chinese = "机密★10年\n\n附件是本季度的预算。"
    assert [m.rule.id for m in engine.matches(chinese)] == [m.rule.id for m in fresh.matches(chinese)] != []
    assert cached.triggers.is_loaded()
    assert not cached.text.is_loaded
    # What is loaded before scanners fork (redline serve, redline scan of a batch).
    again = load_rules_cached(None, cache=cache)
    compile_patterns(again)
    assert again.text.is_loaded and again.triggers.is_loaded() and again.triggers.is_loaded(True)


def test_text_rules_that_do_not_load_are_compiled_again(tmp_path, caplog, fresh):
    from filters.compiled_cache import LazyYara

    compiled: list[int] = []

    def recompile() -> object:
        compiled.append(1)
        return fresh.text

    lazy = LazyYara(b"not saved YARA rules", recompile)
    with caplog.at_level(logging.WARNING, logger="redline.filters"):
        found = lazy.match(data="机密★10年".encode())
    assert compiled == [1] and "compiling again" in caplog.text
    assert any(m.namespace == "redline_triggers" for m in found)


def test_patterns_built_from_their_stored_programs_match_as_compiled_ones(tmp_path, fresh, shipped_cache):
    cache = CompiledCache(_seeded(shipped_cache, tmp_path / "cache"))
    cached = load_rules_cached(None, cache=cache)
    texts = [
        text for rule in fresh.marking_rules.values() for text in (*rule.examples, *rule.counter_examples)
    ]
    texts += ["SECRET//NOFORN", "机密★10年", "Confidencial — uso interno", "", "x" * 300]
    built = 0
    for name, rule in cached.marking_rules.items():
        for stored, compiled in (
            (rule.pattern, fresh.marking_rules[name].pattern),
            (rule.unless, fresh.marking_rules[name].unless),
        ):
            if stored is None:
                continue
            assert stored._program is not None, name  # every pattern carries its program
            pattern = stored.compiled()
            built += 1
            assert (pattern.pattern, pattern.flags, pattern.groupindex) == (
                compiled.pattern,
                compiled.flags,
                compiled.groupindex,
            )
            for text in texts:
                assert [m.span() for m in pattern.finditer(text)] == [
                    m.span() for m in compiled.finditer(text)
                ], (name, text)
    assert built >= len(fresh.marking_rules)


def test_a_damaged_program_is_compiled_as_re_compile_does():
    pattern = LazyPattern(
        r"(?P<level>SECRET|CONFIDENTIAL)//\w+", 0, (32, b"\x00\x01\x02", 1, {"level": 1}, (None, "level"))
    )
    assert pattern.compiled().search("x SECRET//NOFORN").group("level") == "SECRET"
    assert pattern._program is None


def test_a_scan_with_cached_rules_finds_what_a_fresh_one_finds(tmp_path, org_rules):
    rules_folder, written, first = org_rules  # first: compiled afresh, writing ``written``
    second = _verdict(rules_folder, _seeded(written, tmp_path / "cache"), SECRET_MAIL + b"BLUEFIN\n")
    assert first == second
    assert first[0] == "quarantine"
    assert first[1] == [BANNER, BLUEFIN]


def test_a_changed_rule_file_is_compiled_again(tmp_path):
    rules_folder = _rules_copy(tmp_path)
    cache_folder = tmp_path / "cache"
    assert BLUEFIN in _verdict(rules_folder, cache_folder, b"BLUEFIN here")[1]
    rule_file = rules_folder / "org.yar"
    stat = rule_file.stat()
    # Same length, same modification time: only the content tells the change.
    rule_file.write_text(MARKER_RULE.format(word="REDFISH"), encoding="utf-8")
    os.utime(rule_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert rule_file.stat().st_size == stat.st_size
    assert BLUEFIN not in _verdict(rules_folder, cache_folder, b"BLUEFIN here")[1]
    assert BLUEFIN in _verdict(rules_folder, cache_folder, b"REDFISH here")[1]
    assert len(_cache_files(cache_folder)) == 2


def test_a_new_rule_file_and_an_inline_rule_are_compiled_again(tmp_path):
    rules_folder = _rules_copy(tmp_path)
    cache = CompiledCache(tmp_path / "cache")
    before = load_rules_cached([rules_folder], cache=cache)
    (rules_folder / "extra.yar").write_text(
        MARKER_RULE.format(word="GREYLING").replace("bluefin", "greyling"), encoding="utf-8"
    )
    after = load_rules_cached([rules_folder], cache=cache)
    assert ("extra", "greyling") in after.yara_meta and ("extra", "greyling") not in before.yara_meta
    custom = [
        {
            "id": "org.codename",
            "category": "custom",
            "severity": "high",
            "description": "code name",
            "triggers": ["KESTREL"],
            "pattern": r"\bKESTREL\b",
        }
    ]
    with_custom = load_rules_cached([rules_folder], custom=custom, cache=cache)
    assert "org.codename" in with_custom.marking_rules
    assert "org.codename" not in load_rules_cached([rules_folder], cache=cache).marking_rules


@pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "empty"])
def test_a_damaged_cache_file_is_logged_and_the_rules_compiled_again(tmp_path, caplog, damage, org_rules):
    rules_folder, written, _ = org_rules
    cache_folder = _seeded(written, tmp_path / "cache")
    path = _cache_files(cache_folder)[0]
    data = path.read_bytes()
    damaged = {
        "truncated": data[: len(data) // 2],
        "flipped": data[:-100] + bytes([data[-100] ^ 0xFF]) + data[-99:],
        "garbage": b"\x00" * 4096,
        "empty": b"",
    }[damage]
    path.write_bytes(damaged)
    with caplog.at_level(logging.WARNING, logger="redline.filters"):
        action, hits = _verdict(rules_folder, cache_folder, SECRET_MAIL + b"BLUEFIN\n")
    assert action == "quarantine" and hits == [BANNER, BLUEFIN]
    assert any(str(path) in r.getMessage() and "compiling again" in r.getMessage() for r in caplog.records), (
        caplog.text
    )
    # The damaged file was replaced by a good one: the next load reads it quietly.
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="redline.filters"):
        assert _verdict(rules_folder, cache_folder, b"BLUEFIN")[1] == [BLUEFIN]
    assert not caplog.records


def test_a_cache_file_of_other_rules_under_this_name_is_not_used(tmp_path, caplog, org_rules, shipped_cache):
    # A file copied over another rule set's name (or a clash of the name's hash prefix)
    # is refused by the whole key stored inside it.
    rules_folder, written, _ = org_rules
    cache_folder = _seeded(written, tmp_path / "cache")
    [own] = _cache_files(cache_folder)
    _seeded(shipped_cache, cache_folder)
    load_rules_cached(None, cache=CompiledCache(cache_folder))  # the shipped rules alone
    [other] = [path for path in _cache_files(cache_folder) if path != own]
    own.write_bytes(other.read_bytes())
    with caplog.at_level(logging.WARNING, logger="redline.filters"):
        assert BLUEFIN in _verdict(rules_folder, cache_folder, b"BLUEFIN")[1]
    assert "written for something else" in caplog.text


def test_a_folder_others_can_write_is_not_trusted(tmp_path, caplog, org_rules, shipped_cache):
    # Another local account that could write the folder could plant compiled rules that
    # let a marked document through: such a folder is never read.
    rules_folder, written, _ = org_rules
    cache_folder = _seeded(written, tmp_path / "cache")
    path = _cache_files(cache_folder)[0]
    # What such an account would plant: the rules without the organisation's rule file.
    planted = _seeded(shipped_cache, tmp_path / "planted")
    load_rules_cached([default_rules_dir()], cache=CompiledCache(planted))
    path.write_bytes(_cache_files(planted)[0].read_bytes())
    cache_folder.chmod(0o777)
    with caplog.at_level(logging.WARNING, logger="redline.filters"):
        assert BLUEFIN in _verdict(rules_folder, cache_folder, b"BLUEFIN")[1]
    assert "not this user's alone" in caplog.text
    # A file others can write is refused in a private folder too.
    cache_folder.chmod(0o700)
    path.chmod(0o666)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="redline.filters"):
        assert BLUEFIN in _verdict(rules_folder, cache_folder, b"BLUEFIN")[1]
    assert "not this user's alone" in caplog.text


def test_cache_off_compiles_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    config = FiltersConfig.from_mapping({"rules": {"cache_dir": "off"}})
    verdict = build_pipeline(config, lazy=True).scan_bytes(SECRET_MAIL, origin="mail.eml")
    assert verdict.action == "quarantine"
    assert not (tmp_path / "xdg").exists()


def test_the_default_folder_follows_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    pipeline = build_pipeline(FiltersConfig.from_mapping({}), lazy=True)
    folder = tmp_path / "xdg" / "redline"
    assert _cache_files(folder)
    # The personal-data databases are made when a text first needs one.
    pipeline.scan_bytes(SECRET_MAIL, origin="mail.eml")
    assert _cache_files(folder, "personal")
    assert folder.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in folder.iterdir())


_READ_ONLY_LOAD = """
import json, logging, sys
from pathlib import Path
logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
from filters.build import FiltersConfig, build_pipeline
config = FiltersConfig.from_mapping({"rules": {"cache_dir": sys.argv[1]}})
verdict = build_pipeline(config, lazy=True).scan_bytes(sys.argv[2].encode(), origin="mail.eml")
print(json.dumps([verdict.action, sorted(h.rule for h in verdict.hits)]))
"""


def test_a_read_only_cache_folder_leaves_the_rules_in_memory(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    folder.chmod(0o500)
    command = [sys.executable, "-c", _READ_ONLY_LOAD, str(folder), SECRET_MAIL.decode()]
    if os.getuid() == 0:
        # root writes into any folder: run as an ordinary user who owns this one (a user
        # namespace maps root's files to that user, without root's override).
        unshare = shutil.which("unshare")
        if unshare is None:
            pytest.fail("unshare (util-linux) is needed to drop root for this test")
        command = [unshare, "--user", "--map-user=1000", "--map-group=1000", *command]
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=repo,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(repo)},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0] == "quarantine"
    assert "not written" in done.stderr and str(folder) in done.stderr
    assert "Traceback" not in done.stderr
    assert list(folder.iterdir()) == []


def test_a_serving_pipeline_compiles_everything_before_its_scanners_fork(tmp_path, shipped_cache):
    # `redline serve` forks scanner processes from the process that built the pipeline;
    # what is compiled there is inherited, what is left lazy every fresh scanner (and every
    # replacement of a killed one) pays for inside its first item's time limit.
    from filters.compiled_cache import compile_patterns
    from filters.engines import personal_scan

    cache = CompiledCache(_seeded(shipped_cache, tmp_path / "cache"))
    cached = load_rules_cached(None, cache=cache)
    build_pipeline(rules=cached)
    assert compile_patterns(cached) == 0  # nothing left to compile on first use
    assert all(
        rule.pattern._compiled is not None
        for rule in cached.marking_rules.values()
        if isinstance(rule.pattern, LazyPattern)
    )
    # Numba's machine code for the personal-data scanner is loaded, not only looked up.
    assert personal_scan._compiled and all(f.signatures for f in personal_scan._compiled[0])


def test_personal_engine_databases_are_all_kept_and_read_back(tmp_path: Path) -> None:
    """Every Hyperscan database of the personal-data engine stays in the cache, so a second
    engine compiles none (a per-kind limit below their count made each start compile all)."""
    from filters.engines import personal

    cache = CompiledCache(tmp_path / "cache")
    personal.PersonalEngine(cache=cache)
    stored = _cache_files(tmp_path / "cache", "personal")
    assert len(stored) >= 10
    compiled: list[int] = []
    original = personal.hyperscan.Database.compile

    class Counting(personal.hyperscan.Database):  # type: ignore[misc, name-defined]
        def compile(self, *args: object, **kwargs: object) -> None:
            compiled.append(1)
            original(self, *args, **kwargs)

    real = personal.hyperscan.Database
    personal.hyperscan.Database = Counting
    try:
        personal.PersonalEngine(cache=cache)
    finally:
        personal.hyperscan.Database = real
    assert compiled == []
    assert _cache_files(tmp_path / "cache", "personal") == stored


def _personal_config(word: str) -> object:
    """A personal-data configuration of its own: one extra label changes every database
    that holds the labels."""
    from filters.engines.personal import PersonalConfig

    return PersonalConfig(extra_labels={"passport": [f"reisepass {word}"]})


class _Compiles(list):
    real: object


def _counting_compiles(personal: object) -> _Compiles:
    """Count Hyperscan compiles in ``personal`` until ``.real`` is put back."""
    compiled = _Compiles()
    real = personal.hyperscan.Database  # type: ignore[attr-defined]
    compiled.real = real

    class Counting(real):  # type: ignore[misc, valid-type]
        def compile(self, *args: object, **kwargs: object) -> None:
            compiled.append(1)
            real.compile(self, *args, **kwargs)

    personal.hyperscan.Database = Counting  # type: ignore[attr-defined]
    return compiled


def _databases(config: object, folder: Path) -> None:
    """A personal-data engine of ``config`` (None: the default) with every database made
    or read back from the cache in ``folder`` (they are otherwise made on first use)."""
    from filters.engines import personal

    engine = personal.PersonalEngine(config, cache=CompiledCache(folder), load_now=False)  # type: ignore[arg-type]
    engine.load_databases()


def test_changing_the_configuration_many_times_keeps_the_cache_bounded(tmp_path: Path) -> None:
    """Each configuration's files are kept together and only the last few configurations'
    stay: the folder does not grow with every change, and the newest one is whole."""
    from filters.compiled_cache import KEEP_GENERATIONS
    from filters.engines import personal

    folder = tmp_path / "cache"
    _databases(None, folder)
    per_configuration = len(_cache_files(folder, "personal"))
    changes = KEEP_GENERATIONS * 2
    for number in range(changes):
        _databases(_personal_config(f"w{number}"), folder)
        assert len(list(folder.glob("*.cache"))) <= KEEP_GENERATIONS * per_configuration
    compiled = _counting_compiles(personal)
    try:
        newest = f"w{changes - 1}"
        _databases(_personal_config(newest), folder)
        assert compiled == []  # the newest configuration is kept whole
        _databases(_personal_config("w0"), folder)
        assert compiled  # the oldest one's label databases are gone
    finally:
        personal.hyperscan.Database = compiled.real  # type: ignore[attr-defined]


def test_a_file_the_current_configuration_uses_is_never_pruned(tmp_path: Path, org_rules) -> None:
    """A rule set written by the first configuration and read by every later one stays,
    however many configurations came since it was written; and a configuration's own
    write never removes its own files, however many newer stamps the folder holds."""
    from filters.compiled_cache import KEEP_GENERATIONS
    from filters.engines import personal

    rules_folder, written, _ = org_rules
    folder = _seeded(written, tmp_path / "cache")
    config: dict[str, Any] = {"rules": {"paths": [str(rules_folder)], "cache_dir": str(folder)}}
    build_pipeline(FiltersConfig.from_mapping(config), lazy=True)
    (rule_file,) = _cache_files(folder)
    for number in range(KEEP_GENERATIONS + 2):
        config["personal"] = {"extra_labels": {"passport": [f"reisepass w{number}"]}}
        build_pipeline(FiltersConfig.from_mapping(config), lazy=True)
        assert _cache_files(folder) == [rule_file]

    current = CompiledCache(folder)
    personal.PersonalEngine(_personal_config("current"), cache=current, load_now=False).load_databases()
    own = sorted(p for p in folder.glob("*.cache") if p.stat().st_mtime_ns == current.generation)
    assert len(own) >= 10  # it stamped every database it read or wrote
    for number in range(KEEP_GENERATIONS + 2):  # other processes' files, stamped later
        other = folder / f"other-{number}.cache"
        other.write_bytes(b"x")
        os.utime(other, ns=(current.generation + number + 1,) * 2)
    current.put("rules", "0" * 64, b"another rule set")
    assert all(path.exists() for path in own)
    assert len(list(folder.glob("other-*.cache"))) == KEEP_GENERATIONS


@pytest.mark.parametrize("damage", ["missing", "damaged"])
def test_text_rules_beyond_ascii_are_read_from_their_own_file_only_when_needed(
    tmp_path, caplog, damage, fresh, shipped_cache
):
    # The rules for text beyond ASCII are kept apart: a start reads and checksums the rest
    # alone. Their file is stamped with the rules it belongs to, and one that is missing or
    # damaged when a text needs it is logged and compiled again, with the same finds.
    from filters.compiled_cache import TEXT_RULES
    from filters.engines.markings import MarkingEngine

    cache = CompiledCache(_seeded(shipped_cache, tmp_path / "cache"))
    [text_file] = _cache_files(cache.folder, TEXT_RULES)
    later = CompiledCache(cache.folder)
    cached = load_rules_cached(None, cache=later)
    assert text_file.stat().st_mtime_ns == later.generation  # kept with the rules read
    assert not cached.text.is_loaded
    if damage == "missing":
        text_file.unlink()
    else:
        data = bytearray(text_file.read_bytes())
        data[len(data) // 2] ^= 0xFF
        text_file.write_bytes(bytes(data))
    # The marking engine reads the triggers with Hyperscan (filters.trigger_scan): these
    # rules are read when Hyperscan does not answer for a text's trigger matches.
    chinese = "机密★10年\n\n附件是本季度的预算。".encode()
    with caplog.at_level(logging.WARNING, logger="redline.filters"):
        found = [m.rule for m in cached.text.match(data=chinese)]
    assert found == [m.rule for m in fresh.text.match(data=chinese)] != []
    assert (
        [m.rule.id for m in MarkingEngine(cached).matches(chinese.decode())]
        == [m.rule.id for m in MarkingEngine(fresh).matches(chinese.decode())]
        != []
    )
    assert "compiling again" in caplog.text


def test_personal_databases_are_made_when_a_text_first_needs_them(tmp_path: Path) -> None:
    """A lazily loaded engine reads no database until a text needs one; a plain letter
    needs the first look alone, and finds what a fully loaded engine finds."""
    from filters.engines import personal
    from filters.types import Part

    folder = tmp_path / "cache"
    lazy = personal.PersonalEngine(cache=CompiledCache(folder), load_now=False)
    assert _cache_files(folder, "personal") == []
    letter = Part(origin="body", text="Dear team, the minutes of Tuesday's meeting are attached.")
    assert list(lazy.scan(letter)) == []
    assert len(_cache_files(folder, "personal")) == 1
    loaded = personal.PersonalEngine(cache=CompiledCache(folder), load_now=False)
    loaded.load_databases()
    roster = Part(origin="body", text="Name, SSN\nA. Smith, 536-22-8726\nB. Jones, 219-09-9999\n" * 3)
    assert list(lazy.scan(roster)) == list(loaded.scan(roster))

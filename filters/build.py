"""Builds the inspection pipeline from config: rules compiled once, engines, limits, policy."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filters.compiled_cache import CompiledCache, compile_patterns, load_rules_cached
from filters.config import load_section, option
from filters.coverage import CoverageConfig
from filters.engines.filetype import FileTypeEngine
from filters.engines.labels import LabelEngine, LabelsConfig
from filters.engines.location import LocationEngine, SitesConfig
from filters.engines.markings import MarkingEngine
from filters.engines.opaque import OpaqueEngine
from filters.engines.personal import PersonalConfig, PersonalEngine
from filters.engines.substitution import SubstitutionEngine
from filters.engines.yara import YaraEngine
from filters.extract import load_all, load_format
from filters.fingerprint_config import FingerprintConfig
from filters.limits import Limits
from filters.ocr import OcrConfig, OcrReader
from filters.pipeline import Engine, Pipeline
from filters.policy import Policy, PolicyConfig
from filters.rules import RuleSet, default_rules_dir, load_rules

if TYPE_CHECKING:
    from filters.engines.fingerprint import FingerprintEngine


@dataclass(frozen=True, slots=True)
class RulesConfig:
    """Where the rules come from (config section [rules])."""

    paths: list[str] = option(
        [], "Rule files or directories to load instead of the shipped yara-rules/ directory."
    )
    extra: list[str] = option(
        [], "Rule files or directories loaded in addition (an organisation's own markings)."
    )
    yara_timeout: int = option(30, "Seconds one YARA scan of one part may take.", minimum=1)
    custom: list[dict[str, Any]] = option(
        [], "Marking rules written here as [[rules.custom]] tables, with the keys of a rule file."
    )
    disclaimers: list[str] = option(
        [], "Your organisation's standard disclaimer texts; a marking inside one never counts."
    )
    cache_dir: str = option(
        "", "Where compiled rules (and the personal-data engine's database) are kept between "
        "runs, so a one-file redline scan starts fast (empty: $XDG_CACHE_HOME/redline, else "
        "~/.cache/redline; \"off\": compile at every start). A changed rule file is noticed "
        "by its content; the folder must be this user's alone."
    )

    def rule_paths(self) -> list[Path]:
        """Every rule file or directory to load."""
        base = [Path(p) for p in self.paths] or [default_rules_dir()]
        return base + [Path(p) for p in self.extra]

    def compiled_cache(self) -> CompiledCache | None:
        """The cache of compiled rules in ``cache_dir`` (None when it is "off")."""
        if self.cache_dir == "off":
            return None
        return CompiledCache(Path(self.cache_dir) if self.cache_dir else None)

    def load(self, cache: CompiledCache | None = None) -> RuleSet:
        """The rules, compiled, from the cache in ``cache_dir`` when it holds them
        (``cache``: that folder's CompiledCache, shared with the rest of one build)."""
        cache = cache or self.compiled_cache()
        if cache is None:
            return load_rules(self.rule_paths(), custom=self.custom)
        return load_rules_cached(self.rule_paths(), custom=self.custom, cache=cache)


@dataclass(frozen=True, slots=True)
class FiltersConfig:
    """The inspection settings: [limits], [policy], [rules], [coverage], [ocr], [sites],
    [personal], [labels] and [fingerprints]."""

    limits: Limits
    policy: PolicyConfig
    rules: RulesConfig
    coverage: CoverageConfig = field(default_factory=CoverageConfig)
    ocr: OcrConfig = field(default_factory=OcrConfig)
    sites: SitesConfig = field(default_factory=SitesConfig)
    personal: PersonalConfig = field(default_factory=PersonalConfig)
    labels: LabelsConfig = field(default_factory=LabelsConfig)
    fingerprints: FingerprintConfig = field(default_factory=FingerprintConfig)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> FiltersConfig:
        """Build from a parsed TOML document (other top-level tables are ignored here)."""
        return cls(
            limits=load_section(Limits, data.get("limits"), "limits"),
            policy=load_section(PolicyConfig, data.get("policy"), "policy"),
            rules=load_section(RulesConfig, data.get("rules"), "rules"),
            coverage=load_section(CoverageConfig, data.get("coverage"), "coverage"),
            ocr=load_section(OcrConfig, data.get("ocr"), "ocr"),
            sites=load_section(SitesConfig, data.get("sites"), "sites"),
            personal=load_section(PersonalConfig, data.get("personal"), "personal"),
            labels=load_section(LabelsConfig, data.get("labels"), "labels"),
            fingerprints=load_section(FingerprintConfig, data.get("fingerprints"), "fingerprints"),
        )


def build_pipeline(
    config: FiltersConfig | None = None, *, rules: RuleSet | None = None,
    spool_root: Path | None = None, lazy: bool = False,
    share: tuple[FiltersConfig, Pipeline] | None = None,
) -> Pipeline:
    """A ready Pipeline; raises RuleError when a rule file does not compile, ConfigError
    when ``[ocr] enabled = true`` and Tesseract or its language data is missing.

    ``lazy=True`` (``redline scan``) leaves each format's extractor, and the OCR engine,
    to be loaded when an item first needs it: a one-file scan then pays only for what
    that file holds. It also leaves out the fingerprint engine, which finds nothing until
    a quarantine store is attached (``redline serve``, ``rules test``). A long-running
    service loads everything now, so that a missing library stops its start, and its
    forked scanners share what was loaded.

    ``share=(other_config, other_pipeline)``: every engine whose settings are the same in
    both configs is ``other_pipeline``'s own object, so a walk with both engine sets
    (``Pipeline.scan_both``, ``redline replay``) runs it once per part.
    """
    config = config or FiltersConfig.from_mapping({})
    if not lazy:
        load_all()
    other_config, other = share if share else (None, None)

    def engine(kind: type, same: bool, make: Callable[[], Engine]) -> Engine:
        """``other``'s engine of type ``kind`` when its settings are the same, else a new one."""
        if other is not None and other_config is not None and same:
            for found in (*other.content_engines, *other.text_engines):
                if type(found) is kind:
                    return found
        return make()

    def same(section: str) -> bool:
        """True when ``other_config`` has the same settings in ``section``."""
        return other_config is not None and getattr(other_config, section) == getattr(
            config, section)

    # One cache object for all this configuration compiles: its files share one stamp
    # (compiled_cache keeps the files of the last few configurations).
    cache = config.rules.compiled_cache()
    if rules is None:
        rules = config.rules.load(cache)
    if not lazy:
        compile_patterns(rules)  # before scanners fork from this process (compiled_cache)
    timeout = config.rules.yara_timeout
    ocr, ocr_status = OcrReader.from_config(config.ocr, load_now=not lazy)
    # One label engine reads label metadata in text parts and PDF bytes alike, and judges
    # the item as a whole (label against content) once the walk is done.
    labels = engine(LabelEngine, same("labels"), lambda: LabelEngine(config.labels))
    content_engines: list[Engine] = [
        engine(FileTypeEngine, True, FileTypeEngine),
        engine(OpaqueEngine, True, OpaqueEngine),
        engine(YaraEngine, same("rules"), lambda: YaraEngine(rules, timeout=timeout)),
        labels]
    if config.sites.places:
        content_engines.append(engine(LocationEngine, same("sites"), lambda: LocationEngine(
            config.sites.sites(), config.sites.severity)))
    marking = engine(MarkingEngine, same("rules"), lambda: MarkingEngine(
        rules, timeout=timeout, disclaimers=config.rules.disclaimers))
    text_engines: list[Engine] = [
        marking,
        # The same rules over text read back from ROT13 or from backwards, when its
        # trigger words occur so transformed.
        engine(SubstitutionEngine, same("rules"), lambda: SubstitutionEngine(
            marking, cache=cache, load_now=not lazy)),  # type: ignore[arg-type]
        labels]
    if config.personal.enabled:
        text_engines.append(engine(PersonalEngine, same("personal"), lambda: PersonalEngine(
            config.personal, cache=cache, load_now=not lazy)))
    if config.fingerprints.enabled and lazy:
        config.fingerprints.boilerplate_texts()  # a missing file is still a config error
    elif config.fingerprints.enabled:
        from filters.engines.fingerprint import FingerprintEngine  # NumPy: not for a lazy scan

        # Empty until a source is attached (the gateway feeds it from the quarantine
        # store): then it finds passages of rejected and registered documents.
        text_engines.append(engine(
            FingerprintEngine, same("fingerprints") and same("rules"),
            lambda: FingerprintEngine(
                config.fingerprints,
                boilerplate=config.fingerprints.boilerplate_texts(config.rules.disclaimers))))
    return Pipeline(
        limits=config.limits,
        content_engines=content_engines,
        text_engines=text_engines,
        policy=Policy(config.policy),
        spool_root=spool_root,
        coverage=config.coverage,
        ocr=ocr,
        ocr_status=ocr_status,
    )


# What nearly every mail of a batch takes to an extractor: the message, its text and
# HTML parts, and the attachments offices send most (PDF, Office, zip, pictures).
MAIL_FORMATS = ("mail", "text", "html", "pdf", "ooxml", "zip", "image")


def load_for_scanners(pipeline: Pipeline) -> None:
    """Load now what a lazily built pipeline loads on first use and a batch of mail
    needs in every scanner: the marking rules' patterns, the personal-data engine's
    tables and expressions, and the extractors of MAIL_FORMATS (not the compiled
    personal-data scanner: only long texts need it, see PersonalEngine.load).

    ``redline scan --jobs N`` calls it before forking its scanners for a batch of more
    items than scanners: each would otherwise load them itself on its first items;
    forked afterwards, they share one copy.
    """
    for engine in (*pipeline.content_engines, *pipeline.text_engines):
        if isinstance(engine, MarkingEngine):
            compile_patterns(engine.rules)
        elif isinstance(engine, PersonalEngine):
            engine.load(compiled=False)
    for name in MAIL_FORMATS:
        load_format(name)


def fingerprint_engine(pipeline: Pipeline) -> FingerprintEngine | None:
    """The pipeline's fingerprint engine (None when ``[fingerprints] enabled = false``,
    or the pipeline was built lazily)."""
    from filters.engines.fingerprint import FingerprintEngine

    for engine in pipeline.text_engines:
        if isinstance(engine, FingerprintEngine):
            return engine
    return None

"""Builds the inspection pipeline from config: rules compiled once, engines, limits, policy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filters.config import load_section, option
from filters.coverage import CoverageConfig
from filters.engines.filetype import FileTypeEngine
from filters.engines.fingerprint import FingerprintConfig, FingerprintEngine
from filters.engines.labels import LabelEngine, LabelsConfig
from filters.engines.location import LocationEngine, SitesConfig
from filters.engines.markings import MarkingEngine
from filters.engines.opaque import OpaqueEngine
from filters.engines.personal import PersonalConfig, PersonalEngine
from filters.engines.yara import YaraEngine
from filters.extract import load_all
from filters.limits import Limits
from filters.ocr import OcrConfig, OcrReader
from filters.pipeline import Engine, Pipeline
from filters.policy import Policy, PolicyConfig
from filters.rules import RuleSet, default_rules_dir, load_rules


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

    def rule_paths(self) -> list[Path]:
        """Every rule file or directory to load."""
        base = [Path(p) for p in self.paths] or [default_rules_dir()]
        return base + [Path(p) for p in self.extra]


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
    spool_root: Path | None = None,
) -> Pipeline:
    """A ready Pipeline; raises RuleError when a rule file does not compile, ConfigError
    when ``[ocr] enabled = true`` and Tesseract or its language data is missing."""
    config = config or FiltersConfig.from_mapping({})
    load_all()
    if rules is None:
        rules = load_rules(config.rules.rule_paths(), custom=config.rules.custom)
    timeout = config.rules.yara_timeout
    ocr, ocr_status = OcrReader.from_config(config.ocr)
    # One label engine reads label metadata in text parts and PDF bytes alike, and judges
    # the item as a whole (label against content) once the walk is done.
    labels = LabelEngine(config.labels)
    content_engines: list[Engine] = [FileTypeEngine(), OpaqueEngine(), YaraEngine(rules, timeout=timeout),
                                     labels]
    if config.sites.places:
        content_engines.append(LocationEngine(config.sites.sites(), config.sites.severity))
    text_engines: list[Engine] = [
        MarkingEngine(rules, timeout=timeout, disclaimers=config.rules.disclaimers), labels]
    if config.personal.enabled:
        text_engines.append(PersonalEngine(config.personal))
    if config.fingerprints.enabled:
        # Empty until a source is attached (the gateway feeds it from the quarantine
        # store): then it finds passages of rejected and registered documents.
        text_engines.append(FingerprintEngine(
            config.fingerprints,
            boilerplate=config.fingerprints.boilerplate_texts(config.rules.disclaimers)))
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


def fingerprint_engine(pipeline: Pipeline) -> FingerprintEngine | None:
    """The pipeline's fingerprint engine (None when ``[fingerprints] enabled = false``)."""
    for engine in pipeline.text_engines:
        if isinstance(engine, FingerprintEngine):
            return engine
    return None

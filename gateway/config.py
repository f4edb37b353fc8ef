"""Redline's config file: one TOML document, validated at start with errors naming the key."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filters.config import describe_section, load_section, option
from filters.errors import ConfigError

if TYPE_CHECKING:
    from filters.build import FiltersConfig


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """Worker processes of ``redline serve`` (section [serve])."""

    workers: int = option(
        0, "Worker processes sharing the listening sockets (0: one per CPU core); "
        "--workers overrides it.", minimum=0,
    )
    drain_seconds: float = option(
        30.0, "On SIGTERM or reload, how long open sessions may take to finish before they "
        "are closed with 421.", minimum=0.0,
    )
    ready_seconds: float = option(
        60.0, "How long a new worker may take to start listening before it is restarted.",
        minimum=1.0,
    )
    event_loop: str = option(
        "uvloop", "Event loop of the worker processes: uvloop (libuv; less CPU per "
        "connection and per message) or asyncio (the standard library's).",
        choices=("uvloop", "asyncio"),
    )


# Every [section] of the config file and where the class that validates it lives
# ("module:Class"). A feature adds its section here (one line); its class lives beside the
# feature's code and is imported when a config file has the section or a command reads
# it: ``redline scan`` then loads the inspection settings alone, not the listeners',
# the quarantine's and the UI's.
SECTIONS: dict[str, str] = {
    "limits": "filters.limits:Limits",
    "policy": "filters.policy:PolicyConfig",
    "rules": "filters.build:RulesConfig",
    "coverage": "filters.coverage:CoverageConfig",
    "ocr": "filters.ocr:OcrConfig",
    "sites": "filters.engines.location:SitesConfig",
    "personal": "filters.engines.personal:PersonalConfig",
    "labels": "filters.engines.labels:LabelsConfig",
    "fingerprints": "filters.fingerprint_config:FingerprintConfig",
    "quarantine": "quarantine.config:QuarantineConfig",
    "ui": "quarantine.ui.config:UiConfig",
    "serve": "gateway.config:ServeConfig",
    "smtp": "gateway.smtp.config:SmtpConfig",
    "smtps": "gateway.smtp.config:SmtpsConfig",
    "upstream": "gateway.smtp.config:UpstreamConfig",
    "dkim": "gateway.smtp.config:DkimConfig",
    "org": "gateway.smtp.config:OrgConfig",
    "metrics": "gateway.ops.config:MetricsConfig",
    "logging": "gateway.ops.config:LoggingConfig",
    "http": "gateway.web.config:HttpConfig",
    "icap": "gateway.web.config:IcapConfig",
    "signup": "gateway.web.config:SignupConfig",
}


def section_class(name: str) -> type:
    """The class that validates section [name] (imported now if it is not yet)."""
    module, _, attribute = SECTIONS[name].partition(":")
    return getattr(importlib.import_module(module), attribute)


class Sections(Mapping[str, Any]):
    """Each section's validated object: those the file has, validated when it was read;
    any other, its defaults, made when first asked for."""

    def __init__(self, validated: Mapping[str, Any]) -> None:
        self._objects = dict(validated)

    def __getitem__(self, name: str) -> Any:
        found = self._objects.get(name)
        if found is None:
            if name not in SECTIONS:
                raise KeyError(name)
            found = self._objects[name] = load_section(section_class(name), None, name)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(SECTIONS)

    def __len__(self) -> int:
        return len(SECTIONS)


@dataclass(frozen=True, slots=True)
class GeneralConfig:
    """Settings that concern the whole gateway (top-level keys)."""

    data_dir: str = option("./var/redline", "Where the quarantine store, spool and outbox live.")


@dataclass(frozen=True, slots=True)
class Config:
    """The whole configuration: top-level keys and one object per section."""

    general: GeneralConfig
    sections: Mapping[str, Any]

    @property
    def filters(self) -> FiltersConfig:
        """The inspection settings ([limits], [policy], [rules], [coverage], [ocr], [sites],
        [personal], [labels], [fingerprints])."""
        from filters.build import FiltersConfig

        return FiltersConfig(self.sections["limits"], self.sections["policy"],
                             self.sections["rules"], self.sections["coverage"],
                             self.sections["ocr"], self.sections["sites"],
                             self.sections["personal"], self.sections["labels"],
                             self.sections["fingerprints"])

    def section(self, name: str) -> Any:
        """The validated object of section [name] (its defaults when the file has none)."""
        return self.sections[name]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Config:
        """Validate a parsed TOML document."""
        tables = {k: v for k, v in data.items() if isinstance(v, Mapping)}
        scalars = {k: v for k, v in data.items() if not isinstance(v, Mapping)}
        unknown = sorted(set(tables) - set(SECTIONS))
        if unknown:
            raise ConfigError(
                f"config key {unknown[0]}: unknown section; sections are "
                f"{', '.join(SECTIONS)}, and the top-level key data_dir"
            )
        general = load_section(GeneralConfig, scalars, "")
        sections = Sections({name: load_section(section_class(name), tables[name], name)
                             for name in SECTIONS if name in tables})
        return cls(general=general, sections=sections)


def load_config(path: str | Path | None) -> Config:
    """Read and validate the config file, or the embedded defaults when ``path`` is None."""
    if path is None:
        return Config.from_mapping({})
    import tomllib  # here: a command run without a config file never parses TOML

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"config file {path}: cannot read it ({exc.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path}: not valid TOML: {exc}") from None
    return Config.from_mapping(data)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {value!r}")


def example_config() -> str:
    """The documented example config: every key with its default and its meaning."""
    lines = [
        "# Redline configuration: every key, with its default. Generated by",
        "# `redline config example`; a key left out keeps its default.",
        "",
    ]
    for name, cls in [("", GeneralConfig), *((name, section_class(name)) for name in SECTIONS)]:
        if name:
            lines += [f"[{name}]"]
        for key, default, doc in describe_section(cls, name):
            lines += [f"# {doc}", f"{key.rsplit('.', 1)[-1]} = {_toml_value(default)}"]
        lines.append("")
    return "\n".join(lines)


def resolve_data_dir(config, flag: str | None) -> str:
    """The data dir: the --data-dir flag, else the config's data_dir."""
    return flag or config.general.data_dir


def existing_data_dir(config, args) -> Path:
    """The data directory a command writes keys under (``args.data_dir``, else the
    config's): it must exist, and is never created here, so a mistyped --data-dir is
    refused, naming it, instead of keeping a CA or a signing key where no gateway looks."""
    from quarantine.datadir import data_dir_source
    from quarantine.datadir import existing_data_dir as checked

    return checked(resolve_data_dir(config, args.data_dir),
                   flag=data_dir_source(args.data_dir, args.config))

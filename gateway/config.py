"""Redline's config file: one TOML document, validated at start with errors naming the key."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filters.build import FiltersConfig
from filters.config import load_section, option
from filters.errors import ConfigError

# Top-level tables this version understands; each is validated by its own section class.
FILTER_TABLES = ("limits", "policy", "rules")


@dataclass(frozen=True, slots=True)
class GeneralConfig:
    """Settings that concern the whole gateway (top-level keys)."""

    data_dir: str = option("./var/redline", "Where the quarantine store, spool and outbox live.")


@dataclass(frozen=True, slots=True)
class Config:
    """The whole configuration."""

    general: GeneralConfig
    filters: FiltersConfig

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Config:
        """Validate a parsed TOML document."""
        tables = {k: v for k, v in data.items() if isinstance(v, Mapping)}
        scalars = {k: v for k, v in data.items() if not isinstance(v, Mapping)}
        unknown = sorted(set(tables) - set(FILTER_TABLES))
        if unknown:
            raise ConfigError(
                f"config key {unknown[0]}: unknown section; this version knows "
                f"{', '.join(FILTER_TABLES)} and the top-level key data_dir"
            )
        general = load_section(GeneralConfig, scalars, "")
        return cls(general=general, filters=FiltersConfig.from_mapping(tables))


def load_config(path: str | Path | None) -> Config:
    """Read and validate the config file, or the embedded defaults when ``path`` is None."""
    if path is None:
        return Config.from_mapping({})
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

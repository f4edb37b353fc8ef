"""Policy (config section [policy]): turns hits into pass, monitor, quarantine or reject.

Listeners never look at hits themselves; they act on the Verdict this decides.

Rolling out: an action ``monitor`` (per rule, per category or as the default) lets the
item leave and has it recorded as a *monitored* item; ``mode = "monitor"`` turns every
quarantine and reject into monitor, so a new site watches what it would hold before it
enforces anything.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass

from filters.config import option
from filters.types import ACTIONS, SEVERITIES, Hit, severity_rank

MODES = ("enforce", "monitor")


@dataclass(frozen=True, slots=True)
class PolicyConfig:
    """Which hits count and what they lead to."""

    mode: str = option(
        "enforce", "enforce: hold and refuse as the actions say. monitor: deliver what would "
        "be held or refused and record it as a monitored item (rollout, tuning).",
        choices=MODES,
    )

    min_severity: str = option(
        "medium", "Hits below this severity are reported but do not change the verdict.",
        choices=SEVERITIES,
    )
    default_action: str = option(
        "quarantine", "Action for a counted hit when neither rule nor category names one.",
        choices=ACTIONS,
    )
    category_actions: dict[str, str] = option(
        {"signup": "reject"}, "Action per hit category (pass, monitor, quarantine or reject), "
        "e.g. { draft = \"monitor\" } to watch one category before enforcing it."
    )
    rule_actions: dict[str, str] = option(
        {}, "Action per rule id or glob (\"limit.*\"); wins over rule meta and category."
    )
    monitor_keep_content: bool = option(
        False, "Keep the content of monitored items (sealed like held content). Off: only "
        "the metadata and the hits are kept, the mail or upload itself is not.",
    )

    def __post_init__(self) -> None:
        from filters.errors import ConfigError

        for table, actions in (("category_actions", self.category_actions),
                               ("rule_actions", self.rule_actions)):
            for key, action in actions.items():
                if action not in ACTIONS:
                    raise ConfigError(
                        f"config key policy.{table}.{key}: expected one of "
                        f"{', '.join(ACTIONS)}, got {action!r}"
                    )


class Policy:
    """Decides a Verdict action from hits according to a PolicyConfig."""

    def __init__(self, config: PolicyConfig | None = None) -> None:
        self.config = config or PolicyConfig()
        self._min_rank = severity_rank(self.config.min_severity)

    def counts(self, hit: Hit) -> bool:
        """True when ``hit`` is severe enough to influence the verdict."""
        return severity_rank(hit.severity) >= self._min_rank

    def action_for(self, hit: Hit) -> str:
        """The action one counted hit asks for."""
        for pattern, action in self.config.rule_actions.items():
            if hit.rule == pattern or fnmatch.fnmatchcase(hit.rule, pattern):
                return action
        if hit.action in ACTIONS:
            return hit.action  # type: ignore[return-value]
        return self.config.category_actions.get(hit.category, self.config.default_action)

    def enforced(self, hits: Iterable[Hit]) -> str:
        """The strongest action any counted hit asks, whatever the mode."""
        strongest = 0
        for hit in hits:
            if self.counts(hit):
                strongest = max(strongest, ACTIONS.index(self.action_for(hit)))
        return ACTIONS[strongest]

    def decide(self, hits: Iterable[Hit]) -> str:
        """``pass``, ``monitor``, ``quarantine`` or ``reject`` for an item with ``hits``.

        In monitor mode nothing is held or refused: what would be is ``monitor``.
        """
        action = self.enforced(hits)
        if self.config.mode == "monitor" and action in ("quarantine", "reject"):
            return "monitor"
        return action

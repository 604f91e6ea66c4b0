"""How sure the classifier must be, as config.yml's FallbackClassifier says."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from lupus_faq.dialogue.message import Guess

CONFIG = Path(__file__).resolve().parents[2] / "config.yml"


@dataclass(frozen=True)
class Sureness:
    """The FallbackClassifier's two thresholds, read from config.yml (never copied)."""

    threshold: float
    ambiguity_threshold: float

    @classmethod
    def from_config(cls, path: Path = CONFIG) -> "Sureness":
        """The thresholds of the FallbackClassifier in ``path``'s pipeline."""
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        fallback = next(c for c in config["pipeline"] if c["name"] == "FallbackClassifier")
        return cls(float(fallback["threshold"]), float(fallback["ambiguity_threshold"]))

    def is_sure(self, ranking: Sequence[Guess]) -> bool:
        """Whether a classifier that ranked ``ranking`` (best first) would not fall back: its
        best guess reaches the threshold and leads the next by the ambiguity threshold."""
        ranked = sorted(ranking, key=lambda g: -g.confidence)
        if not ranked or ranked[0].confidence < self.threshold:
            return False
        second = ranked[1].confidence if len(ranked) > 1 else 0.0
        return ranked[0].confidence - second >= self.ambiguity_threshold

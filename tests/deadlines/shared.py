"""The research files the ruleset was written from; tests compare against them so the copies cannot drift."""

from functools import cache
from pathlib import Path

import yaml

SHARED_LEGAL = Path(__file__).resolve().parents[2].parent / "shared/legal"


@cache
def shared_rules() -> dict[str, dict]:
    """Every shared entry by id: the time-limit rules and the computation conventions."""
    data = yaml.safe_load((SHARED_LEGAL / "deadline_rules.yaml").read_text(encoding="utf-8"))
    return {entry["id"]: entry for entry in data["rules"] + data["computation_conventions"]}


@cache
def shared_examples() -> list[dict]:
    return yaml.safe_load((SHARED_LEGAL / "examples.yaml").read_text(encoding="utf-8"))


def has_period(entry: dict) -> bool:
    period = entry.get("period")
    if isinstance(period, list):
        return True
    return bool(period) and period.get("amount") is not None

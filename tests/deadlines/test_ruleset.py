"""The shipped ruleset.yaml: same rules as the research file, valid on load, honest about holiday data."""

from datetime import date

import holidays
import pytest
import yaml

from casework.deadlines import rules
from casework.deadlines.rules import InvalidRuleset, get_rule

from .shared import has_period, shared_rules

D = date.fromisoformat


def shipped() -> dict:
    return yaml.safe_load(rules.RULESET_PATH.read_text(encoding="utf-8"))


class TestSameRulesAsTheResearchFile:
    def test_same_ids(self):
        assert {r.id for r in rules.all_rules()} == shared_rules().keys()

    @pytest.mark.parametrize("rule_id", sorted(shared_rules()))
    def test_metadata(self, rule_id):
        entry, rule = shared_rules()[rule_id], get_rule(rule_id)
        jurisdiction = entry["jurisdiction"]
        assert rule.confidence == entry["confidence"]
        assert list(rule.sources) == entry["source"]
        assert list(rule.jurisdiction) == (jurisdiction if isinstance(jurisdiction, list) else [jurisdiction])
        assert rule.computable == has_period(entry)
        assert rule.title == entry.get("title", rule.title)
        assert list(rule.channels) == entry.get("channels", [])
        assert list(rule.must_include) == entry.get("must_include", [])

    @pytest.mark.parametrize("rule_id", sorted(i for i, e in shared_rules().items() if has_period(e)))
    def test_current_periods(self, rule_id):
        entry, rule = shared_rules()[rule_id], get_rule(rule_id)
        periods = entry["period"] if isinstance(entry["period"], list) else [entry["period"]]
        current = [variant.versions[-1] for variant in rule.variants]
        assert [(v.amount, v.unit) for v in current] == [(p["amount"], p["unit"]) for p in periods]

    def test_koap_history(self):
        koap = get_rule("ru-koap-30-3-expulsion-appeal").variant().versions
        assert [(v.in_force_from, v.amount, v.unit, v.roll_forward) for v in koap] == [
            (None, 10, "sutki", False),
            (D("2024-10-29"), 10, "calendar_days", True),
        ]
        assert "364-FZ" in koap[-1].law

    def test_international_rules_never_roll(self):
        for rule in rules.all_rules():
            if rule.international:
                assert all(v.roll_forward is False for var in rule.variants for v in var.versions), rule.id


def decree_days(country: str, year: int) -> int:
    """Days the library moves by decree in a year: substituted days off plus working weekend days."""
    lib = holidays.country_holidays(country, years=year, language="en_US")
    moved = [d for d, name in lib.items() if "substituted" in name.lower() or "day off" in name.lower()]
    return len(moved) + len([d for d in lib.weekend_workdays if d.year == year])


@pytest.mark.parametrize("country", ["RU", "KZ", "KG", "TJ", "UZ", "BY", "AM", "AZ", "GE", "MD", "UA"])
def test_calendar_entry_matches_the_holiday_library(country):
    calendar = shipped()["calendars"][country]
    if calendar["decree_transfers"]:
        last = calendar["decree_data_until"]
        assert decree_days(country, last) > 0
        assert all(decree_days(country, year) == 0 for year in range(last + 1, last + 4))
    else:
        assert all(decree_days(country, year) == 0 for year in range(2026, 2031))


@pytest.fixture
def ruleset_file(tmp_path, monkeypatch):
    """Point the engine at an edited copy of ruleset.yaml; the real one is reloaded afterwards."""
    data = shipped()

    def write() -> None:
        path = tmp_path / "ruleset.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        monkeypatch.setattr(rules, "RULESET_PATH", path)
        rules._ruleset.cache_clear()

    yield data, write
    rules._ruleset.cache_clear()


def rule_spec(data: dict, rule_id: str) -> dict:
    return next(spec for spec in data["rules"] if spec["id"] == rule_id)


@pytest.mark.parametrize(
    ("rule_id", "edit", "message"),
    [
        ("ru-kas-appeal-1-month", lambda s: s["versions"][0].update(unit="weeks"), "unknown unit"),
        ("ru-kas-appeal-1-month", lambda s: s["versions"][0].update(roll_forward="maybe"), "roll_forward"),
        ("ru-kas-appeal-1-month", lambda s: s["versions"][0].update(roll_foward=True), "unknown keys"),
        ("ru-kas-appeal-1-month", lambda s: s.update(trigger_events=["served"]), "trigger_events"),
        ("ru-kas-appeal-1-month", lambda s: s.pop("title"), "title"),
        ("echr-art35-4-months", lambda s: s["versions"][0].update(roll_forward=True), "never roll"),
        ("ru-upk-389-4-appeal", lambda s: s["versions"].reverse(), "order"),
    ],
)
def test_invalid_ruleset_is_rejected_on_load(ruleset_file, rule_id, edit, message):
    data, write = ruleset_file
    edit(rule_spec(data, rule_id))
    write()
    with pytest.raises(InvalidRuleset, match=message):
        rules.all_rules()


def test_duplicate_ids_are_rejected(ruleset_file):
    data, write = ruleset_file
    data["rules"].append(dict(rule_spec(data, "ru-kas-appeal-1-month")))
    write()
    with pytest.raises(InvalidRuleset, match="duplicate"):
        rules.get_rule("ru-kas-appeal-1-month")

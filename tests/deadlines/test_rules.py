"""Deadline engine: worked examples, rule history, calendars, warnings and the public API."""

import ast
from datetime import date
from pathlib import Path

import holidays
import pytest

from casework.deadlines import rules
from casework.deadlines.rules import NotComputable, NotInForce, UnknownRule, compute, get_rule

from .shared import shared_examples

D = date.fromisoformat


def codes(computation: rules.Computation) -> set[str]:
    return {w.code for w in computation.warnings}


@pytest.mark.parametrize("example", shared_examples(), ids=lambda e: e["id"])
def test_worked_examples(example):
    result = compute(example["rule"], example["trigger"])
    assert result.due_date == example["expected"], example["note"]
    assert result.nominal_date == example.get("unrolled", example["expected"]), example["note"]
    assert result.rolled == (result.due_date != result.nominal_date)


def test_ex23_unconfirmed_roll_forward_shows_earlier_date_and_names_the_later_one():
    result = compute("kz-labour-160-reinstatement-direct-court", D("2025-11-30"))
    assert (result.nominal_date, result.due_date, result.rolled) == (D("2026-02-28"), D("2026-02-28"), False)
    [warning] = [w for w in result.warnings if w.code == "roll_forward_unconfirmed"]
    assert "2026-03-02" in warning.message


class TestRuleHistory:
    def test_koap_boundary_switches_from_sutki_to_days(self):
        before = compute("ru-koap-30-3-expulsion-appeal", D("2024-10-28"))
        after = compute("ru-koap-30-3-expulsion-appeal", D("2024-10-29"))
        assert (before.rule_version, before.unit, before.due_date) == ("base", "sutki", D("2024-11-07"))
        assert (after.rule_version, after.unit, after.due_date) == ("2024-10-29", "calendar_days", D("2024-11-08"))

    def test_koap_old_sutki_do_not_roll_off_a_sunday(self):
        result = compute("ru-koap-30-3-expulsion-appeal", D("2024-10-24"))
        assert result.due_date == result.nominal_date == D("2024-11-03")  # Sunday

    def test_koap_new_days_roll_off_a_saturday(self):
        result = compute("ru-koap-30-3-expulsion-appeal", D("2024-10-30"))
        assert (result.nominal_date, result.due_date, result.rolled) == (D("2024-11-09"), D("2024-11-11"), True)

    def test_upk_appeal_10_then_15_sutki(self):
        old = compute("ru-upk-389-4-appeal", D("2022-12-28"))
        new = compute("ru-upk-389-4-appeal", D("2022-12-29"))
        assert (old.amount, old.nominal_date, old.due_date) == (10, D("2023-01-07"), D("2023-01-09"))
        assert (new.amount, new.rule_version, new.due_date) == (15, "2022-12-29", D("2023-01-13"))
        assert "unconfirmed_rule" in codes(new)

    @pytest.mark.parametrize(
        ("rule_id", "trigger"),
        [
            ("echr-art35-4-months", "2022-01-31"),
            ("echr-art35-6-months-transitional", "2022-02-01"),
            ("ru-tk-392-unpaid-wages-1-year", "2016-10-02"),
        ],
    )
    def test_trigger_outside_the_rule_raises_not_in_force(self, rule_id, trigger):
        with pytest.raises(NotInForce):
            compute(rule_id, D(trigger))


class TestWorkingDays:
    def test_decree_working_saturday_counts(self):
        # 2024-04-27 (Sat) was a working day by decree; 29-30 April were days off instead.
        assert holidays.country_holidays("RU", years=2024).is_working_day(D("2024-04-27"))
        result = compute("ru-gpk-private-complaint-15-working-days", D("2024-04-20"))
        assert result.due_date == D("2024-05-16")  # 2024-05-17 if the Saturday were skipped

    def test_registration_skips_the_may_holidays(self):
        result = compute("ru-migration-registration-7-working-days", D("2024-04-26"))
        assert result.due_date == D("2024-05-13")  # Apr 27 (Sat), May 2, 3, 6, 7, 8, 13
        assert result.warnings == ()

    def test_year_without_decree_data_warns(self):
        result = compute("ru-gpk-private-complaint-15-working-days", D("2028-10-25"))
        [warning] = [w for w in result.warnings if w.code == "no_holiday_data"]
        assert "2028" in warning.message

    def test_year_with_decree_data_does_not_warn(self):
        assert "no_holiday_data" not in codes(compute("ru-gpk-private-complaint-15-working-days", D("2027-03-01")))

    def test_roll_forward_check_into_a_year_without_data_warns(self):
        result = compute("ru-kas-appeal-1-month", D("2027-12-15"))
        assert (result.nominal_date, result.due_date) == (D("2028-01-15"), D("2028-01-17"))
        assert "no_holiday_data" in codes(result)

    def test_calendar_day_periods_without_roll_never_consult_the_calendar(self):
        assert "no_holiday_data" not in codes(compute("ru-koap-30-3-expulsion-appeal", D("2024-01-10")))


class TestRollForward:
    def test_echr_deadline_on_sunday_does_not_move(self):
        result = compute("echr-art35-4-months", D("2025-03-13"))
        assert result.due_date == result.nominal_date == D("2025-07-13")  # Sunday
        assert not result.rolled

    def test_kas_deadline_on_sunday_moves_to_monday(self):
        result = compute("ru-kas-appeal-1-month", D("2025-06-13"))
        assert (result.nominal_date, result.due_date, result.rolled) == (D("2025-07-13"), D("2025-07-14"), True)


class TestWarnings:
    def test_unconfirmed_rule(self):
        assert "unconfirmed_rule" in codes(compute("ru-kas-deportation-and-other-admin-claims", D("2025-01-10")))
        assert "unconfirmed_rule" not in codes(compute("echr-art35-4-months", D("2025-01-10")))

    def test_month_end_convention_only_when_the_date_was_clamped(self):
        assert "month_end_convention" in codes(compute("echr-art35-4-months", D("2022-10-31")))
        assert "month_end_convention" not in codes(compute("echr-art35-4-months", D("2022-10-28")))

    def test_statutory_month_end_rule_carries_no_warning(self):
        assert "month_end_convention" not in codes(compute("ru-kas-appeal-1-month", D("2026-01-30")))

    def test_guideline_is_not_a_hard_deadline(self):
        result = compute("un-hrc-op1-delay-guideline", D("2023-05-31"))
        assert result.due_date == D("2028-05-31")
        assert "not_a_hard_deadline" in codes(result)

    def test_unverified_day_type_and_start_day(self):
        assert {"start_day_unconfirmed", "day_type_unconfirmed"} <= codes(compute("ge-asylum-appeal", D("2025-09-01")))

    def test_every_warning_has_a_message(self):
        for rule in (r for r in rules.all_rules() if r.computable):
            trigger = D("2028-02-29") if rule.in_force_on(D("2028-02-29")) else D("2020-02-29")
            for variant in rule.variants:
                for warning in compute(rule.id, trigger, variant=variant.name).warnings:
                    assert warning.code and warning.message


class TestVariants:
    def test_default_is_the_first_listed(self):
        result = compute("ru-reentry-ban-after-expulsion", D("2024-02-29"))
        assert (result.variant, result.due_date) == ("first", D("2029-02-28"))
        assert "unconfirmed_rule" not in codes(result)

    def test_unconfirmed_variant_warns(self):
        result = compute("ru-reentry-ban-after-expulsion", D("2024-03-01"), variant="repeated")
        assert result.due_date == D("2034-03-01")
        assert "unconfirmed_rule" in codes(result)

    def test_georgian_variants(self):
        assert compute("ge-asylum-appeal", D("2025-09-01")).due_date == D("2025-09-08")
        assert compute("ge-asylum-appeal", D("2025-09-01"), variant="regular_rejection").due_date == D("2025-09-11")

    def test_unknown_variant(self):
        with pytest.raises(ValueError, match="no variant"):
            compute("ge-asylum-appeal", D("2025-09-01"), variant="nope")


class TestApi:
    def test_unknown_rule(self):
        with pytest.raises(UnknownRule):
            compute("no-such-rule", D("2025-01-01"))
        with pytest.raises(KeyError):
            get_rule("no-such-rule")

    def test_rule39_is_not_computable_but_keeps_its_metadata(self):
        rule = get_rule("echr-rule39-interim-measures")
        assert not rule.computable
        assert len(rule.must_include) == 7 and rule.channels
        with pytest.raises(NotComputable):
            compute(rule.id, D("2025-01-01"))

    def test_computation_is_frozen(self):
        result = compute("echr-art35-4-months", D("2025-03-10"))
        with pytest.raises(AttributeError):
            result.due_date = D("2030-01-01")

    def test_engine_imports_no_django(self):
        tree = ast.parse(Path(rules.__file__).read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        assert not {name for name in imported if name.split(".")[0] == "django"}

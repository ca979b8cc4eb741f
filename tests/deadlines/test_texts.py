"""Everything the engine says in codes or English data reaches users as a translatable sentence."""

import itertools
from datetime import date

from casework.deadlines import rules
from casework.deadlines.texts import RULE_TEXTS, WARNING_TEXTS
from casework.deadlines.urgent import RULE_39, UN_INTERIM


def test_every_warning_the_engine_gives_has_a_sentence():
    codes = set()
    for rule, year in itertools.product(rules.all_rules(), (2016, 2022, 2025, 2031)):
        for variant in rule.variants:
            for month, day in ((1, 31), (2, 29 if year % 4 == 0 else 28), (6, 2), (12, 30)):
                try:
                    computation = rules.compute(rule.id, date(year, month, day), variant=variant.name)
                except rules.NotComputable:
                    continue
                codes |= {warning.code for warning in computation.warnings}
    assert codes and codes <= WARNING_TEXTS.keys()


def test_every_shown_rule_text_is_marked_for_translation():
    shown = set()
    for rule in rules.all_rules():
        if rule.computable:
            shown.add(rule.title)
            if len(rule.variants) > 1:
                shown |= {variant.label for variant in rule.variants}
    for rule_id in (RULE_39, UN_INTERIM):
        rule = rules.get_rule(rule_id)
        shown |= {rule.title, *rule.must_include, *rule.channels}
    assert shown <= set(RULE_TEXTS), sorted(shown - set(RULE_TEXTS))

"""Corrections that travel: a change of numbers only, carried into the translation."""

from __future__ import annotations

import pytest

from locflow.corrections import correct


@pytest.mark.parametrize(("old", "new", "translation", "locale", "expected", "changes"), [
    ("A 12-day strike ended.", "A 13-day strike ended.",
     "Terminó una huelga de 12 días.", "es", "Terminó una huelga de 13 días.", "12→13"),
    ("Inflation rose 4.5% in March.", "Inflation rose 4.7% in March.",
     "La inflación subió un 4,5 % en marzo.", "es",
     "La inflación subió un 4,7 % en marzo.", "4.5→4.7"),
    ("On March 12, 1,000 workers struck.", "On March 13, 1,200 workers struck.",
     "El 12 de marzo, 1.000 trabajadores hicieron huelga.", "es",
     "El 13 de marzo, 1.200 trabajadores hicieron huelga.", "12→13, 1,000→1,200"),
    ("A 12-day strike ended.", "A 13-day strike ended.",
     "为期十二天的罢工结束了。", "zh_Hans", "为期十三天的罢工结束了。", "12→13"),
    ("A 12-day strike ended.", "A 13-day strike ended.",
     "为期12天的罢工结束了。", "zh_Hans", "为期13天的罢工结束了。", "12→13"),
    ("About 105 ships waited.", "About 120 ships waited.",
     "约一百零五艘船在等待。", "zh_Hans", "约一百二十艘船在等待。", "105→120"),
    ("The vote was 7-2.", "The vote was 8-1.", "La votación fue 7 a 2.", "es",
     "La votación fue 8 a 1.", "7→8, 2→1"),
])
def test_a_change_of_numbers_travels_in_the_translations_own_form(
        old: str, new: str, translation: str, locale: str, expected: str, changes: str) -> None:
    fix = correct(old, new, translation, locale)
    assert fix is not None
    assert (fix.text, fix.describe()) == (expected, changes)


@pytest.mark.parametrize(("old", "new", "translation", "locale"), [
    # the wording changed too
    ("A 12-day strike ended.", "A 13-day walkout ended.", "Terminó una huelga de 12 días.", "es"),
    # nothing changed in the numbers
    ("A 12-day strike ended.", "A 12-day strike ended!", "Terminó una huelga de 12 días.", "es"),
    # the translation writes the number as a word: not guessed
    ("A 12-day strike.", "A 13-day strike.", "Una huelga de doce días.", "es"),
    # the old number also stands unchanged in the source: which one changed?
    ("12 of 12 ships.", "13 of 12 ships.", "12 de 12 barcos.", "es"),
    # the translation does not hold the old number (the translator wrote another)
    ("A 12-day strike.", "A 13-day strike.", "Una huelga de 11 días.", "es"),
    # 二 also stands in 周二 (Tuesday), which is no number: not guessed
    ("Voted 7-2 on Tuesday.", "Voted 8-1 on Tuesday.", "周二以七比二投票。", "zh_Hans"),
    # a scale the translation wrote otherwise (420万 for 4.2 million)
    ("It cost $4.2 million.", "It cost $4.6 million.", "花费420万美元。", "zh_Hans"),
    ("A 12-day strike.", "A 13-day strike.", "", "es"),
])
def test_anything_else_gives_no_correction(old: str, new: str, translation: str,
                                           locale: str) -> None:
    assert correct(old, new, translation, locale) is None


def test_a_number_inside_a_longer_number_is_not_touched() -> None:
    fix = correct("12 ships, code 3.", "13 ships, code 3.", "12 barcos, código 3; ref. 312.", "es")
    assert fix is not None and fix.text == "13 barcos, código 3; ref. 312."


def test_huge_inputs_stay_fast() -> None:
    import time

    text = "1," * 50_000 + "x"
    start = time.process_time()
    assert correct(text, text + "2", text, "es") is None
    assert time.process_time() - start < 2.0

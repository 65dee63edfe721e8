"""The numbers check: changed numbers fail; zh/es writing conventions pass."""

from __future__ import annotations

import pytest

from locflow.checks import CheckContext
from locflow.checks.numbers import numbers


def run(source: str, translation: str, locale: str) -> list[str]:
    return numbers(source, translation, CheckContext(locale))


CONVENTIONS = [
    # (source, translation, locale): must not fire
    ("Inflation rose to 4.5%.", "La inflación subió al 4,5 %.", "es"),
    ("Inflation rose to 4.5%.", "通胀率升至4.5%。", "zh_Hans"),
    ("About 1,000 troops.", "Unos 1.000 soldados.", "es"),
    ("About 1,000 troops.", "Unos 1 000 soldados.", "es"),
    ("About 1,000 troops.", "Unos 1\u202f000 soldados.", "es"),
    ("About 10,000 troops.", "约1万名士兵。", "zh_Hans"),
    ("About 10,000 troops.", "约一万名士兵。", "zh_Hans"),
    ("A $4.2 million grant.", "Una subvención de 4,2 millones de dólares.", "es"),
    ("A $4.2 million grant.", "一笔420万美元的拨款。", "zh_Hans"),
    ("A $4.2 million grant.", "Una subvención de 4.200.000 dólares.", "es"),
    ("1.3 billion people", "13亿人", "zh_CN"),
    ("1.3 billion people", "1300 millones de personas", "es"),
    ("1.3 billion people", "1,3 mil millones de personas", "es"),
    ("The court ruled 7-2.", "El tribunal falló 7 votos a 2.", "es"),
    ("The court ruled 7-2.", "法院以7比2裁定。", "zh_Hans"),
    ("12 experts agreed.", "十二位专家同意。", "zh_Hans"),
    ("12 experts agreed.", "Doce expertos estuvieron de acuerdo.", "es"),
    ("2 countries", "两个国家", "zh_Hans"),
    ("300 soldiers", "三百名士兵", "zh_Hans"),
    ("In 2024, troops moved.", "二〇二四年，部队调动。", "zh_Hans"),
    ("In 2024, troops moved.", "2024年，部队调动。", "zh_Hans"),
    ("On November 4, 2024", "2024年11月4日", "zh_Hans"),
    ("On November 4, 2024", "El 4 de noviembre de 2024", "es"),
    ("the 3rd attempt", "el tercer intento", "es"),
    ("the 3rd attempt", "el 3.er intento", "es"),
    ("the 3rd attempt", "第三次尝试", "zh_Hans"),
    ("at 3:30 p.m.", "a las 15:30", "es"),
    ("at 3:30 p.m.", "下午3点30分", "zh_Hans"),
    ("1 file", "un archivo", "es"),
    ("two countries", "dos países", "es"),  # source words are never required as digits
    ("two countries", "两国", "zh_Hans"),
    ("the 1970s", "los años 70", "es"),
    ("PlayStation 3 controller", "PS3 手柄", "zh_CN"),
    ("Python 3.12.1 is out", "Python 3.12.1 ya está disponible", "es"),
    ("coordinates (0,0)", "coordenadas (0,0)", "es"),
    ("use %d items", "usa %d elementos", "es"),  # placeholders are not numbers
    ("see https://example.com/2024/11", "véase https://example.com/2024/11", "es"),
    ("the sha256 digest", "el resumen sha256", "es"),
    ("255 characters... this 255 character limit", "最多255个字符的限制", "zh_Hans"),
    ("Ｆull-width １２", "全角12", "zh_Hans"),
    # issue 11: whole numbers, read the way zh and es write them
    ("The index rose 3.5 points.", "指数上涨3点5个点。", "zh_Hans"),
    ("The index rose 3.5 points.", "指数上涨三点五个点。", "zh_Hans"),
    ("10,000 people marched.", "万人游行。", "zh_Hans"),
    ("1 trillion yuan", "1万亿元", "zh_Hans"),
    ("$4.2 billion", "42亿美元", "zh_Hans"),
    ("$4.2 billion", "4200 millones de dólares", "es"),
    ("3,000 troops", "3000 soldados", "es"),
    ("3,000 troops", "3.000 soldados", "es"),
    ("3,000 troops", "3000名士兵", "zh_Hans"),
    ("Pages 1 and 3", "Páginas 1,3", "es"),  # a list read as 1,3
]


@pytest.mark.parametrize(("source", "translation", "locale"), CONVENTIONS)
def test_conventions_do_not_fire(source: str, translation: str, locale: str) -> None:
    assert run(source, translation, locale) == []


CHANGED = [
    ("12 experts agreed.", "13 expertos estuvieron de acuerdo.", "es",
     ["13 in the translation; the source says 12"]),
    ("310 soldiers", "301名士兵", "zh_Hans", ["301 in the translation; the source says 310"]),
    ("Inflation rose to 4.5%.", "La inflación subió al 5,4 %.", "es",
     ["5,4 in the translation; the source says 4.5"]),
    ("A $4.2 million grant.", "一笔42万美元的拨款。", "zh_Hans",
     ["42 in the translation; the source says 4.2"]),
    ("The court ruled 7-2.", "El tribunal falló 7 votos a 3.", "es",
     ["3 in the translation; the source says 2"]),
    ("The court ruled 7-2.", "法院以7比3裁定。", "zh_Hans",
     ["3 in the translation; the source says 2"]),
    ("Pages 1,3,5,6 and 7", "第1、3、5和7页", "zh_CN", ["6 is missing from the translation"]),
    ("About 1,000 troops.", "Unos soldados.", "es", ["1,000 is missing from the translation"]),
    ("In 2024, troops moved.", "2023年，部队调动。", "zh_Hans",
     ["2023 in the translation; the source says 2024"]),
    # issue 11: the digits of another number are not the number
    ("3 people died.", "Murieron 30 personas.", "es", ["30 in the translation; the source says 3"]),
    ("12 experts agreed.", "120 expertos estuvieron de acuerdo.", "es",
     ["120 in the translation; the source says 12"]),
    ("3 people died.", "30人死亡。", "zh_Hans", ["30 in the translation; the source says 3"]),
    ("3 people died.", "三十人死亡。", "zh_Hans", ["3 is missing from the translation"]),
    ("3 people died.", "Murieron 3.000 personas.", "es",
     ["3.000 in the translation; the source says 3"]),
    ("3 people died.", "Murieron 3,000 personas.", "es",
     ["3,000 in the translation; the source says 3"]),
    ("at 3:30 p.m.", "a las 15:40", "es", ["40 in the translation; the source says 30"]),
    ("Inflation rose to 4.5%.", "La inflación subió al 4,6 %.", "es",
     ["4,6 in the translation; the source says 4.5"]),
    ("12 experts agreed.", "十三位专家同意。", "zh_Hans", ["12 is missing from the translation"]),
    ("A $4.2 million grant.", "一笔430万美元的拨款。", "zh_Hans",
     ["430 in the translation; the source says 4.2"]),
    ("1.3 billion people", "14亿人", "zh_CN", ["14 in the translation; the source says 1.3"]),
    ("1.3 billion people", "1,4 mil millones de personas", "es",
     ["1,4 in the translation; the source says 1.3"]),
    ("The index rose 3.5 points.", "指数上涨3点6个点。", "zh_Hans",
     ["3.5 is missing from the translation"]),
    ("PlayStation 3 controller", "PS30 手柄", "zh_CN", ["3 is missing from the translation"]),
]


@pytest.mark.parametrize(("source", "translation", "locale", "expected"), CHANGED)
def test_changed_numbers_fire(source: str, translation: str, locale: str,
                              expected: list[str]) -> None:
    assert run(source, translation, locale) == expected


def test_source_without_numbers_passes_whatever_the_translation_adds() -> None:
    assert run("See you soon", "Hasta el 5 de mayo", "es") == []


@pytest.mark.parametrize("unit", ["1", "1,", "1点", "PS3 ", "1万", "3:30 p.m. ", "十二", "a1"])
def test_time_grows_linearly_with_the_text(unit: str) -> None:
    """Translator text is untrusted: twice the text may take about twice the time, no more."""
    import time

    def seconds(n: int) -> float:
        source, translation = (unit + " ") * (n // 10), unit * n
        best = float("inf")
        for _ in range(3):  # the best of three: other processes share the machine
            start = time.perf_counter()
            numbers(source, translation, CheckContext("zh_Hans"))
            numbers(source, translation, CheckContext("es"))
            best = min(best, time.perf_counter() - start)
        return best

    seconds(1000)  # warm up
    small, large = seconds(8000), seconds(32000)
    assert large < 8 * small + 0.1, (small, large)  # 4x the text: ~4x the time

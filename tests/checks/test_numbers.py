"""The numbers check: changed numbers fail; zh/es writing conventions pass."""

from __future__ import annotations

import pytest

from locflow.checks import CheckContext
from locflow.checks.numbers import numbers, translation_numbers


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
        for _ in range(5):  # best of five, in CPU time: other processes share the machine
            start = time.process_time()
            numbers(source, translation, CheckContext("zh_Hans"))
            numbers(source, translation, CheckContext("es"))
            best = min(best, time.process_time() - start)
        return best

    seconds(1000)  # warm up
    small, large = seconds(8000), seconds(32000)
    # 4x the text: ~4x the time (quadratic would be 16x; a loaded machine's caches add noise)
    assert large < 10 * small + 0.2, (small, large)


# Tests that would notice (issue 12): readings the conventions above leave untested, each
# both ways (the right reading passes, a wrong figure fires), so a changed scale or rule shows.
READINGS = [
    # (source, right translation, wrong translation, locale)
    # the digits differ, so only the scale word can make them agree
    ("2,000 billion", "2 billones", "2 millones", "es"),
    ("1,300 million", "1,3 mil millones de personas", "1,3 millones de personas", "es"),
    ("3,000 troops", "3 mil soldados", "3 millones de soldados", "es"),
    ("1,000,000", "1 millón", "1 mil", "es"),
    ("3,000,000", "3 millones", "3 mil", "es"),
    ("10 million", "1千万", "1百万", "zh_Hans"),
    ("4,000,000", "4百万", "4千万", "zh_Hans"),
    ("500 people", "5百人", "5千人", "zh_Hans"),
    ("3,000 people", "3千人", "3百人", "zh_Hans"),
    ("$2bn", "20亿美元", "20万美元", "zh_Hans"),
    ("$3mn", "300万美元", "300亿美元", "zh_Hans"),
    ("1.3 billion people", "13亿人", "13万人", "zh_Hans"),
    ("The index rose 3.5 points.", "指数上涨3点5个点。", "指数上涨3点4个点。", "zh_Hans"),
    ("0.5 points", "零点五个点", "零点六个点", "zh_Hans"),
    ("120,000,000", "一亿两千万", "一亿两百万", "zh_Hans"),
    ("200 million", "两亿", "两万", "zh_Hans"),
    ("1 trillion", "一万亿", "一千亿", "zh_Hans"),
    ("30 million", "三千万", "三百万", "zh_Hans"),
    ("100,000", "十万", "一万", "zh_Hans"),
    ("20,000", "两万", "两千", "zh_Hans"),
    ("10 people", "十人", "七人", "zh_Hans"),
    ("350 seats", "三百五十席", "三百六十席", "zh_Hans"),
    ("In 2024", "二〇二四年", "二〇二三年", "zh_Hans"),
    ("the 1980's", "los 80", "los 90", "es"),
    ("at 11 pm", "a las 23", "a las 24", "es"),
    ("at 12 p.m.", "a las 12", "a las 24", "es"),
    ("12 and 7", "7 y doce", "7 y once", "es"),
    ("the 21st", "el veintiuno", "el veintidós", "es"),
    ("1 000 people", "1000 personas", "100 personas", "es"),
    ("3.125 km", "3,125 km", "3,126 km", "es"),
    ("Version 3.12.1", "Versión 3.12.1", "Versión 3.12.2", "es"),
    ("x " + "1" * 41, "y " + "1" * 41, "y " + "1" * 40 + "2", "es"),  # too long to read
]


@pytest.mark.parametrize(("source", "right", "wrong", "locale"), READINGS)
def test_readings_pass_when_right_and_fire_when_wrong(source: str, right: str, wrong: str,
                                                      locale: str) -> None:
    assert run(source, right, locale) == []
    assert run(source, wrong, locale) != []


def test_a_decimal_comma_is_read_only_where_the_language_writes_one() -> None:
    assert run("4.5%", "4,5%", "es") == []
    assert run("4.5%", "4,5%", "zh_Hans") == ["4.5 is missing from the translation"]
    assert run("4.5%", "4,5%", "pt-BR") == []  # a tag with a hyphen names the language too


def test_a_number_that_can_be_read_two_ways_is_paired_the_way_that_matches_all() -> None:
    # "3,125" is 3125 or 3.125 in Spanish; 3125 alone is 3125: only one pairing covers both
    assert run("3,125 people and 3.125 tons", "3,125 toneladas y 3125 personas", "es") == []


def test_messages_pair_changed_numbers_only_when_the_counts_agree() -> None:
    assert run("5 and 6", "7 y 8", "es") == ["7 in the translation; the source says 5",
                                             "8 in the translation; the source says 6"]
    assert run("5 and 6", "7", "es") == ["5 is missing from the translation",
                                         "6 is missing from the translation"]
    assert run("5 and 6", "5", "es") == ["6 is missing from the translation"]
    assert run("5 and 6", "5 y siete", "es") == ["6 is missing from the translation"]


def test_a_list_in_the_translation_covers_several_source_numbers() -> None:
    assert run("Pages 1, 2 and 3", "Páginas 1,2,3", "es") == []
    assert run("Pages 1, 2 and 4", "Páginas 1,2,3", "es") == [
        "3 in the translation; the source says 4"]


def test_number_tokens_say_how_a_number_was_written() -> None:
    from locflow.checks.numbers import source_numbers, translation_numbers

    assert [t.text for t in source_numbers("255 chars, 255 max, 3 of 4")] == ["255", "3", "4"]
    [million] = source_numbers("$4.2 million")
    assert million.values == {"4.2", "4200000"} and million.digits
    words = translation_numbers("doce", "es")
    assert [(t.text, t.values, t.digits) for t in words] == [("doce", {"12"}, False)]
    [grouped] = translation_numbers("3.000", "es")
    assert grouped.values == {"3000"} and grouped.parts == ()
    [listed] = translation_numbers("1,3", "es")
    assert listed.values == {"1.3"} and listed.parts == ("1", "3")


# The tables, checked against values written out independently here.
SPANISH_WORDS = {
    "cero": 0, "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
    "trece": 13, "catorce": 14, "quince": 15, "dieciséis": 16, "diecisiete": 17,
    "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintiuna": 21,
    "veintidós": 22, "veintitrés": 23, "veinticuatro": 24, "veinticinco": 25, "treinta": 30,
    "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80,
    "noventa": 90, "cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200,
    "trescientos": 300, "trescientas": 300, "cuatrocientos": 400, "quinientos": 500,
    "seiscientos": 600, "setecientos": 700, "ochocientos": 800, "novecientos": 900,
    "mil": 1000, "millón": 1_000_000, "primero": 1, "primera": 1, "primer": 1, "primeros": 1,
    "primeras": 1, "segundo": 2, "segunda": 2, "tercero": 3, "tercera": 3, "tercer": 3,
    "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5, "sexto": 6, "sexta": 6, "séptimo": 7,
    "séptima": 7, "octavo": 8, "octava": 8, "noveno": 9, "novena": 9, "décimo": 10,
    "décima": 10, "terceros": 3, "terceras": 3, "segundos": 2,
}


@pytest.mark.parametrize(("word", "value"), SPANISH_WORDS.items())
def test_spanish_number_words(word: str, value: int) -> None:
    assert run(f"{value} of them", f"{word.capitalize()} de ellos", "es") == []
    assert [t.values for t in translation_numbers(word, "es")] == [{str(value)}]


CHINESE = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6,
    "七": 7, "八": 8, "九": 9, "十": 10, "一百": 100, "一千": 1000, "一万": 10_000,
    "一亿": 100_000_000, "三十五": 35, "十五": 15, "一百零五": 105, "三千二百": 3200,
    "两万五千": 25_000, "五亿": 500_000_000, "十二万": 120_000,
}


@pytest.mark.parametrize(("numeral", "value"), CHINESE.items())
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert run(f"{value} of them", f"其中{numeral}个", "zh_Hans") == []
    assert [t.values for t in translation_numbers(numeral, "zh_Hans")] == [{str(value)}]


SCALES = [
    # (source, translation, locale): the scale word alone makes the figures agree
    ("7 thousand", "7000", "es"), ("7 million", "7000000", "es"), ("7mn", "7000000", "es"),
    ("7 billion", "7000000000", "es"), ("7bn", "7000000000", "es"),
    ("7 trillion", "7000000000000", "es"),
    ("7,000", "7 mil", "es"), ("7,000,000", "7 millones", "es"),
    ("1,000,000", "1 millon", "es"), ("7,000,000,000", "7 mil millones", "es"),
    ("7,000,000,000,000", "7 billones", "es"), ("1,000,000,000,000", "1 billón", "es"),
    ("700", "7百", "zh_Hans"), ("7,000", "7千", "zh_Hans"), ("70,000", "7万", "zh_Hans"),
    ("7,000,000", "7百万", "zh_Hans"), ("70,000,000", "7千万", "zh_Hans"),
    ("700,000,000", "7亿", "zh_Hans"), ("7,000,000,000,000", "7万亿", "zh_Hans"),
]


@pytest.mark.parametrize(("source", "translation", "locale"), SCALES)
def test_scale_words(source: str, translation: str, locale: str) -> None:
    assert run(source, translation, locale) == []
    first = next(c for c in translation if c.isdigit())
    assert run(source, translation.replace(first, str(int(first) + 1), 1), locale) != []


def test_what_is_not_a_number_to_compare() -> None:
    # URLs and placeholders are checked elsewhere; their digits are not required
    assert run("See https://example.org/2024/report now", "Véase el informe", "es") == []
    assert run("Use %2$s and {0} here", "Usa %2$s y {0} aquí", "es") == []
    # a run of digits over 40 characters is compared as written, not read
    long = "1" + ",000" * 10
    assert run(f"count {long}", f"cuenta {long.replace(',', '.')}", "es") != []
    assert run(f"count {long}", f"cuenta {long}", "es") == []


def test_a_grouped_number_needs_groups_of_three() -> None:
    assert run("12,34 and 5", "12,34 y 5", "zh_Hans") == []  # a list: 12 and 34
    assert [t.values for t in translation_numbers("1234,567", "zh_Hans")] == [{"1234"}, {"567"}]
    assert [t.values for t in translation_numbers("1,2345", "zh_Hans")] == [{"1"}, {"2345"}]
    assert [t.values for t in translation_numbers("1,234.5", "es")] == [{"1234.5"}]
    assert [t.values for t in translation_numbers("1.234,5", "es")] == [{"1234.5"}]
    assert translation_numbers("1.234.5", "es")[0].values == {"1"}


def test_chinese_scale_after_digits_is_not_read_twice() -> None:
    # 420万: the 万 scales 420; it is not also a numeral 万 (10,000) of its own
    assert [t.text for t in translation_numbers("420万美元", "zh_Hans")] == ["420"]
    assert [t.text for t in translation_numbers("4.2万", "zh_Hans")] == ["4.2"]
    assert [t.text for t in translation_numbers("约万人", "zh_Hans")] == ["万"]


@pytest.mark.parametrize(("source", "translation", "locale"), [
    # issue 19: a number written identically on both sides is never an error (2.000 is
    # two in English and two thousand in Spanish: the translation changed nothing)
    ("a list of 2.000 strings", "una lista de 2.000 cadenas", "es"),
    ("Version 1.5 is out", "La versión 1.5 ya está", "es"),
    # numbers in code spans, link targets, autolinks and tags are markup's and urls'
    ("Listen on `192.168.1.74`.", "Escuche en `192.168.1.75`.", "es"),
    ("See [the notes](https://x.org/v2/3).", "Vea [las notas](https://x.org/v4/5).", "es"),
    ("Go to <https://x.org/2024>.", "Vaya a la página.", "es"),
    ("A <img src='a.png' width='300'> map", "Un mapa <img src='a.png'>", "es"),
    # a number of the prose may stand in code in the translation
    ("Returns ``1`` if it succeeds and 0 otherwise.", "Retorna ``1`` si tiene éxito y ``0`` "
     "si no.", "es"),
])
def test_numbers_of_the_prose_only(source: str, translation: str, locale: str) -> None:
    assert run(source, translation, locale) == []


def test_numbers_of_the_prose_still_count() -> None:
    assert run("a list of 2.000 strings", "una lista de 2.001 cadenas", "es") != []
    assert run("Listen on port 74 of `host`.", "Escuche en el puerto 75 de `host`.", "es") == [
        "75 in the translation; the source says 74"]
    # runs of prose apart are numbers apart: "81⏎285" is no "81 285"
    assert run(">>> x  # 0, 1, ... 81\n285", ">>> x  # 0, 1, ... 81 de\n285", "zh_Hans") == []

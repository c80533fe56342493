"""Tests of diglot.segment: sentence boundaries of one block of text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diglot.segment import sentence_spans, split_en, split_ru, split_sentences


def ru(text: str) -> list[str]:
    return split_sentences(text, "ru")


def en(text: str) -> list[str]:
    return split_sentences(text, "en")


# ------------------------------------------------------------------ Russian


def test_ru_plain_boundaries() -> None:
    """Full stops, question and exclamation marks before a capital end Russian sentences."""
    assert ru("Собрание открылось в полдень. Кто выступал? Все! Итоги подведены.") == [
        "Собрание открылось в полдень.",
        "Кто выступал?",
        "Все!",
        "Итоги подведены.",
    ]


def test_ru_year_abbreviation_before_capital_is_boundary() -> None:
    """The abbreviations "г." and "гг." after a year end the sentence before a capital."""
    assert ru(
        "Союз действовал в 2003–2005 гг. Затем он распался. Это было в 1998 г. Никто не спорил."
    ) == [
        "Союз действовал в 2003–2005 гг.",
        "Затем он распался.",
        "Это было в 1998 г.",
        "Никто не спорил.",
    ]


def test_ru_year_abbreviation_before_lowercase_is_not_boundary() -> None:
    """The abbreviation "г." after a date followed by a lower-case word continues the sentence."""
    text = "Решение от 12.04.2019 г. о закрытии газеты обжаловано."
    assert ru(text) == [text]


def test_ru_city_abbreviation_is_not_boundary() -> None:
    """The abbreviation "г." not after a number means "город" and never ends a sentence."""
    text = "Митинг прошёл в г. Самара у здания мэрии, а затем в г. Тольятти."
    assert ru(text) == [text]


def test_ru_bare_date_before_abbreviation_is_not_boundary() -> None:
    """A sentence cannot consist of a date alone: "В 2001–2003 гг. Партия…" is one sentence."""
    text = "В 2001–2003 гг. Партия провела три съезда."
    assert ru(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Обсуждались зарплаты, пенсии и т. д. Решение отложили.",
            ["Обсуждались зарплаты, пенсии и т. д.", "Решение отложили."],
        ),
        (
            "Пришли рабочие, студенты и т. п. Зал был полон.",
            ["Пришли рабочие, студенты и т. п.", "Зал был полон."],
        ),
        (
            "Выступили Иванов, Сидоров и др. Потом голосовали.",
            ["Выступили Иванов, Сидоров и др.", "Потом голосовали."],
        ),
        (
            "Собрали 40 тыс. руб. Деньги переданы семьям.",
            ["Собрали 40 тыс. руб.", "Деньги переданы семьям."],
        ),
    ],
)
def test_ru_final_abbreviations_end_sentences(text: str, expected: list[str]) -> None:
    """The abbreviations "и т. д.", "и т. п.", "и др.", "руб." end a sentence before a capital."""
    assert ru(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Это нарушает ст. 5 Конституции, т. е. право на объединение.",
        "Подробности см. Приложение 2 к докладу.",
        "Выступили Иванов и др. депутаты фракции.",
        "Бюджет составил 3 млн руб. и был исчерпан к маю.",
        "Штраф в 150 тыс. рублей назначен повторно.",
        "Встреча прошла на пр. Победы, у памятника.",
        "Слово взял проф. Морозов из Томска.",
    ],
)
def test_ru_nonfinal_abbreviations_do_not_split(text: str) -> None:
    """Abbreviations "ст.", "т. е.", "см.", "млн", "тыс.", "пр.", "проф." never end sentences."""
    assert ru(text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "Письмо подписал А. В. Петров, секретарь комитета.",
        "Письмо подписали Петров А. В. и Сидорова Е. Н. от имени бюро.",
        "Доклад Л.Н. Смирнова был коротким.",
    ],
)
def test_ru_initials_do_not_split(text: str) -> None:
    """Initials before or after a surname are not sentence ends."""
    assert ru(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Постановление подписал И. В. Сталин в 1936 году.", None),
        ("Статьи Н. И. Бухарина выходили в «Правде».", None),
        ("Список подписали Сталин И. В. и Молотов В. М. в тот же день.", None),
        ("Подписали: Ленин В. И. Сталин И. В. Молотов В. М.", None),
        (
            "Письмо подписал И. В. Сталин. На следующий день его опубликовали.",
            ["Письмо подписал И. В. Сталин.", "На следующий день его опубликовали."],
        ),
        (
            "Ответ подписал Сталин И. В. Текст не сохранился.",
            ["Ответ подписал Сталин И. В. Текст не сохранился."],
        ),
        (
            "Ответ подписал Сталин И. В. На следующий день его опубликовали.",
            ["Ответ подписал Сталин И. В.", "На следующий день его опубликовали."],
        ),
        ("Часть I. Задачи партии", ["Часть I.", "Задачи партии"]),
    ],
)
def test_ru_initials_gold(text: str, expected: list[str] | None) -> None:
    """Initials before or after a surname stay in their sentence; "Часть I." ends one.

    After a surname, initials end a sentence only before a word that starts sentences ("На");
    before another capitalised word ("Текст") they are read as part of the name.
    """
    assert ru(text) == (expected or [text])


def test_ru_numbers_and_dates_do_not_split() -> None:
    """Decimal numbers and dotted dates are not boundaries."""
    text = "Рост составил 9.5 процента с 03.08.2015 по 01.01.2016 года."
    assert ru(text) == [text]


def test_ru_number_before_capital_is_boundary() -> None:
    """A sentence ending in a number ends before a capitalised word."""
    assert ru("Членов партии стало 1200. Это рекорд.") == [
        "Членов партии стало 1200.",
        "Это рекорд.",
    ]


def test_ru_quotation_with_exclamation_inside_sentence() -> None:
    """«…!» — заявил он: a quotation followed by a dash and a lower-case word is one sentence."""
    assert ru("«Мы не отступим!» — заявил он. Зал аплодировал.") == [
        "«Мы не отступим!» — заявил он.",
        "Зал аплодировал.",
    ]


def test_ru_multi_sentence_quotation_inside_sentence() -> None:
    """A quotation of several sentences that the sentence goes on after is not split."""
    text = "«Мы не отступим! Мы добьёмся своего», — заявил председатель."
    assert ru(text) == [text]


def test_ru_quotation_closing_before_full_stop() -> None:
    """A quotation closed before the sentence's own full stop belongs to that sentence."""
    text = "Он сказал: «Забастовка продолжается. Требования прежние». Затем ушёл."
    assert ru(text) == ["Он сказал: «Забастовка продолжается. Требования прежние».", "Затем ушёл."]


def test_ru_low_quotes() -> None:
    """„…“ quotes work like «…»."""
    text = "„Мы победим! Мы вместе“, — сказала она. Все встали."
    assert ru(text) == ["„Мы победим! Мы вместе“, — сказала она.", "Все встали."]


def test_ru_question_exclamation_and_ellipses() -> None:
    """The marks "?!", "..." and "…" end sentences before a capital and not before lower case."""
    assert ru("Неужели?! Да... Посмотрим… Может быть… нет.") == [
        "Неужели?!",
        "Да...",
        "Посмотрим…",
        "Может быть… нет.",
    ]


def test_ru_dialogue_dash_after_question() -> None:
    """A dash and a lower-case word after "?" continue the sentence; "? — Нет" starts one."""
    assert ru("— Кто там? — спросил он. — Никого. — Точно?") == [
        "— Кто там? — спросил он.",
        "— Никого.",
        "— Точно?",
    ]


def test_ru_closing_bracket_after_abbreviation() -> None:
    """A full stop after a bracket closing on an abbreviation still ends the sentence."""
    assert ru("Партия была запрещена (до 1991 г.). Позже её восстановили.") == [
        "Партия была запрещена (до 1991 г.).",
        "Позже её восстановили.",
    ]


def test_uk_uses_cyrillic_rules() -> None:
    """Ukrainian gets the Cyrillic rules plus its own abbreviations ("р.", "т. зв.")."""
    assert split_sentences("Це сталося у травні 2014 р. Далі були вибори.", "uk") == [
        "Це сталося у травні 2014 р.",
        "Далі були вибори.",
    ]
    text = "Так зв. реформа, т. зв. оптимізація, тривала роками."
    assert split_sentences(text, "uk-UA") == [text]


# ------------------------------------------------------------------ English


def test_en_plain_boundaries() -> None:
    """Full stops, question and exclamation marks before a capital end English sentences."""
    assert en("The strike began. Did it work? Yes! It did.") == [
        "The strike began.",
        "Did it work?",
        "Yes!",
        "It did.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Brown and Dr. Lee met the delegation.",
        "See Art. 12 of the charter, i.e. the clause on strikes.",
        "Several unions, e.g. the dockers, joined in.",
        "The U.S. Department of Labor declined to comment.",
        "The party was founded by John F. Kennedy Jr. and others.",
        "Prices rose 9.5 percent from 03.08.2015 onwards.",
        "It lasted approx. three weeks.",
        "Meet at 5 p.m. in the main hall.",
    ],
)
def test_en_abbreviations_do_not_split(text: str) -> None:
    """Titles, "Art." before a number, "i.e.", "e.g.", "U.S." before a name and decimals go on."""
    assert en(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "They banned strikes, rallies, unions etc. The court agreed.",
            ["They banned strikes, rallies, unions etc.", "The court agreed."],
        ),
        (
            "She moved to the U.S. It was 1990.",
            ["She moved to the U.S.", "It was 1990."],
        ),
        (
            "The meeting ended at 9 p.m. Delegates went home.",
            ["The meeting ended at 9 p.m.", "Delegates went home."],
        ),
        (
            "He studied at the School of Art. He then left.",
            ["He studied at the School of Art.", "He then left."],
        ),
    ],
)
def test_en_final_abbreviations_end_sentences(text: str, expected: list[str]) -> None:
    """The abbreviations "etc.", "U.S." (before a starter), "p.m." (after a time) end sentences."""
    assert en(text) == expected


def test_en_quotation_continued_by_lowercase() -> None:
    """“…!” he said: a closing quote followed by a lower-case word continues the sentence."""
    assert en("“We will not retreat!” he said. Nobody moved.") == [
        "“We will not retreat!” he said.",
        "Nobody moved.",
    ]


def test_en_parenthesis_and_footnote() -> None:
    """A footnote mark after a full stop stays with its sentence."""
    assert en("The law passed in 2015.[3] Protests followed.") == [
        "The law passed in 2015.[3]",
        "Protests followed.",
    ]
    assert en("The law passed in 2015. [3]") == ["The law passed in 2015. [3]"]


def test_en_initials_and_pronoun_i() -> None:
    """A one-letter initial is no boundary, the pronoun "I" at a sentence end is one."""
    assert en("It was you and I. Did Albert I. Jones know?") == [
        "It was you and I.",
        "Did Albert I. Jones know?",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # initials before the name, "I." among them
        ("The decree was signed by I. V. Stalin in 1936.", None),
        ("Articles by N. I. Bukharin appeared in Pravda.", None),
        ("Letters of J. R. Smith and I. N. Smirnov were read.", None),
        ("It was I. V. Stalin who signed it.", None),
        # initials after the name
        ("The list was signed by Stalin, I. V. and Molotov, V. M. on the same day.", None),
        # a name with initials at a sentence end
        (
            "The letter was signed by I. V. Stalin. The next day it was published.",
            ["The letter was signed by I. V. Stalin.", "The next day it was published."],
        ),
        (
            "The reply came from Stalin I. V. The text is lost.",
            ["The reply came from Stalin I. V.", "The text is lost."],
        ),
        # a Roman numeral that ends a sentence, the pronoun at a sentence end
        ("Part I. The tasks of the party", ["Part I.", "The tasks of the party"]),
        ("Crowned as Henry I. He ruled long.", ["Crowned as Henry I.", "He ruled long."]),
        ("It was you and I. The others left.", ["It was you and I.", "The others left."]),
    ],
)
def test_en_initials_gold(text: str, expected: list[str] | None) -> None:
    """Initials ("I. V. Stalin", "N. I. Bukharin") stay in their sentence; "Part I." ends one."""
    assert en(text) == (expected or [text])


def test_en_inline_enumeration() -> None:
    """An enumeration that opens the block is split at its markers."""
    assert en("1) Stop the ban 2) Free the prisoners") == [
        "1) Stop the ban",
        "2) Free the prisoners",
    ]
    assert en("1. Stop the ban. 2. Free the prisoners.") == [
        "1. Stop the ban.",
        "2. Free the prisoners.",
    ]


def test_en_ellipsis_before_pronoun_i() -> None:
    """An ellipsis before "I" is a pause, not a boundary."""
    text = "I thought... I would stay."
    assert en(text) == [text]


# ------------------------------------------------------------------ other languages


def test_generic_fallback_language() -> None:
    """Other languages get punctuation-plus-capital rules with initials and common abbreviations."""
    assert split_sentences("Ciao a tutti. Come state? Bene, grazie!", "it") == [
        "Ciao a tutti.",
        "Come state?",
        "Bene, grazie!",
    ]
    text = "Das sagte z. B. Prof. Müller am 3. Oktober in Berlin."
    assert split_sentences(text, "de") == [text]
    assert split_sentences("Il a parlé avec J. Dupont. Rien ne change.", "fr") == [
        "Il a parlé avec J. Dupont.",
        "Rien ne change.",
    ]


def test_other_scripts() -> None:
    """Chinese and Japanese full stops need no space after them; Devanagari danda ends one."""
    assert split_sentences("我们抗议。他们沉默！为什么？", "zh") == [
        "我们抗议。",
        "他们沉默！",
        "为什么？",
    ]
    assert split_sentences("「行こう。」と彼は言った。", "ja") == ["「行こう。」と彼は言った。"]
    assert split_sentences("हम लड़ेंगे। हम जीतेंगे।", "hi") == ["हम लड़ेंगे।", "हम जीतेंगे।"]


def test_language_code_variants() -> None:
    """Region and script suffixes are ignored: "pt-BR", "en_GB", "RU" work."""
    text = "Mr. Smith spoke. He left."
    assert split_sentences(text, "en_GB") == split_en(text) == ["Mr. Smith spoke.", "He left."]
    assert split_sentences("Он ушёл. Всё.", "RU") == split_ru("Он ушёл. Всё.")
    assert split_sentences("Ele saiu. Tudo bem.", "pt-BR") == ["Ele saiu.", "Tudo bem."]


def test_extra_abbreviations() -> None:
    """Extra abbreviations, with or without spaces and final dot, never end a sentence."""
    text = "Выступил засл. Деятель искусств Орлов."
    assert ru(text) == ["Выступил засл.", "Деятель искусств Орлов."]
    assert split_sentences(text, "ru", extra_abbreviations=["засл."]) == [text]
    text = "Talk to Insp. Grey. He knows."
    assert split_sentences("It weighs abt. Ten kilos.", "en", extra_abbreviations=["abt"]) == [
        "It weighs abt. Ten kilos."
    ]
    assert en(text) == ["Talk to Insp. Grey.", "He knows."]


# ------------------------------------------------------------------ newlines and spans


def test_newline_alone_is_not_boundary() -> None:
    """A newline inside a block (a soft wrap) does not end a sentence by itself."""
    text = "Российская коммунистическая\nрабочая партия\nзаявляет протест"
    assert ru(text) == [text]
    assert en("The party\nprotests. It\ndemands justice.") == [
        "The party\nprotests.",
        "It\ndemands justice.",
    ]


def test_blank_line_is_boundary() -> None:
    """Should a blank line occur, it separates sentences even without punctuation."""
    assert en("Heading\n\nBody text") == ["Heading", "Body text"]


def test_spans_offsets_and_whitespace() -> None:
    """Spans are offsets into the text, stripped of surrounding whitespace."""
    text = "  Один.  Два!\n Три  "
    spans = sentence_spans(text, "ru")
    assert [text[a:b] for a, b in spans] == ["Один.", "Два!", "Три"]
    assert spans[0] == (2, 7)
    assert sentence_spans("", "ru") == []
    assert sentence_spans(" \n\t", "en") == []


_ALPHABET = st.sampled_from(
    [*'aZяЖ1 .!?…\n«»„“”"()-—', "г.", "Mr.", "т. д.", "U.S.", " I. ", "1) ", "\n\n"]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_ALPHABET, max_size=60).map("".join),
    st.sampled_from(["ru", "en", "de", "uk"]),
)
def test_span_invariants(text: str, lang: str) -> None:
    """Spans are ordered, disjoint, stripped, separated by whitespace and cover every non-space."""
    spans = sentence_spans(text, lang)
    pos = 0
    for a, b in spans:
        assert pos <= a < b <= len(text)
        assert not text[pos:a].strip()
        piece = text[a:b]
        assert piece == piece.strip()
        pos = b
    assert not text[pos:].strip()
    assert split_sentences(text, lang) == [text[a:b] for a, b in spans]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Слово", " ", "  ", ".", "…", "!", "?", "\n", "\n\n", "»",
                                 ")", "[1]", "。", "」", "a", "5", "\u00a0", "\t", ". . ."]),
                max_size=40).map("".join))
def test_candidate_scan_is_the_pattern_scan(text: str) -> None:
    """The candidate scan that jumps between possible first characters finds exactly the
    matches of trying the candidate pattern at every position."""
    from diglot.segment.rules import _CANDIDATE, _candidates

    assert [(m.span(), m.groupdict()) for m in _candidates(text)] == [
        (m.span(), m.groupdict()) for m in _CANDIDATE.finditer(text)]

"""Abbreviation data for the sentence segmenter: plain lists, no logic beyond lookup tables.

Every entry is written with its final dot, and with no spaces inside ("т.д." stands for
"т. д." and "т.д." alike).  Entries written in lower case also match with a capital first
letter ("См." at the start of a sentence); entries written with a capital match only so
("Art." does not make "art." an abbreviation).

Categories:

``NONFINAL``
    never end a sentence: titles and other prepositive abbreviations ("Mr.", "проф."),
    references before a number or a name ("см.", "p.", "ст.", "ул.").
``FINAL``
    may end a sentence: the sentence ends there when the next word starts a sentence
    (capital letter): "etc.", "и т. д.", "и др.".
``AFTER_NUMBER``
    units and counters that end a sentence only when they follow a number ("в 1917 г. Позднее"),
    and are prepositive otherwise ("г. Москва" is "the city of Moscow").
``AMBIGUOUS``
    end a sentence only before a common sentence starter (``STARTERS``): "U.S. Government"
    goes on, "U.S. How about you?" does not.
"""

from __future__ import annotations

from typing import Final


def _words(entries: str) -> tuple[str, ...]:
    """The space-separated entries of a list written as one string."""
    return tuple(entries.split())


# ------------------------------------------------------------------ shared (Latin script)

LATIN_NONFINAL: Final = _words(
    "e.g. i.e. cf. vs. viz. ca. approx. resp. N°. n°. nº. Abs. pp. p. S. Dr. Prof. Mr. Mrs. "
    "Ms. Messrs. Mme. Mlle. Mgr. St. Sen. Rep. Gov. Gen. Col. Capt. Lt. Sgt. Rev. Hon. Pres. "
    "Hr. Fr. Sr. Sra. Srta. Dres. "
    "z.B. d.h. u.a. bzw. vgl. ggf. usw. sog. bspw. Abb. Anm. Hrsg. "
    "p.ex. env. Mt. Ft. op. cit. ibid."
)

# before a number ("Art. 5", "No. 12"), otherwise read as words ("the School of Art. It…")
LATIN_NUMERIC: Final = _words(
    "Art. Arts. Nr. No. Nos. Fig. Figs. Tab. Vol. Vols. Ch. Sec. Para. Abs. Bd. Kap. Sect. Tit."
)

LATIN_FINAL: Final = _words("etc. al. usw. Inc. Ltd. Co. Corp. Bros. Jr. co. Ph.D. ff.")

# ------------------------------------------------------------------ English

EN_NONFINAL: Final = _words(
    "Adm. Atty. Brig. Cmdr. Comdr. Cpl. Det. Gen. Insp. Maj. Msgr. Ord. Pfc. Prof. Pvt. Supt. "
    "Gov. Lieut. Jud. Esq. Ave. Blvd. Rd. Mts. Ft. Ste. Jan. Feb. Mar. Apr. Jun. Jul. Aug. "
    "Sep. Sept. Oct. Nov. Dec. Mon. Tue. Tues. Wed. Thu. Thur. Thurs. Fri. Sat. Sun. "
    "approx. dept. est. fig. figs. vol. vols. ch. chap. sec. para. nos. "
    "ed. eds. repr. trans. ref. refs. min. max. ca. c. v. vs. ex. incl. excl. cit. "
    "Calif. Mass. Penn. Conn. Wash. Colo. Ariz. Ore. Ill. Mich. Minn. Wis. Tenn. Ky. Ala. Fla. "
    "Ga. Md. Va. Nev. Okla. Kan. Neb. Ida. Mont. Wyo. Del. Dak. Mex."
)

EN_FINAL: Final = _words(
    "etc. Inc. Ltd. Co. Corp. Bros. Jr. Sr. Esq. co. st. ft. mi. km. kg. lb. lbs. oz. hr. hrs. "
    "yr. yrs. mins. secs. Ph.D. M.A. B.A. M.D. B.Sc. M.Sc. Ltd. plc. LLC. al."
)

EN_AMBIGUOUS: Final = _words(
    "U.S. U.S.A. U.K. E.U. U.N. U.S.S.R. D.C. L.A. N.Y. a.m. p.m. A.M. P.M. A.D. B.C. B.C.E. C.E."
)

# times and eras: end a sentence after a number ("left at 6 p.m. Mr. Smith then…")
EN_AFTER_NUMBER: Final = _words("a.m. p.m. A.M. P.M. A.D. B.C. B.C.E. C.E.")

STARTERS_EN: Final = frozenset(
    _words(
        "A About After Also Although An And Another Any As At Because Before Being Both But By "
        "Can Could Did Do Does During Each Either Even Every For From Further Furthermore Had "
        "Has Have He Her Here His How However I If In Indeed Instead Is It Its Just Last Later "
        "Many Meanwhile Moreover Most Much My Neither Nevertheless No Nor Not Now Of On Once One "
        "Only Or Other Our Perhaps Since So Some Soon Still Such That The Their Them Then There "
        "Therefore These They This Those Though Thus To Today Two Under Unlike Until We Were What "
        "When Where Whether Which While Who Why With Without Yet You Your"
    )
)

# ------------------------------------------------------------------ Russian (and other Cyrillic)

RU_NONFINAL: Final = _words(
    "т.е. т.к. т.н. т.о. т.ч. т.наз. напр. см. ср. ст. гл. ч. п. пп. пт. подп. абз. разд. рис. "
    "табл. прим. прил. стр. с. л. т. тт. им. ул. пр-т. просп. пер. пл. наб. ш. б-р. д. кв. корп. "
    "стр. обл. р-н. р-на. пос. пгт. дер. ст-ца. г-н. г-жа. гр. тов. акад. проф. доц. канд. "
    "д-р. чл.-корр. зав. зам. пред. ген. ред. сост. под. изд. вып. кн. о. оз. р. мр. "
    "св. свв. ок. около. прибл. англ. нем. франц. фр. лат. греч. итал. исп. рус. укр. "
    "англ.-амер. араб. кит. яп. польск. дол. дол.м. куб. кв.м. куб.м. м.б. мн. ед. ч.т.д. "
    "вкл. искл. янв. февр. апр. авг. сент. окт. нояб. дек. пн. вт. чт. пт. сб. вс. "
    "им.т. у.е. л.с. н.ст. ст.ст. с.г. т.г. ж.-д. ж.д. с.-х. с/х. и.о. вр.и.о. зап. вост. "
    "сев. юж. центр. Св. Вел. мин. Дж. Ж. Ш."
)

RU_FINAL: Final = _words("т.д. т.п. др. а.е. н.э. до.н.э. и.т.д. и.т.п. т.д.и.т.п. etc.")

# final only after "и" ("и пр."), prepositive otherwise ("пр. Мира" is an avenue)
RU_FINAL_AFTER_AND: Final = _words("пр. проч. под.")

RU_AFTER_NUMBER: Final = _words(
    "г. гг. в. вв. руб. коп. долл. дол. тыс. млн. млрд. трлн. чел. экз. шт. км. м. см. мм. кг. "
    "т. ц. л. га. сут. ч. мин. сек. кв. куб. мес. нед. кн. стр. с. г.г. п.п. проц. "
    "мг. мкм. дм. кВт. МВт. ед."
)

# Words that start sentences, to tell where initials written after a surname end one
# ("Подписал Сталин И. В. На следующий день…").
STARTERS_RU: Final = frozenset(
    _words(
        "А Без В Во Вот Все Всё Вчера Если Ещё Затем За Здесь И Из Или Именно Итак К Как Когда "
        "Кроме Кто Мы На Наш Наша Наши Не Нет Но Ныне Нынешний О Об Однако Он Она Они Оно От "
        "По Под После Поэтому При Против С Сегодня Так Также Там Теперь Тогда Только Уже Это "
        "Этот Эта Эти Я"
    )
)

# Ukrainian and Belarusian additions (the Russian lists apply to them too).
UK_NONFINAL: Final = _words(
    "т.зв. див. вул. просп. м. обл. р-н. с-ще. смт. пров. буд. кв. ім. проф. доц. акад. "
    "пан. пані. напр. наприкл. вид. ред. зб. вип. розд. ст. ч. п. пп. рис. табл. "
    "вуліца. вул. в. вёс. гар. імя. пра. г.зн. гл."
)

UK_FINAL: Final = _words("т.д. т.п. і.т.д. і.т.п. ін. тощо. і.г.д. і.інш. інш. н.е. до.н.е.")

UK_AFTER_NUMBER: Final = _words("р. рр. ст. тис. млн. млрд. грн. коп. руб. г. гг. ст. ст.ст.")

# Words of a bare date: a sentence made only of these and numbers has not begun yet, so an
# abbreviation ending it ("В 2010–2012 гг. Виктор…", "At 5 a.m. Mr. Smith…") does not end it.
DATE_WORDS: Final = frozenset(
    _words(
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря "
        "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь "
        "год года году годах годов годы века веке веков начале конце середине около примерно "
        "между после перед начала конца середины весной летом осенью зимой утра вечера "
        "january february march april may june july august september october november december "
        "jan feb mar apr jun jul aug sep sept oct nov dec around about since until from before "
        "after early late mid year years century between the circa"
    )
)

# ------------------------------------------------------------------ scripts and languages

CYRILLIC_LANGS: Final = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn"})

# Languages that write ordinal numbers with a dot ("am 3. Oktober"): a short number with a dot
# before a capitalised word does not end the sentence there.
ORDINAL_DOT_LANGS: Final = frozenset(
    _words("de da no nb nn fi is et lv lt cs sk sl hr sr bs hu tr fo")
)

"""The words and signs of article notation, and the written rule for each ambiguous one.

Rules for letters with several readings (#12):

- ``bn``, ``mn``, ``tn``, ``trn`` are always scale words (billion, million, trillion).
- ``k``/``K``/``M``/``B``/``T`` (and ``m``/``b``) right after a currency sign or code
  (``$2.6 T``, ``€1.2B``, ``$300m``), or right before a count noun or a currency
  (``25M homes``, ``3 T USD``), are scale words.
- A letter joined to a unit is an SI prefix (``MW``, ``TWh``, ``GB``): one word.
- Lowercase ``k`` alone after a number is a thousand (``5k``).
- ``M``, ``T``, ``B``, ``K`` alone after a number are refused, naming their readings.
- ``a``/``an``/``each``/``every`` between a quantity and a time or a count noun is
  "per" (``700,000 homes a day``); after ``/`` it is annum; trailing, refused.
- ``$`` is the U.S. dollar; ``¥`` (yen or yuan) and ``pounds`` (sterling or mass) are
  refused unless a word decides (``pounds sterling``).
"""

from __future__ import annotations

SMALL = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
} | {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
#: Scale abbreviations that never mean anything else.
SURE_SCALES = {"bn": 1e9, "bln": 1e9, "mn": 1e6, "mln": 1e6, "tn": 1e12, "trn": 1e12}
#: Scale abbreviations that are units to pint, read as scales only beside a currency or a
#: count: '$5 mil' and '$5MM' (finance's thousand thousands) are five million dollars; '5 mil'
#: and '5 MM' alone are refused (an inch's thousandth? a megamolar?).
MONEY_SCALES = {"mil": 1e6, "mm": 1e6}
#: Scale letters, read as scale words only where a rule decides (see the module's docstring).
SCALE_LETTERS = {"k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "b": 1e9, "B": 1e9, "T": 1e12}
#: What a letter alone after a number could mean, and how to write each reading.
LETTER_READINGS = {
    "M": (("mega", "MW"), ("million", "million"), ("molar", "mol/L")),
    "T": (("tera", "TW"), ("trillion", "trillion"), ("tesla", "tesla")),
    "B": (("billion", "billion"), ("byte", "byte")),
    "K": (("kelvin", "kelvin"), ("thousand", "thousand")),
}
FRACTIONS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "tenth": 10,
    "tenths": 10,
}
NUMBER_WORDS = frozenset(SMALL) | {"hundred", "dozen"} | frozenset(SCALES) | frozenset(FRACTIONS)
#: Currency signs and codes written before the number, and their units.
CURRENCY_SIGNS = {"$": "USD", "US$": "USD", "U.S.$": "USD", "€": "EUR", "£": "GBP"}
CURRENCY_CODES = {"USD": "USD", "EUR": "EUR", "GBP": "GBP"}
#: Currency words written after the number ('dollars', 'euros').
CURRENCY_WORDS = {
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "gbp": "GBP",
    "cent": "cent",
    "cents": "cent",
}
#: Count nouns and the count unit each is; plurals are found by dropping a final 's'.
COUNT_NOUNS = {
    "home": "home",
    "household": "home",
    "customer": "home",
    "rack": "rack",
    "gpu": "gpu",
    "chip": "gpu",
    "accelerator": "gpu",
    # GPU models, counted as GPUs ('200k H100s', '45 thousand NVIDIA GB200')
    "a100": "gpu",
    "h100": "gpu",
    "h200": "gpu",
    "h800": "gpu",
    "b200": "gpu",
    "b300": "gpu",
    "gb200": "gpu",
    "gb300": "gpu",
    "mi300x": "gpu",
}
#: Count nouns of several words.
COUNT_PHRASES = {
    ("graphics", "processor"): "gpu",
    ("graphics", "processors"): "gpu",
    ("graphics", "processing", "unit"): "gpu",
    ("graphics", "processing", "units"): "gpu",
}
#: Words that qualify a count noun or a currency and add nothing to the unit.
QUALIFIERS = frozenset(
    {
        "u.s.",
        "us",
        "american",
        "average",
        "new",
        "more",
        "additional",
        "residential",
        "existing",
        "typical",
    }
)
#: Adverbs of rate.
ADVERBS = {
    "annually": "year",
    "yearly": "year",
    "monthly": "month",
    "weekly": "week",
    "daily": "day",
    "hourly": "hour",
    "p.a.": "year",
}
#: Words that mean "per" between a quantity and a time or a count noun.
ARTICLE_PER = frozenset({"a", "an", "each", "every"})
#: Words that end a quantity: never read as a unit, even where pint knows one ('in' is inch).
NOT_UNITS = frozenset(
    {"a", "an", "and", "or", "to", "in", "of", "from", "at", "by", "for", "x", "times", "per"}
)

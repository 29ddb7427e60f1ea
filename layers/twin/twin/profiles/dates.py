"""Dates found in text and normalised: "Jan 2021 - Present" gives ["2021-01", "present"]."""

import re

from twin.profiles.phrasing import PARENTHESES, clean

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = r"""(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?
    |sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"""
# A month without its year opens a range of months that ends in it: "Jun–Aug 2024".
_DATE = re.compile(
    rf"""
    (?<!\d)(?P<iso_year>(?:19|20)\d\d)-(?P<iso_month>0[1-9]|1[0-2])(?:-(?P<iso_day>[0-3]\d))?(?!\d)
    | (?<!\d)(?P<num_month>0?[1-9]|1[0-2])[/.](?P<num_year>(?:19|20)\d\d)(?!\d)
    | \b(?P<month>{_MONTH})\.?,?\s+(?P<month_year>(?:19|20)\d\d)\b
    | \b(?P<range_month>{_MONTH})\.?(?=\s*[–—-]\s*{_MONTH}\.?,?\s+(?P<range_year>(?:19|20)\d\d)\b)
    | \b(?P<season>spring|summer|autumn|fall|winter)\s+(?P<season_year>(?:19|20)\d\d)\b
    | (?<!\d)(?P<year>(?:19|20)\d\d)(?!\d)
    | \b(?P<present>present|current|currently|now|today|ongoing|to\ date)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)


def find_dates(text: str) -> list[str]:
    """Normalised dates in order: "Jan 2021 - Present (3.5 years)" -> ["2021-01", "present"].

    Dates in brackets count only when there are none outside them ("Engineer (2019 – 2021)").
    """
    outside = [_normal_date(match) for match in _DATE.finditer(PARENTHESES.sub(" ", text))]
    return outside or [_normal_date(match) for match in _DATE.finditer(text)]


def _normal_date(match: re.Match[str]) -> str:
    if match["iso_year"]:
        day = f"-{match['iso_day']}" if match["iso_day"] else ""
        return f"{match['iso_year']}-{match['iso_month']}{day}"
    if match["num_year"]:
        return f"{match['num_year']}-{int(match['num_month']):02d}"
    if match["month"]:
        return f"{match['month_year']}-{_MONTHS[match['month'][:3].lower()]:02d}"
    if match["range_month"]:
        return f"{match['range_year']}-{_MONTHS[match['range_month'][:3].lower()]:02d}"
    if match["season"]:
        return match["season_year"]
    if match["year"]:
        return match["year"]
    return "present"


_SURROUNDING_SEPARATORS = " \t|,;:·•@–—-"


def split_dates(text: str) -> tuple[str, str]:
    """The text without its dates, and the dates as written: "Engineer | Acme | 2021 – Present"
    gives ("Engineer | Acme", "2021 – Present"); no dates with a year gives (text, "")."""
    found = list(_DATE.finditer(text))
    if all(match["present"] for match in found):
        return clean(text), ""
    start, end = found[0].start(), found[-1].end()
    before, after = text[:start].rstrip(), text[end:].lstrip()
    if before.endswith("(") and after.startswith(")"):
        before, after = before[:-1], after[1:]
    rest = clean(f"{before.rstrip(_SURROUNDING_SEPARATORS)} {after.lstrip(_SURROUNDING_SEPARATORS)}")
    return rest.strip(_SURROUNDING_SEPARATORS), text[start:end]


def parse_period(raw: str) -> tuple[str | None, str | None]:
    """(start, end) of a date or a duration; an unreadable one is kept raw as the start."""
    text = clean(raw)
    if not text:
        return None, None
    dates = find_dates(text)
    if not dates:
        return text, None
    return dates[0], dates[1] if len(dates) > 1 else None


def parse_date(raw: str) -> str | None:
    return parse_period(raw)[0]


def date_range(start: str, end: str, *, current: bool) -> str:
    if start and end:
        return f"{start} – {end}"
    if start:
        return f"{start} – present" if current else f"from {start}"
    return f"until {end}" if end else ""


def has_year(dates: list[str]) -> bool:
    """Whether found dates hold one that is not "present"."""
    return any(date != "present" for date in dates)

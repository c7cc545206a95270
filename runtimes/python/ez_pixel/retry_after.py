"""Reads a 429's Retry-After (spec/hooks.md "Retry-After"): delta-seconds or an HTTP date, 60 s
when absent or unreadable, clamped to 24 hours. Parsed here rather than with email.utils,
whose import costs more than the rest of the SDK's start-up."""

import re
import time

DEFAULT_RETRY_AFTER = 60.0
MAX_RETRY_AFTER = 24 * 3600.0
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# RFC 9110 section 5.6.7: IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", the obsolete RFC 850
# "Sunday, 06-Nov-94 08:49:37 GMT" and asctime "Sun Nov  6 08:49:37 1994".
_IMF = re.compile(r"^[A-Za-z]+, (\d{1,2})[ -]([A-Za-z]{3})[ -](\d{2,4}) "
                  r"(\d{2}):(\d{2}):(\d{2})(?: GMT| UTC| \+0000)?$")
_ASCTIME = re.compile(r"^[A-Za-z]{3} ([A-Za-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$")


def parse_retry_after(value, now=None):
    """Seconds to wait."""
    if value is None:
        return DEFAULT_RETRY_AFTER
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        when = http_date(value)
        if when is None:
            return DEFAULT_RETRY_AFTER
        seconds = when - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return DEFAULT_RETRY_AFTER
    return min(MAX_RETRY_AFTER, max(0.0, seconds))


def http_date(text):
    """Seconds since the epoch for an HTTP date, or None."""
    match = _IMF.match(text)
    if match:
        day, month, year, hour, minute, second = match.groups()
    else:
        match = _ASCTIME.match(text)
        if not match:
            return None
        month, day, hour, minute, second, year = match.groups()
    if month.lower() not in _MONTHS:
        return None
    year = int(year)
    if year < 100:  # RFC 850's two digits: the 50-year rule of RFC 9110
        year += 2000 if year + 2000 - time.gmtime().tm_year <= 50 else 1900
    return (_days_from_civil(year, _MONTHS.index(month.lower()) + 1, int(day)) * 86400.0
            + int(hour) * 3600 + int(minute) * 60 + int(second))


def _days_from_civil(year, month, day):
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468

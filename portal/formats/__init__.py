"""The portal's date formats per language (settings.FORMAT_MODULE_PATH).

Each language module sets Django's format names (DATE_FORMAT, DATETIME_FORMAT,
TIME_FORMAT, MONTH_DAY_FORMAT...) and the portal's own, which every
module must define (a name a module lacks would be printed as a format string):

- WEEKDAY_DATE_FORMAT: "Wednesday 2 December 2026", "Mittwoch, 2. Dezember 2026"
- WEEKDAY_DATETIME_FORMAT: the same with the time (24-hour clock everywhere)
- WEEKDAY_MONTH_DAY_FORMAT: "Wednesday 2 December", "Mittwoch, 2. Dezember"
- SHORT_MONTH_DAY_FORMAT: "2 Dec", "2. Dez." (time-grid column heads)
- DAY_FORMAT, SHORT_MONTH_FORMAT, SHORT_WEEKDAY_FORMAT: "2", "Dec", "Wed" (date blocks)

Templates use these names (`{{ value|date:"WEEKDAY_DATETIME_FORMAT" }}`), Python
code `django.utils.formats.date_format(value, "...")`; no hand-written formats.
Numbers (decimal and thousand separators) come from Django's own modules.
"""

PORTAL_FORMATS = (
    "WEEKDAY_DATE_FORMAT",
    "WEEKDAY_DATETIME_FORMAT",
    "WEEKDAY_MONTH_DAY_FORMAT",
    "SHORT_MONTH_DAY_FORMAT",
    "DAY_FORMAT",
    "SHORT_MONTH_FORMAT",
    "SHORT_WEEKDAY_FORMAT",
)

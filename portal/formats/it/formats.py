# Italian: "2 dicembre 2026" (Django's "d F Y" writes "02"; its DATETIME_FORMAT has
# a weekday its DATE_FORMAT lacks). Names are lower case through
# locale_overrides/it (Django's Italian catalogue capitalises them).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
WEEKDAY_DATE_FORMAT = "l j F Y"
WEEKDAY_DATETIME_FORMAT = "l j F Y, H:i"
WEEKDAY_MONTH_DAY_FORMAT = "l j F"
SHORT_MONTH_DAY_FORMAT = "j M"
DAY_FORMAT = "j"
SHORT_MONTH_FORMAT = "M"
SHORT_WEEKDAY_FORMAT = "D"

"""CSV downloads: one response shape and one defence against spreadsheet formulas.

Every CSV the portal serves is made here (a test fails on a CSV response built
elsewhere). The file is UTF-8 and starts with a byte order mark: Excel reads a
BOM-less CSV in the machine's legacy code page, so "Héliogène" showed as
"HÃ©liogÃ¨ne"; with the BOM it opens correctly, and LibreOffice, Numbers, Google
Sheets and Python's ``utf-8-sig`` read it as they did.
"""

import csv
from decimal import Decimal

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # written once, before the header: UTF-8 for Excel


def spreadsheet_safe(value) -> str:
    """A cell as text, with a leading =, +, -, @, tab or carriage return quoted so a
    spreadsheet shows it instead of running it as a formula (CSV injection)."""
    if isinstance(value, int | float | Decimal):
        return str(value)  # a number is never a formula, and -3 stays a number
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_download(filename: str):
    """An attachment response and a writer on it whose rows are made spreadsheet-safe."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response.write(BOM)
    return response, SafeWriter(response)


class SafeWriter:
    def __init__(self, stream):
        self._writer = csv.writer(stream)
        self.rows = 0

    def writeheader(self, cells) -> None:
        self._writer.writerow([spreadsheet_safe(c) for c in cells])

    def writerow(self, cells) -> None:
        self._writer.writerow([spreadsheet_safe(c) for c in cells])
        self.rows += 1

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)

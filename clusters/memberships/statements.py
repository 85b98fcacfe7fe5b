"""Bank statement import: CSV and ISO 20022 camt.053, matched to invoices by RF reference.

CSV layout (a header row names the columns, in any order, case-insensitive):
``date, amount, currency, counterparty, iban, remittance`` and optionally ``reference``
(a structured creditor reference) and ``bank_reference`` (the bank's id of the line).
Separators ``;`` or ``,``; amounts with a decimal comma or point, with or without
thousands separators (``1.234,56``, ``1234.56``, ``-50,00``); dates ``2027-12-31``,
``31.12.2027`` or ``31/12/2027``. Positive amounts are credits.

camt.053 (any version .001.02 to .001.08): each ``Ntry``, and each ``NtryDtls/TxDtls``
of a batch entry, is a line: ``Amt`` and ``CdtDbtInd``, ``BookgDt``, ``AcctSvcrRef`` or
``EndToEndId``, the debtor's name and IBAN, ``RmtInf/Strd/CdtrRefInf/Ref`` and ``Ustrd``.
A file with a DTD or entity declaration is refused before it is parsed (no entity
expansion, no external entities).

Credit lines are matched to an open invoice of the cluster by its RF reference: the
structured reference, else one found in the remittance text (validated strictly by
ISO 11649 check digits). Lines that do not match, or that pay more than the open amount
when the importer chose nothing for the rest, are kept as unmatched `StatementLine`s
for a manager to assign (`statement_line_assign`). Each line's import key is the bank's
reference, else a hash of date, amount, reference and position in the file: importing
the same statement twice books nothing twice. A bad file is refused with a message
naming the line, and nothing of it is imported (one transaction, parsed before any
write).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import xml.etree.ElementTree as ET  # noqa: S405 - DTDs and entities refused first
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from clusters.models import Cluster
from portal.base.errors import ActionError

from . import payments
from .enums import PaymentSource, StatementLineStatus
from .models import BankStatement, Invoice, Payment, StatementLine
from .references import clean_rf

CURRENCY = "EUR"
CSV_COLUMNS = ("date", "amount", "currency", "counterparty", "iban", "remittance")
# RF + 2 check digits + up to 21 characters, written as one word or in groups of four.
RF_COMPACT = re.compile(r"\bRF\d{2}[0-9A-Z]{1,21}\b")
RF_GROUPED = re.compile(r"\bRF\d{2}(?: [0-9A-Z]{1,4})+\b")


@dataclass
class ParsedLine:
    position: int  # 1-based: the CSV row or the camt entry (and transaction)
    label: str  # how messages name the line
    booked_on: datetime.date
    amount_cents: int  # credits positive, debits negative
    currency: str
    counterparty: str = ""
    iban: str = ""
    remittance: str = ""
    reference: str = ""
    bank_reference: str = ""

    @property
    def import_key(self) -> str:
        if self.bank_reference:
            return f"bank:{self.bank_reference}"[:200]
        raw = "|".join(
            [
                self.booked_on.isoformat(),
                str(self.amount_cents),
                self.reference or self.remittance,
                str(self.position),
            ]
        )
        return "hash:" + hashlib.sha256(raw.encode()).hexdigest()


@dataclass
class ImportResult:
    statement: BankStatement | None
    matched: int = 0
    unmatched: int = 0
    known: int = 0
    debits: int = 0
    payments: list[Payment] = field(default_factory=list)


# Parsing ---------------------------------------------------------------------------


def _line_error(label: str, problem: str) -> ActionError:
    return ActionError(_("%(line)s: %(problem)s") % {"line": label, "problem": problem})


def parse_amount(text: str) -> int:
    """'1.234,56' / '1,234.56' / '-50,00' / '12' -> cents; ValueError if not money."""
    s = text.strip().replace("\u00a0", "").replace(" ", "").replace("'", "")
    if s.startswith("+"):
        s = s[1:]
    if "," in s and "." in s:
        decimal_mark = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if decimal_mark == "," else ",", "")
    else:
        decimal_mark = "," if "," in s else "."
    s = s.replace(decimal_mark, ".")
    if not re.fullmatch(r"-?\d+(\.\d{1,2})?", s):
        raise ValueError(text)
    try:
        return int(Decimal(s) * 100)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above rules it out
        raise ValueError(text) from exc


def parse_date(text: str) -> datetime.date:
    s = text.strip()[:10]
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(s, fmt).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise ValueError(text)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_csv(data: bytes) -> list[ParsedLine]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ActionError(_("The file is empty.")) from None
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise ActionError(
            _("Line 1: the header lacks the columns %(columns)s (expected: %(expected)s).")
            % {"columns": ", ".join(missing), "expected": ", ".join(CSV_COLUMNS)}
        )
    lines = []
    for row in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        label = _("Line %(n)d") % {"n": number}
        if len(row) != len(header):
            raise _line_error(
                label,
                _("%(found)d columns instead of %(expected)d.")
                % {"found": len(row), "expected": len(header)},
            )
        cells = {h: v.strip() for h, v in zip(header, row, strict=True)}
        try:
            booked_on = parse_date(cells["date"])
        except ValueError:
            raise _line_error(
                label, _("%(value)s is not a date.") % {"value": cells["date"]}
            ) from None
        try:
            amount = parse_amount(cells["amount"])
        except ValueError:
            raise _line_error(
                label, _("%(value)s is not an amount.") % {"value": cells["amount"]}
            ) from None
        lines.append(
            ParsedLine(
                position=number,
                label=label,
                booked_on=booked_on,
                amount_cents=amount,
                currency=(cells["currency"] or CURRENCY).upper(),
                counterparty=cells["counterparty"],
                iban=cells["iban"].replace(" ", "").upper(),
                remittance=cells["remittance"],
                reference=cells.get("reference", ""),
                bank_reference=cells.get("bank_reference", ""),
            )
        )
    return lines


def _text(el: ET.Element | None, path: str) -> str:
    if el is None:
        return ""
    found = el.find(path)
    return (found.text or "").strip() if found is not None else ""


def _xml_root(data: bytes) -> ET.Element:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ActionError(_("The camt.053 file is not UTF-8.")) from None
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.IGNORECASE):
        raise ActionError(_("The file declares a DTD or entities, which are not accepted."))
    # A str carries no encoding of its own: drop the declaration's before parsing.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = ET.fromstring(text)  # noqa: S314  # nosec B314 (DTDs and entities refused above)
    except ET.ParseError as exc:
        line, column = exc.position
        raise ActionError(
            _("Line %(line)d, column %(column)d: the XML is not well-formed.")
            % {"line": line, "column": column}
        ) from None
    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = el.tag.rsplit("}", 1)[-1]  # namespaces differ between versions
    return root


def _camt_line(
    entry: ET.Element, tx: ET.Element | None, position: int, label: str, single: bool
) -> ParsedLine:
    amount_el = None
    if tx is not None:
        amount_el = tx.find("Amt")
        if amount_el is None:
            amount_el = tx.find("AmtDtls/TxAmt/Amt")
    if amount_el is None and single:
        amount_el = entry.find("Amt")
    if amount_el is None or not (amount_el.text or "").strip():
        raise _line_error(label, _("no amount (Amt)."))
    try:
        cents = parse_amount(amount_el.text or "")
    except ValueError:
        raise _line_error(
            label, _("%(value)s is not an amount.") % {"value": amount_el.text}
        ) from None
    indicator = _text(tx, "CdtDbtInd") or _text(entry, "CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        raise _line_error(label, _("CdtDbtInd must be CRDT or DBIT."))
    booked = _text(entry, "BookgDt/Dt") or _text(entry, "BookgDt/DtTm")
    try:
        booked_on = parse_date(booked)
    except ValueError:
        raise _line_error(label, _("no booking date (BookgDt).")) from None
    bank_ref = _text(tx, "Refs/AcctSvcrRef") or (_text(entry, "AcctSvcrRef") if single else "")
    end_to_end = _text(tx, "Refs/EndToEndId")
    if not bank_ref and end_to_end and end_to_end != "NOTPROVIDED":
        # The payer's id is unique to the payer only: keep date and amount with it.
        bank_ref = f"e2e:{booked_on.isoformat()}:{cents}:{end_to_end}"
    parties = tx.find("RltdPties") if tx is not None else None
    counterparty = _text(parties, "Dbtr/Nm") or _text(parties, "Dbtr/Pty/Nm")
    iban = _text(parties, "DbtrAcct/Id/IBAN")
    remittance = ""
    reference = ""
    if tx is not None:
        remittance = " ".join((u.text or "").strip() for u in tx.findall("RmtInf/Ustrd"))
        reference = _text(tx, "RmtInf/Strd/CdtrRefInf/Ref")
    if not remittance:
        remittance = _text(entry, "AddtlNtryInf")
    return ParsedLine(
        position=position,
        label=label,
        booked_on=booked_on,
        amount_cents=cents if indicator == "CRDT" else -cents,
        currency=amount_el.get("Ccy", CURRENCY).upper(),
        counterparty=counterparty,
        iban=iban,
        remittance=remittance,
        reference=reference,
        bank_reference=bank_ref,
    )


def parse_camt053(data: bytes) -> list[ParsedLine]:
    root = _xml_root(data)
    if root.tag != "Document" or root.find("BkToCstmrStmt") is None:
        raise ActionError(_("This is not a camt.053 statement (no BkToCstmrStmt)."))
    lines = []
    entries = root.findall("BkToCstmrStmt/Stmt/Ntry")
    for n, entry in enumerate(entries, start=1):
        txs = entry.findall("NtryDtls/TxDtls")
        if not txs:
            lines.append(_camt_line(entry, None, n * 1000, _("Entry %(n)d") % {"n": n}, True))
            continue
        for m, tx in enumerate(txs, start=1):
            label = _("Entry %(n)d, transaction %(m)d") % {"n": n, "m": m}
            lines.append(_camt_line(entry, tx, n * 1000 + m, label, len(txs) == 1))
    return lines


def parse(filename: str, data: bytes) -> tuple[str, list[ParsedLine]]:
    """The file's format ("csv" or "camt053") and its lines; ActionError if bad."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "camt053", parse_camt053(data)
    return "csv", parse_csv(data)


# Matching and importing ---------------------------------------------------------------


def references_in(line: ParsedLine) -> list[str]:
    """Valid RF references of a line: the structured one first, then any in the text."""
    found = []
    candidates = [line.reference] if line.reference else []
    text = " ".join(line.remittance.upper().split())
    candidates += RF_COMPACT.findall(text)
    for match in RF_GROUPED.finditer(text):
        # Printed in groups, the reference may run into the next short word: try it
        # whole, then without its last groups.
        groups = match.group(0).split(" ")
        candidates += ["".join(groups[:n]) for n in range(len(groups), 1, -1)]
    for candidate in candidates:
        try:
            rf = clean_rf(candidate)
        except ActionError:
            continue
        if rf not in found:
            found.append(rf)
    return found


def _match(cluster_id: int, line: ParsedLine) -> tuple[Invoice | None, str]:
    """The invoice a credit line pays (locked), or None and the reason."""
    if line.currency != CURRENCY:
        return None, _("The line is in %(currency)s; invoices are in EUR.") % {
            "currency": line.currency
        }
    refs = references_in(line)
    if not refs:
        return None, _("No valid RF reference.")
    invoice = (
        Invoice.objects.select_for_update()
        .filter(cluster_id=cluster_id, rf_reference__in=refs)
        .first()
    )
    if invoice is None:
        return None, _("No invoice has the reference %(ref)s.") % {"ref": refs[0]}
    return invoice, ""


def statement_import(
    *,
    actor,
    cluster_id: int,
    filename: str,
    data: bytes,
    overpayment: str | None = None,
) -> ImportResult:
    """Import a statement for the cluster; `overpayment` says what to do with the rest of
    a line that pays more than its invoice's open amount (None: keep it unmatched)."""
    cluster = Cluster.objects.get(pk=cluster_id)
    payments.require_manager(actor, cluster)
    file_format, lines = parse(filename, data)
    try:
        with transaction.atomic():
            result = _import(actor, cluster, filename, data, file_format, lines, overpayment)
    except IntegrityError:
        raise ActionError(
            _("Another import of this statement ran at the same time; nothing was imported.")
        ) from None
    return result


def _import(actor, cluster, filename, data, file_format, lines, overpayment) -> ImportResult:
    statement = BankStatement.objects.create(
        cluster=cluster,
        filename=filename[:200],
        file_format=file_format,
        sha256=hashlib.sha256(data).hexdigest(),
        imported_by=actor,
    )
    result = ImportResult(statement=statement)
    known = set(
        StatementLine.objects.filter(
            cluster=cluster, import_key__in=[line.import_key for line in lines]
        ).values_list("import_key", flat=True)
    )
    for line in lines:
        if line.amount_cents <= 0:
            result.debits += 1
            continue
        if line.import_key in known:
            result.known += 1
            continue
        known.add(line.import_key)
        row = StatementLine(
            cluster=cluster,
            statement=statement,
            import_key=line.import_key,
            position=line.position,
            booked_on=line.booked_on,
            amount_cents=line.amount_cents,
            currency=line.currency,
            counterparty=line.counterparty[:200],
            iban=line.iban[:34],
            remittance=line.remittance,
            reference=line.reference[:140],
            status=StatementLineStatus.UNMATCHED,
        )
        invoice, problem = _match(cluster.pk, line)
        if invoice is not None:
            try:
                with transaction.atomic():
                    row.payment = payments.book(
                        invoice=invoice,
                        amount_cents=line.amount_cents,
                        booked_on=line.booked_on,
                        reference=(references_in(line) or [""])[0],
                        note=line.counterparty,
                        source=PaymentSource.STATEMENT,
                        import_key=line.import_key,
                        actor=actor,
                        overpayment=overpayment,
                    )
                row.status = StatementLineStatus.MATCHED
                result.payments.append(row.payment)
            except ActionError as exc:
                problem = exc.message
        row.problem = problem[:300]
        row.save()
        if row.status == StatementLineStatus.MATCHED:
            result.matched += 1
        else:
            result.unmatched += 1
    statement.lines_new = result.matched + result.unmatched
    statement.lines_known = result.known
    statement.save(update_fields=["lines_new", "lines_known"])
    return result


def statement_line_assign(
    *, actor, line_id: int, invoice_id: int, overpayment: str | None = None
) -> Payment:
    """A manager books an unmatched statement line to an invoice of the same cluster."""
    with transaction.atomic():
        line = StatementLine.objects.select_for_update().select_related("cluster").get(pk=line_id)
        payments.require_manager(actor, line.cluster)
        if line.status != StatementLineStatus.UNMATCHED:
            raise ActionError(_("This statement line is already booked."))
        invoice = Invoice.objects.select_for_update().filter(pk=invoice_id).first()
        if invoice is None or invoice.cluster_id != line.cluster_id:
            raise ActionError(_("Choose an invoice of this cluster."), field="invoice")
        if line.currency != CURRENCY:
            raise ActionError(_("Only lines in EUR can pay an invoice."))
        line.payment = payments.book(
            invoice=invoice,
            amount_cents=line.amount_cents,
            booked_on=line.booked_on,
            reference=line.reference or invoice.rf_reference,
            note=line.counterparty,
            source=PaymentSource.STATEMENT,
            import_key=line.import_key,
            actor=actor,
            overpayment=overpayment,
        )
        line.status = StatementLineStatus.ASSIGNED
        line.problem = ""
        line.save(update_fields=["payment", "status", "problem"])
        return line.payment

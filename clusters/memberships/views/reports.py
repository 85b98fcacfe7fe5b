"""The manager's figures: the fees overview of a year by month (page and CSV) and the
accounting export of invoices and credit notes. Amounts are Decimal euros from cents."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from portal.base.audit import audit
from portal.base.csv_export import csv_download

from ..amounts import euros
from ..selectors import accounting_rows, fees_by_month
from .base import ClusterFeesMixin

OVERVIEW_HEADER = ["month", "invoiced", "credited", "paid", "outstanding", "overdue"]
ACCOUNTING_HEADER = [
    "type",
    "number",
    "date",
    "customer",
    "VAT number",
    "net",
    "VAT",
    "gross",
    "VAT treatment",
    "credit note",
]


def _year(request) -> int:
    value = request.GET.get("year") or str(timezone.localdate().year)
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        raise Http404
    return int(value)


class FeesOverviewView(ClusterFeesMixin, TemplateView):
    template_name = "memberships/fees_overview.html"
    section = "overview"

    def get_context_data(self, **kwargs):
        year = _year(self.request)
        rows = fees_by_month(self.cluster, year, timezone.localdate())
        totals = {
            key: sum(getattr(r, key) for r in rows)
            for key in (
                "invoiced_cents",
                "credited_cents",
                "paid_cents",
                "outstanding_cents",
                "overdue_cents",
            )
        }
        return {**super().get_context_data(**kwargs), "year": year, "rows": rows, "totals": totals}


class FeesOverviewCsvView(ClusterFeesMixin, View):
    def get(self, request, *args, **kwargs):
        year = _year(request)
        response, writer = csv_download(f"fees-{self.cluster.slug}-{year}.csv")
        writer.writeheader(OVERVIEW_HEADER)
        for r in fees_by_month(self.cluster, year, timezone.localdate()):
            writer.writerow(
                [
                    f"{year}-{r.month:02d}",
                    euros(r.invoiced_cents),
                    euros(r.credited_cents),
                    euros(r.paid_cents),
                    euros(r.outstanding_cents),
                    euros(r.overdue_cents),
                ]
            )
        audit(
            request.user,
            "export",
            self.cluster,
            cluster_id=self.cluster.pk,
            detail=f"fees overview CSV {year}",
        )
        return response


class AccountingCsvView(ClusterFeesMixin, View):
    """Invoices and credit notes (negative amounts) of the cluster, for the accountant;
    ?year=YYYY for one year, else all."""

    def get(self, request, *args, **kwargs):
        year = _year(request) if request.GET.get("year") else None
        suffix = f"-{year}" if year else ""
        response, writer = csv_download(f"invoices-{self.cluster.slug}{suffix}.csv")
        writer.writeheader(ACCOUNTING_HEADER)
        for day, _order, _pk, kind, inv, net, vat, gross, note in accounting_rows(
            self.cluster, year
        ):
            writer.writerow(
                [
                    kind,
                    note or inv.number,
                    day.isoformat(),
                    inv.customer_name,
                    inv.customer_vat_number,
                    euros(net),
                    euros(vat),
                    euros(gross),
                    inv.vat_treatment,
                    inv.number if note else "",
                ]
            )
        audit(
            request.user,
            "export",
            self.cluster,
            cluster_id=self.cluster.pk,
            detail=f"accounting CSV {year or 'all years'}, {writer.rows} rows",
        )
        return response

"""CSV downloads open in Excel with their accents: UTF-8 with a byte order mark
(issue 15, 2.18), and every download is made by portal.base.csv_export."""

import csv
import io
import re
from pathlib import Path

from django.urls import reverse

from portal.base.csv_export import csv_download
from tests.factories.clusters import MembershipFactory, OrganisationFactory

BOM = b"\xef\xbb\xbf"
ROOT = Path(__file__).resolve().parents[2]


def test_csv_download_starts_with_a_byte_order_mark():
    response, writer = csv_download("x.csv")
    writer.writeheader(["name"])
    writer.writerow(["Héliogène"])
    assert response.content.startswith(BOM)
    assert response.content.count(BOM) == 1
    text = response.content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [["name"], ["Héliogène"]]


def test_members_csv_of_a_cluster_reads_back_with_its_accents(client, cluster, manager):
    org = OrganisationFactory(name="Héliogène", slug="heliogene", city="Évry")
    MembershipFactory(organisation=org, cluster=cluster)
    client.force_login(manager)
    response = client.get(reverse("clusters:cluster_members_export", args=[cluster.slug]))
    assert response.content.startswith(BOM)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "organisation"
    assert [r[0] for r in rows[1:]] == ["Héliogène"]


def test_every_csv_response_is_made_by_portal_csv_export():
    """A download written by hand would miss the BOM and the formula quoting."""
    offenders = []
    for app in ("portal", "clusters", "services", "events"):
        for path in (ROOT / app).glob("**/*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if rel == "portal/base/csv_export.py":
                continue
            if re.search(r"text/csv|csv\.(writer|DictWriter)\(", path.read_text("utf-8")):
                offenders.append(rel)
    assert offenders == []

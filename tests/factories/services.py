import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from services.catalogue.models import ServiceCategory, ServiceOffering
from services.counselling.models import CounsellingRequest, request_reference
from tests.factories.clusters import ClusterFactory, OrganisationFactory


class ServiceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCategory
        django_get_or_create = ["slug"]

    slug = "legal"
    name = "Legal counselling"
    kind = "soft"
    importance = 4


class ServiceOfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceOffering

    cluster = factory.SubFactory(ClusterFactory)
    category = factory.SubFactory(ServiceCategoryFactory)
    title = factory.Sequence(lambda n: f"Service {n}")
    description = "Help with contracts and IP."
    response_days = 5


class CounsellingRequestFactory(factory.django.DjangoModelFactory):
    """A submitted request; pass requester= (a member) and cluster=."""

    class Meta:
        model = CounsellingRequest

    cluster = factory.SubFactory(ClusterFactory)
    number = factory.Sequence(lambda n: n + 1)
    reference = factory.LazyAttribute(lambda o: request_reference(o.cluster, o.number))
    requester = None
    requester_organisation = factory.LazyAttribute(
        lambda o: o.requester.organisation if o.requester else OrganisationFactory()
    )
    category = factory.SubFactory(ServiceCategoryFactory)
    subject = factory.Sequence(lambda n: f"Help with contract {n}")
    details = "We need a review of a licence agreement."
    due_date = factory.LazyFunction(lambda: timezone.now().date() + timezone.timedelta(days=5))


# --- files ----------------------------------------------------------------------------


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(size=(4, 4)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 200, 10)).save(out, format="JPEG")
    return out.getvalue()


CONTENT_TYPES = {
    "docx": ("word/document.xml", "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", "presentationml.presentation.main+xml"),
}


def office_bytes(
    kind="docx",
    *,
    extra: dict | None = None,
    main_type: str | None = None,
    part: str | None = None,
    write_part: bool = True,
) -> bytes:
    default_part, ctype = CONTENT_TYPES[kind]
    part = part or default_part
    ctype = main_type or f"application/vnd.openxmlformats-officedocument.{ctype}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="/{part}" ContentType="{ctype}"/></Types>',
        )
        zf.writestr("_rels/.rels", "<Relationships/>")
        if write_part:
            zf.writestr(part, "<document>Hello</document>")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)

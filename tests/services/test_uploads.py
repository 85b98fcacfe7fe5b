import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from services.counselling.uploads import DOCX, JPEG, PDF, PNG, PPTX, XLSX, validate_attachment
from tests.factories.services import (
    jpeg_bytes,
    office_bytes,
    pdf_bytes,
    png_bytes,
    upload,
)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("report.pdf", pdf_bytes(), (PDF, "pdf")),
        ("scan.PNG", png_bytes(), (PNG, "png")),
        ("photo.jpeg", jpeg_bytes(), (JPEG, "jpg")),
        ("photo.jpg", jpeg_bytes(), (JPEG, "jpg")),
        ("memo.docx", office_bytes("docx"), (DOCX, "docx")),
        ("budget.xlsx", office_bytes("xlsx"), (XLSX, "xlsx")),
        ("pitch.pptx", office_bytes("pptx"), (PPTX, "pptx")),
    ],
)
def test_accepted_files(name, data, expected):
    assert validate_attachment(upload(name, data)) == expected


def _reason(name, data):
    with pytest.raises(ValidationError) as exc:
        validate_attachment(upload(name, data))
    return exc.value.messages[0], exc.value.code


def test_oversized_file_refused():
    data = pdf_bytes() + b"0" * (10 * 1024 * 1024)
    assert _reason("big.pdf", data) == ("“big.pdf”: the file is larger than 10 MB.", "too_large")


def test_renamed_html_as_pdf_refused():
    message, code = _reason("invoice.pdf", b"<html><script>alert(1)</script></html>")
    assert message == "“invoice.pdf”: the content of the file is not what its name says (PDF)."
    assert code == "content"


def test_pdf_without_eof_refused():
    assert _reason("cut.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n")[1] == "content"


def test_png_followed_by_html_refused():
    data = png_bytes() + b"<html><script>alert(document.cookie)</script></html>"
    message, code = _reason("chart.png", data)
    assert code == "trailing"
    assert message == (
        "“chart.png”: something other than the image follows its end; the file was refused."
    )


def test_jpeg_followed_by_script_refused():
    assert _reason("me.jpg", jpeg_bytes() + b"<script>x</script>")[1] == "trailing"


def test_png_named_jpeg_refused():
    assert _reason("me.jpg", png_bytes())[1] == "content"


def test_zip_bomb_disguised_as_docx_refused():
    bomb = office_bytes("docx", extra={"word/media/padding.bin": b"\0" * (50 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    message, code = _reason("contract.docx", bomb)
    assert code == "zip_bomb"
    assert "zip bomb" in message


def test_plain_zip_named_docx_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert _reason("contract.docx", out.getvalue())[1] == "content"


def test_macro_enabled_document_named_docx_refused():
    data = office_bytes("docx", main_type="application/vnd.ms-word.document.macroEnabled.main+xml")
    assert _reason("contract.docx", data)[1] == "content"


def test_xlsx_named_docx_refused():
    assert _reason("contract.docx", office_bytes("xlsx"))[1] == "content"


def test_unknown_extension_refused():
    message, code = _reason("tool.exe", b"MZ\x90\x00")
    assert code == "extension"
    assert message.startswith("“tool.exe”: this type of file is not accepted.")


def test_empty_file_refused():
    assert _reason("empty.pdf", b"")[1] == "empty"


def test_docx_with_main_part_elsewhere_accepted():
    data = office_bytes("docx", part="word/document2.xml")
    assert validate_attachment(upload("memo.docx", data)) == (DOCX, "docx")


def test_docx_whose_main_part_is_missing_refused():
    assert _reason("memo.docx", office_bytes("docx", write_part=False))[1] == "content"

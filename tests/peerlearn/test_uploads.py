"""Uploaded documents are bounded in bytes and typed from their content, not their name."""

import io
import zipfile

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from peerlearn.uploads import DocumentField, stored_name

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 400
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class DocumentForm(forms.Form):
    title = forms.CharField()
    file = DocumentField()


def submitted(name, content):
    return DocumentForm({"title": "Budget note"}, {"file": SimpleUploadedFile(name, content)})


def test_a_pdf_is_accepted_with_the_type_read_from_its_bytes():
    form = submitted("note.pdf", PDF)

    assert form.is_valid()
    assert form.cleaned_data["file"].content_type == "application/pdf"


def test_a_word_document_is_accepted():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("_rels/.rels", "<Relationships/>")
        docx.writestr("word/document.xml", "<w:document/>")

    form = submitted("plan.docx", archive.getvalue())

    assert form.is_valid(), form.errors


def test_a_program_renamed_pdf_is_refused_with_a_clear_message():
    form = submitted("report.pdf", WINDOWS_PROGRAM)

    assert not form.is_valid()
    assert "is not a PDF, Office document, image or plain text file" in form.errors["file"][0]
    assert form.data["title"] == "Budget note"


def test_an_image_named_as_a_pdf_is_refused():
    form = submitted("report.pdf", PNG)

    assert form.errors["file"] == [
        "“report.pdf” does not hold what its name says: its content is of another kind (image)."
    ]


def test_a_file_over_the_limit_is_refused_and_only_the_limit_is_kept(settings):
    settings.MAX_UPLOAD_BYTES = 1024
    content = b"plain words\n" * 1000
    request = RequestFactory().post(
        "/", {"title": "Budget note", "file": SimpleUploadedFile("notes.txt", content)}
    )

    upload = request.FILES["file"]
    form = DocumentForm(request.POST, request.FILES)

    assert upload.size == len(content)
    assert len(upload.read()) <= 1024
    assert not form.is_valid()
    assert form.errors["file"] == ["“notes.txt” is 11.7\xa0KB; files can be at most 1.0\xa0KB."]


@pytest.mark.django_db
def test_stored_names_are_unguessable_and_kept_apart():
    from peerlearn.models import OutboxEmail

    first = stored_name(OutboxEmail(), "../../etc/note.pdf")
    second = stored_name(OutboxEmail(), "note.pdf")

    assert first.startswith("peerlearn/outboxemail/")
    assert first.endswith("/note.pdf")
    assert ".." not in first
    assert first.rsplit("/", 2)[1] != second.rsplit("/", 2)[1]

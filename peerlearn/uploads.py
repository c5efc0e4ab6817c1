"""Files people upload: bounded in bytes as they arrive, their type read from the bytes.

libmagic (through python-magic) names a file's type from its content, the way `file`
does, so an executable renamed report.pdf is still an executable.
"""

import uuid
from pathlib import PurePath

import magic
from django import forms
from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Enough of the start of a file for libmagic to tell Office formats apart.
HEAD_BYTES = 64 * 1024

WORD = _("Word document")
SPREADSHEET = _("spreadsheet")
SLIDES = _("presentation")
IMAGE = _("image")
TEXT = _("plain text")

# content type → (what people call it, the file name endings that go with it)
DOCUMENT_TYPES = {
    "application/pdf": ("PDF", {".pdf"}),
    "application/msword": (WORD, {".doc"}),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (WORD, {".docx"}),
    "application/vnd.oasis.opendocument.text": (WORD, {".odt"}),
    "application/vnd.ms-excel": (SPREADSHEET, {".xls"}),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (SPREADSHEET, {".xlsx"}),
    "application/vnd.oasis.opendocument.spreadsheet": (SPREADSHEET, {".ods"}),
    "application/vnd.ms-powerpoint": (SLIDES, {".ppt"}),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        SLIDES,
        {".pptx"},
    ),
    "application/vnd.oasis.opendocument.presentation": (SLIDES, {".odp"}),
    "image/png": (IMAGE, {".png"}),
    "image/jpeg": (IMAGE, {".jpg", ".jpeg"}),
    "image/gif": (IMAGE, {".gif"}),
    "image/webp": (IMAGE, {".webp"}),
    "text/plain": (TEXT, {".txt", ".md", ".csv"}),
    "text/csv": (TEXT, {".csv", ".txt"}),
}


class BoundedUploadHandler(TemporaryFileUploadHandler):
    """Stores no byte of a file past MAX_UPLOAD_BYTES but counts them all.

    The request is still read to its end, so the form can answer with a message and
    keep what the person typed; the file's `size` is its real size, what is kept on
    disk is at most the limit.
    """

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.MAX_UPLOAD_BYTES:
            return None
        return super().receive_data_chunk(raw_data, start)


def content_type_of(upload):
    """The type libmagic reads from the start of `upload`, which is left at its start."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return magic.from_buffer(head, mime=True)


def check_document(upload):
    """The content type of an acceptable document, or a ValidationError saying why not."""
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("“%(name)s” is %(size)s; files can be at most %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.MAX_UPLOAD_BYTES),
            }
        )
    content_type = content_type_of(upload)
    if content_type not in DOCUMENT_TYPES:
        raise forms.ValidationError(
            _(
                "“%(name)s” is not a PDF, Office document, image or plain text file "
                "(its content reads as %(type)s), so it cannot be added."
            )
            % {"name": upload.name, "type": content_type}
        )
    kind, endings = DOCUMENT_TYPES[content_type]
    if PurePath(upload.name).suffix.lower() not in endings:
        raise forms.ValidationError(
            _(
                "“%(name)s” does not hold what its name says: its content is of another "
                "kind (%(kind)s)."
            )
            % {"name": upload.name, "kind": kind}
        )
    return content_type


class DocumentField(forms.FileField):
    """A file field that accepts documents only, typed from their bytes.

    The cleaned file's `content_type` is the type read from its content, not the one
    the browser sent.
    """

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial and hasattr(upload, "seek"):
            upload.content_type = check_document(upload)
        return upload


def stored_name(instance, filename):
    """Where an upload is kept: a folder per model and a random one per file, so names
    never collide and cannot be guessed."""
    meta = instance._meta
    return f"{meta.app_label}/{meta.model_name}/{uuid.uuid4().hex}/{PurePath(filename).name}"


def download(field, *, filename, content_type):
    """A response sending a stored file as an attachment, never rendered by the browser
    as part of the site."""
    response = FileResponse(
        field.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response

"""The applicant's documents: the feasibility study, the bank's documents, proof of operation."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.services import audit_record_create
from common.errors import NotAllowed, TransitionNotAllowed
from common.files import stored_file_fields

from ..models import ApplicationDocument
from ..selectors import application_get_for_update
from ..webhooks.services import DOCUMENT_ADDED, webhook_events_queue
from ..workflow import UPLOAD_WINDOWS
from .steps import application_touch


def document_kinds_open(application):
    """The kinds of document its owner may add to ``application`` in its current state."""
    return [kind for kind, states in UPLOAD_WINDOWS.items() if application.state in states]


def store_document(*, application, actor, kind, uploaded_file):
    """Save ``uploaded_file`` as a document of ``application`` (its type checked by content, its
    SHA-256 kept). Raises ``RuleBroken`` for a file of the wrong type or size. Call inside the
    caller's transaction."""
    return ApplicationDocument.objects.create(application=application, kind=kind, uploaded_by=actor,
                                              **stored_file_fields(uploaded_file))


def document_add(*, actor, application_id, kind, uploaded_file):
    """The applicant attaches a file: the feasibility study while submitted or returned, the
    bank's documents once the bank approves, proof of operation once fully disbursed
    (``workflow.UPLOAD_WINDOWS``). Returns the ``ApplicationDocument``.

    Raises ``RuleBroken`` for a file that is not PDF/XLSX/DOCX/JPEG/PNG by content or is over
    10 MB, ``TransitionNotAllowed`` in another state, ``NotAllowed`` for anyone but the owner.
    """
    with transaction.atomic():
        application = application_get_for_update(actor, application_id)
        if application.applicant.user_id != actor.pk:
            raise NotAllowed()
        if application.state not in UPLOAD_WINDOWS.get(kind, ()):
            raise TransitionNotAllowed(_("در این وضعیت نمی‌توان این نوع مستند را بارگذاری کرد."))
        document = store_document(application=application, actor=actor, kind=kind, uploaded_file=uploaded_file)
        application_touch(application)
        audit_record_create(actor=actor, target=application, action="add_document", from_state=application.state,
                            to_state=application.state, data={"document": document.pk, "kind": kind})
        webhook_events_queue(application, action="add_document", event_type=DOCUMENT_ADDED,
                             extra={"document_id": document.pk, "document_kind": kind})
    return document

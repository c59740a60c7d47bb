"""The demo built through the services: one account per role, calls, and applications in every state.

Everything here is invented (names, national IDs, projects, amounts); only the reference data it
builds on (provinces, counties, organisations, priority sectors) is the programme's, loaded by
``manage.py load_programme``. Each application takes the steps of its route (``demo.routes``)
through ``financing.services``, so it has the history a real one would have; afterwards its audit
rows, documents and notifications get the times of its timeline (the services stamp the time they
ran). The steps that move money get their time up front (``now=``): the budget ledger is
append-only, and each commitment must land in the Jalali year of its step (``demo.budget``
allocates those years).

Randomness is ``random.Random(seed)``: the same seed gives the same people, projects, figures and
states. Tracking codes are the exception: the services draw them from ``secrets`` (C20).

Amounts are rials, jobs persons, percent per year for rates, months for terms.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditRecord, Notification, Role, User
from common.testing import minimal_pdf
from financing import services
from financing.models import ApplicationDocument, InvestmentApplication, LoanContract

from . import figures
from .interventions import build_interventions
from .people import USERNAME_PREFIX, invent_applicants, owner_of, registered_identities
from .report import DemoReport
from .routes import REASONS, reason_for
from .staff import start_demo
from .timetable import build_timetable

# The service of each transition step; steps with figures get them from ``ApplicationBuilder._figures``.
SERVICES = {
    "start_agency_review": services.application_start_agency_review,
    "approve_by_agency": services.application_approve_by_agency,
    "return_by_agency": services.application_return_by_agency,
    "reject_by_agency": services.application_reject_by_agency,
    "resubmit": services.application_resubmit,
    "start_working_group_review": services.application_start_working_group_review,
    "refer_to_bank": services.application_refer_to_bank,
    "return_by_working_group": services.application_return_by_working_group,
    "reject_by_working_group": services.application_reject_by_working_group,
    "start_bank_review": services.application_start_bank_review,
    "approve_by_bank": services.application_approve_by_bank,
    "reject_by_bank": services.application_reject_by_bank,
    "cancel_by_bank": services.application_cancel_by_bank,
    "sign_contract": services.application_sign_contract,
    "record_disbursement": services.application_record_disbursement,
    "declare_operation": services.application_declare_operation,
    "confirm_operation": services.application_confirm_operation,
    "pay_subsidy": services.application_pay_subsidy,
    "withdraw": services.application_withdraw,
}
# The steps that move money in the budget ledger: they take the step's time as ``now=``, so each
# commitment lands in the Jalali year of its step (ledger entries are never re-dated afterwards).
MONEY_STEPS = {"approve_by_bank", "cancel_by_bank", "sign_contract", "record_disbursement", "pay_subsidy"}


def _pdf_upload(name: str, title: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(title), content_type="application/pdf")


class ApplicationBuilder:
    """Drives one application to ``call`` through the services along its route.

    ``actors`` maps the route's actor keys to users (``demo.staff.Staff.actors``); ``data`` is
    its ``ApplicationInput``; ``bank`` the bank it is referred to; ``plan`` its ``routes.Plan``.
    """

    def __init__(self, *, call, data, bank, actors, plan, rng):
        self.call, self.data, self.bank, self.actors, self.plan, self.rng = call, data, bank, actors, plan, rng
        self.pk = None
        self.contract = None
        self.subsidy = 0  # the contract's subsidy as the service computed it (rials)
        self.tranches_paid = self.payouts_paid = 0

    def run(self, steps, times) -> InvestmentApplication:
        """Take ``steps`` (``routes.Step``) one service call each, then date the application's
        audit rows, documents and last state change by ``times`` (aware datetimes, one a step).
        Returns the application. Raises ``AssertionError`` when a step wrote no audit row or two,
        and the services' errors (``common.errors``) when a step is refused: both are demo bugs."""
        for step, at in zip(steps, times, strict=True):
            self._take(step, at)
        content_type = ContentType.objects.get_for_model(InvestmentApplication)
        records = list(AuditRecord.objects.filter(content_type=content_type, object_id=self.pk)
                       .order_by("id").values_list("pk", flat=True))
        if len(records) != len(steps):
            raise AssertionError(f"application {self.pk}: {len(records)} audit rows for {len(steps)} steps")
        for record_pk, at in zip(records, times, strict=True):
            AuditRecord.objects.filter(pk=record_pk).update(at=at)
        # Each file carries the time of the step that added it.
        uploads = [at for step, at in zip(steps, times, strict=True) if step.kind]
        documents = ApplicationDocument.objects.filter(application_id=self.pk).order_by("id").values_list("pk",
                                                                                                         flat=True)
        for document_pk, at in zip(documents, uploads, strict=True):
            ApplicationDocument.objects.filter(pk=document_pk).update(uploaded_at=at)
        InvestmentApplication.objects.filter(pk=self.pk).update(state_changed_at=times[-1], updated_at=times[-1])
        return InvestmentApplication.objects.get(pk=self.pk)

    def _take(self, step, at):
        actor = self.actors[step.actor]
        if step.action == "submit":
            upload = _pdf_upload(step.file_name, self.data.title)
            self.pk = services.application_submit(actor=actor, call=self.call, data=self.data, now=at,
                                                  feasibility_files=[upload]).pk
        elif step.action == "add_document":
            services.document_add(actor=actor, application_id=self.pk, kind=step.kind,
                                  uploaded_file=_pdf_upload(step.file_name, self.data.title))
        else:
            arguments = self._figures(step.action, at)
            if step.action in REASONS:
                arguments["reason"] = reason_for(step.action, self.rng)
            if step.action in MONEY_STEPS:
                arguments["now"] = at
            SERVICES[step.action](actor=actor, application_id=self.pk, **arguments)
            if step.action == "sign_contract":
                self.subsidy = LoanContract.objects.values_list("subsidy_committed_rials", flat=True).get(
                    application_id=self.pk)

    def _figures(self, action, at) -> dict:
        """The arguments of transition ``action``'s service beyond the actor, the application and the reason."""
        paid_on = timezone.localtime(at).date()
        if action == "refer_to_bank":
            return {"bank": self.bank}
        if action == "approve_by_bank":
            return {"approved_loan_rials": figures.approved_loan(self.data.requested_loan_rials, self.rng)}
        if action == "sign_contract":
            approved = InvestmentApplication.objects.values_list("approved_loan_rials", flat=True).get(pk=self.pk)
            self.contract = figures.contract_input(approved, self.plan.tranches, self.rng, signed_on=paid_on,
                                                   bank_reference=figures.contract_reference(self.bank.code, self.pk))
            return {"contract": self.contract}
        if action == "record_disbursement":
            number, self.tranches_paid = self.tranches_paid, self.tranches_paid + 1
            return {"amount_rials": figures.split_amount(self.contract.principal_rials, self.plan.tranches)[number],
                    "paid_on": paid_on, "bank_reference": figures.tranche_reference(self.pk, number + 1),
                    "idempotency_key": figures.tranche_key(self.pk, number + 1)}
        if action == "declare_operation":
            return {"operation_started_on": paid_on,
                    "actual_new_jobs": figures.actual_new_jobs(self.data.planned_new_jobs, self.rng),
                    "actual_retained_jobs": self.data.planned_retained_jobs}
        if action == "pay_subsidy":
            number, self.payouts_paid = self.payouts_paid, self.payouts_paid + 1
            return {"amount_rials": figures.split_amount(self.subsidy, self.plan.payouts)[number], "paid_on": paid_on}
        return {}


def _register_applicants(count, rng) -> list:
    """``count`` applicants (``people.invent_applicants``) through the real service, with no
    password yet: ``seed_demo`` gives them one shared hash (hashing 300 times would take minutes)."""
    taken_ids, taken_names = registered_identities()
    return [services.applicant_register(username=a.username, password=None, name=a.name, national_id=a.national_id,
                                        person_kind=a.person_kind, ownership=a.ownership, mobile=a.mobile)
            for a in invent_applicants(count, rng, taken_ids=taken_ids, taken_names=taken_names)]


def _date_notifications_like_their_steps() -> None:
    """Give each application's notification the time of the step that sent it (the steps are
    back-dated, and the notifications go out only when the seeding transaction commits). Every
    step but a document upload notifies the applicant, once a channel."""
    app_type = ContentType.objects.get_for_model(InvestmentApplication)
    steps = defaultdict(list)
    for object_id, at in (AuditRecord.objects.filter(content_type=app_type).exclude(action="add_document")
                          .order_by("object_id", "id").values_list("object_id", "at")):
        steps[object_id].append(at)
    by_application = defaultdict(list)
    for pk, object_id, channel in (Notification.objects.filter(content_type=app_type)
                                   .order_by("object_id", "channel", "id").values_list("pk", "object_id", "channel")):
        by_application[(object_id, channel)].append(pk)
    for (object_id, _channel), pks in by_application.items():
        for pk, at in zip(pks, steps[object_id], strict=False):
            Notification.objects.filter(pk=pk).update(created_at=at, sent_at=at)


def seed_demo(*, applications: int = 300, seed: int = 1404, now=None) -> DemoReport:
    """Create the demo accounts, calls and ``applications`` applications, then the development
    interventions (``demo.interventions``) and the timetable's progress (``demo.timetable``), in one
    transaction.

    Raises ``DemoDataPresent`` when it ran before (nothing is written) and ``ReferenceDataMissing``
    when the programme data is not loaded. Every demo account's password is ``DEMO_PASSWORD``.
    ``now`` (aware datetime) is the end of the invented timeline; default the current time.
    """
    start = start_demo(applications=applications, seed=seed, now=now)
    rng = start.rng
    with transaction.atomic():
        staff, calls = start.staff_and_calls()
        applicants = _register_applicants(max(2, applications * 3 // 4), rng)
        for index, planned in enumerate(start.routes):
            owner = owner_of(index, applicants, rng)
            call, data, bank = calls.draw(index, rng)
            builder = ApplicationBuilder(call=call, data=data, bank=bank, plan=planned.plan, rng=rng,
                                         actors=staff.actors(call=call, bank=bank, owner=owner.user))
            builder.run(planned.steps, planned.times)
        staff.notes += [*build_interventions(start, staff), *build_timetable(start, staff)]
        User.objects.filter(role=Role.APPLICANT, applicant__isnull=False,
                            username__startswith=USERNAME_PREFIX).update(password=start.password_hash)
    _date_notifications_like_their_steps()
    return DemoReport.built(staff=staff, applicants=applicants, applications=applications)

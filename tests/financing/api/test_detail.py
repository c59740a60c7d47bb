"""One application in full through the bank API (issue 8): the applicant, the figures, the contract
with the applicant's rate and the subsidy, the tranches, the payouts, the documents (downloaded
with the key, scoped) and the history naming roles, never officers; and the subsidy endpoint."""

import datetime
import json

import jdatetime
import pytest
from django.utils import timezone

from financing import services
from financing.models import ApplicationDocument, ApplicationState
from tests.factories import Figures
from tests.uploads import pdf

S = ApplicationState


def url(app, rest=""):
    return f"/api/v1/applications/{app.pk}/{rest}"


def jalali(day):
    return jdatetime.date.fromgregorian(date=day).strftime("%Y-%m-%d")


@pytest.fixture
def paying(advance_to):
    """An application of bank 1 whose subsidy is being paid: contract signed 60 days ago, two
    tranches, operation confirmed, one payout of 150,000,000 rials."""
    return advance_to(S.SUBSIDY_IN_PAYMENT)


def test_the_detail_gives_applicant_figures_and_contract(world, paying, bank1_api):
    body = bank1_api.get(url(paying)).json()

    assert body["state"] == "subsidy_in_payment" and body["tracking_code"] == paying.tracking_code
    assert body["applicant"] == {
        "name": "رضا محمدی", "person_kind": "natural", "person_kind_label": "شخص حقیقی",
        "ownership": world.applicant_1.ownership, "ownership_label": world.applicant_1.get_ownership_display(),
        "national_id": "0083424024", "mobile": world.applicant_1.mobile,
    }
    assert body["project"] == {
        "kind": "expansion", "kind_label": "طرح توسعه‌ای", "is_existing_unit": True,
        "requested_loan_rials": 6_000_000_000, "own_contribution_rials": 1_500_000_000,
        "planned_new_jobs": 12, "planned_retained_jobs": 4, "physical_progress_percent": 35,
    }
    assert body["bank"] == {"id": world.bank_1.pk, "name": "بانک یکم"}
    assert body["approved_loan_rials"] == 5_510_000_000
    signed = timezone.localdate() - datetime.timedelta(days=60)
    contract = body["contract"]
    assert contract["contract_number"] == "BNK-CONTRACT-1"
    assert contract["principal_rials"] == 5_510_000_000
    assert (contract["interest_rate_percent"], contract["subsidy_rate_percent"],
            contract["applicant_rate_percent"]) == (18, 10, 8)
    assert (contract["term_months"], contract["grace_months"]) == (60, 12)
    assert (contract["signed_date"], contract["signed_date_jalali"]) == (signed.isoformat(), jalali(signed))
    assert contract["subsidy_committed_rials"] == Figures.SUBSIDY == 1_863_370_197
    assert [(t["amount_rials"], t["bank_reference"]) for t in body["tranches"]] == [
        (2_000_000_000, "BNK-T1"), (3_510_000_000, "BNK-T2")]
    first_paid = timezone.localdate() - datetime.timedelta(days=50)
    assert (body["tranches"][0]["paid_date"], body["tranches"][0]["paid_date_jalali"]) == (
        first_paid.isoformat(), jalali(first_paid))
    assert [p["amount_rials"] for p in body["subsidy_payouts"]] == [150_000_000]
    assert body["actual_new_jobs"] == 11 and body["operation_started_date_jalali"]


def test_the_history_names_roles_not_officers(world, paying, bank1_api):
    response = bank1_api.get(url(paying))
    history = response.json()["history"]

    assert history[0]["action"] == "submit" and history[0]["actor_role"] == "applicant"
    approval = next(h for h in history if h["action"] == "approve_by_bank")
    assert approval == {
        "action": "approve_by_bank", "action_label": "تأیید بانک عامل", "from_state": "bank_review",
        "from_state_label": "در بررسی بانک عامل", "to_state": "bank_approved",
        "to_state_label": "تأییدشده توسط بانک عامل", "actor_role": "bank_officer",
        "actor_role_label": "کارشناس بانک عامل", "reason": "", "at": approval["at"],
        "at_jalali": approval["at_jalali"],
    }
    assert approval["at_jalali"].endswith("+03:30")
    text = json.dumps(response.json(), ensure_ascii=False)
    assert "bank_officer_1" not in text and "secretary_a" not in text
    for officer in (world.bank_officer_1, world.agency_officer_a, world.secretary_a):
        assert officer.get_full_name() and officer.get_full_name() not in text


def test_documents_are_listed_and_downloaded_with_the_key(paying, bank1_api):
    documents = bank1_api.get(url(paying)).json()["documents"]
    assert [d["kind"] for d in documents] == ["feasibility_study", "bank_document"]
    study = documents[0]
    stored = ApplicationDocument.objects.get(pk=study["id"])
    assert (study["name"], study["content_type"], study["size_bytes"], study["sha256"]) == (
        "study.pdf", "application/pdf", stored.size_bytes, stored.sha256)
    assert study["download_url"] == f"http://testserver{url(paying, f'documents/{stored.pk}/')}"

    response = bank1_api.get(study["download_url"], HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="study.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == stored.file.open("rb").read()


def test_a_document_outside_scope_or_of_another_application_is_404(world, paying, advance_to, bank1_api,
                                                                   bank2_api):
    other = advance_to(S.REFERRED_TO_BANK)
    document = paying.documents.first()
    for client, path in ((bank2_api, url(paying, f"documents/{document.pk}/")),
                         (bank1_api, url(other, f"documents/{document.pk}/")),
                         (bank1_api, url(paying, "documents/99999999999999999999/"))):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_operation_evidence_is_downloadable_too(world, advance_to, bank1_api):
    app = advance_to(S.FULLY_DISBURSED)
    services.document_add(actor=world.owner, application_id=app.pk, kind=ApplicationDocument.Kind.OPERATION_EVIDENCE,
                          uploaded_file=pdf("operation.pdf", "بهره‌برداری"))
    evidence = bank1_api.get(url(app)).json()["documents"][-1]

    assert evidence["kind"] == "operation_evidence"
    assert bank1_api.get(evidence["download_url"]).status_code == 200


# --- the subsidy ------------------------------------------------------------------------------------

def test_the_subsidy_endpoint_gives_committed_paid_remaining_and_the_schedule(paying, bank1_api):
    body = bank1_api.get(url(paying, "subsidy/")).json()

    assert (body["committed_rials"], body["paid_rials"], body["remaining_rials"]) == (
        1_863_370_197, 150_000_000, 1_863_370_197 - 150_000_000)
    assert body["contract"]["applicant_rate_percent"] == 8
    months = body["schedule"]["months"]
    assert len(months) == 60
    totals = body["schedule"]["totals"]
    assert totals["subsidy_rials"] == sum(m["subsidy_rials"] for m in months) == 1_863_370_197
    assert totals["bank_instalment_rials"] - totals["applicant_instalment_rials"] == 1_863_370_197
    signed = jdatetime.date.fromgregorian(date=timezone.localdate() - datetime.timedelta(days=60))
    year, month = divmod(signed.month, 12)
    assert months[0]["month_jalali"] == f"{signed.year + year}-{month + 1:02d}"
    assert months[0]["number"] == 1 and months[0]["month_label"]
    # A grace month is interest only: its subsidy is the difference of the interests.
    assert months[0]["subsidy_rials"] == months[0]["bank_interest_rials"] - months[0]["applicant_interest_rials"]
    assert [(p["amount_rials"]) for p in body["payouts"]] == [150_000_000]


def test_the_subsidy_without_a_contract_is_409_and_out_of_scope_404(advance_to, bank1_api, bank2_api):
    approved = advance_to(S.BANK_APPROVED)

    response = bank1_api.get(url(approved, "subsidy/"))
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert bank2_api.get(url(approved, "subsidy/")).status_code == 404

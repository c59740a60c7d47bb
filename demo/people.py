"""Invented applicants: Persian names, companies, national IDs and company IDs with valid check digits.

Both loaders draw their applicants here (``invent_applicants``); the service-driven one registers
them through ``financing.services.applicant_register``, the bulk one inserts the same rows itself.
"""

import random
from dataclasses import dataclass

from common.identifiers import is_valid_company_id, is_valid_national_id
from common.normalization import normalize_text, search_key, to_persian_digits
from financing.models import Applicant

FIRST_NAMES = [
    "علی", "محمد", "حسین", "رضا", "مهدی", "امیر", "سعید", "مجید", "بهرام", "کاوه", "فرهاد", "هادی",
    "زهرا", "فاطمه", "مریم", "سارا", "نرگس", "لیلا", "پروین", "شیرین", "الهام", "سمیرا", "نسرین", "ژیلا",
]
LAST_NAMES = [
    "کریمی", "احمدی", "رستمی", "مرادی", "حیدری", "کرمی", "نظری", "امیری", "قبادی", "یاری", "سلیمانی",
    "بیگی", "رحیمی", "جعفری", "عزیزی", "شریفی", "کاظمی", "ملکی", "فتحی", "زارعی", "صفری", "ولدبیگی",
]
COMPANY_WORDS = ["آینده", "کیان", "سپید", "زاگرس", "پارس", "نوین", "البرز", "سبلان", "مهر", "آرمان", "بیستون"]
COMPANY_SHARE = 0.16  # about one applicant in six is a cooperative company
USERNAME_PREFIX = "applicant."


def national_id(rng: random.Random) -> str:
    """A random 10-digit national ID with a valid check digit (text, leading zeros kept)."""
    while True:
        body = f"{rng.randrange(10**9):09d}"
        for digit in "0123456789":
            if is_valid_national_id(body + digit):
                return body + digit


def company_id(rng: random.Random) -> str:
    """A random 11-digit national company ID with a valid check digit."""
    while True:
        body = "10" + f"{rng.randrange(10**8):08d}"
        for digit in "0123456789":
            if is_valid_company_id(body + digit):
                return body + digit


@dataclass(frozen=True)
class InventedApplicant:
    """One applicant to register: ``name`` normalised, ``national_id`` a national ID (a person) or
    company ID (``legal``), ``mobile`` an 11-digit number starting 09."""

    username: str
    name: str
    national_id: str
    legal: bool
    mobile: str

    @property
    def person_kind(self) -> str:
        """``Applicant.PersonKind``: a legal person for a company."""
        return Applicant.PersonKind.LEGAL if self.legal else Applicant.PersonKind.NATURAL

    @property
    def ownership(self) -> str:
        """``Applicant.Ownership``: companies are cooperatives, persons private."""
        return Applicant.Ownership.COOPERATIVE if self.legal else Applicant.Ownership.PRIVATE


def registered_identities() -> tuple:
    """``(national IDs, company search keys)`` of the applicants already registered: two sets."""
    ids = set(Applicant.objects.values_list("national_id", flat=True))
    names = set(Applicant.objects.filter(person_kind=Applicant.PersonKind.LEGAL).values_list("search_text", flat=True))
    return ids, names


def invent_applicants(count: int, rng: random.Random, *, taken_ids=(), taken_names=()) -> list:
    """``count`` ``InventedApplicant``, usernames ``applicant.001`` on, about one in six a
    cooperative company. IDs are valid and unique, and not in ``taken_ids``; company names are
    unique by ``search_key`` (C11: شركت كيان is شرکت کیان), and not in ``taken_names``."""
    ids, names = set(taken_ids), set(taken_names)
    applicants = []
    for number in range(1, count + 1):
        legal = rng.random() < COMPANY_SHARE
        draw = company_id if legal else national_id
        identifier = draw(rng)
        while identifier in ids:
            identifier = draw(rng)
        ids.add(identifier)
        if legal:
            name = normalize_text(f"شرکت تعاونی {rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)}")
            while search_key(name) in names:
                words = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)}"
                name = normalize_text(f"شرکت تعاونی {words} {to_persian_digits(number)}")
            names.add(search_key(name))
        else:
            name = normalize_text(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}")
        applicants.append(InventedApplicant(username=f"{USERNAME_PREFIX}{number:03d}", name=name,
                                            national_id=identifier, legal=legal,
                                            mobile=f"09{rng.randrange(10**9):09d}"))
    return applicants


def owner_of(index: int, applicants: list, rng: random.Random):
    """The applicant of the ``index``-th demo application: one application each at first, then
    a second or third one for applicants drawn at random."""
    return applicants[index] if index < len(applicants) else rng.choice(applicants)

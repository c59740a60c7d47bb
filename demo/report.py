"""What ``seed_demo`` tells the person who ran it: the logins, the applications by state, a few
tracking codes, how much of the demo budget is used, the development interventions by state and
what the timetable holds, whether it has just built the demo or finds it built already."""

from collections import Counter
from dataclasses import dataclass, field

from accounts.models import Role, User
from financing.models import InvestmentApplication
from interventions.models import Intervention

from .budget import budget_use_notes
from .people import USERNAME_PREFIX
from .staff import DEMO_PASSWORD
from .timetable import timetable_counts

SAMPLE_TRACKING_CODES = 5


@dataclass
class DemoReport:
    """What ``seed_demo`` made. ``logins`` rows are ``(username, role, scope text)``, ``states``
    counts applications by state, ``tracking_codes`` rows are ``(code, state)``, ``notes`` are
    lines for the person seeding (among them the demo budget's use, ``budget.budget_use_notes``),
    ``interventions`` counts development interventions by state, ``timetable`` is
    ``timetable.timetable_counts``."""

    password: str = DEMO_PASSWORD
    logins: list = field(default_factory=list)
    applications: int = 0
    states: Counter = field(default_factory=Counter)
    tracking_codes: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    interventions: Counter = field(default_factory=Counter)
    timetable: dict = field(default_factory=dict)

    @classmethod
    def built(cls, *, staff, applicants: list, applications: int) -> "DemoReport":
        """The report of a demo just built: ``staff``'s logins and notes, then the first two
        ``applicants`` (``Applicant`` rows), and the counts of ``count_applications``."""
        logins = [*staff.logins, *((a.user.username, Role.APPLICANT, a.name) for a in applicants[:2])]
        report = cls(logins=logins, notes=[*staff.notes, *budget_use_notes()])
        report.count_applications(applications)
        return report

    def count_applications(self, applications: int) -> None:
        """Fill in ``applications`` (how many were asked for), the states and the sample tracking
        codes from the database, and the interventions' and the timetable's counts."""
        self.applications = applications
        self.states = Counter(InvestmentApplication.objects.values_list("state", flat=True))
        self.tracking_codes = sample_tracking_codes()
        self.interventions = Counter(Intervention.objects.values_list("state", flat=True))
        self.timetable = timetable_counts()

    def development_line(self) -> str:
        """One line: the development interventions by state and what the timetable holds."""
        states = ", ".join(f"{state} {count}" for state, count in sorted(self.interventions.items()))
        t = self.timetable
        return (f"Development interventions: {sum(self.interventions.values())} ({states or 'none'}); timetable: "
                f"{t.get('stages', 0)} stage records in {t.get('provinces', 0)} provinces, {t.get('meetings', 0)} "
                f"meetings, {t.get('evidence', 0)} evidence files.")


def sample_tracking_codes() -> list:
    """The first few issued tracking codes, as ``(code, state)``, oldest application first."""
    return list(InvestmentApplication.objects.exclude(tracking_code=None)
                .order_by("id").values_list("tracking_code", "state")[:SAMPLE_TRACKING_CODES])


def _listed_logins() -> list:
    """The demo's accounts as ``(username, role, scope text)``: staff first, then two applicants."""
    staff = User.objects.exclude(role=Role.APPLICANT).order_by("date_joined", "id")
    applicants = User.objects.filter(role=Role.APPLICANT, username__startswith=USERNAME_PREFIX).order_by("id")[:2]
    return [(u.username, u.role, u.first_name) for u in [*staff, *applicants]]


def existing_demo() -> DemoReport:
    """What an earlier ``seed_demo`` left: the logins, the states and a few tracking codes."""
    report = DemoReport(logins=_listed_logins(), notes=budget_use_notes())
    report.count_applications(InvestmentApplication.objects.count())
    return report

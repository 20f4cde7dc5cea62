from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.http import AuthedRequest

CLINICAL_ROLES = {"dokter", "perawat", "pustu", "admin"}
INTAKE_ROLES = {"dokter", "perawat", "admin"}
PHARMACY_ROLES = {"farmasi", "admin"}


@dataclass(frozen=True)
class Tile:
    label: str
    count: int
    url: str
    urgent: bool = False


def _today_tiles(request: AuthedRequest) -> list[Tile]:
    """What needs doing today at the user's facility, each linking to the list behind it."""
    from alerts.selectors import worklist_counts
    from pharmacy.models import Prescription
    from pharmacy.selectors import worklist as dispensing_worklist
    from referrals.selectors import letter_list

    user = request.user
    if not user.is_facility_staff:
        return []
    tiles: list[Tile] = []
    if user.role in INTAKE_ROLES:
        waiting = letter_list(user=user, status="received").count()
        tiles.append(Tile(str(_("Referral letters waiting")), waiting, reverse("referrals:inbox")))
    if user.role in CLINICAL_ROLES:
        counts = worklist_counts(user=user, as_of=timezone.localdate())
        worklist = reverse("alerts:worklist")
        overdue = counts["1-7"] + counts["8-30"] + counts["31-90"]
        tiles += [
            Tile(str(_("Controls due today")), counts["today"], f"{worklist}?bucket=today"),
            Tile(str(_("Controls overdue")), overdue, worklist, urgent=overdue > 0),
            Tile(
                str(_("Lost to follow-up")),
                counts["lost"],
                f"{worklist}?{urlencode({'bucket': 'lost'})}",
                urgent=counts["lost"] > 0,
            ),
        ]
    if user.role in PHARMACY_ROLES:
        waiting = dispensing_worklist(user=user, status=Prescription.Status.WAITING).count()
        tiles.append(Tile(str(_("Prescriptions to dispense")), waiting, reverse("pharmacy:home")))
    return tiles


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    return render(request, "home.html", {"tiles": _today_tiles(request)})

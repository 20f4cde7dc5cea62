"""The one permission policy: every capability PRB knows and the roles that hold it.

Views, APIs, templates and access helpers ask this module, never a role string
(STYLE.md 3b). Scope (which facility's records) is the other half and lives in
``accounts.scoping`` behind every ``visible_to(user)``: a user holding a capability still
gets 404 for a record outside their scope.

How to declare a new page or API (for everyone adding routes):

- Pick the capability it needs (add one here, with its roles, if none fits), then in the
  view call ``policy.require(request.user, Capability.X)`` (raises PermissionDenied, 403),
  or ``policy.can(user, Capability.X)`` to decide what to show.
- A page that changes one record fetches it through the record's access helper with the
  capability of the change: ``case_for_user(user, pk, write=Capability.RECORD_VISIT)``
  (read capability, then scope → 404, then the write capability → 403; all in
  ``get_for_user`` below), never ``require`` next to the helper.
- In templates: ``{% if can.dispense %}`` (the ``accounts.context_processors.navigation``
  context carries ``can``, keyed by the capability's value).
- Declare the route in ``ROUTES`` below, by URL name, with what opening it needs (a
  capability, ``LOGGED_IN`` or ``PUBLIC``). ``tests/accounts/test_routes.py`` fails for a
  route that is not declared, and checks every role against the declaration.
- ``docs/permissions.md`` is generated from this module
  (``python manage.py permissions_doc``); a test fails when it drifts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from accounts.models import User

DOKTER, PERAWAT, PUSTU, FARMASI, DINKES, ADMIN = (
    "dokter",
    "perawat",
    "pustu",
    "farmasi",
    "dinkes",
    "admin",
)
ROLES = (DOKTER, PERAWAT, PUSTU, FARMASI, DINKES, ADMIN)
FACILITY_STAFF = frozenset({DOKTER, PERAWAT, PUSTU, FARMASI, ADMIN})


class Capability(StrEnum):
    SEE_PATIENTS = "see_patients"
    SEE_PATIENT_NAMES = "see_patient_names"
    REGISTER_PATIENT = "register_patient"
    SEE_AUDIT_TRAIL = "see_audit_trail"
    SEE_REFERRALS = "see_referrals"
    RECEIVE_LETTER = "receive_letter"
    DECIDE_LETTER = "decide_letter"
    SEE_CASES = "see_cases"
    ASSIGN_PUSTU = "assign_pustu"
    EDIT_CARE_PLAN = "edit_care_plan"
    TICK_CARE_ITEMS = "tick_care_items"
    RECORD_VISIT = "record_visit"
    RE_REFER = "re_refer"
    CHANGE_CASE_STATUS = "change_case_status"
    RECORD_HOME_VISIT = "record_home_visit"
    RECORD_CONTACT = "record_contact"
    SEE_WORKLIST = "see_worklist"
    SEE_READINESS = "see_readiness"
    EDIT_READINESS = "edit_readiness"
    SEE_NOTIFICATIONS = "see_notifications"
    SEE_PHARMACY = "see_pharmacy"
    DISPENSE = "dispense"
    MOVE_STOCK = "move_stock"
    DESTROY = "destroy"
    SEE_CLAIMS = "see_claims"
    SEE_DISTRICT_STOCK = "see_district_stock"
    EDIT_DISTRICT_VEN = "edit_district_ven"
    SEE_DASHBOARDS = "see_dashboards"
    MANAGE_INTEGRATIONS = "manage_integrations"
    SEE_BPJS_QUEUE = "see_bpjs_queue"
    RESEND_PCARE = "resend_pcare"
    RESEND_APOTEK_CLAIMS = "resend_apotek_claims"
    MAP_BPJS_MEDICINES = "map_bpjs_medicines"
    SEE_SATUSEHAT_OUTBOX = "see_satusehat_outbox"


CLINICAL = frozenset({DOKTER, PERAWAT, ADMIN})

# Capability → the roles that hold it, and what it means (docs/permissions.md).
GRANTS: dict[Capability, tuple[frozenset[str], Any]] = {
    Capability.SEE_PATIENTS: (FACILITY_STAFF, _("Open the patient registry and records")),
    Capability.SEE_PATIENT_NAMES: (
        FACILITY_STAFF,
        _("See patients' names (the district office works on aggregates)"),
    ),
    Capability.REGISTER_PATIENT: (FACILITY_STAFF, _("Register or correct a patient")),
    Capability.SEE_AUDIT_TRAIL: (frozenset({ADMIN}), _("Read a patient's audit trail")),
    Capability.SEE_REFERRALS: (CLINICAL, _("See the back-referral inbox and letters")),
    Capability.RECEIVE_LETTER: (CLINICAL, _("Enter a back-referral letter")),
    Capability.DECIDE_LETTER: (frozenset({DOKTER}), _("Accept or return a letter")),
    Capability.SEE_CASES: (CLINICAL | {PUSTU}, _("See PRB cases")),
    Capability.ASSIGN_PUSTU: (CLINICAL, _("Assign a case to a Pustu")),
    Capability.EDIT_CARE_PLAN: (CLINICAL, _("Edit the care plan")),
    Capability.TICK_CARE_ITEMS: (
        CLINICAL | {PUSTU},
        _("Tick monitoring and self-management education"),
    ),
    Capability.RECORD_VISIT: (frozenset({DOKTER}), _("Record a control visit")),
    Capability.RE_REFER: (frozenset({DOKTER}), _("Re-refer to the hospital")),
    Capability.CHANGE_CASE_STATUS: (frozenset({DOKTER}), _("Change a case's status")),
    Capability.RECORD_HOME_VISIT: (CLINICAL | {PUSTU}, _("Record a home visit")),
    Capability.RECORD_CONTACT: (CLINICAL | {PUSTU}, _("Record a contact attempt")),
    Capability.SEE_WORKLIST: (CLINICAL | {PUSTU}, _("See the control worklist")),
    Capability.SEE_READINESS: (CLINICAL | {FARMASI}, _("See the facility readiness")),
    Capability.EDIT_READINESS: (frozenset({DOKTER, ADMIN}), _("Edit the facility readiness")),
    Capability.SEE_NOTIFICATIONS: (FACILITY_STAFF, _("See notifications")),
    Capability.SEE_PHARMACY: (
        frozenset({FARMASI, DOKTER, ADMIN}),
        _("Open the PRB pharmacy (prescriptions, stock, stock card)"),
    ),
    Capability.DISPENSE: (frozenset({FARMASI, ADMIN}), _("Dispense a prescription")),
    Capability.MOVE_STOCK: (
        frozenset({FARMASI, ADMIN}),
        _("Receive, transfer, count, return and write off stock"),
    ),
    Capability.DESTROY: (frozenset({FARMASI, ADMIN}), _("Destroy medicines (Berita Acara)")),
    Capability.SEE_CLAIMS: (frozenset({FARMASI, ADMIN}), _("See the BPJS claim report")),
    Capability.SEE_DISTRICT_STOCK: (frozenset({DINKES}), _("See the district's stock")),
    Capability.EDIT_DISTRICT_VEN: (frozenset({DINKES}), _("Set the district's VEN classes")),
    Capability.SEE_DASHBOARDS: (frozenset({DINKES, ADMIN}), _("See the district dashboards")),
    Capability.MANAGE_INTEGRATIONS: (
        frozenset({ADMIN}),
        _("Manage integrations and their credentials"),
    ),
    Capability.SEE_BPJS_QUEUE: (
        frozenset({DOKTER, PERAWAT, FARMASI, ADMIN}),
        _("See what is sent to BPJS"),
    ),
    Capability.RESEND_PCARE: (CLINICAL, _("Send a control visit to PCare again")),
    Capability.RESEND_APOTEK_CLAIMS: (
        frozenset({FARMASI, ADMIN}),
        _("Send a claim to Apotek Online again"),
    ),
    Capability.MAP_BPJS_MEDICINES: (
        frozenset({DINKES}),
        _("Map the formulary to BPJS medicine codes"),
    ),
    Capability.SEE_SATUSEHAT_OUTBOX: (
        FACILITY_STAFF,
        _("See and resend what is sent to SATUSEHAT"),
    ),
}


# Capabilities that act for the user's own puskesmas (its patients, letters, readiness,
# destruction reports, BPJS link and claims) or district (its VEN classes). A superuser holds
# every capability, but these only when the account belongs to a puskesmas (a district): a
# system administrator's account with none is not offered pages that have nothing to act on.
OWN_FACILITY = frozenset(
    {
        Capability.REGISTER_PATIENT,
        Capability.RECEIVE_LETTER,
        Capability.SEE_READINESS,
        Capability.EDIT_READINESS,
        Capability.DESTROY,
        Capability.SEE_CLAIMS,
        Capability.SEE_BPJS_QUEUE,
        Capability.RESEND_PCARE,
        Capability.RESEND_APOTEK_CLAIMS,
        Capability.MANAGE_INTEGRATIONS,
    }
)
OWN_DISTRICT = frozenset({Capability.EDIT_DISTRICT_VEN})


def allows(user: Any, rule: RouteRule, kwargs: dict[str, Any] | None = None) -> bool:
    """Whether ``user`` may open a route declared with ``rule`` (see ``ROUTES``), called
    with the URL arguments ``kwargs``."""
    if isinstance(rule, ByArgument):
        return allows(user, rule.rules[str((kwargs or {})[rule.kwarg])], kwargs)
    if rule == PUBLIC:
        return True
    if rule == LOGGED_IN:
        return bool(getattr(user, "is_authenticated", False))
    if isinstance(rule, tuple):
        return any(can(user, capability) for capability in rule)
    return can(user, Capability(rule))


def roles_with(capability: Capability) -> frozenset[str]:
    return GRANTS[capability][0]


def can(user: Any, capability: Capability) -> bool:
    """Whether ``user`` holds ``capability`` (superusers hold every one, but those of
    ``OWN_FACILITY`` and ``OWN_DISTRICT`` only with a facility or a district)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        if capability in OWN_FACILITY:
            return getattr(user, "facility_id", None) is not None
        if capability in OWN_DISTRICT:
            return getattr(user, "regency_id", None) is not None
        return True
    role = getattr(user, "role", "")
    if role not in roles_with(capability):
        return False
    if role == DINKES:
        return getattr(user, "regency_id", None) is not None
    return getattr(user, "facility_id", None) is not None


def works_at_pustu(user: Any) -> bool:
    """Pustu staff: their scope is their Pustu's patients, and home visits are theirs."""
    return getattr(user, "role", None) == PUSTU


def role_of(user: Any) -> str:
    """The role an alert or a message is addressed to (``Alert.roles``)."""
    return str(getattr(user, "role", "") or "")


def require(user: Any, capability: Capability) -> None:
    """403 unless ``user`` holds ``capability``."""
    if not can(user, capability):
        raise PermissionDenied


M = TypeVar("M", bound=Model)


def get_for_user(
    user: Any,
    visible: QuerySet[M],
    pk: Any,
    *,
    read: Capability,
    write: Capability | None = None,
) -> M:
    """The one rule behind every access helper (``case_for_user(user, pk, write=...)``):
    403 unless ``user`` holds ``read``; 404 for a record outside ``visible`` (the model's
    ``visible_to(user)``); then, for a caller about to change the record, 403 unless the
    user also holds ``write``. A reader without ``write`` thus still gets the record through
    the read path, and an out-of-scope user gets 404 either way."""
    require(user, read)
    record = get_object_or_404(visible, pk=pk)
    if write is not None:
        require(user, write)
    return record


class Capabilities:
    """``can`` in templates: ``{% if can.dispense %}``."""

    def __init__(self, user: Any) -> None:
        self.user = user

    def __getitem__(self, name: str) -> bool:
        try:
            capability = Capability(name)
        except ValueError:
            raise KeyError(name) from None
        return can(self.user, capability)


def table_markdown() -> str:
    """docs/permissions.md: the role × capability table."""
    labels = dict(User.Role.choices)
    lines = [
        "# Who may do what",
        "",
        "Generated from `accounts/policy.py` by `python manage.py permissions_doc`; do not edit.",
        "A superuser holds every capability, but those that act for the user's own puskesmas",
        "or district only when the account belongs to one (`OWN_FACILITY`, `OWN_DISTRICT`).",
        "Scope comes on top: staff see only their own puskesmas (Pustu staff only their",
        "Pustu's patients), the district office only its regency's aggregates; a record out",
        "of scope answers 404.",
        "",
    ]
    with override("en"):
        header = ["Capability", *[str(labels[role]) for role in ROLES]]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for capability, (roles, label) in GRANTS.items():
            marks = ["✓" if role in roles else "" for role in ROLES]
            lines.append(f"| {label} (`{capability.value}`) | " + " | ".join(marks) + " |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- routes

LOGGED_IN = "logged_in"  # any logged-in user; the view decides what there is to see
PUBLIC = "public"  # login, password reset, the API schema's own login check


@dataclass(frozen=True)
class ByArgument:
    """A route whose capability depends on one of its URL arguments (which outbox)."""

    kwarg: str
    rules: dict[str, Capability]


RouteRule = Capability | tuple[Capability, ...] | str | ByArgument

# Every named URL and what opening it (GET) needs. A new route is declared here, by URL
# name, with the capability of its page (writes check theirs in the view);
# tests/accounts/test_routes.py fails for a route missing from this map.
ROUTES: dict[str, RouteRule] = {
    "home": LOGGED_IN,
    "login": PUBLIC,
    "login_redirect": PUBLIC,
    "logout": PUBLIC,
    "password_change": LOGGED_IN,
    "password_change_done": LOGGED_IN,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,
    "password_reset_complete": PUBLIC,
    "patients:list": Capability.SEE_PATIENTS,
    "patients:create": Capability.REGISTER_PATIENT,
    "patients:detail": Capability.SEE_PATIENTS,
    "patients:edit": Capability.REGISTER_PATIENT,
    "patients:audit": Capability.SEE_AUDIT_TRAIL,
    "referrals:inbox": Capability.SEE_REFERRALS,
    "referrals:letter_create": Capability.RECEIVE_LETTER,
    "referrals:letter_evaluate": Capability.RECEIVE_LETTER,
    "referrals:letter_detail": Capability.SEE_REFERRALS,
    "referrals:letter_accept": Capability.DECIDE_LETTER,
    "referrals:letter_return": Capability.DECIDE_LETTER,
    "referrals:letter_receipt": Capability.SEE_REFERRALS,
    "referrals:case_list": Capability.SEE_CASES,
    "referrals:case_detail": Capability.SEE_CASES,
    "referrals:case_status": Capability.CHANGE_CASE_STATUS,
    "referrals:case_pustu": Capability.ASSIGN_PUSTU,
    "referrals:case_card": Capability.SEE_CASES,
    "referrals:care_plan_edit": Capability.EDIT_CARE_PLAN,
    "referrals:visit_create": Capability.RECORD_VISIT,
    "referrals:visit_check": Capability.RECORD_VISIT,
    "referrals:rereferral_create": Capability.RE_REFER,
    "referrals:home_visit_create": Capability.RECORD_HOME_VISIT,
    "referrals:monitoring_done": Capability.TICK_CARE_ITEMS,
    "referrals:self_management_tick": Capability.TICK_CARE_ITEMS,
    "referrals:visit_detail": Capability.SEE_CASES,
    "referrals:rereferral_letter": Capability.SEE_CASES,
    "referrals:timeline": Capability.SEE_CASES,
    "referrals:readiness": Capability.SEE_READINESS,
    "referrals:readiness_edit": Capability.EDIT_READINESS,
    # The district office sees the district's stock where staff see their pharmacy.
    "pharmacy:home": (Capability.SEE_PHARMACY, Capability.SEE_DISTRICT_STOCK),
    "pharmacy:stock": Capability.SEE_PHARMACY,
    "pharmacy:receive": Capability.MOVE_STOCK,
    "pharmacy:card": Capability.SEE_PHARMACY,
    "pharmacy:opname": Capability.MOVE_STOCK,
    "pharmacy:transfer": Capability.MOVE_STOCK,
    "pharmacy:return": Capability.MOVE_STOCK,
    "pharmacy:write_off": Capability.MOVE_STOCK,
    "pharmacy:lplpo": Capability.SEE_PHARMACY,
    "pharmacy:planning": Capability.SEE_PHARMACY,
    "pharmacy:planning_medicine": Capability.SEE_PHARMACY,
    "pharmacy:abc_ven": Capability.SEE_PHARMACY,
    "pharmacy:reverse_line": Capability.MOVE_STOCK,
    "pharmacy:dispense": Capability.SEE_PHARMACY,
    "pharmacy:destruction_list": Capability.SEE_PHARMACY,
    "pharmacy:destruction_create": Capability.DESTROY,
    "pharmacy:destruction_detail": Capability.SEE_PHARMACY,
    "pharmacy:claims": Capability.SEE_CLAIMS,
    "pharmacy:ven": Capability.EDIT_DISTRICT_VEN,
    "alerts:list": Capability.SEE_NOTIFICATIONS,
    "alerts:badge": Capability.SEE_NOTIFICATIONS,
    "alerts:open": Capability.SEE_NOTIFICATIONS,
    "alerts:mark_all_read": Capability.SEE_NOTIFICATIONS,
    "alerts:worklist": Capability.SEE_WORKLIST,
    "alerts:worklist_export": Capability.SEE_WORKLIST,
    "alerts:worklist_contact": Capability.RECORD_CONTACT,
    "alerts:schedule": Capability.SEE_WORKLIST,
    "dashboards:district": Capability.SEE_DASHBOARDS,
    "dashboards:puskesmas": Capability.SEE_DASHBOARDS,
    "dashboards:patients": Capability.SEE_DASHBOARDS,
    "dashboards:medicine_balance": Capability.SEE_DASHBOARDS,
    "bpjs:queue": Capability.SEE_BPJS_QUEUE,
    "bpjs:credentials": Capability.MANAGE_INTEGRATIONS,
    "bpjs:srb_fill": Capability.RECEIVE_LETTER,
    "bpjs:participant": Capability.SEE_BPJS_QUEUE,
    "bpjs:queue_resend": ByArgument(
        "kind", {"pcare": Capability.RESEND_PCARE, "apotek": Capability.RESEND_APOTEK_CLAIMS}
    ),
    "bpjs:apotek_claims": Capability.SEE_CLAIMS,
    "bpjs:medicine_mapping": Capability.MAP_BPJS_MEDICINES,
    "api-patient-list": Capability.SEE_PATIENTS,
    "api-patient-detail": Capability.SEE_PATIENTS,
    "api-eligibility-evaluate": LOGGED_IN,
    "api-referral-create": Capability.RECEIVE_LETTER,
    "api-referral-detail": Capability.SEE_REFERRALS,
    "api-case-list": Capability.SEE_CASES,
    "api-case-detail": Capability.SEE_CASES,
    "api-case-visits": Capability.SEE_CASES,
    "api-visit-detail": Capability.SEE_CASES,
    "api-pharmacy-receipt": Capability.MOVE_STOCK,
    "api-pharmacy-dispense": Capability.DISPENSE,
    "api-pharmacy-stock": Capability.SEE_PHARMACY,
    "api-pharmacy-card": Capability.SEE_PHARMACY,
    "api-case-fhir": Capability.SEE_CASES,
    "satusehat:outbox": Capability.SEE_SATUSEHAT_OUTBOX,
    "satusehat:resend": Capability.SEE_SATUSEHAT_OUTBOX,
    "api-schema": LOGGED_IN,
    "api-docs": LOGGED_IN,
}

# Django's admin site keeps its own staff and model permissions.
EXEMPT_NAMESPACES = ("admin",)


def project_routes(urlconf: Any = None) -> Iterator[tuple[str | None, URLPattern]]:
    """Every route of ``urlconf`` (the project's by default) outside the exempt namespaces:
    its full name ("referrals:case_detail"; None when unnamed) and its pattern."""

    def walk(patterns: Any, namespace: str) -> Iterator[tuple[str | None, URLPattern]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                if inner.split(":")[0] not in EXEMPT_NAMESPACES:
                    yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name
                yield (f"{namespace}:{name}" if namespace and name else name), pattern

    return walk(get_resolver(urlconf).url_patterns, "")


def undeclared_routes(urlconf: Any = None) -> list[str]:
    """Named routes of ``urlconf`` (the project's by default) missing from ``ROUTES``;
    an unnamed route cannot be declared: it is an error of its own."""
    return [
        f"<unnamed {pattern.pattern}>" if name is None else name
        for name, pattern in project_routes(urlconf)
        if name is None or name not in ROUTES
    ]

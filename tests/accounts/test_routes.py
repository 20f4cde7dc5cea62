"""Every route declares its policy, and every role meets it (issue 10 item 2).

A view added without an entry in ``accounts.policy.ROUTES`` fails here, so it cannot reach
``main`` unchecked. Then EVERY route — with its URL arguments built from one seeded puskesmas
(a patient with a letter, a case, a visit with its prescription dispensed, a re-referral, a
destruction report, an alert, a SATUSEHAT and a PCare outbox row, all at puskesmas 1) — is
opened (GET, and POST with an empty body) by the six roles of puskesmas 1 / regency A and by
out-of-scope users (each role at puskesmas 2, the district office of regency B):

- a role the declaration allows reaches the page (GET 200/302; an empty POST is refused by
  the view with 200/400 form errors, or takes effect when the action needs no input; a page
  whose writes need a further capability may answer its POST with 403);
- a role it does not allow gets 403; a GET-only or POST-only route may answer 405 instead;
- an out-of-scope user who holds the capability gets 404 for the seeded object (403 or 404
  without the capability), and no page shows them the seeded patient's name or NIK; nor
  does any page show them to a role that may not see patients' names;
- a request that is refused (403/404/405), and every GET, writes nothing: PostgreSQL's
  per-transaction counters (inserted, updated, deleted rows per table) are unchanged
  except for the read logs.

A route whose URL arguments cannot be built from the seeded objects fails: a new route with
a new kind of argument gets an entry in ``ARGUMENTS`` below (and its seed if needed).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import sys
import types
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.db import connection, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.test import Client
from django.urls import URLPattern, path, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import policy
from accounts.models import User
from accounts.policy import PUBLIC, ROUTES, Capability
from bpjs.models import PCareVisitOutbox
from interop.models import OutboxState
from patients.models import Patient
from pharmacy import services as pharmacy_services
from pharmacy.models import Store
from satusehat.models import SatusehatOutbox
from tests.accounts.factories import UserFactory
from tests.alerts.factories import AlertFactory
from tests.conftest import build_world
from tests.facilities.factories import PustuFactory
from tests.referrals.factories import enrol
from tests.satusehat.factories import control_visit, dispense, rereferral

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")


# --------------------------------------------------------------------------- declarations


def test_every_route_declares_its_policy() -> None:
    assert policy.undeclared_routes() == []


def test_a_route_without_a_declaration_is_found() -> None:
    def new_page(request):  # type: ignore[no-untyped-def]
        return HttpResponse("new")

    urlconf = types.ModuleType("urlconf_with_a_new_page")
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        path("", new_page, name="home"),
        path("baru/", new_page, name="a_new_page_nobody_declared"),
        path("tanpa-nama/", new_page),
    ]
    assert policy.undeclared_routes(urlconf) == [
        "a_new_page_nobody_declared",
        "<unnamed tanpa-nama/>",
    ]


def test_the_declarations_name_real_routes() -> None:
    assert set(ROUTES) == set(_routes())


# --------------------------------------------------------------------------- the seeded world

# URL argument → the seeded object (by attribute of ``Seed``) it takes, per route. A kwarg
# not listed for its route fails the test: say here which object a new route takes.
ARGUMENTS: dict[str, dict[str, str]] = {}


def _takes(attribute: str, kwarg: str, names: Iterable[str]) -> None:
    for name in names:
        ARGUMENTS.setdefault(name, {})[kwarg] = attribute


_takes(
    "patient",
    "pk",
    ["patients:detail", "patients:edit", "patients:audit", "api-patient-detail"],
)
_takes("patient", "patient_pk", ["referrals:timeline"])
_takes(
    "letter",
    "pk",
    [
        "referrals:letter_detail",
        "referrals:letter_accept",
        "referrals:letter_return",
        "referrals:letter_receipt",
        "api-referral-detail",
    ],
)
_takes(
    "case",
    "pk",
    [
        "referrals:case_detail",
        "referrals:case_status",
        "referrals:case_pustu",
        "referrals:case_card",
        "referrals:care_plan_edit",
        "referrals:visit_create",
        "referrals:visit_check",
        "referrals:rereferral_create",
        "referrals:home_visit_create",
        "referrals:contact_attempt_create",
        "referrals:monitoring_done",
        "referrals:self_management_tick",
        "alerts:worklist_contact",
        "alerts:worklist_remove",
        "api-case-detail",
        "api-case-visits",
        "api-case-fhir",
    ],
)
_takes("monitoring_item", "item_pk", ["referrals:monitoring_done"])
_takes("self_management_item", "item_pk", ["referrals:self_management_tick"])
_takes("visit", "pk", ["referrals:visit_detail", "api-visit-detail"])
_takes("rereferral", "pk", ["referrals:rereferral_letter"])
_takes("program", "program", ["referrals:readiness_edit"])
_takes(
    "store",
    "pk",
    [
        "pharmacy:stock",
        "pharmacy:receive",
        "pharmacy:card",
        "pharmacy:opname",
        "pharmacy:transfer",
        "pharmacy:return",
        "pharmacy:write_off",
        "pharmacy:lplpo",
        "pharmacy:planning",
        "pharmacy:planning_medicine",
        "pharmacy:abc_ven",
        "api-pharmacy-stock",
        "api-pharmacy-card",
    ],
)
_takes("medicine", "medicine_pk", ["pharmacy:card", "pharmacy:planning_medicine"])
_takes("card_line", "pk", ["pharmacy:reverse_line"])
_takes("prescription", "pk", ["pharmacy:dispense", "api-pharmacy-dispense"])
_takes("destruction", "pk", ["pharmacy:destruction_detail"])
_takes("alert", "pk", ["alerts:open"])
_takes("puskesmas", "pk", ["dashboards:puskesmas", "dashboards:patients"])
_takes("pcare_kind", "kind", ["bpjs:queue_resend"])
_takes("pcare_row", "pk", ["bpjs:queue_resend"])
_takes("outbox_row", "pk", ["satusehat:resend"])
_takes("uidb64", "uidb64", ["password_reset_confirm"])
_takes("token", "token", ["password_reset_confirm"])

# Arguments that are not a puskesmas's record: the route's page is the user's own.
UNSCOPED = {"program", "medicine", "pcare_kind", "uidb64", "token"}

# A record of puskesmas 1 that an in-scope role still does not reach: an alert at the
# puskesmas is for its own staff (Pustu staff get their Pustu's alerts).
ADDRESSED_ELSEWHERE = {"alerts:open": ("pustu",)}

# Reading may log the read (who saw which patient, which alert); nothing else may change.
LOG_MODELS = (
    "patients.PatientAccessLog",
    "patients.PatientListAccess",
    "alerts.AlertRead",
    "sessions.Session",
)
LOG_APPS = ("axes",)


@dataclass
class Seed:
    patient: Any
    letter: Any
    case: Any
    monitoring_item: Any
    self_management_item: Any
    visit: Any
    rereferral: Any
    prescription: Any
    store: Any
    medicine: Any
    card_line: Any
    destruction: Any
    alert: Any
    puskesmas: Any
    pcare_row: Any
    outbox_row: Any
    uidb64: str
    token: str
    program: str = "DM"
    pcare_kind: str = "pcare"
    # Role → user inside the seed's scope, and label → user outside it.
    in_scope: dict[str, Any] = field(default_factory=dict)
    out_of_scope: dict[str, Any] = field(default_factory=dict)
    # Texts only a user who may see this patient's name may read.
    secrets: tuple[str, ...] = ()


def seed_world(world: Any) -> Seed:
    """Everything a route can take, at puskesmas 1, through the services."""
    case = enrol(world)
    visit = control_visit(world, case, on=dt.date(2026, 10, 5))
    card_lines = dispense(world, visit)
    store = Store.objects.get(facility=world.pkm1, kind=Store.Kind.PRB)
    lot = card_lines[0].lot
    pharmacy_services.stock_receive(
        actor=world.farmasi1,
        store=store,
        received_on=dt.date(2026, 10, 6),
        lines=[
            pharmacy_services.ReceiptLineInput(
                medicine=lot.medicine, batch=lot.batch, expiry_date=lot.expiry_date, quantity=5
            )
        ],
    )
    destruction = pharmacy_services.destruction_create(
        actor=world.farmasi1,
        facility=world.pkm1,
        destroyed_on=dt.date(2026, 10, 7),
        method="incineration",
        place="Halaman puskesmas",
        witnesses="Saksi Satu\nSaksi Dua",
        lines=[
            pharmacy_services.DestructionLineInput(
                store=store, lot=lot, quantity=1, reason="damaged"
            )
        ],
    )
    plan = case.care_plans.get()
    pustu2 = PustuFactory(parent=world.pkm2, name="Pustu Dua")
    patient: Patient = case.patient
    return Seed(
        patient=patient,
        letter=case.letters.get(),
        case=case,
        monitoring_item=plan.monitoring.first(),
        self_management_item=plan.self_management.first(),
        visit=visit,
        rereferral=rereferral(world, case, visit),
        prescription=visit.prescription,
        store=store,
        medicine=lot.medicine,
        card_line=card_lines[0],
        destruction=destruction,
        alert=AlertFactory(
            facility=world.pkm1,
            patient=patient,
            roles=sorted(policy.FACILITY_STAFF),
            link=f"/pasien/{patient.pk}/",
        ),
        puskesmas=world.pkm1,
        pcare_row=PCareVisitOutbox.objects.create(
            visit=visit,
            facility=world.pkm1,
            idempotency_key=f"pcare-visit:{visit.pk}",
            state=OutboxState.FAILED,
            last_error="BPJS PCare menolak",
        ),
        outbox_row=SatusehatOutbox.objects.create(
            kind="episode",
            facility=world.pkm1,
            patient=patient,
            case=case,
            idempotency_key=f"episode:routes:{case.pk}",
            state=OutboxState.FAILED,
        ),
        uidb64=urlsafe_base64_encode(force_bytes(world.dokter1.pk)),
        token=default_token_generator.make_token(world.dokter1),
        in_scope={
            "dokter": world.dokter1,
            "perawat": world.perawat1,
            "pustu": world.pustu_staff1,
            "farmasi": world.farmasi1,
            "admin": world.admin1,
            "dinkes": world.dinkes_a,
            # The system administrator's account: sees every facility, belongs to none.
            "superuser": User.objects.create_superuser("root", password="x"),
        },
        out_of_scope={
            "dokter@pkm2": world.dokter2,
            "perawat@pkm2": UserFactory(
                username="perawat2", role=User.Role.PERAWAT, facility=world.pkm2
            ),
            "pustu@pkm2": UserFactory(username="pustu2", role=User.Role.PUSTU, facility=pustu2),
            "farmasi@pkm2": world.farmasi2,
            "admin@pkm2": UserFactory(
                username="admin2", role=User.Role.ADMIN, facility=world.pkm2, is_staff=True
            ),
            "dinkes@regency-b": world.dinkes_b,
        },
        secrets=(patient.name, patient.nik),
    )


# --------------------------------------------------------------------------- the checker


def _routes(urlconf: Any = None) -> dict[str, URLPattern]:
    """Every named route of ``urlconf`` (outside the exempt namespaces), by full name."""
    return {name: pattern for name, pattern in policy.project_routes(urlconf) if name}


def _kwargs_of(pattern: URLPattern) -> list[str]:
    return list(getattr(pattern.pattern, "converters", {}) or pattern.pattern.regex.groupindex)


def _writes() -> dict[str, tuple[int, int, int]]:
    """Rows inserted, updated and deleted so far in this transaction, per table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables"
        )
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


def _log_tables() -> set[str]:
    tables = {apps.get_model(label)._meta.db_table for label in LOG_MODELS}
    for app_label in LOG_APPS:
        tables |= {m._meta.db_table for m in apps.get_app_config(app_label).get_models()}
    return tables


def _written(before: dict[str, tuple[int, int, int]], logs: set[str]) -> list[str]:
    after = _writes()
    return sorted(
        table
        for table, counts in after.items()
        if table not in logs and counts != before.get(table, (0, 0, 0))
    )


def _request(client: Client, method: str, url: str) -> tuple[HttpResponse, list[str], set[str]]:
    """One request, rolled back afterwards so every user meets the same seeded world."""
    logs = _log_tables()
    with transaction.atomic():
        before = _writes()
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, "{}", content_type="application/json")
        written = _written(before, logs)
        transaction.set_rollback(True)
    return response, written, logs


@dataclass
class Visitor:
    label: str
    user: User
    client: Client
    in_scope: bool


def visitors(seed: Seed) -> list[Visitor]:
    """A logged-in client per user (logging in writes; done before any request is judged)."""
    found = []
    for group, in_scope in ((seed.in_scope, True), (seed.out_of_scope, False)):
        for label, user in group.items():
            client = Client()
            client.force_login(user)
            found.append(Visitor(label, user, client, in_scope))
    return found


def route_problems(
    name: str,
    seed: Seed,
    people: list[Visitor],
    *,
    urlconf: Any = None,
    arguments: dict[str, dict[str, str]] = ARGUMENTS,
    routes: dict[str, policy.RouteRule] = ROUTES,
) -> list[str]:
    """What is wrong with route ``name`` for the seeded world: one line per problem."""
    pattern = _routes(urlconf)[name]
    kwargs: dict[str, Any] = {}
    scoped = False
    for kwarg in _kwargs_of(pattern):
        attribute = arguments.get(name, {}).get(kwarg)
        if attribute is None:
            return [f"{name}: no seeded object for URL argument {kwarg!r} (add it to ARGUMENTS)"]
        value = getattr(seed, attribute)
        kwargs[kwarg] = getattr(value, "pk", value)
        scoped = scoped or attribute not in UNSCOPED
    url = reverse(name, kwargs=kwargs, urlconf=urlconf)
    rule = routes[name]
    problems: list[str] = []
    if rule == PUBLIC:
        anonymous = Client()
        response, written, _logs = _request(anonymous, "get", url)
        if response.status_code not in (200, 302, 405):
            problems.append(f"{name}: anonymous GET {response.status_code}, a public page")
        return problems
    answered = set()
    for person in people:
        allowed = policy.allows(person.user, rule, kwargs)
        # The seeded record is outside this user's scope: 404 where the role would reach it.
        hidden = scoped and (
            not person.in_scope or person.label in ADDRESSED_ELSEWHERE.get(name, ())
        )
        opened = 0
        for method in ("get", "post"):
            response, written, _logs = _request(person.client, method, url)
            status = response.status_code
            answered.add(status)
            if method == "get":
                opened = status
            who = f"{name}: {method.upper()} by {person.label}"
            if status >= 500:
                problems.append(f"{who} answered {status}")
                continue
            if status == 405:
                expected_ok = True
            elif hidden:
                expected_ok = status == 404 if allowed else status in (403, 404)
                if not expected_ok:
                    problems.append(f"{who} (out of scope) got {status}, expected 404")
            elif allowed:
                reached = (200, 302) if method == "get" else (200, 302, 400)
                if method == "post" and opened in (200, 302):
                    reached = (*reached, 403)  # the page's writes need a capability of their own
                expected_ok = status in reached
                if not expected_ok:
                    problems.append(f"{who} (allowed) got {status}, expected {reached}")
            else:
                expected_ok = status == 403
                if not expected_ok:
                    problems.append(f"{who} (not allowed) got {status}, expected 403")
            took_effect = method == "post" and allowed and not hidden and status in (200, 302)
            if written and not took_effect:
                problems.append(f"{who} ({status}) wrote to {', '.join(written)}")
            body = getattr(response, "content", b"")
            sees_names = person.in_scope and policy.can(person.user, Capability.SEE_PATIENT_NAMES)
            if not sees_names and status == 200:
                shown = [s for s in seed.secrets if s and s.encode() in body]
                if shown:
                    problems.append(f"{who} shows {shown}")
    if answered <= {405}:
        problems.append(f"{name}: answers 405 to both GET and POST; the test cannot open it")
    return problems


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The seeded world, made once for the module inside a transaction rolled back at its
    end (each test below runs in a savepoint of it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=JAKARTA), tick=False):
            seed = seed_world(build_world())
            people = visitors(seed)
        yield seed, people
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_every_role_and_every_scope_gets_what_the_policy_declares(
    seeded_once, frozen_today, name
) -> None:
    seed, people = seeded_once
    problems = route_problems(name, seed, people)
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- links

LINK = re.compile(r'href="(/[^"#]*)"')
# Leaving, static files and downloads are not pages to judge; the API has its own tests.
NOT_PAGES = re.compile(r"^/(static/|api/|admin/|akun/keluar)|format=|export=|\.(csv|xlsx)")


def test_no_page_offers_a_link_its_reader_is_refused(seeded_once, frozen_today) -> None:
    """Every link on every page a user reaches by following links from the home page opens
    for that user: a page shows what the policy lets its reader do, nothing that answers 403
    (or 404). Walked for each role of puskesmas 1 and the system administrator."""
    seed, people = seeded_once
    refused: list[str] = []
    for person in (p for p in people if p.in_scope):
        seen: set[str] = set()
        queue = ["/"]
        while queue:
            url = html.unescape(queue.pop())
            if url in seen or NOT_PAGES.search(url):
                continue
            seen.add(url)
            response, _written, _logs = _request(person.client, "get", url)
            if response.status_code in (403, 404):
                refused.append(f"{person.label}: {url} answered {response.status_code}")
                continue
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                queue.extend(LINK.findall(response.content.decode()))
        assert len(seen) > 5, person.label
    assert not refused, "\n".join(sorted(refused))


# --------------------------------------------------------------------------- test of the test


def _leaky_patient(request, pk):  # type: ignore[no-untyped-def]
    """Holds the capability check but forgot the scope: any puskesmas's patient."""
    policy.require(request.user, Capability.SEE_PATIENTS)
    return HttpResponse(get_object_or_404(Patient, pk=pk).name)


def _scoped_patient(request, pk):  # type: ignore[no-untyped-def]
    policy.require(request.user, Capability.SEE_PATIENTS)
    return HttpResponse(get_object_or_404(Patient.objects.visible_to(request.user), pk=pk).name)


def _careless_page(request, pk):  # type: ignore[no-untyped-def]
    """Checks neither the capability nor the scope, and writes on every read."""
    patient = Patient.objects.filter(pk=pk).first()
    if patient is None:
        raise Http404
    patient.save()
    return HttpResponse("ok")


@pytest.fixture
def tiny_urlconf(monkeypatch, settings):  # type: ignore[no-untyped-def]
    urlconf = types.ModuleType("tests_accounts_tiny_urlconf")
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        path("leaky/<int:pk>/", _leaky_patient, name="leaky"),
        path("scoped/<int:pk>/", _scoped_patient, name="scoped"),
        path("careless/<int:pk>/", _careless_page, name="careless"),
        path("new/<int:other_pk>/", _scoped_patient, name="new_argument"),
    ]
    monkeypatch.setitem(sys.modules, urlconf.__name__, urlconf)
    settings.ROOT_URLCONF = urlconf.__name__
    return urlconf


def test_the_checker_catches_a_view_that_forgets_its_scope(  # type: ignore[no-untyped-def]
    seeded_once, frozen_today, tiny_urlconf
):
    seed, people = seeded_once
    rules = {
        name: Capability.SEE_PATIENTS for name in ("leaky", "scoped", "careless", "new_argument")
    }
    arguments = {name: {"pk": "patient"} for name in rules}

    def check(name: str) -> list[str]:
        return route_problems(
            name, seed, people, urlconf=tiny_urlconf, arguments=arguments, routes=rules
        )

    assert check("scoped") == []
    leaky = check("leaky")
    assert "leaky: GET by dokter@pkm2 (out of scope) got 200, expected 404" in leaky
    assert any("dokter@pkm2 shows" in problem for problem in leaky)
    careless = check("careless")
    assert "careless: GET by dinkes (not allowed) got 200, expected 403" in careless
    assert any("GET by farmasi (200) wrote to patients_patient" in p for p in careless)
    assert check("new_argument") == [
        "new_argument: no seeded object for URL argument 'other_pk' (add it to ARGUMENTS)"
    ]

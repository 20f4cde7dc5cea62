"""Sending one outbox row: its resources, in dependency order, each once.

Order: the patient's IHS number (looked up by NIK), the practitioners', then the
resources as ``satusehat.records`` lists them (Encounter before Condition and
Observation, Medication before MedicationRequest); a dispense or re-referral first makes
sure the visit it points to is there. Each id SATUSEHAT returns is stored at once
(``SatusehatResource``): a resource already sent is updated with PUT, a new one is created
with ``If-None-Exist`` on its identifier, so a resend — or a worker that died half-way —
never makes a duplicate.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from typing import Any

from django.utils.translation import gettext as _

from interop.errors import InteropError
from patients.models import Patient
from pharmacy.models import StockCardLine
from referrals.models import ControlVisit, PrbCase, ReReferral
from satusehat import fhir, records
from satusehat.client import SatusehatClient
from satusehat.models import SatusehatOutbox, SatusehatResource, SatusehatSettings
from satusehat.validation import fhir_validate

LOCAL = "prb-local:"  # a reference to a resource PRB sends, resolved to its id when sent


class SettingsTokens:
    """The facility's settings row keeps the token, so every worker shares it."""

    def __init__(self, config: SatusehatSettings) -> None:
        self.config = config

    def load_token(self) -> tuple[str, dt.datetime | None]:
        self.config.refresh_from_db(fields=["access_token", "token_expires_at"])
        return self.config.access_token, self.config.token_expires_at

    def save_token(self, token: str, expires_at: dt.datetime | None) -> None:
        self.config.access_token = token
        self.config.token_expires_at = expires_at
        self.config.save(update_fields=["access_token", "token_expires_at"])


def client_for(config: SatusehatSettings) -> SatusehatClient:
    return SatusehatClient(
        auth_root=config.auth_root,
        fhir_root=config.fhir_root,
        client_id=config.client_id,
        client_secret=config.client_secret,
        tokens=SettingsTokens(config),
    )


class ServerRefs:
    """References as SATUSEHAT wants them: ids it gave, looked up (by NIK) when missing."""

    def __init__(self, config: SatusehatSettings, client: SatusehatClient) -> None:
        self.config = config
        self.client = client
        self.organization_id = config.organization_id

    def patient(self, patient: Any) -> dict[str, Any]:
        if not patient.ihs_number:
            ihs = self.client.find_id_by_nik("Patient", patient.nik)
            if not ihs:
                raise InteropError(
                    _(
                        "SATUSEHAT has no patient with NIK %(nik)s; register the patient there first."
                    )
                    % {"nik": patient.nik},
                    transient=False,
                )
            Patient.objects.filter(pk=patient.pk).update(ihs_number=ihs)
            patient.ihs_number = ihs
        return {"reference": f"Patient/{patient.ihs_number}", "display": patient.name}

    def practitioner(self, user: Any) -> dict[str, Any]:
        name = user.get_full_name() or user.get_username()
        if not user.ihs_number:
            if not user.nik:
                raise InteropError(
                    _(
                        "The NIK of %(name)s is not filled in; SATUSEHAT knows health workers by NIK."
                    )
                    % {"name": name},
                    transient=False,
                )
            ihs = self.client.find_id_by_nik("Practitioner", user.nik)
            if not ihs:
                raise InteropError(
                    _("SATUSEHAT has no health worker with the NIK of %(name)s.") % {"name": name},
                    transient=False,
                )
            type(user).objects.filter(pk=user.pk).update(ihs_number=ihs)
            user.ihs_number = ihs
        return {"reference": f"Practitioner/{user.ihs_number}", "display": name}

    def organization(self, facility: Any) -> dict[str, Any]:
        if facility.pk == self.config.facility_id:
            return {"reference": f"Organization/{self.organization_id}", "display": facility.name}
        # Another facility (the hospital of a re-referral): known by its Kemenkes code.
        return {
            "identifier": {
                "system": fhir.codes.FACILITY_CODE_SYSTEM,
                "value": facility.kemenkes_code,
            },
            "display": facility.name,
        }

    def location(self, facility: Any) -> dict[str, Any]:
        return {"reference": f"Location/{self.config.location_id}", "display": facility.name}

    def pharmacy(self, facility: Any) -> dict[str, Any]:
        location = self.config.pharmacy_location_id or self.config.location_id
        return {"reference": f"Location/{location}", "display": facility.name}

    def local(self, resource_type: str, key: str) -> dict[str, Any]:
        return {"reference": f"{LOCAL}{resource_type}/{key}"}


class Sender:
    def __init__(self, config: SatusehatSettings) -> None:
        self.config = config
        self.client = client_for(config)
        self.refs = ServerRefs(config, self.client)

    # ------------------------------------------------------------ ids

    def remote_id(self, resource_type: str, key: str) -> str | None:
        return (
            SatusehatResource.objects.filter(
                facility_id=self.config.facility_id, resource_type=resource_type, key=key
            )
            .values_list("remote_id", flat=True)
            .first()
        )

    def _resolve(self, value: Any) -> Any:
        if isinstance(value, dict):
            ref = value.get("reference")
            if isinstance(ref, str) and ref.startswith(LOCAL):
                resource_type, _slash, key = ref[len(LOCAL) :].partition("/")
                remote = self.remote_id(resource_type, key)
                if remote is None:  # the order in records.* is wrong: a bug, not the server
                    raise RuntimeError(f"{resource_type} {key} referenced before it was sent")
                return {**value, "reference": f"{resource_type}/{remote}"}
            return {key: self._resolve(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self._resolve(item) for item in value]
        return value

    def push(self, entry: records.Entry) -> str:
        """Create or update one resource; returns its SATUSEHAT id (stored at once)."""
        resource = self._resolve(entry.resource)
        remote = self.remote_id(entry.resource_type, entry.key)
        if remote:
            resource["id"] = remote
            self.client.update(fhir_validate(resource))
            SatusehatResource.objects.filter(
                facility_id=self.config.facility_id,
                resource_type=entry.resource_type,
                key=entry.key,
            ).update(remote_id=remote)
            return remote
        identifier = resource["identifier"][-1]
        condition = "identifier=" + urllib.parse.quote(
            f"{identifier['system']}|{identifier['value']}", safe=":/|"
        )
        answer = self.client.create(fhir_validate(resource), if_none_exist=condition)
        remote = str(answer.get("id") or "")
        if not remote:
            raise InteropError(
                _("SATUSEHAT did not return an id for %(type)s.") % {"type": entry.resource_type},
                transient=False,
            )
        SatusehatResource.objects.update_or_create(
            facility_id=self.config.facility_id,
            resource_type=entry.resource_type,
            key=entry.key,
            defaults={"remote_id": remote},
        )
        return remote

    # ------------------------------------------------------------ events

    def send_visit(self, visit: ControlVisit) -> str:
        lines = records.prescription_lines(visit.prescription)
        missing = set(records.medicines_without_kfa(lines))
        encounter_id = ""
        for entry in records.visit_entries(visit, self.refs):
            if (
                entry.resource_type in ("Medication", "MedicationRequest")
                and _medicine_of(entry, lines) in missing
            ):
                continue  # reported below; the rest of the visit still goes
            remote = self.push(entry)
            if entry.resource_type == "Encounter":
                encounter_id = remote
        if missing:
            raise _kfa_missing(missing)
        return encounter_id

    def ensure_visit(self, visit: ControlVisit | None) -> None:
        if visit is not None and self.remote_id("Encounter", fhir.encounter_key(visit)) is None:
            self.send_visit(visit)

    def send_dispense(self, card_line: StockCardLine) -> str:
        line = card_line.prescription_line
        assert line is not None
        if not line.medicine.kfa_code:
            raise _kfa_missing({str(line.medicine)})
        visit = records.visit_of_prescription(line.prescription_id)
        if self.remote_id("MedicationRequest", fhir.medication_request_key(line)) is None:
            if visit is not None:
                self.ensure_visit(visit)
            if self.remote_id("MedicationRequest", fhir.medication_request_key(line)) is None:
                for entry in records.prescription_line_entries(
                    line, line.prescription, self.refs, encounter=None
                ):
                    self.push(entry)
        return self.push(records.dispense_entry(card_line, self.refs))

    def send_rereferral(self, referral: ReReferral) -> str:
        if referral.visit_id:
            self.ensure_visit(referral.visit)
        return self.push(records.rereferral_entry(referral, self.refs))

    def send_episode(self, case: PrbCase) -> str:
        try:
            entry = records.episode_entry(case, self.refs)
        except records.EpisodeTypeMissing as exc:
            raise InteropError(
                _("No EpisodeOfCare type is set for the programme %(program)s.")
                % {"program": case.get_program_display()},
                transient=False,
            ) from exc
        return self.push(entry)


def _medicine_of(entry: records.Entry, lines: list[Any]) -> str:
    for line in lines:
        if entry.key == fhir.medication_key(line):
            return str(line.medicine)
    return ""


def _kfa_missing(names: set[str]) -> InteropError:
    return InteropError(
        _(
            "Not sent: no KFA code for %(medicines)s. Fill in the KFA code in the formulary, "
            "then send again."
        )
        % {"medicines": ", ".join(sorted(names))},
        transient=False,
    )


def settings_for(facility_id: int) -> SatusehatSettings | None:
    return SatusehatSettings.objects.filter(facility_id=facility_id, is_enabled=True).first()


def outbox_send(row: SatusehatOutbox) -> str:
    """The ``send`` of ``interop.services.outbox_deliver``: returns the main resource's id."""
    config = settings_for(row.facility_id)
    if config is None:
        raise InteropError(
            _("SATUSEHAT is not set up (or is switched off) for this facility."), transient=False
        )
    sender = Sender(config)
    if row.kind == SatusehatOutbox.Kind.VISIT:
        visit = ControlVisit.objects.select_related(
            "case__patient", "case__facility", "recorded_by", "prescription__facility"
        ).get(id=row.visit_id or 0)
        return sender.send_visit(visit)
    if row.kind == SatusehatOutbox.Kind.DISPENSE:
        card_line = StockCardLine.objects.select_related(
            "lot", "user", "prescription_line__medicine", "prescription_line__prescription__patient"
        ).get(id=row.card_line_id or 0)
        return sender.send_dispense(card_line)
    if row.kind == SatusehatOutbox.Kind.REREFERRAL:
        referral = ReReferral.objects.select_related(
            "case__patient", "case__facility", "hospital", "created_by", "visit"
        ).get(id=row.referral_id or 0)
        return sender.send_rereferral(referral)
    case = PrbCase.objects.select_related("patient", "facility").get(id=row.case_id or 0)
    return sender.send_episode(case)

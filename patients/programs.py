"""The nine PRB programmes (twelve rule sets: heart disease has four) and their BPJS codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Program(models.TextChoices):
    DM = "DM", _("Diabetes mellitus")
    HT = "HT", _("Hypertension")
    HEART_HHD = "HEART_HHD", _("Hypertensive heart disease")
    HEART_ANGINA = "HEART_ANGINA", _("Stable angina / chronic coronary syndrome")
    HEART_MI = "HEART_MI", _("Post myocardial infarction")
    HEART_CHF = "HEART_CHF", _("Chronic heart failure")
    ASTHMA = "ASTHMA", _("Asthma")
    COPD = "COPD", _("COPD")
    EPILEPSY = "EPILEPSY", _("Epilepsy")
    SCHIZOPHRENIA = "SCHIZOPHRENIA", _("Schizophrenia")
    STROKE = "STROKE", _("Stroke")
    SLE = "SLE", _("Systemic lupus erythematosus")


# BPJS VClaim programPRB codes (DOMAIN.md "Codes").
BPJS_PROGRAM_CODE: dict[str, str] = {
    Program.DM: "01",
    Program.HT: "02",
    Program.ASTHMA: "03",
    Program.HEART_HHD: "04",
    Program.HEART_ANGINA: "04",
    Program.HEART_MI: "04",
    Program.HEART_CHF: "04",
    Program.COPD: "05",
    Program.SCHIZOPHRENIA: "06",
    Program.STROKE: "07",
    Program.EPILEPSY: "08",
    Program.SLE: "09",
}

HEART_PROGRAMS = (Program.HEART_HHD, Program.HEART_ANGINA, Program.HEART_MI, Program.HEART_CHF)

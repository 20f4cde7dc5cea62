from alerts import risk


def test_crisis_blood_pressure_is_very_high() -> None:
    assert risk.assess({"sbp": 180, "dbp": 90}) == (risk.VERY_HIGH, ["Systolic BP ≥ 180 mmHg"])
    assert risk.assess({"sbp": 179, "dbp": 110})[0] == risk.VERY_HIGH
    assert risk.assess({"sbp": 179, "dbp": 109}) == (
        risk.HIGH,
        ["Systolic BP ≥ 160 mmHg", "Diastolic BP ≥ 100 mmHg"],
    )


def test_very_high_glucose() -> None:
    assert risk.assess({"fpg_mg_dl": 300})[0] == risk.VERY_HIGH
    assert risk.assess({"ppg2h_mg_dl": 299})[0] == risk.HIGH
    assert risk.assess({"hba1c_percent": 10.0})[0] == risk.VERY_HIGH
    assert risk.assess({"fpg_mg_dl": 130, "hba1c_percent": 6.9}) == (risk.NONE, [])


def test_non_numbers_and_missing_facts_are_no_risk() -> None:
    assert risk.assess(None) == (risk.NONE, [])
    assert risk.assess({"sbp": True, "dbp": "200"}) == (risk.NONE, [])


def test_a_triggered_re_referral_is_at_least_high() -> None:
    assert risk.assess({}, re_referral_triggered=True) == (risk.HIGH, [risk.RE_REFERRAL_LABEL])
    level, reasons = risk.assess({"sbp": 200}, re_referral_triggered=True)
    assert level == risk.VERY_HIGH and reasons == ["Systolic BP ≥ 180 mmHg"]


def test_a_control_missed_over_30_days_after_a_stroke_or_mi_is_very_high() -> None:
    label = risk.PRIOR_EVENT_LABEL
    assert risk.assess({}, days_overdue=31, prior_stroke_or_mi=True) == (risk.VERY_HIGH, [label])
    assert risk.assess({}, days_overdue=30, prior_stroke_or_mi=True) == (risk.NONE, [])
    assert risk.assess({}, days_overdue=90, prior_stroke_or_mi=False) == (risk.NONE, [])
    level, reasons = risk.assess({"sbp": 185}, days_overdue=40, prior_stroke_or_mi=True)
    assert level == risk.VERY_HIGH and reasons == ["Systolic BP ≥ 180 mmHg", label]


def test_a_prior_stroke_or_mi_is_read_from_programmes_and_icd10_codes() -> None:
    assert risk.had_stroke_or_mi(["STROKE"], [])
    assert risk.had_stroke_or_mi(["DM", "HEART_MI"], [])
    assert not risk.had_stroke_or_mi(["DM", "HEART_CHF"], ["E11.9", "I50.0", "I25.1", "I20"])
    for code in ("I21.0", "I22", "I25.2", "i63.9", "I60", "I64", "I69.3"):
        assert risk.had_stroke_or_mi(["DM"], [code]), code
    for code in ("I65.2", "I25.10", "I2", "G45.9"):
        assert not risk.had_stroke_or_mi(["HT"], [code]), code

"""Triggers that queue the months whose dashboard facts changed (dashboards_dirtymonth).

Each trigger records, per puskesmas and programme, the earliest month a change can move:
the figures are states on a reference date with 90-day look-backs, so a change on day X
affects month(X) and every later month; the refresher recomputes from there to today.
Triggers (not signals) also see bulk updates, raw SQL and the other apps' services,
which this app must not touch.
"""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION dashboards_mark(fac bigint, prog text, d date) RETURNS void AS $$
BEGIN
    IF fac IS NULL OR prog IS NULL OR d IS NULL THEN
        RETURN;
    END IF;
    INSERT INTO dashboards_dirtymonth (facility_id, program, month)
    VALUES (fac, prog, date_trunc('month', d)::date)
    ON CONFLICT (facility_id, program, month) DO NOTHING;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION dashboards_mark_case(case_pk bigint, d date) RETURNS void AS $$
DECLARE
    fac bigint;
    prog text;
BEGIN
    SELECT facility_id, program INTO fac, prog FROM referrals_prbcase WHERE id = case_pk;
    PERFORM dashboards_mark(fac, prog, d);
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION dashboards_case_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM dashboards_mark(NEW.facility_id, NEW.program, LEAST(NEW.enrolled_on, NEW.status_changed_on));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM dashboards_mark(OLD.facility_id, OLD.program, LEAST(OLD.enrolled_on, OLD.status_changed_on));
    ELSIF (OLD.facility_id, OLD.program, OLD.enrolled_on) IS DISTINCT FROM (NEW.facility_id, NEW.program, NEW.enrolled_on) THEN
        PERFORM dashboards_mark(OLD.facility_id, OLD.program, LEAST(OLD.enrolled_on, OLD.status_changed_on, NEW.enrolled_on));
        PERFORM dashboards_mark(NEW.facility_id, NEW.program, LEAST(OLD.enrolled_on, NEW.enrolled_on, NEW.status_changed_on));
    ELSIF (OLD.status, OLD.status_changed_on) IS DISTINCT FROM (NEW.status, NEW.status_changed_on) THEN
        PERFORM dashboards_mark(NEW.facility_id, NEW.program,
            COALESCE(LEAST(OLD.status_changed_on, NEW.status_changed_on), (now() AT TIME ZONE 'Asia/Jakarta')::date));
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION dashboards_visit_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM dashboards_mark_case(NEW.case_id, NEW.visit_date);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM dashboards_mark_case(OLD.case_id, OLD.visit_date);
    ELSIF (OLD.case_id, OLD.visit_date, OLD.next_control_date, OLD.facts) IS DISTINCT FROM (NEW.case_id, NEW.visit_date, NEW.next_control_date, NEW.facts) THEN
        PERFORM dashboards_mark_case(OLD.case_id, LEAST(OLD.visit_date, NEW.visit_date));
        PERFORM dashboards_mark_case(NEW.case_id, LEAST(OLD.visit_date, NEW.visit_date));
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION dashboards_rereferral_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM dashboards_mark_case(NEW.case_id, LEAST(NEW.referred_on, NEW.returned_on));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM dashboards_mark_case(OLD.case_id, LEAST(OLD.referred_on, OLD.returned_on));
    ELSE
        PERFORM dashboards_mark_case(NEW.case_id, LEAST(
            CASE WHEN OLD.referred_on IS DISTINCT FROM NEW.referred_on OR OLD.case_id IS DISTINCT FROM NEW.case_id
                 THEN LEAST(OLD.referred_on, NEW.referred_on) END,
            CASE WHEN OLD.returned_on IS DISTINCT FROM NEW.returned_on
                 THEN LEAST(OLD.returned_on, NEW.returned_on) END));
        IF OLD.case_id IS DISTINCT FROM NEW.case_id THEN
            PERFORM dashboards_mark_case(OLD.case_id, LEAST(OLD.referred_on, OLD.returned_on));
        END IF;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION dashboards_letter_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF TG_OP = 'DELETE' OR (OLD.facility_id, OLD.program, OLD.letter_date) IS DISTINCT FROM (NEW.facility_id, NEW.program, NEW.letter_date) THEN
            PERFORM dashboards_mark(OLD.facility_id, OLD.program, OLD.letter_date);
        END IF;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (OLD.facility_id, OLD.program, OLD.letter_date) IS DISTINCT FROM (NEW.facility_id, NEW.program, NEW.letter_date)) THEN
        PERFORM dashboards_mark(NEW.facility_id, NEW.program, NEW.letter_date);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION dashboards_readiness_changed() RETURNS trigger AS $$
DECLARE
    today date := (now() AT TIME ZONE 'Asia/Jakarta')::date;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM dashboards_mark(OLD.facility_id, OLD.program, today);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM dashboards_mark(NEW.facility_id, NEW.program, today);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- Stock-card lines are append-only (pharmacy III.C.6): an insert is the only change that
-- moves a balance. A line counts for every programme the medicine serves.
CREATE OR REPLACE FUNCTION dashboards_card_line_inserted() RETURNS trigger AS $$
BEGIN
    INSERT INTO dashboards_dirtymonth (facility_id, program, month)
    SELECT s.facility_id, p, date_trunc('month', NEW.date)::date
    FROM pharmacy_store s
    JOIN pharmacy_medicine m ON m.id = NEW.medicine_id
    CROSS JOIN LATERAL unnest(m.programs) AS p
    WHERE s.id = NEW.store_id AND s.kind IN ('prb', 'depot')
    ON CONFLICT (facility_id, program, month) DO NOTHING;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- A medicine that becomes (or stops being) a tracer, changes price or programmes: every
-- puskesmas's medicine figures of those programmes, as far back as facts are kept.
CREATE OR REPLACE FUNCTION dashboards_medicine_changed() RETURNS trigger AS $$
BEGIN
    IF (OLD.is_tracer, OLD.is_active, OLD.price, OLD.programs) IS DISTINCT FROM (NEW.is_tracer, NEW.is_active, NEW.price, NEW.programs) THEN
        INSERT INTO dashboards_dirtymonth (facility_id, program, month)
        SELECT f.id, p, DATE '1900-01-01'
        FROM facilities_facility f
        CROSS JOIN (SELECT unnest(OLD.programs) UNION SELECT unnest(NEW.programs)) AS progs(p)
        WHERE f.kind = 'puskesmas'
        ON CONFLICT (facility_id, program, month) DO NOTHING;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER dashboards_case_changed AFTER INSERT OR UPDATE OR DELETE ON referrals_prbcase
    FOR EACH ROW EXECUTE FUNCTION dashboards_case_changed();
CREATE TRIGGER dashboards_visit_changed AFTER INSERT OR UPDATE OR DELETE ON referrals_controlvisit
    FOR EACH ROW EXECUTE FUNCTION dashboards_visit_changed();
CREATE TRIGGER dashboards_rereferral_changed AFTER INSERT OR UPDATE OR DELETE ON referrals_rereferral
    FOR EACH ROW EXECUTE FUNCTION dashboards_rereferral_changed();
CREATE TRIGGER dashboards_letter_changed AFTER INSERT OR UPDATE OR DELETE ON referrals_backreferralletter
    FOR EACH ROW EXECUTE FUNCTION dashboards_letter_changed();
CREATE TRIGGER dashboards_readiness_changed AFTER INSERT OR UPDATE OR DELETE ON referrals_facilityreadiness
    FOR EACH ROW EXECUTE FUNCTION dashboards_readiness_changed();
CREATE TRIGGER dashboards_card_line_inserted AFTER INSERT ON pharmacy_stockcardline
    FOR EACH ROW EXECUTE FUNCTION dashboards_card_line_inserted();
CREATE TRIGGER dashboards_medicine_changed AFTER UPDATE ON pharmacy_medicine
    FOR EACH ROW EXECUTE FUNCTION dashboards_medicine_changed();
"""

DROP = r"""
DROP TRIGGER IF EXISTS dashboards_case_changed ON referrals_prbcase;
DROP TRIGGER IF EXISTS dashboards_visit_changed ON referrals_controlvisit;
DROP TRIGGER IF EXISTS dashboards_rereferral_changed ON referrals_rereferral;
DROP TRIGGER IF EXISTS dashboards_letter_changed ON referrals_backreferralletter;
DROP TRIGGER IF EXISTS dashboards_readiness_changed ON referrals_facilityreadiness;
DROP TRIGGER IF EXISTS dashboards_card_line_inserted ON pharmacy_stockcardline;
DROP TRIGGER IF EXISTS dashboards_medicine_changed ON pharmacy_medicine;
DROP FUNCTION IF EXISTS dashboards_case_changed();
DROP FUNCTION IF EXISTS dashboards_visit_changed();
DROP FUNCTION IF EXISTS dashboards_rereferral_changed();
DROP FUNCTION IF EXISTS dashboards_letter_changed();
DROP FUNCTION IF EXISTS dashboards_readiness_changed();
DROP FUNCTION IF EXISTS dashboards_card_line_inserted();
DROP FUNCTION IF EXISTS dashboards_medicine_changed();
DROP FUNCTION IF EXISTS dashboards_mark_case(bigint, date);
DROP FUNCTION IF EXISTS dashboards_mark(bigint, text, date);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_initial"),
        ("referrals", "0001_initial"),
        ("pharmacy", "0004_lot_source_label"),
    ]

    operations = [migrations.RunSQL(FUNCTIONS, DROP)]

"""A lot's expiry date or medicine changes: queue every puskesmas-month it can move.

The facts read a lot's expiry (usable stock, value expiring within 90 days) in every month
from the lot's first stock-card line in a dispensing store, for every programme of its
medicine. A changed lot therefore queues, per puskesmas holding it, the month of its first
card line there, for the programmes of the old and the new medicine (issue 10 item 8).
"""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION dashboards_lot_changed() RETURNS trigger AS $$
BEGIN
    IF (OLD.expiry_date, OLD.medicine_id) IS DISTINCT FROM (NEW.expiry_date, NEW.medicine_id) THEN
        INSERT INTO dashboards_dirtymonth (facility_id, program, month)
        SELECT held.facility_id, p, held.first_month
        FROM (
            SELECT s.facility_id, date_trunc('month', min(l.date))::date AS first_month
            FROM pharmacy_stockcardline l
            JOIN pharmacy_store s ON s.id = l.store_id
            WHERE l.lot_id = NEW.id AND s.kind IN ('prb', 'depot')
            GROUP BY s.facility_id
        ) AS held
        CROSS JOIN (
            SELECT DISTINCT unnest(m.programs) AS p
            FROM pharmacy_medicine m
            WHERE m.id IN (OLD.medicine_id, NEW.medicine_id)
               OR m.id IN (SELECT DISTINCT medicine_id FROM pharmacy_stockcardline WHERE lot_id = NEW.id)
        ) AS progs
        ON CONFLICT (facility_id, program, month) DO NOTHING;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER dashboards_lot_changed AFTER UPDATE ON pharmacy_lot
    FOR EACH ROW EXECUTE FUNCTION dashboards_lot_changed();
"""

DROP = r"""
DROP TRIGGER IF EXISTS dashboards_lot_changed ON pharmacy_lot;
DROP FUNCTION IF EXISTS dashboards_lot_changed();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0002_triggers"),
        ("pharmacy", "0005_ledger_no_truncate"),
    ]

    operations = [migrations.RunSQL(FUNCTIONS, DROP)]

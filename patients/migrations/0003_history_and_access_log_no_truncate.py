"""History and read logs are append-only, TRUNCATE included (issue 10 item 7).

Row triggers never fire for TRUNCATE, so each append-only table gets a statement trigger
that refuses it: every pghistory event table (accounts.audit.tracked), the patient access
log, and pghistory's own context table (raw SQL below: it belongs to a third-party app).

The database role PRB runs as (docs/database-role.md) owns no table, so it can neither
drop nor disable these triggers: it gets SELECT, INSERT, UPDATE, DELETE and sequence
usage, never TRUNCATE, and never DDL at run time. Migrations run as the owner role.
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


CONTEXT_NO_TRUNCATE = r"""
CREATE OR REPLACE FUNCTION prb_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER prb_context_no_truncate BEFORE TRUNCATE ON pghistory_context
    FOR EACH STATEMENT EXECUTE FUNCTION prb_refuse_truncate();
"""

DROP_CONTEXT_NO_TRUNCATE = r"""
DROP TRIGGER IF EXISTS prb_context_no_truncate ON pghistory_context;
DROP FUNCTION IF EXISTS prb_refuse_truncate();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0002_unique_messages'),
        ('pghistory', '0007_auto_20250421_0444'),
    ]

    operations = [
        migrations.RunSQL(CONTEXT_NO_TRUNCATE, DROP_CONTEXT_NO_TRUNCATE),
        pgtrigger.migrations.AddTrigger(
            model_name='patientaccesslog',
            trigger=pgtrigger.compiler.Trigger(name='access_log_no_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;", hash='9512180c6933fed63a5ac11d4899c888e64baf5c', operation='UPDATE', pgid='pgtrigger_access_log_no_update_c57e3', table='patients_patientaccesslog', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='patientaccesslog',
            trigger=pgtrigger.compiler.Trigger(name='access_log_no_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;", hash='4bb37643f6d2103eaab766afe217d0a40ee591ac', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_access_log_no_truncate_d6887', table='patients_patientaccesslog', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='patientevent',
            trigger=pgtrigger.compiler.Trigger(name='no_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;", hash='0892854b28ecfe1ce46f1d09aff3cd4af3ffdafb', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_no_truncate_c1d22', table='patients_patientevent', when='BEFORE')),
        ),
    ]

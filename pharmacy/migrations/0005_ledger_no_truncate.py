"""The ledger cannot be emptied (KMK III.C.6; issue 10 item 7).

TRUNCATE fires no row trigger, so the stock card and every pharmacy history table get a
statement-level trigger that refuses it. The role PRB runs as must not own these tables
and has no TRUNCATE privilege and no DDL at run time (docs/database-role.md).
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('pharmacy', '0004_lot_source_label'),
    ]

    operations = [
        pgtrigger.migrations.AddTrigger(
            model_name='destructionevent',
            trigger=pgtrigger.compiler.Trigger(name='no_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;", hash='728aad912a3cb33956c047a4506dd6c30b6f8b12', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_no_truncate_63d1e', table='pharmacy_destructionevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='destructionlineevent',
            trigger=pgtrigger.compiler.Trigger(name='no_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;", hash='93e37e4c6916d39cdaa6db1bbdca18206aae72b5', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_no_truncate_99a60', table='pharmacy_destructionlineevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='lotevent',
            trigger=pgtrigger.compiler.Trigger(name='no_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;", hash='5c840a924f123af2511ca9121e78c34ea18cf610', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_no_truncate_4ba83', table='pharmacy_lotevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='medicineevent',
            trigger=pgtrigger.compiler.Trigger(name='no_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;", hash='52625d1d458d3a9923041fd73852a444f7389edc', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_no_truncate_89378', table='pharmacy_medicineevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='medicinevenoverrideevent',
            trigger=pgtrigger.compiler.Trigger(name='no_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;", hash='a3f622e673423f09d85bab53c94dff0c1babb5a3', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_no_truncate_7bce2', table='pharmacy_medicinevenoverrideevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='prescriptionevent',
            trigger=pgtrigger.compiler.Trigger(name='no_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;", hash='afa9bc83d16265dfb8d16dff03e33cd5d477cf8f', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_no_truncate_a44c7', table='pharmacy_prescriptionevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='prescriptionlineevent',
            trigger=pgtrigger.compiler.Trigger(name='no_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;", hash='01f518ee5003f889a5a7b27bf4794151cfb74557', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_no_truncate_bf0a1', table='pharmacy_prescriptionlineevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='stockbalanceevent',
            trigger=pgtrigger.compiler.Trigger(name='no_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;", hash='95411ec171e2190677abe5480ad277ea78b666d2', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_no_truncate_8b002', table='pharmacy_stockbalanceevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='stockcardline',
            trigger=pgtrigger.compiler.Trigger(name='stock_card_no_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;", hash='ae68e935e65a1f5ecd0df803b2b0ac69380420f0', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_stock_card_no_truncate_51d65', table='pharmacy_stockcardline', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='stockcardlineevent',
            trigger=pgtrigger.compiler.Trigger(name='no_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;", hash='95f740236731241d7129293c06aeca4070302615', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_no_truncate_0b46c', table='pharmacy_stockcardlineevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='stockopnameevent',
            trigger=pgtrigger.compiler.Trigger(name='no_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;", hash='65f11d7dfeb8df901c2a6c908dbbc286ebe9c4ae', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_no_truncate_07aa0', table='pharmacy_stockopnameevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='stockopnamelineevent',
            trigger=pgtrigger.compiler.Trigger(name='no_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;", hash='dee8b60df76669901212e97f77675a006d23115a', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_no_truncate_7ec01', table='pharmacy_stockopnamelineevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='storeevent',
            trigger=pgtrigger.compiler.Trigger(name='no_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;", hash='8e4141dbb301fb9b52eced24f43e2fb1326870d1', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_no_truncate_fa34f', table='pharmacy_storeevent', when='BEFORE')),
        ),
    ]

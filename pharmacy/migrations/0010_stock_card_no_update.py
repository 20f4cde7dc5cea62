"""A stock-card line is never rewritten, not even its running balance (issue 10 item 7).

Until now a backdated line moved the ``balance_after`` of the lines dated after it, so the
card ran in date order and the trigger let that one column change. The card now runs in
the order lines were written (``id``): each line keeps the balance it left when written.
Existing lines get that balance, the running sum in id order, which is the balance row at
the moment each was written (the balance never went below zero, so neither does the sum);
the change is kept in the card's pghistory events. Then the trigger refuses every UPDATE.
Backwards, the balances become the running sum in date order again.
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


def running_balances(order: str) -> str:
    """SQL setting every line's balance_after to its lot's running sum in ``order``."""
    return f"""
        UPDATE pharmacy_stockcardline l SET balance_after = r.running
        FROM (
            SELECT id, sum(quantity_in - quantity_out) OVER (
                PARTITION BY store_id, lot_id ORDER BY {order}
            ) AS running
            FROM pharmacy_stockcardline
        ) r
        WHERE r.id = l.id AND l.balance_after <> r.running
    """


class Migration(migrations.Migration):

    dependencies = [
        ('pharmacy', '0009_destruction_reasons_kmk_iii_c_7'),
    ]

    operations = [
        # While the old trigger is in place (it lets balance_after change), both ways.
        migrations.RunSQL(running_balances("id"), reverse_sql=running_balances("date, id")),
        migrations.AlterModelOptions(
            name='stockcardline',
            options={'ordering': ['id'], 'verbose_name': 'stock card line', 'verbose_name_plural': 'stock card lines'},
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='stockcardline',
            name='stock_card_append_only',
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='stockcardline',
            trigger=pgtrigger.compiler.Trigger(name='stock_card_no_update', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;", hash='005ddf19074ad24d315f8f04da526ca5e76e9027', operation='UPDATE', pgid='pgtrigger_stock_card_no_update_ec389', table='pharmacy_stockcardline', when='BEFORE')),
        ),
    ]

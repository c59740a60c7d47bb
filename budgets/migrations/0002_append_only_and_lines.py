"""The ledger refuses UPDATE and DELETE in the database itself, and every allocation already
stored gets its three budget lines (one per fund)."""

from django.db import migrations

FUNDS = ("grants", "loans", "interest_subsidy")

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION budgets_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'budgets_ledgerentry is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER budgets_ledger_no_update BEFORE UPDATE OR DELETE ON budgets_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION budgets_ledger_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS budgets_ledger_no_update ON budgets_ledgerentry;
DROP FUNCTION IF EXISTS budgets_ledger_append_only();
"""
SQLITE_UP = [
    "CREATE TRIGGER budgets_ledger_no_update BEFORE UPDATE ON budgets_ledgerentry "
    "BEGIN SELECT RAISE(ABORT, 'budgets_ledgerentry is append-only: UPDATE refused'); END;",
    "CREATE TRIGGER budgets_ledger_no_delete BEFORE DELETE ON budgets_ledgerentry "
    "BEGIN SELECT RAISE(ABORT, 'budgets_ledgerentry is append-only: DELETE refused'); END;",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS budgets_ledger_no_update;", "DROP TRIGGER IF EXISTS budgets_ledger_no_delete;"]


def append_only(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def append_only_undo(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


def lines_for_allocations(apps, schema_editor):
    BudgetLine = apps.get_model("budgets", "BudgetLine")
    for model_name, owner in (("programs.ProvinceAllocation", "province_id"),
                              ("sectors.SectorAllocation", "economic_sector_id")):
        model = apps.get_model(*model_name.split("."))
        for allocation in model.objects.all():
            for fund in FUNDS:
                BudgetLine.objects.get_or_create(fund=fund, budget_year_id=allocation.budget_year_id,
                                                 **{owner: getattr(allocation, owner)})


class Migration(migrations.Migration):

    dependencies = [
        ("budgets", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(append_only, append_only_undo),
        migrations.RunPython(lines_for_allocations, migrations.RunPython.noop),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("financing", "0008_subsidy_and_ledger_backfill"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='loancontract',
            constraint=models.CheckConstraint(condition=models.Q(('grace_months__lt', models.F('term_months'))), name='contract_grace_shorter_than_term'),
        ),
        migrations.AddConstraint(
            model_name='loancontract',
            constraint=models.CheckConstraint(condition=models.Q(('subsidy_committed_rials__gte', 0)), name='contract_subsidy_not_negative'),
        ),
    ]

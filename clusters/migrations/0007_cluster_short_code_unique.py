# Separate from 0006 so that, on PostgreSQL, the unique index is not built in the
# transaction that updated the rows.
import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("clusters", "0006_cluster_short_code")]

    operations = [
        migrations.AlterField(
            model_name="cluster",
            name="short_code",
            field=models.CharField(
                blank=True,
                help_text=(
                    "2 to 12 capital letters or digits, used in request references such as "
                    "REQ-GENO-131. Left empty, it is made from the slug."
                ),
                max_length=12,
                unique=True,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[A-Z0-9]{2,12}$", "Use 2 to 12 capital letters or digits."
                    )
                ],
                verbose_name="short code",
            ),
        ),
    ]

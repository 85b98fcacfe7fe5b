from django.db import migrations, models


def fill_short_codes(apps, schema_editor):
    from clusters.codes import derive_short_code

    Cluster = apps.get_model("clusters", "Cluster")
    taken: set[str] = set()
    for cluster in Cluster.objects.order_by("pk"):
        cluster.short_code = derive_short_code(cluster.slug or cluster.name, taken)
        taken.add(cluster.short_code)
        cluster.save(update_fields=["short_code"])


class Migration(migrations.Migration):
    dependencies = [("clusters", "0005_directory_indexes")]

    operations = [
        migrations.AddField(
            model_name="cluster",
            name="short_code",
            field=models.CharField(max_length=12, null=True, blank=True),
        ),
        migrations.RunPython(fill_short_codes, migrations.RunPython.noop),
    ]

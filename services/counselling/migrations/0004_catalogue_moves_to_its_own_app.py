"""The service catalogue's models leave this app for services.catalogue.

Nothing changes in the database: the tables services_servicecategory and
services_serviceoffering stay (catalogue 0001 names them in db_table), and the
counselling request's FK columns already point at them. In the migration state the
two FKs now point at catalogue's models, and the models leave "services".

Their content types are renamed from app label "services" to "catalogue", so the
rows that refer to them by id (permissions, admin log) follow; and back when unapplied.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED_MODELS = ("servicecategory", "serviceoffering")


def _rename_content_types(apps, old_label, new_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED_MODELS:
        old = ContentType.objects.filter(app_label=old_label, model=model)
        if not old.exists():
            continue  # a fresh database: post_migrate creates the new ones
        # A content type created for the new label meanwhile (post_migrate after a
        # partial migrate) holds nothing yet; the old one keeps its ids and references.
        ContentType.objects.filter(app_label=new_label, model=model).delete()
        old.update(app_label=new_label)
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _rename_content_types(apps, "services", "catalogue")


def backwards(apps, schema_editor):
    _rename_content_types(apps, "catalogue", "services")


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("services", "0003_request_cluster_created_index"),
    ]

    state_operations = [
        migrations.AlterField(
            model_name="counsellingrequest",
            name="category",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="requests",
                to="catalogue.servicecategory",
                verbose_name="category",
            ),
        ),
        migrations.AlterField(
            model_name="counsellingrequest",
            name="offering",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="requests",
                to="catalogue.serviceoffering",
                verbose_name="service",
            ),
        ),
        migrations.DeleteModel(name="ServiceOffering"),
        migrations.DeleteModel(name="ServiceCategory"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
        migrations.RunPython(forwards, backwards),
    ]

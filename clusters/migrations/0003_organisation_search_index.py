"""GIN index for the directory's full-text search, on PostgreSQL only.

The expression must stay identical to clusters.search.organisation_search_vector()
so the planner matches the query to the index (it is copied here on purpose:
migrations must not change when application code does).
"""

from django.db import migrations

INDEX_NAME = "organisation_search_gin"


def _index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    vector = (
        SearchVector("name", weight="A", config="english")
        + SearchVector("offers", "needs", weight="B", config="english")
        + SearchVector("description", weight="C", config="english")
    )
    return GinIndex(vector, name=INDEX_NAME)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("clusters", "Organisation"), _index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("clusters", "Organisation"), _index())


class Migration(migrations.Migration):
    dependencies = [("clusters", "0002_introductionrequest")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]

"""A stored search vector for the directory, kept up to date by a trigger.

On PostgreSQL the directory's full-text search reads a stored, weighted
tsvector (GIN-indexed), so ranking no longer recomputes to_tsvector for every
matching row as the expression index of 0003 required; that index is dropped.
The weights and the 'english' configuration match clusters/search.py. On SQLite
the column exists but stays empty (the fallback search uses icontains).
"""

import django.contrib.postgres.search
from django.db import migrations, models

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION clusters_organisation_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.name, '')), 'A')
        || setweight(to_tsvector('english',
                     coalesce(NEW.offers, '') || ' ' || coalesce(NEW.needs, '')), 'B')
        || setweight(to_tsvector('english', coalesce(NEW.description, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER clusters_organisation_search_vector_trigger
    BEFORE INSERT OR UPDATE ON clusters_organisation
    FOR EACH ROW EXECUTE FUNCTION clusters_organisation_search_vector();
UPDATE clusters_organisation SET id = id;
DROP INDEX IF EXISTS organisation_search_gin;
CREATE INDEX organisation_search_vector_gin ON clusters_organisation USING gin (search_vector);
"""

REVERSE_SQL = """
DROP INDEX IF EXISTS organisation_search_vector_gin;
DROP TRIGGER IF EXISTS clusters_organisation_search_vector_trigger ON clusters_organisation;
DROP FUNCTION IF EXISTS clusters_organisation_search_vector();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE_SQL)


class Migration(migrations.Migration):
    dependencies = [("clusters", "0003_organisation_search_index")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["name", "id"], name="organisation_name_id"),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]

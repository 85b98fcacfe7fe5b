"""The directory's search vector without accents (PostgreSQL).

"Heliogene" now finds "Héliogène": the trigger of 0004 stores the tsvector of
the unaccented text, and clusters/search.py unaccents the query terms the same
way. `unaccent` is a trusted extension (PostgreSQL 13+): the database owner may
create it. SQLite needs nothing here (clusters.search registers UNACCENT on
each connection).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION clusters_organisation_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', {f}(coalesce(NEW.name, ''))), 'A')
        || setweight(to_tsvector('english',
                     {f}(coalesce(NEW.offers, '') || ' ' || coalesce(NEW.needs, ''))), 'B')
        || setweight(to_tsvector('english', {f}(coalesce(NEW.description, ''))), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
UPDATE clusters_organisation SET id = id;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        schema_editor.execute(FUNCTION.format(f="unaccent"))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION.format(f=""))


class Migration(migrations.Migration):
    dependencies = [("clusters", "0007_cluster_short_code_unique")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

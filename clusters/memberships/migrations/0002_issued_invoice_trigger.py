"""On PostgreSQL, refuse any UPDATE of an issued invoice other than its status moving on,
and any change to the lines of an issued invoice. SQLite relies on the model guard."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION memberships_invoice_immutable() RETURNS trigger AS $$
BEGIN
  IF OLD.status <> 'draft' AND (to_jsonb(NEW) - 'status') <> (to_jsonb(OLD) - 'status') THEN
    RAISE EXCEPTION 'invoice % is issued and cannot change', OLD.number;
  END IF;
  IF OLD.status <> 'draft' AND NEW.status = 'draft' THEN
    RAISE EXCEPTION 'invoice % is issued and cannot return to draft', OLD.number;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER memberships_invoice_immutable BEFORE UPDATE ON memberships_invoice
  FOR EACH ROW EXECUTE FUNCTION memberships_invoice_immutable();
CREATE OR REPLACE FUNCTION memberships_line_immutable() RETURNS trigger AS $$
DECLARE st text;
BEGIN
  SELECT status INTO st FROM memberships_invoice
   WHERE id = COALESCE(NEW.invoice_id, OLD.invoice_id);
  IF st IS NOT NULL AND st <> 'draft' THEN
    RAISE EXCEPTION 'lines of an issued invoice cannot change';
  END IF;
  RETURN COALESCE(NEW, OLD);
END $$ LANGUAGE plpgsql;
CREATE TRIGGER memberships_line_immutable BEFORE INSERT OR UPDATE OR DELETE
  ON memberships_invoiceline FOR EACH ROW EXECUTE FUNCTION memberships_line_immutable();
"""
DROP = """
DROP TRIGGER IF EXISTS memberships_line_immutable ON memberships_invoiceline;
DROP FUNCTION IF EXISTS memberships_line_immutable();
DROP TRIGGER IF EXISTS memberships_invoice_immutable ON memberships_invoice;
DROP FUNCTION IF EXISTS memberships_invoice_immutable();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("memberships", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

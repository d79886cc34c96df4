"""The database itself refuses to change or delete an audit entry.

AuditEntry.save/delete already refuse in Python; this trigger also stops
queryset.update()/delete(), raw SQL from the application and the admin's bulk
actions. Only the database owner, by dropping the trigger on purpose, can
archive old entries.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION portal_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER portal_auditentry_append_only
    BEFORE UPDATE OR DELETE ON portal_auditentry
    FOR EACH ROW EXECUTE FUNCTION portal_auditentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS portal_auditentry_append_only ON portal_auditentry;
DROP FUNCTION IF EXISTS portal_auditentry_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_statssnapshot_subscription_digestlog_and_more")]

    operations = [migrations.RunSQL(CREATE, DROP)]

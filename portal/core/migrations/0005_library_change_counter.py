"""A counter that moves whenever a library list could change.

Every INSERT, UPDATE, DELETE or TRUNCATE on the tables an API library list
reads (achievements, demands, scenarios, their organisations and attachments)
advances the sequence `library_change_seq`, once per statement. The anonymous
list cache (portal.library.apis) keys its entries on the sequence's value, so
a write makes every cached list obsolete at once, in every process.
"""

from django.db import migrations

TABLES = [
    "achievements_achievement",
    "demands_demand",
    "scenarios_scenario",
    "accounts_organization",
    "portal_attachment",
]

CREATE = [
    "CREATE SEQUENCE library_change_seq",
    """
    CREATE FUNCTION library_touch() RETURNS trigger AS $$
    BEGIN
        PERFORM nextval('library_change_seq');
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """,
    *(
        f"CREATE TRIGGER {table}_library_touch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION library_touch()"
        for table in TABLES
    ),
]
DROP = [
    *(f"DROP TRIGGER IF EXISTS {table}_library_touch ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS library_touch()",
    "DROP SEQUENCE IF EXISTS library_change_seq",
]


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_audit_entries_append_only"),
        ("achievements", "0002_achievement_match_terms"),
        ("demands", "0002_demand_match_terms"),
        ("scenarios", "0001_initial"),
        ("accounts", "0002_markets"),
    ]

    operations = [migrations.RunSQL(CREATE, list(reversed(DROP)))]

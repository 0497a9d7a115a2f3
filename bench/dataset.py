"""The benchmark data set (generate.sql / generate-postgres.sql) at a given size."""
import os
import subprocess

BENCH = os.path.dirname(os.path.abspath(__file__))


def generate_sqlite(database, issues=1_000_000, comments=3):
    """Fills a database migrated by triaged; sqlite3 binds @issues and @comments."""
    with open(os.path.join(BENCH, "generate.sql")) as script:
        text = f".parameter init\n.parameter set @issues {int(issues)}\n.parameter set @comments {int(comments)}\n" + script.read()
    subprocess.run(["sqlite3", database], input=text, text=True, check=True, stdout=subprocess.DEVNULL)


def generate_postgres(psql, url, issues=1_000_000, comments=3, **options):
    """Fills a database migrated by triaged; psql sets :issues and :comments."""
    with open(os.path.join(BENCH, "generate-postgres.sql")) as script:
        subprocess.run([*psql, "-v", "ON_ERROR_STOP=1", "-v", f"issues={int(issues)}", "-v", f"comments={int(comments)}", "-q", url],
                       stdin=script, check=True, stdout=subprocess.DEVNULL, **options)

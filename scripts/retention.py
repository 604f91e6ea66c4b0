"""Delete stored conversation data older than a number of days.

    .venv/bin/python -m scripts.retention [--days N]     # or: make purge

N defaults to RETENTION_DAYS (30). Works on the tracker store of DATABASE_URL, or on the
SQLite file var/conversations.db. Run it daily (cron, a Kubernetes CronJob).
"""

from __future__ import annotations

import argparse
import time

from sqlalchemy.engine.url import make_url

from stores.events import delete_before, engine
from stores.settings import database_url, retention_days


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--days", type=int, default=retention_days(), help="keep this many days")
    args = parser.parse_args()
    if args.days < 0:
        parser.error("--days must be 0 or more")
    cutoff = time.time() - args.days * 86400
    deleted = delete_before(engine(), cutoff)
    where = make_url(database_url()).render_as_string(hide_password=True)
    print(f"==> Deleted {deleted} conversation events older than {args.days} days from {where}")


if __name__ == "__main__":
    main()

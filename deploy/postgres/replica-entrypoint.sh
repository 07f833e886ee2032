#!/bin/sh
# The streaming replica: on an empty volume, a base backup of the primary with -R (which writes
# primary_conninfo and standby.signal), then PostgreSQL as a hot standby. Runs as postgres.
set -eu

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "replica: taking a base backup of $PRIMARY_HOST"
  # A half-made copy from an earlier try would make pg_basebackup refuse the directory.
  rm -rf "${PGDATA:?}"/* "${PGDATA:?}"/.[!.]* 2>/dev/null || true
  PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup \
    --host "$PRIMARY_HOST" --username "$REPLICATION_USER" --pgdata "$PGDATA" \
    --wal-method=stream --write-recovery-conf --checkpoint=fast --no-password
  chmod 0700 "$PGDATA"
fi

exec postgres -c hot_standby=on

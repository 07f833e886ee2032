#!/bin/sh
# Run once by the postgres image's entrypoint, on the primary's first start (an empty volume):
# a login for streaming replication and the pg_hba.conf line that lets it in from the network.
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v role="$REPLICATION_USER" -v password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE :"role" WITH REPLICATION LOGIN PASSWORD :'password';
SQL

# "all" in pg_hba.conf does not cover the replication pseudo-database: it needs a line of its own.
echo "host replication $REPLICATION_USER all scram-sha-256" >> "$PGDATA/pg_hba.conf"

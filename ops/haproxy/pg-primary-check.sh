#!/bin/sh
# HAProxy external check (option external-check): a PostgreSQL server passes only while
# it answers and is not in recovery, i.e. it is the primary that takes writes. A standby,
# a server that is down, and a server that takes longer than 2 s to answer all fail, so
# the proxy never routes tipline to a read-only or vanished database.
# HAProxy calls it as: <proxy address> <proxy port> <server address> <server port>.
# psql must be on `external-check path`. The check logs in as PGUSER (default postgres) to
# PGDATABASE (default postgres): give that role a pg_hba line from the proxy's host only.
addr=${HAPROXY_SERVER_ADDR:-$3}
port=${HAPROXY_SERVER_PORT:-$4}
in_recovery=$(PGCONNECT_TIMEOUT=2 psql -X -q -A -t -w -h "$addr" -p "$port" \
  -U "${PGUSER:-postgres}" -d "${PGDATABASE:-postgres}" -c 'select pg_is_in_recovery()' 2>/dev/null) || exit 1
[ "$in_recovery" = f ]

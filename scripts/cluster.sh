#!/usr/bin/env bash
# The cluster without Docker, on this machine: redis-server, a throwaway PostgreSQL and N chat nodes,
# all on 127.0.0.1. Ctrl+C stops everything and deletes the PostgreSQL data.
#
#   scripts/cluster.sh [NODES]        NODES defaults to 3; node i listens on BASE_PORT+i-1
#                                     and serves /metrics on METRICS_BASE_PORT+i-1
#
# Environment: BASE_PORT (5001), METRICS_BASE_PORT (9465), REDIS_PORT (6380), POSTGRES_PORT (5433),
# CONFIGURATION (Release).
# Needs redis-server and PostgreSQL (Debian: apt-get install redis-server postgresql) and the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")/.."

nodes="${1:-3}"
base_port="${BASE_PORT:-5001}"
metrics_base_port="${METRICS_BASE_PORT:-9465}"
tcp_base_port="${TCP_BASE_PORT:-5024}"
redis_port="${REDIS_PORT:-6380}"
postgres_port="${POSTGRES_PORT:-5433}"
configuration="${CONFIGURATION:-Release}"

postgres_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$postgres_bin" ] || ! command -v redis-server >/dev/null; then
  echo "Needs redis-server and PostgreSQL: apt-get install redis-server postgresql" >&2
  exit 1
fi

work="$(mktemp -d -t signalrchat-cluster-XXXXXX)"
node_pids=()
service_pids=()

stop() {
  trap - EXIT INT TERM
  echo "Stopping..."
  # Nodes first (SIGTERM: they drain their clients and leave the cluster), then the services.
  [ "${#node_pids[@]}" -gt 0 ] && kill -TERM "${node_pids[@]}" 2>/dev/null || true
  [ "${#node_pids[@]}" -gt 0 ] && wait "${node_pids[@]}" 2>/dev/null || true
  [ "${#service_pids[@]}" -gt 0 ] && kill -INT "${service_pids[@]}" 2>/dev/null || true
  [ "${#service_pids[@]}" -gt 0 ] && wait "${service_pids[@]}" 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT INT TERM

# PostgreSQL refuses to run as root: run it as the postgres system user then.
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$work"
  as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi

echo "Building Chat.Server ($configuration)..."
dotnet build Chat.Server -c "$configuration" -v quiet -nologo

"${as_postgres[@]}" "$postgres_bin/initdb" -D "$work/postgres" -U chat -A trust -E UTF8 --locale=C >"$work/initdb.log"
"${as_postgres[@]}" "$postgres_bin/postgres" -D "$work/postgres" -p "$postgres_port" -k "$work" \
  -c listen_addresses=127.0.0.1 >"$work/postgres.log" 2>&1 &
service_pids+=($!)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >"$work/redis.log" 2>&1 &
service_pids+=($!)

until "$postgres_bin/pg_isready" -q -h 127.0.0.1 -p "$postgres_port"; do sleep 0.2; done
"$postgres_bin/createdb" -h 127.0.0.1 -p "$postgres_port" -U chat chat
until [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = "PONG" ]; do sleep 0.2; done

# Each node runs in its output folder, where its appsettings.json is, with the runtime settings of
# its launch profile (Chat.Server/Properties/launchSettings.json): the GC's gen0 budget.
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x200000}"
output="Chat.Server/bin/$configuration/net10.0"
for i in $(seq 1 "$nodes"); do
  port=$((base_port + i - 1))
  (cd "$output" && exec dotnet Chat.Server.dll --urls "http://127.0.0.1:$port" \
    --Chat:Metrics:Port=$((metrics_base_port + i - 1)) \
    --Chat:Tcp:Port=$((tcp_base_port + i - 1)) \
    --Chat:Redis:Configuration="127.0.0.1:$redis_port" \
    --Chat:History:Provider=Postgres \
    --Chat:History:PostgresConnectionString="Host=127.0.0.1;Port=$postgres_port;Username=chat;Database=chat" \
    >"$work/node$i.log" 2>&1) &
  node_pids+=($!)
done

for i in $(seq 1 "$nodes"); do
  port=$((base_port + i - 1))
  until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.3; done
  echo "node $i: http://127.0.0.1:$port  metrics: http://localhost:$((metrics_base_port + i - 1))/metrics  tcp: localhost:$((tcp_base_port + i - 1))  (log: $work/node$i.log)"
done
echo "Redis 127.0.0.1:$redis_port, PostgreSQL 127.0.0.1:$postgres_port. Ctrl+C stops the cluster."
wait "${node_pids[@]}"

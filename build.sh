#!/usr/bin/env bash
# The project's one entry point.
#   ./build.sh run    run the chat server with its embedded defaults (SQLite, no Redis)
#   ./build.sh test   install what the tests need (Debian packages, npm packages) and run every test
#   ./build.sh build  build the solution
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests start or drive: browsers for the page tests, tmux for the terminal check,
# redis-server and postgresql for the cluster tests, docker-compose to validate docker-compose.yml,
# Python's websockets library for the interoperability tests (they run it under /usr/bin/python3),
# prometheus to scrape the server's /metrics as a real Prometheus does.
TEST_PACKAGES=(chromium tmux redis-server postgresql docker-compose python3-websockets prometheus netcat-openbsd)

need_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_test_packages() {
  local missing=()
  for package in "${TEST_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    need_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive need_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

case "${1:-test}" in
  run)
    exec dotnet run --project Chat.Server
    ;;
  build)
    dotnet build SignalRChat.sln
    ;;
  test)
    install_test_packages
    # Node's ws client for the interoperability tests, at the version its lock file pins.
    (cd Chat.Tests/Interop/node && npm ci --no-audit --no-fund)
    dotnet build SignalRChat.sln
    log=$(mktemp)
    status=0
    # A test that hangs is named and its process dumped within minutes rather than waiting out CI's limit.
    dotnet test SignalRChat.sln --no-build --blame-hang-timeout 5m --blame-hang-dump-type mini 2>&1 | tee "$log" || status=$?
    # The page's own unit tests (node's test runner).
    (cd Chat.Web && npm test) 2>&1 | tee -a "$log" || status=$?
    # One plain closing line with the totals of both runners.
    awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { gsub(",", "", $(i + 1)); if ($i == "Failed:") f += $(i + 1); if ($i == "Passed:") p += $(i + 1); if ($i == "Skipped:") s += $(i + 1) } }
         /^# pass / { p += $3 } /^# fail / { f += $3 } /^# skipped / { s += $3 }
         END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
    rm -f "$log"
    exit "$status"
    ;;
  *)
    echo "usage: $0 [run|test|build]" >&2
    exit 2
    ;;
esac

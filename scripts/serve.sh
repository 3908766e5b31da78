#!/usr/bin/env bash
# Builds Faxbot (release) and runs the daemon: SQLite under FAX_DATA_DIR (default ./faxdata), the
# test transport, listening on 127.0.0.1:8080. Extra arguments go to `faxbot serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-deps.sh
swift build -c release --product faxbot
export FAX_DATA_DIR="${FAX_DATA_DIR:-./faxdata}"
exec .build/release/faxbot serve "$@"

#!/usr/bin/env bash
# Installs the Debian packages Faxbot needs to build and test, when they are missing.
# Swift itself is expected at /opt/swift (or on PATH).
set -euo pipefail

if [ -d /opt/swift/usr/bin ] && ! command -v swift >/dev/null 2>&1; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi
command -v swift >/dev/null 2>&1 || { echo "error: swift is not installed (expected at /opt/swift)" >&2; exit 1; }

packages=(libsqlite3-dev sqlite3 python3 python3-venv pkg-config libgs-dev ghostscript libtiff-dev libtiff-tools libspandsp-dev fonts-dejavu-core qpdf poppler-utils systemd)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
# promtool, for checking /metrics; without the recommended web console and exporters.
if ! command -v promtool >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing: prometheus (for promtool)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus
fi

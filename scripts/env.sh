# Shared set-up for scripts/run and scripts/test: system packages and a
# build cache outside the clone, so a fresh clone reuses earlier builds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/samskap/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
mkdir -p "$CARGO_TARGET_DIR"

# Installs Debian/Ubuntu packages that are missing (needs root or sudo).
need_apt() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing system packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

need_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    echo "Installing Rust (rustup, stable)…"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c rustfmt,clippy
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
  fi
}

# cargo fuzz (libFuzzer) for scripts/fuzz.
need_cargo_fuzz() {
  need_rust
  if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "Installing cargo-fuzz (0.13)…"
    cargo install cargo-fuzz --locked --version '^0.13' --quiet
  fi
}

BUILD_PACKAGES=(build-essential pkg-config libdbus-1-dev)

# PostgreSQL server binaries: the hub tests start throwaway clusters of
# their own (initdb into a temporary folder; the cluster's service is not used).
PG_TEST_PACKAGES=(postgresql)
# Tools the export tests open their files with: LibreOffice (the XLSX and
# the ';' CSV read back), Chromium and poppler (the HTML report printed to A4).
EXPORT_TEST_PACKAGES=(libreoffice-calc-nogui chromium poppler-utils)

# The Tauri app (WebKitGTK); and, for its browser and real-window tests,
# Xvfb, WebKitWebDriver and Chromium.
APP_PACKAGES=(libwebkit2gtk-4.1-dev build-essential libssl-dev libayatana-appindicator3-dev librsvg2-dev pkg-config file)
APP_TEST_PACKAGES=(xvfb xauth webkit2gtk-driver chromium)

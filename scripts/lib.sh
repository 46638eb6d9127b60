# Shared set-up for ./run and ./test. Sourced, not executed.
# Everything a fresh machine with only the .NET SDK and Node needs is installed from here.

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

ensure_node_tools() {
  local root; root=$(repo_root)
  local stamp="$root/node_modules/.lock-stamp"
  if [ ! -f "$stamp" ] || ! cmp -s "$root/package-lock.json" "$stamp"; then
    log "installing pinned Azurite (npm ci)"
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >&2)
    cp "$root/package-lock.json" "$stamp"
  fi
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    log "installing Debian's chromium for the browser tests"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  else
    log "chromium is missing and cannot be installed here: browser tests will fail"
  fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# free_ports N: N distinct free ports, one a line (all held open together, so two calls of free_port cannot collide).
free_ports() {
  node -e "const net=require('net');const n=+process.argv[1];const ss=[];
    (function next(){if(ss.length===n){console.log(ss.map(s=>s.address().port).join('\\n'));ss.forEach(s=>s.close());return}
      const s=net.createServer();ss.push(s);s.listen(0,'127.0.0.1',next)})();" "$1"
}

wait_for_port() { # host port seconds
  node -e "
    const net=require('net');const [h,p,t]=process.argv.slice(1);const end=Date.now()+t*1000;
    (function tryIt(){const s=net.connect(+p,h,()=>{s.end();process.exit(0)});
      s.on('error',()=>{if(Date.now()>end)process.exit(1);setTimeout(tryIt,100)})})();" "$1" "$2" "$3"
}

# The well-known Azurite development account: public, documented, and only valid against the emulator.
AZURITE_ACCOUNT=devstoreaccount1
AZURITE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

azurite_connection_string() { # blobPort queuePort tablePort
  printf 'DefaultEndpointsProtocol=http;AccountName=%s;AccountKey=%s;BlobEndpoint=http://127.0.0.1:%s/%s;QueueEndpoint=http://127.0.0.1:%s/%s;TableEndpoint=http://127.0.0.1:%s/%s;' \
    "$AZURITE_ACCOUNT" "$AZURITE_KEY" "$1" "$AZURITE_ACCOUNT" "$2" "$AZURITE_ACCOUNT" "$3" "$AZURITE_ACCOUNT"
}

# start_azurite DATA_DIR BLOB QUEUE TABLE LOGFILE -> sets AZURITE_PID
# Each storage service runs in its own process (scripts/azurite-services.js says why); AZURITE_PID leads their process
# group: `kill -STOP -- -$AZURITE_PID` freezes all of them, `kill -TERM $AZURITE_PID` stops them cleanly.
start_azurite() {
  local root; root=$(repo_root)
  mkdir -p "$1"
  # --skipApiVersionCheck: Azurite 3.37 rejects the storage API version of the current Azure.Storage.Queues client.
  # AZURITE_IN_MEMORY=1: no files (Azurite refuses --location with --inMemoryPersistence).
  # AZURITE_DEBUG=PATH: every request logged to PATH.blob, PATH.queue and PATH.table (to count round trips).
  # AZURITE_CPU_PROF_DIR=DIR: each service writes a V8 CPU profile (.cpuprofile) to DIR when it stops.
  # AZURITE_KEY_INDEXES=0: stock Azurite (scripts/azurite-key-indexes.js and azurite-queue-indexes.js are otherwise preloaded).
  local where=(--location "$1")
  [ "${AZURITE_IN_MEMORY:-0}" = 1 ] && where=(--inMemoryPersistence)
  local leader=(); if command -v setsid >/dev/null 2>&1; then leader=(setsid); fi
  "${leader[@]}" node "$root/scripts/azurite-services.js" \
    "${where[@]}" --blobHost 127.0.0.1 --blobPort "$2" --queueHost 127.0.0.1 --queuePort "$3" \
    --tableHost 127.0.0.1 --tablePort "$4" --skipApiVersionCheck --disableProductStyleUrl --silent --disableTelemetry ${AZURITE_DEBUG:+--debug "$AZURITE_DEBUG"} \
    >"$5" 2>&1 &
  AZURITE_PID=$!
  disown "$AZURITE_PID" 2>/dev/null || true
  for p in "$2" "$3" "$4"; do
    if ! wait_for_port 127.0.0.1 "$p" 30; then
      log "Azurite did not start; its log:"; cat "$5" >&2; return 1
    fi
  done
}

# Azurite takes a few seconds to exit after a signal; wait so its ports and files are free again.
stop_pid() {
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

random_secret() { node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"; }

# The secrets LocalHost needs, each generated the way its setting expects.
LOCAL_SECRET_NAMES=(Meta__AppSecret Meta__VerifyToken Security__Pepper Security__MasterKey Api__Key)
new_local_secret() { # name
  case "$1" in
    Meta__VerifyToken) random_secret | tr -dc 'A-Za-z0-9' | head -c 24 ;;
    Api__Key) random_secret | tr -dc 'A-Za-z0-9' | head -c 32 ;;
    *) random_secret ;;
  esac
}

# ensure_local_secrets FILE: exports every secret in LOCAL_SECRET_NAMES. A value exported in the environment always
# wins and is never written to FILE; a missing one is read from FILE, or generated once and kept there (git-ignored,
# mode 600) so that the data under .data/ stays readable across runs. Logs names only, never values.
ensure_local_secrets() {
  local file=$1 name value generated=() exported=()
  mkdir -p "$(dirname "$file")"
  [ -f "$file" ] || { : >"$file"; chmod 600 "$file"; }
  for name in "${LOCAL_SECRET_NAMES[@]}"; do
    if [ -n "${!name:-}" ]; then
      exported+=("$name")
      continue
    fi
    # FILE holds lines export NAME='value' (values are base64 or alphanumeric); read it without sourcing it,
    # which would replace what the environment set.
    value=$(sed -n "s/^export $name='\(.*\)'\$/\1/p" "$file" | tail -n 1)
    if [ -z "$value" ]; then
      value=$(new_local_secret "$name")
      printf "export %s='%s'\n" "$name" "$value" >>"$file"
      generated+=("$name")
    fi
    export "$name=$value"
  done
  if [ ${#exported[@]} -gt 0 ]; then log "secrets from your environment: ${exported[*]}"; fi
  if [ ${#generated[@]} -gt 0 ]; then log "generated local-only secrets in $file: ${generated[*]}"; fi
  return 0
}

# run_bench_on_azurite MODE ARGS...: builds bench/Messaging.Bench and runs one of its modes against a throwaway Azurite
# on free ports (removed afterwards), passing its connection string as --storage. Used by bench/run-*-benchmark.sh.
run_bench_on_azurite() {
  local mode=$1; shift
  local root; root=$(repo_root)
  ensure_node_tools
  BENCH_DATA=$(mktemp -d "${TMPDIR:-/tmp}/$mode-bench.XXXXXX")
  AZURITE_PID=""
  trap 'trap - INT TERM EXIT; stop_pid "$AZURITE_PID"; rm -rf "$BENCH_DATA"' INT TERM EXIT
  local blob queue table
  { read -r blob; read -r queue; read -r table; } < <(free_ports 3)
  log "starting Azurite (blob :$blob queue :$queue table :$table, data in $BENCH_DATA)"
  start_azurite "$BENCH_DATA/azurite" "$blob" "$queue" "$table" "$BENCH_DATA/azurite.log"
  log "building Release"
  dotnet build "$root/bench/Messaging.Bench/Messaging.Bench.csproj" -c Release -nologo -v q >&2
  dotnet "$root/bench/Messaging.Bench/bin/Release/net10.0/Messaging.Bench.dll" "$mode" \
    --storage "$(azurite_connection_string "$blob" "$queue" "$table")" "$@"
}

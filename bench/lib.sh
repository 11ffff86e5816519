# Shared helpers for the benchmark scripts: build the jar, start Gazette in prod mode, wait, stop.
# Sourced by the scripts in bench/; not meant to be run directly.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_DIR="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$PROJECT_DIR/target/quarkus-app/quarkus-run.jar"
BENCH_PORT="${BENCH_PORT:-18080}"
BASE="http://127.0.0.1:$BENCH_PORT"
ADMIN_PASSWORD="bench-admin-password"

need() {
    local cmd="$1" pkg="$2"
    if ! command -v "$cmd" >/dev/null 2>&1; then
        echo "installing $pkg for $cmd" >&2
        if [ "$(id -u)" = 0 ]; then
            apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
        else
            echo "$cmd is missing: install the Debian package $pkg" >&2
            exit 1
        fi
    fi
}

build() {
    if [ ! -f "$JAR" ] || [ -n "$(find "$PROJECT_DIR/src" "$PROJECT_DIR/pom.xml" -newer "$JAR" -print -quit)" ]; then
        (cd "$PROJECT_DIR" && ./mvnw -B -q -ntp package -DskipTests) >&2
    fi
}

# start_app DATA_DIR [extra java options...]: prod mode, embedded PostgreSQL unless BENCH_JDBC_URL is set.
start_app() {
    local data="$1"; shift
    rm -rf "$data"; mkdir -p "$data"
    local env=(GAZETTE_DATA_DIR="$data" GAZETTE_ADMIN_PASSWORD="$ADMIN_PASSWORD" QUARKUS_HTTP_PORT="$BENCH_PORT"
               GAZETTE_ARTICLES_DEMO_CONTENT=false GAZETTE_SITE_BASE_URL="$BASE")
    if [ -n "${BENCH_JDBC_URL:-}" ]; then
        env+=(QUARKUS_DATASOURCE_JDBC_URL="$BENCH_JDBC_URL" QUARKUS_DATASOURCE_USERNAME="${BENCH_JDBC_USER:-postgres}"
              QUARKUS_DATASOURCE_PASSWORD="${BENCH_JDBC_PASSWORD:-}"
              GAZETTE_SECRETS_TOKEN_SIGNING_KEY="$(head -c 32 /dev/urandom | base64)"
              GAZETTE_SECRETS_CREDENTIAL_KEY="$(head -c 32 /dev/urandom | base64)")
    fi
    (cd "$data" && env "${env[@]}" java "$@" -jar "$JAR" > "$data/app.log" 2>&1) &
    APP_PID=$!
    for _ in $(seq 1 120); do
        if curl -fs "$BASE/q/health/ready" >/dev/null 2>&1; then return 0; fi
        if ! kill -0 "$APP_PID" 2>/dev/null; then echo "Gazette did not start, see $data/app.log" >&2; exit 1; fi
        sleep 0.5
    done
    echo "Gazette was not ready within 60 s, see $data/app.log" >&2
    exit 1
}

stop_app() {
    if [ -n "${APP_PID:-}" ]; then
        pkill -TERM -P "$APP_PID" 2>/dev/null || true
        kill -TERM "$APP_PID" 2>/dev/null || true
        wait "$APP_PID" 2>/dev/null || true
        APP_PID=
    fi
}

api_token() {
    curl -fs -u "admin:$ADMIN_PASSWORD" -H 'Content-Type: application/json' -d '{"name":"bench"}' "$BASE/api/v1/tokens" \
        | sed -E 's/.*"token":"([^"]+)".*/\1/'
}

# --- SMTP: a loopback sink and the two ceilings (bench/smtp-ceilings, bench/digest) --------------------------------
MAILER_CEILING_DIR="$BENCH_DIR/mailer-ceiling"
MAILER_CEILING_JAR="$MAILER_CEILING_DIR/target/quarkus-app/quarkus-run.jar"
SINK_HOST=127.0.0.1

build_mailer_ceiling() {
    if [ ! -f "$MAILER_CEILING_JAR" ] \
        || [ -n "$(find "$MAILER_CEILING_DIR/src" "$MAILER_CEILING_DIR/pom.xml" -newer "$MAILER_CEILING_JAR" -print -quit)" ]; then
        (cd "$PROJECT_DIR" && ./mvnw -B -q -ntp -f bench/mailer-ceiling/pom.xml package -DskipTests) >&2
    fi
}

# listening PORT: true while something listens on 127.0.0.1:PORT or any address (/proc, no ss or netstat needed).
listening() {
    local hex; hex="$(printf '%04X' "$1")"
    awk -v p=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == p {found = 1} END {exit !found}' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 30000))
        listening "$port" || { echo "$port"; return 0; }
    done
    echo "no free port found" >&2; exit 1
}

# start_sink [DUMP_DIR]: smtp-sink on a free loopback port (SINK_PORT, SINK_PID, SINK_LOG). With DUMP_DIR every
# completed transaction (after the final ".", before the 250 reply) is appended to DUMP_DIR/transactions, for
# count_copies; aborted transactions are not. Without it the sink only counts (-c), which is what the ceilings use.
start_sink() {
    local dump="${1:-}" opts=(-c) user=()
    need smtp-sink postfix
    # smtp-sink refuses to run as root without -u; it drops to that user after binding, so the dump directory
    # must be writable by it.
    if [ "$(id -u)" = 0 ]; then user=(-u nobody); fi
    if [ -n "$dump" ]; then
        rm -rf "$dump"; mkdir -p "$dump"
        if [ "$(id -u)" = 0 ]; then chown nobody "$dump"; fi
        opts+=(-D "$dump/transactions")
    fi
    SINK_PORT="$(free_port)"
    mkdir -p "$PROJECT_DIR/target"
    SINK_LOG="$PROJECT_DIR/target/smtp-sink-$SINK_PORT.log"
    # Backlog 1024: a burst of new connections must queue, not be refused.
    smtp-sink "${opts[@]}" "${user[@]}" "$SINK_HOST:$SINK_PORT" 1024 > "$SINK_LOG" 2>&1 &
    SINK_PID=$!
    for _ in $(seq 1 50); do
        listening "$SINK_PORT" && { echo "smtp-sink listens on $SINK_HOST:$SINK_PORT${dump:+, dumping to $dump}" >&2; return 0; }
        kill -0 "$SINK_PID" 2>/dev/null || { echo "smtp-sink did not start: $(cat "$SINK_LOG")" >&2; exit 1; }
        sleep 0.1
    done
    echo "smtp-sink did not listen within 5 s" >&2; exit 1
}

stop_sink() {
    if [ -n "${SINK_PID:-}" ]; then
        kill -TERM "$SINK_PID" 2>/dev/null || true
        wait "$SINK_PID" 2>/dev/null || true
        SINK_PID=
    fi
}

# sink_messages: messages the running sink has accepted so far (its -c counters, rewritten after every message).
sink_messages() {
    tr '\r' '\n' < "$SINK_LOG" | sed -nE 's/.*mesg=([0-9]+).*/\1/p' | tail -1 | grep . || echo 0
}

# elapsed START_NS: seconds since START_NS (from date +%s%N), three decimals.
elapsed() {
    awk -v s="$1" -v e="$(date +%s%N)" 'BEGIN {printf "%.3f", (e - s) / 1e9}'
}

# ceiling_smtp_source COUNT SIZE CONNECTIONS: prints the msgs/s of smtp-source into the running sink. Each session
# keeps its connection (-d), like the mailer's pool; -N gives every message its own recipient (1r@bench.invalid, ...);
# SIZE is the body, smtp-source adds ~150 bytes of headers.
ceiling_smtp_source() {
    local count="$1" size="$2" conns="$3" start before secs
    need smtp-source postfix
    before="$(sink_messages)"
    echo "smtp-source: $count messages of $size bytes over $conns connections" >&2
    start="$(date +%s%N)"
    smtp-source -d -N -s "$conns" -m "$count" -l "$size" -f digest@bench.invalid -t r@bench.invalid \
        "$SINK_HOST:$SINK_PORT" >&2
    secs="$(elapsed "$start")"
    sleep 0.2
    local got=$(( $(sink_messages) - before ))
    [ "$got" -eq "$count" ] || { echo "smtp-source: the sink counted $got messages, not $count" >&2; exit 1; }
    echo "smtp-source: $count messages in $secs s" >&2
    awk -v n="$count" -v s="$secs" 'BEGIN {printf "%.0f\n", n / s}'
}

# ceiling_mailer COUNT SIZE CONNECTIONS [java options...]: prints the msgs/s of Quarkus Mailer alone (bench/mailer-ceiling:
# one pre-rendered message, HTML + text of SIZE bytes, to r<i>@bench.invalid, CONNECTIONS in flight and in the pool)
# into the running sink, after an untimed warm-up of min(1000, COUNT/10 + 1). Java options such as
# -Dquarkus.mailer.max-mails-per-connection=100 or -Dquarkus.mailer.pipelining=false go to the mailer.
ceiling_mailer() {
    local count="$1" size="$2" conns="$3"; shift 3
    build_mailer_ceiling
    local warmup=$((count / 10 < 1000 ? count / 10 + 1 : 1000)) before line
    before="$(sink_messages)"
    line="$(java -Xms256m -Xmx256m "$@" -jar "$MAILER_CEILING_JAR" count="$count" size="$size" concurrency="$conns" \
        warmup="$warmup" host="$SINK_HOST" port="$SINK_PORT")" || { echo "mailer-ceiling failed: $line" >&2; exit 1; }
    echo "$line" >&2
    sleep 0.2
    local got=$(( $(sink_messages) - before ))
    [ "$got" -eq $((count + warmup)) ] \
        || { echo "mailer-ceiling: the sink counted $got messages, not $count + $warmup warm-up" >&2; exit 1; }
    echo "$line" | sed -nE 's/.* msgs_per_s=([0-9]+).*/\1/p'
}

# count_copies DIR_OR_FILE: per-recipient copies in smtp-sink dumps (-D file or -d files, see start_sink), from the
# X-Rcpt-Args records of smtp-sink's own header block (X-Client-Addr ... Received) of each transaction. Prints
# "recipients=X copies=Y duplicates=Z": distinct recipients, RCPT TOs of completed transactions, and copies beyond the
# first per recipient (a recipient that got 3 copies adds 2). Addresses are compared case-insensitively.
count_copies() {
    { LC_ALL=C grep -a -h -r -E '^(X-Client-Addr|X-Rcpt-Args|Received): ' "$1" || true; } | LC_ALL=C awk '
        /^X-Client-Addr: / { head = 1; next }
        head && /^X-Rcpt-Args: / { r = $2; sub(/^</, "", r); sub(/>.*$/, "", r); seen[tolower(r)]++; copies++; next }
        head && /^Received: / { head = 0 }
        END {
            for (r in seen) recipients++
            printf "recipients=%d copies=%d duplicates=%d\n", recipients, copies, copies - recipients
        }'
}

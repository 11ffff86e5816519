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

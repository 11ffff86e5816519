# The cluster scenario of bench/faults (sourced by it, not run on its own): three instances on the machine's
# PostgreSQL behind nginx; an issue, a burst of social posts and clicks in progress; one instance killed with kill -9.

CLUSTER_SECONDS="${BENCH_CLUSTER_SECONDS:-90}"
WIREMOCK_JAR="$WORK/../bench-tools/wiremock-standalone-3.13.2.jar"

wiremock_up() { # starts WireMock as a Mastodon instance on WM_PORT: every status is accepted
    if [ ! -f "$WIREMOCK_JAR" ]; then
        mkdir -p "$(dirname "$WIREMOCK_JAR")"
        (cd "$PROJECT_DIR" && ./mvnw -B -q -ntp dependency:copy -Dartifact=org.wiremock:wiremock-standalone:3.13.2 \
            -DoutputDirectory="$(dirname "$WIREMOCK_JAR")") >&2
    fi
    WM_PORT="$(free_port)"
    mkdir -p "$WORK/wiremock/mappings"
    cat > "$WORK/wiremock/mappings/statuses.json" <<'EOF'
{"request": {"method": "POST", "url": "/api/v1/statuses"},
 "response": {"status": 200, "headers": {"Content-Type": "application/json"},
              "jsonBody": {"id": "1", "url": "https://social.faults.invalid/@news/1", "content": "<p>post</p>"}}}
EOF
    java -Xmx256m -jar "$WIREMOCK_JAR" --port "$WM_PORT" --bind-address 127.0.0.1 --root-dir "$WORK/wiremock" \
        --disable-banner > "$WORK/wiremock.log" 2>&1 &
    EXTRA_PIDS+=($!)
    for _ in $(seq 1 120); do
        curl -fs "http://127.0.0.1:$WM_PORT/__admin/mappings" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    echo "WireMock did not start, see $WORK/wiremock.log" >&2; exit 1
}

nginx_up() { # nginx on NGINX_PORT in front of the given ports; retries another instance when one is down
    need nginx nginx-light
    NGINX_PORT="$(free_port)"
    local dir="$WORK/nginx" servers=""
    mkdir -p "$dir/logs"
    for p in "$@"; do servers+="        server 127.0.0.1:$p max_fails=1 fail_timeout=5s;"$'\n'; done
    cat > "$dir/nginx.conf" <<EOF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    upstream gazette {
$servers        keepalive 64;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            proxy_pass http://gazette;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$remote_addr;
            proxy_next_upstream error timeout http_502 http_503;
        }
    }
}
EOF
    nginx -c "$dir/nginx.conf" -p "$dir" -g 'daemon off;' &
    EXTRA_PIDS+=($!)
    for _ in $(seq 1 50); do listening "$NGINX_PORT" && return 0; sleep 0.1; done
    echo "nginx did not start, see $dir/logs/error.log" >&2; exit 1
}

# metric_sum PORT REGEX: the sum of the matching samples of one instance
metric_sum() { curl -fs "http://127.0.0.1:$1/q/metrics" 2>/dev/null | awk -v re="$2" '$1 ~ re {s += $NF} END {printf "%d\n", s}'; }

scenario_cluster() {
    fresh_sink
    recreate_external
    rm -rf "$WORK"/node-*
    wiremock_up
    local ports=() p
    for i in 1 2 3; do ports+=("$(free_port)"); done
    # the first instance creates the schema alone, then the others join
    for i in 1 2 3; do
        launch "node-$i" "${ports[$((i - 1))]}" external QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING=true \
            QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED=true QUARKUS_HTTP_PROXY_TRUSTED_PROXIES=127.0.0.1
    done
    nginx_up "${ports[@]}"
    seed "http://127.0.0.1:$NGINX_PORT"
    api -d "{\"network\": \"MASTODON\", \"name\": \"Mastodon\", \"baseUrl\": \"http://127.0.0.1:$WM_PORT/\",
        \"credentials\": {\"accessToken\": \"faults-token\"}, \"autoPost\": true, \"topics\": [\"world\"]}" \
        "$BASE/api/v1/channels" >/dev/null
    local link code
    link="$(api -d "{\"target\": \"http://news.faults.invalid/articles/story\", \"label\": \"faults\"}" "$BASE/api/v1/links")"
    code="$(echo "$link" | json '["code"]')"; local link_id; link_id="$(echo "$link" | json '["id"]')"

    local jobs_before=0
    for p in "${ports[@]}"; do jobs_before=$((jobs_before + $(metric_sum "$p" '^scheduled_methods_seconds_count[{].*PublishingJob'))); done
    local start_ns; start_ns="$(date +%s%N)"
    local issue; issue="$(send_issue)"
    # a burst of posts: articles published now, each to be posted once on the channel
    local posts=30 i
    for i in $(seq 1 "$posts"); do
        api -d "{\"title\": \"Breaking $i\", \"summary\": \"News $i.\", \"body\": \"Body $i.\", \"topics\": [\"world\"]}" \
            "$BASE/api/v1/articles" | json '["id"]' \
            | xargs -I{} curl -fs -H "Authorization: Bearer $TOKEN" -X POST "$BASE/api/v1/articles/{}/publish" >/dev/null
    done
    # clicks through nginx for the whole run, a new visitor each, about 2,000 a second (4 connections, 2 ms apart)
    cat > "$WORK/visitors.lua" <<'EOF'
local next_id = 1
function setup(thread) thread:set("id", next_id); next_id = next_id + 1 end
function init(args) n = 0 end
function delay() return 2 end
function request()
    n = n + 1
    wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0 visitor/" .. id .. "-" .. n
    return wrk.format()
end
function done(summary, latency, requests)
    io.write(string.format("wrk_completed=%d wrk_errors=%d\n", summary.requests,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
EOF
    need wrk wrk
    wrk -t1 -c4 -d"${CLUSTER_SECONDS}s" -s "$WORK/visitors.lua" "http://127.0.0.1:$NGINX_PORT/r/$code" \
        > "$WORK/wrk.out" 2>&1 &
    local wrk_pid=$!
    until_sent "$issue" $((READERS / 3))

    # kill -9 of the second instance, its click queue read last, just before
    local victim_port="${ports[1]}"
    local victim_queue victim_jobs
    victim_jobs="$(metric_sum "$victim_port" '^scheduled_methods_seconds_count[{].*PublishingJob')"
    victim_queue="$(metric_sum "$victim_port" '^gazette_links_queue_size')"
    kill9 node-2
    until_done "$issue"
    wait "$wrk_pid" || true
    local elapsed_s; elapsed_s="$(elapsed "$start_ns")"
    sleep 3   # the survivors' click writers flush every second

    # clicks: every redirect the clients got (through nginx, from all three) vs stored
    local served stored jobs=$((victim_jobs - jobs_before))
    served="$(sed -nE 's/.*wrk_completed=([0-9]+).*/\1/p' "$WORK/wrk.out")"
    for p in "${ports[0]}" "${ports[2]}"; do
        jobs=$((jobs + $(metric_sum "$p" '^scheduled_methods_seconds_count[{].*PublishingJob')))
    done
    stored="$(api "http://127.0.0.1:${ports[0]}/api/v1/links/$link_id" | sed -E 's/.*"clicks":([0-9]+).*/\1/')"
    local lost=$((served - stored))
    # posts: one request per article at the Mastodon stand-in, each with its own Idempotency-Key
    local requests keys
    read -r requests keys < <(curl -fs "http://127.0.0.1:$WM_PORT/__admin/requests?limit=100000" | python3 -c '
import json, sys
r = [x["request"] for x in json.load(sys.stdin)["requests"] if x["request"]["url"] == "/api/v1/statuses"]
keys = {x["headers"].get("Idempotency-Key") for x in r}
print(len(r), len(keys))')
    local expected_posts=$posts   # the burst: the seeded articles were published before the channel existed
    # a job every 5 s fires about elapsed/5 times across the cluster, not three times as often
    local expected_jobs; expected_jobs="$(awk -v s="$elapsed_s" 'BEGIN {printf "%d", s / 5}')"
    local ok_extra=ok
    # the queue is read a few milliseconds before the kill, while clicks keep coming: 5% of slack on that bound
    [ "$keys" -eq "$expected_posts" ] && [ "$lost" -le $((victim_queue + victim_queue / 20 + 5)) ] \
        && [ "$jobs" -le $((expected_jobs + 3)) ] || ok_extra=FAILED
    verdict cluster-kill9 "posts=$keys/$expected_posts post_requests=$requests publish_job_runs=$jobs expected_about=$expected_jobs clicks_served=$served clicks_stored=$stored clicks_lost=$lost killed_queue=$victim_queue $(grep -h wrk_ "$WORK/wrk.out" | tr '\n' ' ')cluster_checks=$ok_extra"
    stop node-1; stop node-3
}

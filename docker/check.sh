#!/usr/bin/env bash
# Validates docker/ without a Docker engine: the compose file, the Prometheus config and alert rules (with their
# unit tests), the Grafana dashboard JSON, that the images ship the service jar only (and, when it is built, that it
# has no broker classes), and (when the service test has run) a real /metrics scrape.
# Installs promtool (Debian package prometheus) and, where `docker compose` is missing, docker-compose.
#   bash docker/check.sh
set -euo pipefail
cd "$(dirname "$0")"

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" > /dev/null
}

command -v promtool > /dev/null || apt_install prometheus
# ADASTREAM_CHECK_COMPOSE=optional (.ci/run): skip the compose check where no compose tool is installed
compose=()
if docker compose version > /dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose > /dev/null; then
  compose=(docker-compose)
elif [ "${ADASTREAM_CHECK_COMPOSE:-}" != optional ]; then
  apt_install docker-compose
  compose=(docker-compose)
fi

if [ ${#compose[@]} -gt 0 ]; then
  echo "== ${compose[*]} config -q"
  "${compose[@]}" -f docker-compose.yml config -q
  echo "   ok: $("${compose[@]}" -f docker-compose.yml config --services | tr '\n' ' ')"
else
  echo "== (no docker compose here: the compose file is not checked)"
fi

echo "== promtool check config"
promtool check config prometheus/prometheus.yml

echo "== promtool check rules"
promtool check rules prometheus/alerts.yml

echo "== promtool test rules"
(cd prometheus && promtool test rules alerts.test.yml)

echo "== dashboard JSON"
if ! command -v python3 > /dev/null; then
  echo "   (no python3 here: the dashboard JSON is checked by MetricsEndpointServiceTest only)"
else
python3 - <<'PY'
import json, re
d = json.load(open("grafana/dashboards/adastream.json"))
exprs = [t["expr"] for p in d["panels"] for t in p.get("targets", [])]
assert exprs, "no queries in the dashboard"
names = sorted({m for e in exprs for m in re.findall(r"\b((?:adastream|kafka_stream|jvm)_[a-z0-9_]+)", e)})
print(f"   ok: {len(d['panels'])} panels, {len(exprs)} queries over {len(names)} metrics")
PY
fi

echo "== the images ship the service jar only (no Kafka broker, no Scala)"
for dockerfile in Dockerfile Dockerfile.gpu; do
  jars="$(grep -E '^COPY --from=build' "$dockerfile" | grep -oE '/src/[^ ]+\.jar' | sort -u | tr '\n' ' ')"
  if [ "$jars" != "/src/topology/target/adastream.jar " ]; then
    echo "$dockerfile copies ${jars:-no jar}instead of the service jar /src/topology/target/adastream.jar only" >&2
    exit 1
  fi
done
service_jar=../topology/target/adastream.jar
if [ -f "$service_jar" ] && command -v unzip > /dev/null; then
  broker="$(unzip -Z1 "$service_jar" | grep -E '^(kafka/|org/apache/kafka/(raft|metadata|controller|storage)/|scala/).*\.class$' | head -3 || true)"
  if [ -n "$broker" ]; then
    echo "$service_jar carries broker or Scala classes: $(echo "$broker" | tr '\n' ' ')" >&2
    exit 1
  fi
  echo "   ok: Dockerfile and Dockerfile.gpu copy topology/target/adastream.jar, $(du -m "$service_jar" | cut -f1) MB, no broker classes"
else
  echo "   ok: Dockerfile and Dockerfile.gpu copy topology/target/adastream.jar (not built here: its classes are not checked)"
fi

scrape=../topology/target/scrape/metrics.txt
if [ -f "$scrape" ]; then
  echo "== promtool check metrics (a scrape of the running service by MetricsEndpointServiceTest)"
  promtool check metrics < "$scrape"
  echo "   ok: $(grep -c -v '^#' "$scrape") samples"
else
  echo "== (no $scrape: run MetricsEndpointServiceTest to check a real scrape too)"
fi
echo "docker/check.sh: all checks passed"

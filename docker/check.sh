#!/usr/bin/env bash
# Validates docker/ without a Docker engine: the compose file, the Prometheus config and alert rules (with their
# unit tests), the Grafana dashboard JSON, and (when the service test has run) a real /metrics scrape.
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

scrape=../topology/target/scrape/metrics.txt
if [ -f "$scrape" ]; then
  echo "== promtool check metrics (a scrape of the running service by MetricsEndpointServiceTest)"
  promtool check metrics < "$scrape"
  echo "   ok: $(grep -c -v '^#' "$scrape") samples"
else
  echo "== (no $scrape: run MetricsEndpointServiceTest to check a real scrape too)"
fi
echo "docker/check.sh: all checks passed"

#!/usr/bin/env bash
# Renders the Helm chart (default values and values-production.yaml) and validates every manifest
# offline: helm lint, kubeconform against Kubernetes' own schemas, Prometheus' rule parser on the
# alerts, and a few checks that the chart still matches the code. Exits non-zero on any problem.
#
#   bash deploy/validate.sh
#
# Tools and schemas come from the Go module proxy only (no GitHub, no Docker) and are kept in
# <repo>/.infra/deploy (git-ignored; override with DEPLOY_TOOLS_HOME): the first run builds helm,
# kubeconform and rulecheck (~5 min on 2 cores), later runs reuse them (2-3 s).
# Needs go and python3 (standard library only).
set -euo pipefail

# ---- pinned versions -------------------------------------------------------------------------------
HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.8.0
# Schemas: api/openapi-spec/swagger.json of the k8s.io/kubernetes module. The oldest the chart supports
# (Chart.yaml kubeVersion) and a recent one: a field too new or an API since removed fails one of them.
KUBERNETES_VERSIONS=(1.30.14 1.37.2)
# PrometheusRule and ServiceMonitor schemas: the CRDs in this module.
PROMETHEUS_OPERATOR_VERSION=v0.94.1

DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO="$(cd "$DEPLOY/.." && pwd -P)"
TOOLS="${DEPLOY_TOOLS_HOME:-$REPO/.infra/deploy}"
BIN="$TOOLS/bin"
OUT="$TOOLS/rendered"
CHART="$DEPLOY/helm/complaints"
GO="${GO:-go}"
START=$SECONDS

log() { printf '[deploy] %s\n' "$*" >&2; }
die() { printf '[deploy] FAILED: %s\n' "$*" >&2; exit 1; }

command -v "$GO" >/dev/null || die "go not found (tools and schemas come from the Go module proxy)"
command -v python3 >/dev/null || die "python3 not found (converts the OpenAPI document to JSON schemas)"
mkdir -p "$BIN" "$OUT"

# ---- tools (a versioned file name makes a new pin install anew) ---------------------------------------
go_install() { # name package version ldflags
  local target="$BIN/$1-$3" tmp
  [[ -x "$target" ]] && return
  log "go install $2@$3"
  tmp="$(mktemp -d)"
  GOBIN="$tmp" CGO_ENABLED=0 "$GO" install -trimpath -ldflags "-s -w $4" "$2@$3"
  mv "$tmp/$1" "$target"
  rm -rf "$tmp"
}
# The Kubernetes version helm assumes without --kube-version, as upstream's release builds set it.
helm_ldflags="-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
for package in chartutil lint/rules; do
  helm_ldflags+=" -X helm.sh/helm/v3/pkg/$package.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/$package.k8sVersionMinor=37"
done
go_install helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" "$helm_ldflags"
go_install kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION" "-X main.version=$KUBECONFORM_VERSION"
HELM="$BIN/helm-$HELM_VERSION"
KUBECONFORM="$BIN/kubeconform-$KUBECONFORM_VERSION"
# Pinned by deploy/tools/rulecheck/go.sum; Go's build cache makes a rebuild take a second.
CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" "$GO" build -C "$DEPLOY/tools/rulecheck" -trimpath -o "$BIN/rulecheck" .
RULECHECK="$BIN/rulecheck"

# ---- schemas ------------------------------------------------------------------------------------------
module_dir() { # module@version -> its directory in the Go module cache (downloaded if missing)
  "$GO" mod download -json "$1" | python3 -c '
import json, sys
info = json.load(sys.stdin)
if info.get("Error"):
    sys.exit(info["Error"])
print(info["Dir"])'
}
schemas_dir() { echo "$TOOLS/schemas/kubernetes-$1-prometheus-operator-$PROMETHEUS_OPERATOR_VERSION"; }
for version in "${KUBERNETES_VERSIONS[@]}"; do
  schemas="$(schemas_dir "$version")"
  [[ -f "$schemas/deployment-apps-v1.json" ]] && continue
  log "schemas: k8s.io/kubernetes@v$version, prometheus-operator@$PROMETHEUS_OPERATOR_VERSION"
  kubernetes="$(module_dir "k8s.io/kubernetes@v$version")"
  operator="$(module_dir "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION")"
  rm -rf "$schemas.tmp"
  python3 "$DEPLOY/tools/k8s-schemas.py" --swagger "$kubernetes/api/openapi-spec/swagger.json" \
    --crd "$operator/jsonnet/prometheus-operator/prometheusrules-crd.json" \
    --crd "$operator/jsonnet/prometheus-operator/servicemonitors-crd.json" \
    --out "$schemas.tmp"
  mv "$schemas.tmp" "$schemas"
done
validate() { # files: kubeconform against every version's schemas
  local version
  for version in "${KUBERNETES_VERSIONS[@]}"; do
    "$KUBECONFORM" -strict -summary -schema-location "$(schemas_dir "$version")/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$@" ||
      return 1
  done
}

# ---- the validators must catch mistakes, or a pass means nothing ---------------------------------------
cat >"$OUT/broken.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: broken
spec:
  replica: 2
  selector:
    matchLabels: { app: broken }
  template:
    metadata:
      labels: { app: broken }
    spec:
      containers:
        - name: broken
          image: broken
          ports:
            - containerPort: http
EOF
if validate "$OUT/broken.yaml" >"$OUT/broken.log" 2>&1; then
  die "kubeconform accepted a Deployment with an unknown field and a string port ($OUT/broken.yaml)"
fi
grep -q "additional properties 'replica' not allowed" "$OUT/broken.log" ||
  die "kubeconform did not report the unknown field: $(cat "$OUT/broken.log")"
cat >"$OUT/broken-rules.yaml" <<'EOF'
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: broken
spec:
  groups:
    - name: broken
      rules:
        - alert: Broken
          expr: sum(rate(http_requests_total[5m]) > 1
EOF
if "$RULECHECK" "$OUT/broken-rules.yaml" >/dev/null 2>&1; then
  die "rulecheck accepted an unparsable PromQL expression ($OUT/broken-rules.yaml)"
fi
log "negative checks: a broken Deployment and a broken alert are rejected"

# ---- render, lint, validate ---------------------------------------------------------------------------
render() { # name [helm args]
  local name=$1
  shift
  "$HELM" lint --strict --quiet "$CHART" "$@" >/dev/null || { "$HELM" lint --strict "$CHART" "$@"; die "helm lint ($name)"; }
  "$HELM" template complaints "$CHART" --namespace complaints --kube-version "${KUBERNETES_VERSIONS[0]}" "$@" >"$OUT/$name.yaml"
}
render default
render production -f "$CHART/values-production.yaml"
validate "$OUT/default.yaml" "$OUT/production.yaml" "$DEPLOY/prometheus/alerts.yaml"
"$RULECHECK" "$DEPLOY/prometheus/alerts.yaml"

# ---- the chart still matches the code ------------------------------------------------------------------
matches() { grep "$@" || true; } # grep, where no match is an answer
config_keys() { # service -> the keys of its rendered ConfigMap
  awk -v name="complaints-$1" '
    /^---/ { kind = ""; ours = 0; data = 0 }
    $1 == "kind:" { kind = $2 }
    kind == "ConfigMap" && $1 == "name:" && $2 == name { ours = 1 }
    ours && data && /^  [A-Z_]+:/ { sub(":", "", $1); print $1 }
    /^data:/ { data = ours }' "$OUT/default.yaml"
}
for service in gateway intake routing escalation notification reporting; do
  dir="services/$service"
  [[ $service == gateway ]] && dir=gateway
  src="$REPO/$dir/src"
  keys="$(config_keys "$service")"
  [[ -n "$keys" ]] || die "no ConfigMap rendered for $service"
  # Every <SERVICE>_GRPC_URL a service reads is set by the chart, which also opens the network path.
  # Its own (a command-line tool run in its pod, over loopback) is not a flow between pods.
  self="$(tr '[:lower:]' '[:upper:]' <<<"$service")_GRPC_URL"
  in_code="$(matches -rhoE '\b[A-Z]+_GRPC_URL\b' --include='*.ts' --exclude='*.spec.ts' "$src" | matches -vx "$self" | sort -u | xargs)"
  in_chart="$(matches '_GRPC_URL$' <<<"$keys" | sort -u | xargs)"
  [[ "$in_code" == "$in_chart" ]] ||
    die "$service reads [$in_code] but the chart sets [$in_chart]: update services.$service.calls in values.yaml"
  # A service with a Temporal client or worker gets TEMPORAL_ADDRESS and the egress to Temporal.
  uses_temporal=no
  grep -rqE "from '@temporalio/(client|worker)'|TemporalWorkerHost|temporalProviders" --include='*.ts' --exclude='*.spec.ts' "$src" && uses_temporal=yes
  sets_temporal=no
  grep -qx TEMPORAL_ADDRESS <<<"$keys" && sets_temporal=yes
  [[ $uses_temporal == "$sets_temporal" ]] ||
    die "$service: uses Temporal in code: $uses_temporal, in the chart: $sets_temporal (services.$service.uses in values.yaml)"
done
# What each service may publish on NATS (values.yaml `publishes`) is what the local platform grants it
# (packages/devstack/src/nats-users.ts, EVENT_PUBLISHERS), which its tests run under.
for service in intake routing escalation notification reporting; do
  # Either list may span lines (as the formatter wraps a long one): read it up to its `]`.
  in_chart="$(awk -v name="  $service:" '
    $0 == name { ours = 1; next }
    /^  [a-z]+:$/ { ours = 0 }
    ours && $1 == "publishes:" { listing = 1; sub(/^ *publishes: */, "") }
    listing { printf "%s ", $0; if ($0 ~ /\]/) exit }' "$CHART/values.yaml" | tr -d '[] ' | tr ',' ' ' | xargs)"
  in_code="$(awk -v name="  $service: [" '
    index($0, name) == 1 { listing = 1 }
    listing { printf "%s ", $0; if ($0 ~ /\]/) exit }' "$REPO/packages/devstack/src/nats-users.ts" |
    sed "s/^ *$service: *//" | tr -d "[]' " | tr ',' ' ' | xargs)"
  [[ "$in_code" == "$in_chart" ]] ||
    die "$service publishes [$in_code] locally but the chart lets it publish [$in_chart]: update services.$service.publishes in values.yaml"
done
# Every alert has its runbook section.
for alert in $(sed -n 's/^ *- alert: *//p' "$DEPLOY/prometheus/alerts.yaml"); do
  grep -q "^### $alert\$" "$DEPLOY/README.md" || die "alert $alert has no '### $alert' runbook section in deploy/README.md"
done
log "chart matches the code (gRPC clients, Temporal, NATS publishers); every alert has a runbook"

log "ok in $((SECONDS - START))s: rendered manifests in $OUT"

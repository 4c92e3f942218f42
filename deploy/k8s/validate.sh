#!/usr/bin/env bash
# Render every Kustomize overlay and validate the result offline.
#
#   deploy/k8s/validate.sh                 render + validate dev, prod, prod+service-monitor
#   deploy/k8s/validate.sh --out DIR       ... and keep the rendered YAML in DIR
#   deploy/k8s/validate.sh --install-only  only make sure the pinned kustomize is there
#
# Rendering uses kustomize $KUSTOMIZE_VERSION (installed once into
# <repo>/.tandem/bin with `go install`, or taken from $KUSTOMIZE). Validation
# (deploy/k8s/validate.py) checks every document against the Kubernetes
# $K8S_VERSION schemas in strict mode with the kubernetes-validate package of
# the project's virtualenv, plus the cross-references no schema sees.
set -euo pipefail

KUSTOMIZE_VERSION=v5.7.1
K8S_VERSION=1.30.0

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out=""
install_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --install-only) install_only=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "validate.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

find_kustomize() {
  if [ -n "${KUSTOMIZE:-}" ]; then echo "$KUSTOMIZE"; return; fi
  local pinned="$root/.tandem/bin/kustomize"
  if [ -x "$pinned" ] && [ "$("$pinned" version 2>/dev/null)" = "$KUSTOMIZE_VERSION" ]; then
    echo "$pinned"; return
  fi
  if command -v go >/dev/null 2>&1; then
    echo "validate.sh: installing kustomize $KUSTOMIZE_VERSION into $root/.tandem/bin" >&2
    GOBIN="$root/.tandem/bin" GOFLAGS=-mod=mod go install \
      "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" >&2
    echo "$pinned"; return
  fi
  if command -v kustomize >/dev/null 2>&1; then
    echo "validate.sh: no Go toolchain; using $(command -v kustomize) ($(kustomize version))" >&2
    command -v kustomize; return
  fi
  echo "validate.sh: kustomize not found and no Go toolchain to install it" >&2
  return 1
}

kustomize="$(find_kustomize)"
[ "$install_only" = 1 ] && { "$kustomize" version >/dev/null; exit 0; }

python="${PYTHON:-$root/.venv/bin/python}"
[ -x "$python" ] || python="$(command -v python3)"
if ! "$python" -c 'import kubernetes_validate' 2>/dev/null; then
  echo "validate.sh: $python lacks kubernetes-validate; install the dev extras (pip install -e '.[dev]')" >&2
  exit 1
fi

if [ -z "$out" ]; then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"

# The ServiceMonitor component is optional, so no overlay includes it: render
# it on top of prod from a throwaway kustomization (paths must be relative),
# in prod's namespace as it would be when listed in the overlay itself.
with_monitor="$root/.tandem/k8s-validate/prod-service-monitor"
mkdir -p "$with_monitor"
cat >"$with_monitor/kustomization.yaml" <<'EOF'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: tandem
resources:
  - ../../../deploy/k8s/overlays/prod
components:
  - ../../../deploy/k8s/components/service-monitor
EOF

"$kustomize" build "$here/overlays/dev" >"$out/dev.yaml"
"$kustomize" build "$here/overlays/prod" >"$out/prod.yaml"
"$kustomize" build "$with_monitor" >"$out/prod-service-monitor.yaml"

"$python" "$here/validate.py" --kubernetes-version "$K8S_VERSION" \
  "$out/dev.yaml" "$out/prod.yaml" "$out/prod-service-monitor.yaml"

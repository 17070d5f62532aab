#!/usr/bin/env bash
# Build the offline sandbox base image (Debian bookworm minbase + python3 + numpy) without any registry:
# debootstrap into a temporary directory, trim it, and `docker import` the tree.
#
# Usage: sandbox/build-base.sh [--force] [--tag TAG] [--print-mirror]
#   --force         rebuild even when the image already exists
#   --tag           image tag to create (default: taco-judge-base:bookworm)
#   --print-mirror  print the Debian mirror that would be used, and exit
# Environment:
#   TACO_JUDGE_DEBIAN_MIRROR  Debian mirror URL; default: the first bookworm "deb" source in the
#                             machine's apt configuration ($TACO_JUDGE_APT_DIR/sources.list{,.d/*})
#   TACO_JUDGE_APT_DIR        apt configuration directory to read (default: /etc/apt)
#   TACO_JUDGE_BUILD_DIR      parent directory for the temporary root tree (default: $TMPDIR or /tmp)
# Needs: root (debootstrap), debootstrap, docker.
set -euo pipefail

TAG="taco-judge-base:bookworm"
FORCE=0
PRINT_MIRROR=0
SUITE="bookworm"
APT_DIR="${TACO_JUDGE_APT_DIR:-/etc/apt}"

die() { echo "build-base.sh: error: $*" >&2; exit 1; }
log() { echo "build-base.sh: $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --force) FORCE=1 ;;
    --tag) [ $# -ge 2 ] || die "--tag needs a value"; TAG="$2"; shift ;;
    --print-mirror) PRINT_MIRROR=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done

# Find the Debian mirror apt is configured with: deb822 (*.sources) "URIs:" stanzas and one-line
# "deb URL SUITE ..." entries. Only entries for the suite itself count (not bookworm-security/-updates,
# which debootstrap cannot use as its mirror).
find_apt_mirror() {
  local f
  for f in "$APT_DIR"/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    awk -v suite="$SUITE" '
      BEGIN { RS=""; FS="\n" }
      {
        uris=""; suites=""; types=""; enabled="yes"
        for (i = 1; i <= NF; i++) {
          line = $i
          if (line ~ /^[ \t]*#/) continue
          if (line ~ /^Types:/)   { sub(/^Types:[ \t]*/, "", line); types = line }
          if (line ~ /^URIs:/)    { sub(/^URIs:[ \t]*/, "", line); uris = line }
          if (line ~ /^Suites:/)  { sub(/^Suites:[ \t]*/, "", line); suites = " " line " " }
          if (line ~ /^Enabled:/) { sub(/^Enabled:[ \t]*/, "", line); enabled = line }
        }
        if (enabled != "no" && types ~ /(^| )deb( |$)/ && index(suites, " " suite " ") > 0) {
          split(uris, u, /[ \t]+/); print u[1]; exit
        }
      }' "$f"
  done
  for f in "$APT_DIR"/sources.list "$APT_DIR"/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    awk -v suite="$SUITE" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit }
      }' "$f"
  done
}

MIRROR="${TACO_JUDGE_DEBIAN_MIRROR:-}"
if [ -z "$MIRROR" ]; then
  MIRROR="$(find_apt_mirror | head -n 1)"
fi
[ -n "$MIRROR" ] || die "no Debian $SUITE mirror found in $APT_DIR/sources.list{,.d/*}; set TACO_JUDGE_DEBIAN_MIRROR=<url>"
if [ "$PRINT_MIRROR" -eq 1 ]; then
  echo "$MIRROR"
  exit 0
fi

command -v docker >/dev/null 2>&1 || die "docker CLI not found; install docker.io"
docker info >/dev/null 2>&1 || die "the Docker engine is not reachable ('docker info' fails); start dockerd"

if [ "$FORCE" -eq 0 ] && docker image inspect "$TAG" >/dev/null 2>&1; then
  log "image $TAG already exists; skipping (use --force to rebuild)"
  exit 0
fi

command -v debootstrap >/dev/null 2>&1 || die "debootstrap not found; install it (apt-get install debootstrap)"
[ "$(id -u)" -eq 0 ] || die "debootstrap needs root; run as root (or via sudo)"

ROOT="$(mktemp -d "${TACO_JUDGE_BUILD_DIR:-${TMPDIR:-/tmp}}/taco-judge-rootfs.XXXXXX")"
cleanup() { rm -rf --one-file-system "$ROOT"; }
trap cleanup EXIT

log "debootstrap $SUITE from $MIRROR into $ROOT"
debootstrap --variant=minbase --include=python3,python3-numpy "$SUITE" "$ROOT" "$MIRROR" >&2 \
  || die "debootstrap failed (mirror $MIRROR); check network access to the mirror or set TACO_JUDGE_DEBIAN_MIRROR"

log "trimming docs, caches and package lists"
rm -rf "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/* \
       "$ROOT"/usr/share/locale/* "$ROOT"/usr/share/lintian/* \
       "$ROOT"/var/cache/apt/* "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/debconf/*-old \
       "$ROOT"/var/log/* "$ROOT"/tmp/* "$ROOT"/var/tmp/*
# Keep the __pycache__ dirs that python3's postinst compiled: the root is read-only in the jail, so
# without them every container start would recompile numpy. Docker provides its own /dev.
find "$ROOT"/dev -mindepth 1 -delete 2>/dev/null || true

log "importing the tree as $TAG"
tar --numeric-owner -C "$ROOT" -c . \
  | docker import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change 'CMD ["python3"]' \
      --message "taco-judge offline base: debootstrap $SUITE minbase + python3 + python3-numpy" \
      - "$TAG" >&2 \
  || die "docker import failed"

log "built $TAG ($(docker image inspect -f '{{.Size}}' "$TAG") bytes)"

#!/usr/bin/env bash
# tools/deps.sh [--test] [STAMP]: check that the Debian packages the kit
# needs are installed. As root, install the missing ones; otherwise print the
# command that would and fail. On success write STAMP (the installed
# versions), so other tools can see which toolchain built the tree. With
# --test (what `make test` runs), also the packages only the tests need:
# Chromium, in which tools/test-report.sh opens the report page (some
# 300 MB that `make run` and `make docs` have no use for).
set -euo pipefail

PACKAGES=(clang lld libelf-dev libinih-dev libcriterion-dev libjansson-dev
          valgrind doxygen gdb-multiarch pkg-config make
          bubblewrap jq git python3)
if [ "${1:-}" = --test ]; then
    PACKAGES+=(chromium)
    shift
fi
STAMP=${1:-build/stamps/deps}

# One dpkg-query call for all packages: fast enough to do every time.
# Packages dpkg has never heard of are not listed at all, hence the comm.
missing_packages() {
    local installed
    installed=$(dpkg-query -W -f='${db:Status-Status} ${Package}\n' \
                    "${PACKAGES[@]}" 2>/dev/null | awk '$1 == "installed" { print $2 }' || true)
    comm -23 <(printf '%s\n' "${PACKAGES[@]}" | sort) <(sort <<<"$installed")
}

if ! command -v dpkg-query >/dev/null; then
    echo "deps: error: dpkg-query not found: this check needs Debian or Ubuntu" >&2
    exit 1
fi

mapfile -t missing < <(missing_packages)
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "deps: installing ${missing[*]}"
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
    else
        echo "deps: missing packages: ${missing[*]}" >&2
        echo "deps: install them with:" >&2
        echo "  sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    mapfile -t missing < <(missing_packages)
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "deps: error: still missing after install: ${missing[*]}" >&2
        exit 1
    fi
fi

mkdir -p "$(dirname "$STAMP")"
dpkg-query -W -f='${Package} ${Version}\n' "${PACKAGES[@]}" > "$STAMP.tmp"
mv "$STAMP.tmp" "$STAMP"
echo "deps: all ${#PACKAGES[@]} packages present"

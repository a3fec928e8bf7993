#!/usr/bin/env bash
# Installs what mathteam needs: Debian's E prover and Graphviz when they are missing (and this user
# may install packages), then the mathteam package itself with pip.
#   bash scripts/setup.sh          the package
#   bash scripts/setup.sh --test   the package and the test tools
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v eprover >/dev/null 2>&1 || missing+=(eprover)
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    apt=(apt-get)
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    apt=(sudo apt-get)
  else
    apt=()
  fi
  if ((${#apt[@]})) && "${apt[@]}" update -qq >/dev/null && \
     DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq "${missing[@]}" >/dev/null; then
    echo "setup: installed ${missing[*]} from Debian" >&2
  else
    # Not fatal: the team falls back to z3 (a Python dependency) and skips the drawing.
    echo "setup: could not install ${missing[*]} (needs root or sudo); mathteam will use z3 instead" \
         "of the E prover and will not draw the implication graph" >&2
  fi
fi

extras=""
if [ "${1:-}" = "--test" ]; then
  extras="[test]"
fi
python -m pip install --quiet --disable-pip-version-check -e ".${extras}"

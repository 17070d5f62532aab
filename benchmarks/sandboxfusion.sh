#!/usr/bin/env bash
# Start SandboxFusion's server locally, for benchmarks/service.py --sandboxfusion. Run by hand.
#
#   benchmarks/sandboxfusion.sh [--port 8080] [--checkout /work/sandboxfusion] [--venv /work/sfvenv] [--setup-only]
#
# The checkout is a SandboxFusion source tree (bytedance/SandboxFusion; measured at 469de08), kept
# outside this project: none of its code is in taco-judge. For example, from a bare mirror:
#   mkdir -p /work/sandboxfusion && git --git-dir=MIRROR archive HEAD | tar -x -C /work/sandboxfusion
#
# What it does:
# - makes a venv for the server at VENV/envs/sandbox (not under /tmp, not in the project) with the
#   packages its server imports, from PyPI, within pyproject.toml's ranges: pydantic, fastapi, uvicorn,
#   structlog, psutil, aiofiles, aiohttp, tenacity, databases[aiosqlite], pyyaml. Not transformers,
#   numpy or aiomysql: only dataset modules import the first two (repobench_p, live_code_bench, ...)
#   and the MySQL backend is off;
# - writes VENV/taco_bench.yaml, its sandbox/configs/local.yaml with the dataset registry emptied
#   (the registry imports every dataset module at start, hence transformers; /run_code uses none of
#   them). The `sandbox:` section is local.yaml's own: isolation none, no process cleanup;
# - makes VENV look like the conda root that SandboxFusion expects: its python runner runs
#   `python FILE` with PATH from `source CONDA_ROOT/bin/activate sandbox-runtime && which python`
#   (runners/major.py get_python_rt_env), CONDA_ROOT being the first folder above the server's
#   interpreter holding `condabin` (utils/common.py find_conda_root). Here VENV/condabin exists,
#   VENV/bin/activate puts VENV/envs/sandbox-runtime/bin first on PATH, and its `python` is a link to
#   /usr/bin/python3, so programs run on the system Python 3.11 with its numpy, as taco-judge's do;
# - creates the checkout's empty docs/build (the server mounts the built docs and will not start
#   without the folder);
# - gives the server HOME=VENV/home (empty): it starts each program with `bash -c`, stdin an asyncio
#   socket pair, and bash then reads ~/.bashrc as if run by sshd; root's .bashrc here puts pyenv's
#   shims first on PATH, so `python` would be pyenv's 3.11.7 instead of /usr/bin/python3;
# - starts `uvicorn sandbox.server.server:app` on 127.0.0.1:PORT in the foreground (Ctrl-C or SIGTERM
#   stops it), with SANDBOX_CONFIG pointing at taco_bench.yaml. On stopping it logs
#   "AttributeError: 'NoneType' object has no attribute 'disconnect'" and "Application shutdown
#   failed": its lifespan closes the MySQL backend that local.yaml leaves off. It has stopped all the same.
#
# What it does not do: isolate anything. SandboxFusion's `isolation: none` runs each program as a
# plain child of the server, as the user who started this script (root here), in a folder under
# /tmp that SandboxFusion makes and removes, with the server's environment and network. That is how
# the issue's earlier measurement ran it ("469de08 run locally, no isolation"); its `lite` isolation
# (overlayfs, cgroups, netns) needs its runtime image. Only loopback: never pass another host.
set -euo pipefail

port=8080
checkout=/work/sandboxfusion
venv=/work/sfvenv
setup_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --checkout) checkout="$2"; shift 2 ;;
    --venv) venv="$2"; shift 2 ;;
    --setup-only) setup_only=1; shift ;;
    -h|--help) sed -n '2,40p' "$0"; exit 0 ;;
    *) echo "sandboxfusion.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "sandboxfusion.sh: $*" >&2; exit 1; }
[ -f "$checkout/sandbox/server/server.py" ] || die "$checkout is not a SandboxFusion checkout (no sandbox/server/server.py); pass --checkout DIR"
case "$(realpath -m "$venv")" in
  /tmp/*) die "--venv $venv: keep the venv outside /tmp" ;;
esac
project=$(cd "$(dirname "$0")/.." && pwd)
case "$(realpath -m "$venv")/" in
  "$project"/*) die "--venv $venv: keep the venv outside the project ($project)" ;;
esac
case "$port" in ''|*[!0-9]*) die "--port $port: give a port number" ;; esac

server_env="$venv/envs/sandbox"
runtime_env="$venv/envs/sandbox-runtime"
if [ ! -x "$server_env/bin/uvicorn" ]; then
  echo "sandboxfusion.sh: installing the server's packages into $server_env" >&2
  /usr/bin/python3 -m venv "$server_env"
  "$server_env/bin/pip" install --quiet --disable-pip-version-check \
    'pydantic>=2.4.0,<2.7.0' 'fastapi>=0.103.1,<0.104' 'uvicorn[standard]==0.25.0' 'structlog>=23.1,<24' \
    'psutil>=5.9.8,<6' 'aiofiles>=23.2.1,<24' 'aiohttp>=3.9.5,<4' 'tenacity>=8.4.2,<9' \
    'databases[aiosqlite]>=0.9,<0.10' pyyaml
fi
mkdir -p "$venv/condabin" "$venv/bin" "$runtime_env/bin"
ln -sfn /usr/bin/python3 "$runtime_env/bin/python"
cat > "$venv/bin/activate" <<EOF
# A stand-in for conda's activate, for SandboxFusion's get_python_rt_env only (sandboxfusion.sh).
[ "\${1:-}" = sandbox-runtime ] || { echo "no conda env \${1:-}" >&2; return 1; }
export PATH="$runtime_env/bin:\$PATH"
EOF
"$server_env/bin/python" - "$checkout/sandbox/configs/local.yaml" "$venv/taco_bench.yaml" <<'EOF'
import sys
import yaml
config = yaml.safe_load(open(sys.argv[1]))
config["dataset"]["registry"] = []
assert config["sandbox"]["isolation"] == "none"
with open(sys.argv[2], "w") as f:
    f.write("# sandbox/configs/local.yaml less its dataset registry (benchmarks/sandboxfusion.sh)\n")
    yaml.safe_dump(config, f, sort_keys=False)
EOF
mkdir -p "$checkout/docs/build"
[ "$setup_only" = 1 ] && { echo "sandboxfusion.sh: set up in $venv"; exit 0; }

mkdir -p "$venv/home"
cd "$checkout"
export HOME="$venv/home"
export SANDBOX_CONFIG="$venv/taco_bench"   # run_config.py joins it to its folder: an absolute path wins
echo "sandboxfusion.sh: SandboxFusion on http://127.0.0.1:$port (no isolation; programs run as $(id -un))" >&2
exec "$server_env/bin/uvicorn" sandbox.server.server:app --host 127.0.0.1 --port "$port" --log-level warning

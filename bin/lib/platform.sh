# shellcheck shell=bash
# Shared by bin/serve and bin/test: make sure this machine can run Odoo 18.0 with
# helpdesk_mgmt and our addons, and provide small helpers for a PostgreSQL cluster.
#
# Odoo is found, in this order: an `odoo` 18.0 package importable by $PYTHON, the source
# tree in $ODOO_SRC, or a shallow clone of upstream Odoo 18.0 (short timeout).
# Odoo is then installed into $PYTHON as an editable install (compat mode), so that OCA
# wheels, which install into site-packages/odoo/addons, find it.

set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PYTHON=${PYTHON:-python3}
ODOO_BRANCH=18.0
ODOO_UPSTREAM=${ODOO_UPSTREAM:-https://github.com/odoo/odoo.git}
# Python packages of the project (tests and OCA addons); Odoo's own come from its
# requirements.txt.
PROJECT_PIP_PACKAGES=(
    "odoo-addon-helpdesk-mgmt==18.0.*"
    "odoo-addon-document-page==18.0.*"
    "pytest>=8,<9"
    "pytest-odoo==2.3.0"
    "websocket-client"
    "hypothesis"
)
SYSTEM_PACKAGES=(
    libpq-dev libldap2-dev libsasl2-dev gettext
    postgresql
    chromium wkhtmltopdf fonts-noto-cjk
    prometheus-alertmanager
)

say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }

ensure_system_packages() {
    local missing=() pkg
    for pkg in "${SYSTEM_PACKAGES[@]}"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "Installing system packages: ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null && sudo -n true 2>/dev/null \
            || die "missing system packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})"
        sudo=(sudo -n)
    fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

odoo_version() {
    # Prints the version of the Odoo importable by $PYTHON, or nothing.
    (cd / && timeout 30 "$PYTHON" -c 'import odoo.release as r; print(r.version)' 2>/dev/null) || true
}

odoo_requirements() {
    # Odoo's requirements.txt pins, resolved as for Python 3.12: several of the 3.11 pins
    # do not build here, the 3.12 ones do on 3.11 as well.
    "$PYTHON" - "$1" <<'EOF'
import sys
from packaging.requirements import Requirement
env = {"python_version": "3.12", "python_full_version": "3.12.0", "sys_platform": "linux",
       "platform_system": "Linux", "os_name": "posix"}
for line in open(sys.argv[1]):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    req = Requirement(line)
    if req.marker is None or req.marker.evaluate(env):
        req.marker = None
        print(req)
EOF
}

install_odoo_from_source() {
    local src=$1
    [ -f "$src/odoo/release.py" ] && [ -f "$src/setup.py" ] && [ -d "$src/addons" ] \
        || die "ODOO_SRC=$src is not an Odoo source tree (needs odoo/, addons/, setup.py)"
    grep -q "version_info = (18, 0" "$src/odoo/release.py" \
        || die "ODOO_SRC=$src is not Odoo 18.0"
    say "Installing Odoo's Python requirements (pins for Python 3.12)"
    local req
    req=$(mktemp)
    odoo_requirements "$src/requirements.txt" >"$req"
    "$PYTHON" -m pip install -q --disable-pip-version-check -r "$req" "python-ldap==3.4.4"
    rm -f "$req"
    say "Installing Odoo from $src (editable, compat mode)"
    "$PYTHON" -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation --use-pep517 \
        -e "$src" --config-settings editable_mode=compat
}

ensure_odoo() {
    "$PYTHON" -c 'import packaging, setuptools, wheel' 2>/dev/null \
        || "$PYTHON" -m pip install -q --disable-pip-version-check "setuptools>=64" packaging wheel
    local ver
    ver=$(odoo_version)
    case "$ver" in
        18.0*) ;;
        "")
            if [ -n "${ODOO_SRC:-}" ]; then
                install_odoo_from_source "$ODOO_SRC"
            else
                local clone="$REPO_ROOT/.local/odoo-src"
                if [ ! -d "$clone/odoo" ]; then
                    say "No Odoo found: trying a shallow clone of Odoo $ODOO_BRANCH (20 s at most)"
                    rm -rf "$clone"
                    if ! GIT_TERMINAL_PROMPT=0 timeout 20 git clone -q --depth 1 \
                            -b "$ODOO_BRANCH" "$ODOO_UPSTREAM" "$clone" 2>/dev/null; then
                        rm -rf "$clone"
                        die "Odoo 18.0 not found. Set ODOO_SRC to an Odoo 18.0 Community source tree \
(with odoo/, addons/, setup.py), or install Odoo 18.0 into $PYTHON; upstream could not be cloned."
                    fi
                fi
                install_odoo_from_source "$clone"
            fi
            ;;
        *) die "$PYTHON imports Odoo $ver; these addons need Odoo 18.0" ;;
    esac
    ver=$(odoo_version)
    case "$ver" in 18.0*) ;; *) die "Odoo 18.0 still not importable by $PYTHON" ;; esac
}

ensure_python_packages() {
    local missing=0
    "$PYTHON" - <<'EOF' || missing=1
import importlib.metadata as md, sys
for dist in ("odoo-addon-helpdesk_mgmt", "odoo-addon-document_page", "pytest-odoo",
             "websocket-client", "hypothesis"):
    try:
        md.version(dist)
    except md.PackageNotFoundError:
        sys.exit(1)
EOF
    if [ "$missing" -eq 1 ]; then
        say "Installing Python packages: ${PROJECT_PIP_PACKAGES[*]}"
        "$PYTHON" -m pip install -q --disable-pip-version-check "${PROJECT_PIP_PACKAGES[@]}"
    fi
}

addons_path() {
    # Odoo's addons, the addons installed by wheels, and this repository.
    "$PYTHON" - "$REPO_ROOT" <<'EOF'
import os, sys, sysconfig
import odoo
paths = []
root = os.path.dirname(os.path.dirname(odoo.__file__))
for candidate in (os.path.join(root, "addons"), os.path.join(os.path.dirname(odoo.__file__), "addons")):
    if os.path.isdir(candidate):
        paths.append(candidate)
wheels = os.path.join(sysconfig.get_paths()["purelib"], "odoo", "addons")
if os.path.isdir(wheels) and wheels not in paths:
    paths.append(wheels)
paths.append(sys.argv[1])
print(",".join(paths))
EOF
}

ensure_platform() {
    ensure_system_packages
    ensure_odoo
    ensure_python_packages
}

# --- PostgreSQL -------------------------------------------------------------------------
PG_BIN=$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)
PG_ROLE=itss

pg_as_owner() {
    # initdb and postgres refuse root: run them as the postgres user.
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_start() {
    # pg_start DIR PORT: init the cluster in DIR if absent, start it on PORT with its
    # socket in DIR, and make sure role $PG_ROLE exists.
    local dir=$1 port=$2
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$dir"
        # postgres must be able to reach the folder.
        local d=$dir
        while [ "$d" != "/" ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        pg_as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
            --locale=C.UTF-8 >/dev/null
    fi
    if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
            -o "-p $port -k $dir -c listen_addresses='' -c fsync=off -c full_page_writes=off" \
            start >/dev/null || die "PostgreSQL did not start (see $dir/postgres.log)"
    fi
    pg_as_owner "$PG_BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -qtAc \
        "SELECT 1 FROM pg_roles WHERE rolname='$PG_ROLE'" | grep -q 1 \
        || pg_as_owner "$PG_BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -qc \
            "CREATE ROLE $PG_ROLE LOGIN SUPERUSER" >/dev/null
}

pg_stop() {
    local dir=$1
    [ -f "$dir/data/PG_VERSION" ] || return 0
    pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

db_exists() {
    local dir=$1 port=$2 db=$3
    pg_as_owner "$PG_BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -qtAc \
        "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1
}

write_odoo_conf() {
    # write_odoo_conf FILE PGDIR PORT [extra lines...]
    local file=$1 dir=$2 port=$3
    shift 3
    {
        echo "[options]"
        echo "addons_path = $(addons_path)"
        echo "db_host = $dir"
        echo "db_port = $port"
        echo "db_user = $PG_ROLE"
        echo "db_password = False"
        echo "data_dir = $(dirname "$file")/filestore"
        for line in "$@"; do echo "$line"; done
    } >"$file"
}

odoo_bin() {
    "$PYTHON" -m odoo "$@"
}

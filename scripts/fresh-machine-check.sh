#!/bin/sh
# Runs the README's test command (./test.sh) on a fresh Debian 12 machine that has only Swift, as a new
# user would: a minimal bookworm root (debootstrap --variant=minbase) holding nothing but the packages
# swift.org lists for Swift on Debian 12, the toolchain, and a clone of the given commit. Everything else
# the tests need must be installed by the project's own scripts (scripts/setup-deps.sh, the oracle venv).
# Not run by ./test.sh: a run takes about 9 minutes on 2 cores (5.5 of them the build), the first one 3 more
# to make the root.
#
# Usage (as root, on a Debian or Ubuntu host):
#   scripts/fresh-machine-check.sh [--cache DIR] [--keep] [--install] [COMMIT]
#     COMMIT       the commit to clone and test (default HEAD); only committed work is tested.
#     --cache DIR  default ${XDG_CACHE_HOME:-~/.cache}/crm-whatsapp/fresh-root, holding
#                    base/  the fresh machine, made once by debootstrap and reused (never written by a run),
#                    run/   an overlay over base/ that one run writes into (removed at the start of the next),
#                    logs/  each run's log, fresh-YYYYmmddTHHMMSSZ-COMMIT.log.
#     --keep       leave run/ (the machine as the run left it, unmounted) for a look.
#     --install    first run the README's other command, ./install-host.sh (for Chromium), and check that the
#                  installed helper app starts, as a new user would before testing.
# What goes into the root from this machine, read-only: the Swift toolchain (the folder holding
# usr/bin/swift, found on PATH) at the same path, every local folder that git's url.<folder>.insteadOf
# names (a local mirror of GitHub), with those insteadOf lines copied into the root's /etc/gitconfig, and
# this repository's .git, which the run clones. The network is this machine's (apt, PyPI), and so are the
# extra trust roots in /usr/local/share/ca-certificates (a TLS-inspecting proxy's), which pip is told to use.
# The tests run as root inside the root, as CI runs them (.ci/run). On exit every mount is undone and
# every process still running inside the root is ended.
# Environment: CRM_WHATSAPP_DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -eu

say() { echo "fresh-machine-check: $*" >&2; }
die() { say "$*" && exit 1; }

# --- arguments and host checks (before anything is created or mounted) ---------------------------------
cache=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/crm-whatsapp/fresh-root
keep=0
install=0
commit=HEAD
while [ $# -gt 0 ]; do
    case "$1" in
    --cache) [ $# -ge 2 ] || die "--cache needs a folder" && cache=$2 && shift 2 ;;
    --keep) keep=1 && shift ;;
    --install) install=1 && shift ;;
    -h | --help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' && exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) commit=$1 && shift ;;
    esac
done

if [ "$(uname -s)" != Linux ] || [ ! -f /etc/debian_version ] || ! command -v apt-get >/dev/null 2>&1; then
    die "needs a Debian or Ubuntu host (it builds the fresh machine with debootstrap and apt)"
fi
[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, mount and chroot need it): sudo $0 $*"

repo=$(cd "$(dirname "$0")/.." && pwd)
sha=$(git -C "$repo" rev-parse --verify "$commit^{commit}") || die "no such commit: $commit"
gitdir=$(cd "$repo" && cd "$(git rev-parse --git-common-dir)" && pwd)
swift_bin=$(command -v swift) || die "swift is not on PATH: the fresh machine gets this machine's toolchain"
swift_bin="$(cd "$(dirname "$swift_bin")" && pwd -P)/swift" # the folder's real path (swift itself is a link)
toolchain=${swift_bin%/usr/bin/swift}
if [ "$toolchain" = "$swift_bin" ] || [ ! -d "$toolchain/usr/bin" ]; then
    die "cannot tell the toolchain folder from $swift_bin (expected DIR/usr/bin/swift)"
fi

mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
case "$cache" in *[!A-Za-z0-9._/+-]*) die "the cache path must have no spaces or special characters: $cache" ;; esac
case "$cache/" in "$repo"/*) die "the cache must be outside the repository: $cache" ;; esac
base="$cache/base"
run="$cache/run"
root="$run/root"
logs="$cache/logs"
mirror=${CRM_WHATSAPP_DEBIAN_MIRROR:-http://deb.debian.org/debian}

mounted_under() { grep -q " $1[/ ]" /proc/mounts; }

# --- the fresh machine: minimal bookworm + what Swift itself needs to run ---------------------------------
# swift.org's dependencies for Debian 12 (the toolchain's own needs: linker, C and C++ runtimes and headers,
# libcurl/libxml2 for Foundation, libedit/ncurses/python for the REPL and lldb, z3, tzdata), git (SwiftPM
# fetches with it; swift.org's install also takes it) and ca-certificates. Nothing the project installs.
swift_deps=$(echo "binutils ca-certificates git gnupg2 libc6-dev libcurl4-openssl-dev libedit2 libgcc-12-dev
libncurses-dev libpython3-dev libsqlite3-0 libstdc++-12-dev libxml2-dev libz3-dev pkg-config python3 tzdata
unzip zlib1g-dev" | tr '\n' ' ' | sed 's/ *$//')
base_key="bookworm minbase $swift_deps"
if [ ! -f "$base/.fresh-machine" ] || [ "$(cat "$base/.fresh-machine")" != "$base_key" ]; then
    mounted_under "$base" && die "something is mounted under $base: unmount it first"
    mounted_under "$run" && die "something is mounted under $run: unmount it first"
    command -v debootstrap >/dev/null 2>&1 || { say "installing debootstrap" && apt-get install -y -qq debootstrap >&2; }
    say "building the fresh machine in $base (debootstrap, a few minutes)"
    rm -rf "$base" "$run"
    debootstrap --variant=minbase --include="$(echo "$swift_deps" | tr ' ' ,)" bookworm "$base" "$mirror" >&2
    # As a Debian install has it: updates and security, upgraded, then no package lists left (as in images).
    printf '%s\n' "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
        "deb http://deb.debian.org/debian-security bookworm-security main" >"$base/etc/apt/sources.list"
    cp /etc/resolv.conf "$base/etc/resolv.conf"
    mount -t proc proc "$base/proc"
    chroot "$base" /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get upgrade -y -qq && apt-get clean' >&2 \
        || { umount "$base/proc"; die "apt-get upgrade failed in $base"; }
    umount "$base/proc"
    rm -rf "$base"/var/lib/apt/lists/* "$base/etc/resolv.conf"
    printf '%s\n' "$base_key" >"$base/.fresh-machine"
fi

# --- one run: an overlay over base, the mounts, cleanup on exit --------------------------------------------
mounted_under "$run" && die "something is still mounted under $run (another run?): unmount it first"
rm -rf "$run"
mkdir -p "$run/upper" "$run/work" "$root" "$logs"
mounts="" # innermost first
mnt() { # mnt TARGET MOUNT-ARGS...
    target=$1
    shift
    mkdir -p "$target"
    mount "$@" "$target"
    mounts="$target $mounts"
}
bind_ro() { # bind_ro SOURCE TARGET
    mnt "$2" --bind "$1"
    mount -o remount,bind,ro "$2"
}
# shellcheck disable=SC2317 # inside_pids and cleanup run from the EXIT trap
inside_pids() {
    for p in /proc/[0-9]*; do
        r=$(readlink "$p/root" 2>/dev/null) || continue
        case "$r" in "$root" | "$root"/*) echo "${p#/proc/}" ;; esac
    done
}
# shellcheck disable=SC2317
cleanup() {
    status=$?
    trap - EXIT INT TERM
    # Whatever the run left behind (a browser, wa-sim...) was started by this script: end it, then unmount.
    pids=$(inside_pids)
    if [ -n "$pids" ]; then
        # shellcheck disable=SC2086 # a list of pids
        kill -KILL $pids 2>/dev/null || true
        sleep 1
    fi
    for m in $mounts; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || say "could not unmount $m"
    done
    if [ "$keep" = 0 ] && ! mounted_under "$run"; then rm -rf "$run"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mnt "$root" -t overlay overlay -o "lowerdir=$base,upperdir=$run/upper,workdir=$run/work"
mnt "$root/proc" -t proc proc
mnt "$root/sys" -t sysfs sysfs
mnt "$root/dev" --bind /dev
mnt "$root/dev/pts" -t devpts devpts -o newinstance,ptmxmode=0666,mode=0620
mnt "$root/dev/shm" -t tmpfs tmpfs -o mode=1777,size=50%
mnt "$root/tmp" -t tmpfs tmpfs -o mode=1777,size=50%
bind_ro "$toolchain" "$root$toolchain"
bind_ro "$gitdir" "$root/mnt/source.git"
# git's redirections of GitHub to local folders (a package mirror): the folders, read-only, and the lines.
: >"$root/etc/gitconfig"
git config --system --get-regexp '^url\..*\.insteadof$' 2>/dev/null | while read -r key value; do
    dir=${key#url.}
    dir=${dir%.insteadof}
    if [ -d "$dir" ]; then git config --file "$root/etc/gitconfig" --add "url.$dir.insteadOf" "$value"; fi
done
for dir in $(git config --file "$root/etc/gitconfig" --get-regexp '^url\.' | sed 's/^url\.\(.*\)\.insteadof .*/\1/' | sort -u); do
    bind_ro "$dir" "$root$dir"
done
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The network's own trust roots (a TLS-inspecting proxy's CA in /usr/local/share/ca-certificates): a machine
# on this network needs them to reach PyPI, as this one does; pip is told to use the system's store.
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    chroot "$root" update-ca-certificates >/dev/null 2>&1 || die "update-ca-certificates failed in the root"
    printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' >"$root/etc/pip.conf"
fi
grep -q localhost "$root/etc/hosts" 2>/dev/null || printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >>"$root/etc/hosts"

# --- the new user's session: clone, then the README's test command -----------------------------------------
log="$logs/fresh-$(date -u +%Y%m%dT%H%M%SZ)-$(echo "$sha" | cut -c1-12).log"
say "testing $sha in $root; log: $log"
started=$(date +%s)
set +e
{
    chroot "$root" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/sh TERM=dumb \
        PATH="$toolchain/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        /bin/sh -c "set -e; cd /root; git clone -q file:///mnt/source.git crm-whatsapp; cd crm-whatsapp
            git -c advice.detachedHead=false checkout -q $sha; echo \"== \$(git log -1 --format='%h %s')\"
            if [ $install = 1 ]; then
                echo '== ./install-host.sh --browser chromium'
                ./install-host.sh --browser chromium
                \$HOME/.local/lib/crm-whatsapp/crm-whatsapp-host --version
                ./install-host.sh status --browser chromium
            fi
            exec ./test.sh" </dev/null 2>&1
    echo $? >"$run/status"
} | tee "$log" &
# In the background and waited for, so that INT or TERM ends the run at once (the shell runs a trap only
# between commands, and `wait` is one it interrupts): the EXIT trap then ends what runs inside the root.
wait $!
status=$(cat "$run/status" 2>/dev/null || echo 1)
set -e
elapsed=$(($(date +%s) - started))
build=$(sed -n 's/.*(swift build --build-tests: \([0-9]*\) s).*/\1/p' "$log" | head -n 1)
say "./test.sh exited $status after ${elapsed} s in all (clone, packages, build ${build:-?} s, tests); log: $log" 2>&1 | tee -a "$log" >&2
exit "$status"

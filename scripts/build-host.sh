#!/bin/sh
# Builds the release crm-whatsapp-host the way users get it and prints the folder that holds it.
# Used by install-host.sh and the benchmarks, so what is measured is what is installed.
#
# On Linux the host is one self-contained, memory-lean binary (docs/performance-targets.md, "How the host
# stays small"):
#   --static-swift-stdlib        the Swift runtime and FoundationEssentials linked in: nothing to resolve
#                                against libswiftCore & co. at start, and only the code used is kept
#   function sections + lld      every function in its own section, so --gc-sections drops what is unused
#                                and --symbol-ordering-file packs the functions a linked host runs
#                                (scripts/host-symbol-order.txt, made by bench/link/profile-order.sh)
#                                together: fewer code pages touched, so a smaller RSS
#   --no-export-dynamic          the executable exports no symbols (nothing loads plugins into it)
#   -z pack-relative-relocs      RELR relocations (glibc >= 2.36 only; checked below)
#   static libstdc++, SQLite, libsodium, zlib   when their archives are installed (Debian's -dev packages
#                                carry them); only libc, libm, libgcc_s and libqrencode stay shared
# Anything missing falls back to the plain release build, with a notice. CRM_WHATSAPP_PLAIN_BUILD=1 forces
# the plain build. On macOS the plain release build is the right one (the Swift runtime is part of the OS).
#
# Usage: scripts/build-host.sh            build, print the bin folder on stdout (build output on stderr)
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
product=crm-whatsapp-host

plain() {
    swift build -c release --product "$product" >&2
    swift build -c release --show-bin-path
}

if [ "$(uname -s)" != Linux ] || [ -n "${CRM_WHATSAPP_PLAIN_BUILD:-}" ]; then
    plain
    exit 0
fi

scratch="$root/.build/host-lean"
static_dir="$scratch/static-libs"
mkdir -p "$static_dir/pkgconfig"

# Static archives, found where the toolchain looks for them. A folder that holds only the archives is put
# first on the search path (as -L from pkg-config files of our own), so -lsqlite3 & co. pick the .a.
archive() {  # archive NAME → path of libNAME.a or nothing
    for dir in /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
        if [ -f "$dir/lib$1.a" ]; then echo "$dir/lib$1.a"; return; fi
    done
}
pkgpath=""
for pair in sqlite3:sqlite3 libsodium:sodium zlib:z; do
    module=${pair%%:*} lib=${pair#*:}
    a=$(archive "$lib")
    if [ -n "$a" ]; then
        ln -sf "$a" "$static_dir/lib$lib.a"
        printf 'Name: %s\nDescription: static %s for the lean host build\nVersion: 0\nLibs: -L%s -l%s\nCflags:\n' \
            "$module" "$lib" "$static_dir" "$lib" > "$static_dir/pkgconfig/$module.pc"
        pkgpath="$static_dir/pkgconfig"
    else
        rm -f "$static_dir/lib$lib.a" "$static_dir/pkgconfig/$module.pc"
    fi
done
stdcxx=$(c++ -print-file-name=libstdc++.a 2>/dev/null || true)
case "$stdcxx" in /*) ln -sf "$stdcxx" "$static_dir/libstdc++.a" ;; *) rm -f "$static_dir/libstdc++.a" ;; esac

set -- --static-swift-stdlib \
    -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xcc -fdata-sections \
    -Xswiftc -use-ld=lld -Xswiftc "-L$static_dir" \
    -Xlinker --no-export-dynamic \
    -Xlinker "--symbol-ordering-file=$root/scripts/host-symbol-order.txt" -Xlinker --no-warn-symbol-ordering

# RELR needs glibc 2.36 where the host runs; this is where it is built and installed.
glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | sed -n 's/^glibc \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
if [ -n "$glibc" ] && [ "${glibc% *}" -ge 2 ] && { [ "${glibc% *}" -gt 2 ] || [ "${glibc#* }" -ge 36 ]; }; then
    set -- "$@" -Xlinker -z -Xlinker pack-relative-relocs
fi

# The link reads scripts/host-symbol-order.txt, which SwiftPM does not track: always relink (a few seconds).
lean_bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path "$@")
rm -f "$lean_bin/$product"
if PKG_CONFIG_PATH="$pkgpath${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" \
    swift build -c release --scratch-path "$scratch" --product "$product" "$@" >&2; then
    echo "$lean_bin"
else
    echo "build-host: the lean Linux build failed (above); building the plain release host instead" >&2
    plain
fi

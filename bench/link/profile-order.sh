#!/bin/sh
# Regenerates scripts/host-symbol-order.txt: the functions the host runs from start through hello, QR linking,
# login, idle and a reconnect, in first-run order, as recorded by valgrind's callgrind during one run of the
# linking benchmark (bench/link). scripts/build-host.sh hands the file to the linker, which packs those
# functions together so a running host touches fewer code pages (docs/performance-targets.md).
# Needs valgrind and the oracle venv (neonize), like bench/link/run.sh. A stale file is harmless: names that
# no longer exist are skipped and new functions are placed after the packed ones; regenerate after large
# changes to what the host runs, and compare bench/link/run.sh's RSS before and after.
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
command -v valgrind >/dev/null || { echo "profile-order: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
bin=$(scripts/build-host.sh)
swift build -c release --product wa-sim >&2
sim=$(swift build -c release --show-bin-path)/wa-sim
venv=${CRM_WHATSAPP_VENV:-$(scripts/oracle-venv.sh)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# valgrind 3.19 cannot read the toolchain's DWARF 5; the symbol table is all it needs.
objcopy --strip-debug "$bin/crm-whatsapp-host" "$work/crm-whatsapp-host"
cat > "$work/host.sh" <<WRAP
#!/bin/sh
exec valgrind --tool=callgrind --demangle=no --dump-instr=no --callgrind-out-file=$work/callgrind.%p $work/crm-whatsapp-host "\$@"
WRAP
chmod +x "$work/host.sh"
"$venv/bin/python" bench/link/bench.py --host "$work/host.sh" --sim "$sim" --python "$venv/bin/python" --runs 2 >&2 || true
set -- "$work"/callgrind.*
[ -s "$1" ] || { echo "profile-order: no profile was written" >&2; exit 1; }
"$venv/bin/python" bench/link/callgrind_functions.py /crm-whatsapp-host "$@" > "$root/scripts/host-symbol-order.txt"
echo "profile-order: $(wc -l < "$root/scripts/host-symbol-order.txt") functions → scripts/host-symbol-order.txt" >&2

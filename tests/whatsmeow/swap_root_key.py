#!/usr/bin/env python3
"""Make a copy of the installed neonize package that pins a different Noise root key.

whatsmeow (inside neonize's Go shared library) pins WhatsApp's Noise root public key
(docs/protocol/lower.md §2.5). To run it against wa-sim, copy the package to DEST/neonize and
replace those 32 bytes in the copy's .so with wa-sim's root public key. The installed package is
never touched; the key must occur exactly once (checked), so a neonize release that moved or
duplicated it fails loudly instead of silently talking to the wrong root.

  swap_root_key.py DEST ROOT_PUBLIC_KEY_HEX      (prints the path to put first on sys.path)
"""
import importlib.util
import os
import shutil
import sys

WHATSAPP_ROOT = bytes.fromhex("142375574d0a587166aae71ebe516437c4a28b73e3695c6ce1f7f9545da8ee6b")
LIBRARY = "neonize-linux-amd64.so"


def installed_package():
    spec = importlib.util.find_spec("neonize")  # finds it without loading the Go library
    if spec is None or not spec.submodule_search_locations:
        sys.exit("neonize is not installed in this interpreter")
    return list(spec.submodule_search_locations)[0]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    dest, key_hex = sys.argv[1], sys.argv[2].strip().lower()
    key = bytes.fromhex(key_hex)
    if len(key) != 32:
        sys.exit("the root public key must be 32 bytes")
    copy = os.path.join(dest, "neonize")
    library = os.path.join(copy, LIBRARY)
    if os.path.isfile(library):
        with open(library, "rb") as handle:
            if handle.read().count(key) == 1:
                print(dest)
                return
    source = installed_package()
    with open(os.path.join(source, LIBRARY), "rb") as handle:
        original = handle.read()
    found = original.count(WHATSAPP_ROOT)
    if found != 1:
        sys.exit(f"WhatsApp's root key occurs {found} times in {LIBRARY}, expected exactly once")
    if key in original:
        sys.exit("the new root key already occurs in the library; use another key")
    if os.path.exists(copy):
        shutil.rmtree(copy)
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    patched = original.replace(WHATSAPP_ROOT, key)
    with open(library, "wb") as handle:
        handle.write(patched)
    assert patched.count(key) == 1 and WHATSAPP_ROOT not in patched
    print(dest)


if __name__ == "__main__":
    main()

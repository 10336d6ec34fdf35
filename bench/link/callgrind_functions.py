#!/usr/bin/env python3
"""Prints, once each and in first-seen order, the functions of one object that a callgrind profile saw run.

Usage: callgrind_functions.py OBJECT_SUFFIX callgrind.out... > order.txt

Reads the profile's compressed names (`ob=(n) path`, `fn=(n) name`, `cob=`/`cfn=` for callees) and keeps the
functions whose object path ends with OBJECT_SUFFIX. Run callgrind with --demangle=no so the names are the
symbols the linker knows; the "'2" suffixes callgrind adds for recursion levels are dropped. The result is a
linker symbol ordering file (scripts/host-symbol-order.txt): see bench/link/profile-order.sh.
"""
import re
import sys

ENTRY = re.compile(r"^(ob|cob|fn|cfn)=\((\d+)\)(?: (.*))?$")


def functions(path, suffix, seen, out):
    objects, names = {}, {}
    current_object = callee_object = None
    with open(path, errors="replace") as profile:
        for line in profile:
            match = ENTRY.match(line.rstrip("\n"))
            if not match:
                continue
            kind, number, name = match.groups()
            if kind in ("ob", "cob"):
                if name:
                    objects[number] = name
                if kind == "ob":
                    current_object, callee_object = objects.get(number), None
                else:
                    callee_object = objects.get(number)
                continue
            if name:
                names[number] = name
            obj = current_object if kind == "fn" else (callee_object or current_object)
            callee_object = None  # a cob= applies to the one cfn= that follows it
            function = re.sub(r"'\d+$", "", names.get(number, ""))
            if not obj or not obj.endswith(suffix) or not function or function.startswith(("0x", "(")):
                continue
            if function not in seen:
                seen.add(function)
                out.append(function)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    seen, out = set(), []
    for path in sys.argv[2:]:
        functions(path, sys.argv[1], seen, out)
    sys.stdout.write("".join(name + "\n" for name in out))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Rewrites old-style document references into the in-repository ones that
tests/suites/15-doc-references.sh accepts, for code written before docs/ existed.

  - the team documents that used to live beside the checkout, by any spelling (with or without a
    `../…/` prefix or `.md`), become their docs/ files: wa-protocol-lower → docs/protocol/lower.md,
    wa-protocol-upper → docs/protocol/upper.md, test-oracles, native-messaging, dependencies,
    performance-targets → docs/<same>.md, original-system → docs/original-contract.md,
    style-anchors → docs/house-style.md (its §2.N becomes §N, §1.13 becomes §10);
  - short forms `lower §5.3` / `upper §1.7` / `lower.md §5.3` get the full path;
  - a § that names no document (`(§6.2)`) gets the latest document cited before it in the same file
    that has such a numbered heading (docs/protocol/ first), when suite 15 would not already accept it.

usage: python3 scripts/fix-doc-references.py [--write] [PATH ...]   (default: the whole repository)
Without --write it only prints what it would change. Run suite 15 afterwards: what it still reports
needs a human (typically a bare § in a file that cites no document before it).
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKIP_DIRS = {".git", "test-artifacts", "node_modules", "__pycache__"}
SKIP_FILES = {os.path.join("tests", "suites", "15-doc-references.sh"), os.path.join("scripts", "fix-doc-references.py")}
TEAM = "shared"
NB = r"(?<![\w/.-])"                                   # not already inside a path
PRE = r"(?:(?:\.\./)*" + TEAM + r"/docs/)?"
END = r"(?:\.md|(?=[`'\"]?\s?§))"                       # `.md`, or directly followed by a §
RENAMES = [
    ("wa-protocol-lower", "docs/protocol/lower.md"),
    ("wa-protocol-upper", "docs/protocol/upper.md"),
    ("test-oracles", "docs/test-oracles.md"),
    ("native-messaging", "docs/native-messaging.md"),
    ("original-system", "docs/original-contract.md"),
    ("dependencies", "docs/dependencies.md"),
    ("performance-targets", "docs/performance-targets.md"),
]
RENAME_SUBS = [(re.compile(NB + PRE + re.escape(old) + END), old, new) for old, new in RENAMES]
SUBS = [
    (re.compile(r"(?:(?:\.\./)*" + TEAM + r"/docs/)" + r"([\w-]+\.md)"), None),   # reported, not guessed
    (re.compile(NB + r"[Ll]ower(?:\.md)?(?=\s?§)"), "docs/protocol/lower.md"),
    (re.compile(NB + r"[Uu]pper(?:\.md)?(?=\s?§)"), "docs/protocol/upper.md"),
    (re.compile(r"docs/native-messaging\.md,\s*\"?Firefox(?:, tested here\")?"), "docs/native-messaging.md §4"),
]
STYLE = re.compile(NB + PRE + r"style-anchors(?:\.md)?(`?)(\s?§\s?(\d+(?:\.\d+)*)((?:\s*(?:/|,|and)\s*§\s?\d+(?:\.\d+)*)*))?")

SEC = r"(?:\d+(?:\.\d+)*|[A-Z][A-Za-z]*)"
SECTION = re.compile(r"§\s?(" + SEC + r")")
MD_BEFORE = re.compile(r"([\w./+-]+\.md)[`'\"]?\s*$")
EXTERNAL_BEFORE = re.compile(
    r"(?:RFC\s*\d+|Noise(?:\s+spec(?:\s+rev\.\s*\d+)?,?)?|(?:W3C\s+)?WebAuthn|FIPS[\s-]*\d+|SP\s*800-\d+\w*)\s*$")


def house_section(sec):
    if sec.startswith("2.") and sec.count(".") == 1:
        return sec[2:]
    return {"1.13": "10"}.get(sec)


def style_repl(m):
    tick, whole, first, rest = m.group(1), m.group(2), m.group(3), m.group(4) or ""
    if not whole:
        return "docs/house-style.md" + tick
    secs = [first] + re.findall(r"§\s?(\d+(?:\.\d+)*)", rest)
    mapped = [house_section(s) for s in secs]
    kept = [s for s in mapped if s]
    if not kept:
        return "docs/house-style.md" + tick
    return "docs/house-style.md" + tick + " " + ", ".join("§" + s for s in kept)


def named_before(line, start):
    before = line[:start]
    md = MD_BEFORE.search(before)
    if md:
        return "doc", md.group(1)
    if EXTERNAL_BEFORE.search(before):
        return "external", None
    return None, None


HEADINGS = {}


def doc_headings(doc):
    """Numbered headings of a docs/ file of this repository (empty if it does not exist)."""
    if doc not in HEADINGS:
        path = os.path.join(ROOT, doc)
        text = open(path, encoding="utf-8").read() if os.path.isfile(path) else ""
        HEADINGS[doc] = set(re.findall(r"^#{1,6}\s+§?(\d+(?:\.\d+)*)", text, re.M))
    return HEADINGS[doc]


def pick(cited, sec):
    """The document a bare §sec most likely means: the latest cited protocol document with that
    heading, else the latest cited document with it; None when no cited document has it."""
    with_heading = [d for d in reversed(cited) if sec in doc_headings(d)]
    protocol = [d for d in with_heading if d.startswith("docs/protocol/")]
    return (protocol or with_heading or [None])[0]


def fix_bare(text, is_md):
    heads = set(re.findall(r"^#{1,6}\s+§?(\d+(?:\.\d+)*)", text, re.M)) if is_md else set()
    out, cited, carry, changes = [], [], None, 0
    for number, line in enumerate(text.split("\n"), 1):
        offset, prev_end, prev_kind = 0, None, None
        if "§" not in line and re.search(r"\bRFC\s*\d+", line):
            carry = number                                # "RFC 8259 …" wrapping onto "… (§8.1)"
        for m in list(SECTION.finditer(line)):
            target = None
            s, e = m.start() + offset, m.end() + offset
            kind, doc = named_before(line, s)
            if kind is None and prev_end is not None and len(line[prev_end:s]) <= 40 \
                    and ";" not in line[prev_end:s] and ".md" not in line[prev_end:s]:
                kind = prev_kind                          # continues the previous citation on the line
            if kind is None and carry and number - carry <= 2:
                kind = "carried"                          # a wrapped sentence: suite 15 accepts it
            target = pick(cited, m.group(1)) if kind is None and not (is_md and m.group(1) in heads) else None
            if target:
                insert = target + " "
                line = line[:s] + insert + line[s:]
                offset += len(insert)
                s, e = s + len(insert), e + len(insert)
                kind, changes = "doc", changes + 1
            if kind == "doc" and (doc or "").startswith("docs/"):
                cited.append(doc)
            elif kind == "doc" and target:
                cited.append(target)
            if kind in ("doc", "external", "carried"):
                carry = number
            prev_end, prev_kind = e, kind
        out.append(line)
    return "\n".join(out), changes


def fix(text, is_md, here):
    n = 0
    text, k = STYLE.subn(style_repl, text)
    n += k
    for rx, old, new in RENAME_SUBS:
        # a relative link to a file that exists next to this one (docs/README.md) is already right
        local = os.path.exists(os.path.join(here, old + ".md"))
        text, k = rx.subn(lambda m: m.group(0) if local and m.group(0) == old + ".md" else new, text)
        n += 0 if local else k
    for rx, new in SUBS:
        if new is None:
            for m in rx.finditer(text):
                print(f"  unknown outside document, fix by hand: {m.group(0)}", file=sys.stderr)
            continue
        text, k = rx.subn(new, text)
        n += k
    text, k = fix_bare(text, is_md)
    return text, n + k


def files(paths):
    for top in paths:
        if os.path.isfile(top):
            yield top
            continue
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".build"))
            for name in sorted(filenames):
                yield os.path.join(dirpath, name)


def main():
    args = sys.argv[1:]
    write = "--write" in args
    paths = [a for a in args if a != "--write"] or [ROOT]
    total = 0
    for path in files(paths):
        if os.path.relpath(os.path.abspath(path), ROOT) in SKIP_FILES:
            continue
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (UnicodeDecodeError, OSError):
            continue
        new, n = fix(text, path.endswith(".md"), os.path.dirname(os.path.abspath(path)))
        if new == text:
            continue
        total += n
        print(f"{path}: {n} reference(s)")
        for a, b in zip(text.split("\n"), new.split("\n")):
            if a != b:
                print(f"  - {a.strip()}\n  + {b.strip()}")
        if write:
            with open(path, "w", encoding="utf-8") as f:
                f.write(new)
    print(f"{total} reference(s) {'rewritten' if write else 'to rewrite (dry run; pass --write)'}")


if __name__ == "__main__":
    main()

#!/bin/sh
# Every document reference in the repository resolves inside the repository (docs/README.md):
#   - no file mentions the team folder that lives beside the checkout (a `../`-path to a `shared`
#     folder that is not in the repository, or the `shared` + `/docs` folder);
#   - every `<path>.md §X` citation names a file that exists (relative to the repository root or to the
#     citing file) with a heading numbered X (`## 5.`, `### 5.3 …`), or titled X for named sections
#     (`PROTOCOL.md §Envelope`);
#   - a § that follows no file name is a short form (`lower §5.3`) and fails, except after an outside
#     specification (`RFC 7748 §5`, `Noise §5.2`) and, inside a Markdown file, for its own headings;
#     a single capital letter (`§N`, `§X`) is a placeholder, not a reference.
# Several sections after one file name (`docs/protocol/lower.md §3.3 and §5.5`) all belong to that file,
# also when the sentence wraps onto the next line or two.
# Prints file:line for every offence. POSIX sh + python3, no network.
set -eu
cd "$(dirname "$0")/../.."
exec python3 - "$@" <<'PY'
import os
import re
import sys

ROOT = os.getcwd()
# This check and its fixer show in their comments the forms they reject.
SELF = {os.path.join("tests", "suites", "15-doc-references.sh"), os.path.join("scripts", "fix-doc-references.py")}
RFC = re.compile(r"\bRFC\s*\d+")
SKIP_DIRS = {".git", "test-artifacts", "node_modules", "__pycache__"}
TEAM = "shared"                                   # the outside folder's name, spelled so this file passes
OUTSIDE_DOCS = re.compile(re.escape(TEAM + "/docs") + "|/work/" + re.escape(TEAM) + r"\b")
UP_TO_TEAM = re.compile(r"((?:\.\./)+" + re.escape(TEAM) + r"\b[\w./-]*)")

SEC = r"(?:\d+(?:\.\d+)*|[A-Z][A-Za-z]*)"
SECTION = re.compile(r"§\s?(" + SEC + r")")
MD_BEFORE = re.compile(r"([\w./+-]+\.md)[`'\"]?\s*$")
EXTERNAL_BEFORE = re.compile(
    r"(?:RFC\s*\d+|Noise(?:\s+spec(?:\s+rev\.\s*\d+)?,?)?|(?:W3C\s+)?WebAuthn|FIPS[\s-]*\d+|SP\s*800-\d+\w*)\s*$")
SHORT_BEFORE = re.compile(
    r"(?:wa-protocol-lower|wa-protocol-upper|lower|upper|Lower|Upper|test-oracles|style-anchors|native-messaging"
    r"|original-system|original-contract|dependencies|performance-targets|house-style|wa-passkey-linking"
    r"|product-anchors|frappe-crm)\s*$")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
NUMBERED = re.compile(r"^§?(\d+(?:\.\d+)*)\.?(?:\s|$)")


def citations(line):
    """(start, end, kind, doc, section) for every § on the line; kind is doc, external, short or bare."""
    found = []
    for m in SECTION.finditer(line):
        before, sec = line[:m.start()], m.group(1)
        md = MD_BEFORE.search(before)
        if md:
            found.append((m.start(), m.end(), "doc", md.group(1), sec))
        elif EXTERNAL_BEFORE.search(before):
            found.append((m.start(), m.end(), "external", None, sec))
        elif SHORT_BEFORE.search(before):
            found.append((m.start(), m.end(), "short", SHORT_BEFORE.search(before).group(0).strip(), sec))
        elif found and found[-1][2] != "short" and len(line[found[-1][1]:m.start()]) <= 40 \
                and ";" not in line[found[-1][1]:m.start()] and ".md" not in line[found[-1][1]:m.start()]:
            prev = found[-1]
            found.append((m.start(), m.end(), prev[2], prev[3], sec))
        else:
            found.append((m.start(), m.end(), "bare", None, sec))
    return found


heading_cache = {}


def headings(path):
    if path not in heading_cache:
        numbers, titles = set(), []
        with open(path, encoding="utf-8", errors="replace") as f:
            fence = False
            for line in f:
                if line.startswith("```"):
                    fence = not fence
                    continue
                h = None if fence else HEADING.match(line)
                if h:
                    title = h.group(1).replace("`", "").strip()
                    titles.append(title)
                    n = NUMBERED.match(title)
                    if n:
                        numbers.add(n.group(1))
        heading_cache[path] = (numbers, titles)
    return heading_cache[path]


def has_section(path, sec):
    numbers, titles = headings(path)
    if sec[0].isdigit():
        return sec in numbers
    return any(t.startswith(sec) for t in titles)


def resolve(doc, here):
    doc = doc.lstrip("`'\"")
    for base in (ROOT, os.path.dirname(here)):
        p = os.path.normpath(os.path.join(base, doc))
        if (p == ROOT or p.startswith(ROOT + os.sep)) and os.path.isfile(p):
            return p
    return None


problems = []
for dirpath, dirnames, filenames in os.walk(ROOT):
    dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".build"))
    for name in sorted(filenames):
        path = os.path.join(dirpath, name)
        rel = os.path.relpath(path, ROOT)
        if rel in SELF:
            continue
        try:
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
        except (UnicodeDecodeError, OSError):
            continue
        is_md = name.endswith(".md")
        carry = None   # (line number, kind, document) of the last named citation
        for number, line in enumerate(lines, 1):
            where = f"{rel}:{number}"
            if OUTSIDE_DOCS.search(line):
                problems.append(f"{where}: points at the team folder outside the repository: {line.strip()[:120]}")
            for m in UP_TO_TEAM.finditer(line):
                target = os.path.normpath(os.path.join(dirpath, m.group(1)))
                if not (target.startswith(ROOT + os.sep) and os.path.exists(target)):
                    problems.append(f"{where}: '{m.group(1)}' leaves the repository")
            if "§" not in line:
                if RFC.search(line):
                    carry = (number, "external", None)   # "RFC 8259 …" wrapping onto "… (§8.1)"
                continue
            found = citations(line)
            for i, (start, end, kind, doc, sec) in enumerate(found):
                # A sentence wrapped onto the next line or two keeps the document named just before it.
                if kind == "bare" and is_md and has_section(path, sec):
                    continue                              # a Markdown file's own section
                if kind == "bare" and carry and number - carry[0] <= 2:
                    kind, doc = carry[1], carry[2]
                    found[i] = (start, end, kind, doc, sec)
                if kind == "external" or len(sec) == 1 and sec.isalpha():   # §N, §X: placeholders
                    continue
                if kind == "short":
                    guess = "docs/protocol/upper.md" if "upper" in doc.lower() else "docs/protocol/lower.md"
                    problems.append(f"{where}: '{doc} §{sec}' is a short form; cite the file, e.g. {guess} §{sec}")
                elif kind == "bare":
                    if is_md and has_section(path, sec):
                        continue
                    what = "no such heading in this file" if is_md else "no document named before it"
                    problems.append(f"{where}: '§{sec}': {what}; cite the file, e.g. docs/protocol/lower.md §{sec}")
                else:
                    target = resolve(doc, path)
                    if target is None:
                        problems.append(f"{where}: '{doc} §{sec}': no such file in the repository")
                    elif not has_section(target, sec):
                        problems.append(f"{where}: '{doc} §{sec}': {os.path.relpath(target, ROOT)} has no heading {sec}")
            named = [c for c in found if c[2] in ("doc", "external")]
            if named:
                carry = (number, named[-1][2], named[-1][3])

for p in problems:
    print(p)
if problems:
    print(f"15-doc-references: {len(problems)} unresolved reference(s); the documents are indexed in docs/README.md",
          file=sys.stderr)
    sys.exit(1)
print("15-doc-references: every document reference resolves")
PY

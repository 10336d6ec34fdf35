#!/usr/bin/env python3
"""Binary node oracle: our WABinary codec against pyaileys' independent `wabinary` (a Baileys port).

Usage: binary_oracle.py <dir>
  Reads  <dir>/swift.json   [{"node": NODE, "hex": frame from Swift, "byteExact": bool}]
         - pyaileys encodes NODE; when byteExact, its bytes must equal Swift's (byteExact is false only
           where the two encoders legitimately differ, e.g. a typed server JID `fa 00 03` vs Baileys' token
           `03`, or FB/interop JIDs Baileys cannot write; docs/test-oracles.md §2 caveats);
         - pyaileys decodes Swift's bytes, and the result must mean the same as NODE.
  Writes <dir>/python.json  [{"node": NODE, "hex": frame from pyaileys, "byteExact": bool}] for Swift to
         decode (and, when byteExact, re-encode to the same bytes).
NODE = {"tag": str, "attrs": [[key, VALUE]], "content": null | {"bytes": hex} | {"string": str} |
        {"jid": JID} | {"nodes": [NODE]}}, VALUE = {"string": str} | {"jid": JID},
JID = {"user", "agent", "device", "integrator", "server", "baileys": the Baileys string form}.
"""
import json
import pathlib
import sys

from pyaileys.wabinary import BinaryNode, decode_binary_node, encode_binary_node


def to_pyaileys(node: dict) -> BinaryNode:
    attrs = {}
    for key, value in node["attrs"]:
        attrs[key] = value["string"] if "string" in value else value["jid"]["baileys"]
    content = node["content"]
    if content is None:
        data = None
    elif "bytes" in content:
        data = bytes.fromhex(content["bytes"])
    elif "string" in content:
        data = content["string"]
    elif "jid" in content:
        data = content["jid"]["baileys"]
    else:
        data = [to_pyaileys(child) for child in content["nodes"]]
    return BinaryNode(tag=node["tag"], attrs=attrs, content=data)


def jid_tuple(text: str):
    """(user, device, integrator, server) of a Baileys-style JID string; device None counts as 0."""
    user_part, _, server = text.rpartition("@")
    if not _:
        return ("", 0, 0, text)
    integrator = 0
    if server == "interop" and "-" in user_part:
        head, _, user_part = user_part.partition("-")
        integrator = int(head)
    user, _, device = user_part.partition(":")
    return (user, int(device or 0), integrator, server)


def same_jid(text: str, jid: dict) -> bool:
    return jid_tuple(text) == (jid["user"], jid["device"], jid["integrator"], jid["server"])


def same_value(theirs, ours: dict) -> bool:
    if "string" in ours:
        return theirs == ours["string"]
    return isinstance(theirs, str) and same_jid(theirs, ours["jid"])


def compare(theirs: BinaryNode, ours: dict, path: str) -> list[str]:
    problems = []
    here = f"{path}/{ours['tag']}"
    if theirs.tag != ours["tag"]:
        return [f"{here}: tag {theirs.tag!r}"]
    if set(theirs.attrs) != {key for key, _ in ours["attrs"]}:
        problems.append(f"{here}: attribute keys {sorted(theirs.attrs)}")
    for key, value in ours["attrs"]:
        if key in theirs.attrs and not same_value(theirs.attrs[key], value):
            problems.append(f"{here}@{key}: {theirs.attrs[key]!r} vs {value}")
    content = ours["content"]
    data = theirs.content
    if content is None:
        if data not in (None, []):
            problems.append(f"{here}: unexpected content {data!r}")
    elif "bytes" in content:
        if not isinstance(data, (bytes, bytearray)) or bytes(data).hex() != content["bytes"]:
            problems.append(f"{here}: bytes differ")
    elif "string" in content or "jid" in content:
        if not same_value(data, content):
            problems.append(f"{here}: content {data!r} vs {content}")
    else:
        children = data if isinstance(data, list) else []
        if len(children) != len(content["nodes"]):
            problems.append(f"{here}: {len(children)} children vs {len(content['nodes'])}")
        for child, expected in zip(children, content["nodes"]):
            problems.extend(compare(child, expected, here))
    return problems


def check_swift(entries: list) -> tuple[list[str], int]:
    failures, exact = [], 0
    for number, entry in enumerate(entries):
        label = f"swift[{number}] <{entry['node']['tag']}>"
        ours = bytes.fromhex(entry["hex"])
        if entry["byteExact"]:
            exact += 1
            theirs = encode_binary_node(to_pyaileys(entry["node"]))
            if theirs != ours:
                failures.append(f"{label}: bytes differ\n  pyaileys: {theirs.hex()}\n  swift:    {ours.hex()}")
        try:
            decoded = decode_binary_node(ours)
        except Exception as error:  # noqa: BLE001 - any failure is a finding
            failures.append(f"{label}: pyaileys cannot decode: {error}")
            continue
        failures.extend(f"{label}: {p}" for p in compare(decoded, entry["node"], ""))
    return failures, exact


def jid(user, server, device=0, integrator=0, baileys=None) -> dict:
    if baileys is None:
        baileys = f"{user}:{device}@{server}" if device else f"{user}@{server}"
    return {"user": user, "agent": 0, "device": device, "integrator": integrator, "server": server, "baileys": baileys}


def node(tag, attrs=(), content=None) -> dict:
    return {"tag": tag, "attrs": [list(a) for a in attrs], "content": content}


def s(text):
    return {"string": text}


def j(value):
    return {"jid": value}


def python_corpus() -> list:
    """Nodes built and encoded by pyaileys, as Baileys sends them (JIDs given as strings)."""
    me = jid("15551234567", "s.whatsapp.net", device=3)
    group = jid("120363025246125486", "g.us")
    lid = jid("123456789012345", "lid", device=7)
    server = jid("", "s.whatsapp.net", baileys="@s.whatsapp.net")
    enc = bytes(range(256)) * 3
    nodes = [
        node("iq", [("id", s("abc.123-4")), ("to", s("s.whatsapp.net")), ("type", s("get")), ("xmlns", s("w:p"))],
             {"nodes": [node("ping")]}),
        node("iq", [("to", j(server)), ("type", s("set")), ("xmlns", s("passive")), ("id", s("7"))],
             {"nodes": [node("active")]}),
        node("message", [("to", j(group)), ("type", s("text")), ("id", s("3EB0A1B2C3D4E5F6A7B8"))], {"nodes": [
            node("participants", [], {"nodes": [
                node("to", [("jid", j(me))], {"nodes": [
                    node("enc", [("v", s("2")), ("type", s("pkmsg"))], {"bytes": enc.hex()})]}),
                node("to", [("jid", j(lid))], {"nodes": [
                    node("enc", [("v", s("2")), ("type", s("msg"))], {"bytes": "00ff"})]}),
            ]}),
            node("enc", [("v", s("2")), ("type", s("skmsg"))], {"bytes": bytes(300).hex()}),
        ]}),
        node("receipt", [("id", s("ABCDEF")), ("to", j(me)), ("type", s("read")), ("t", s("1764000000")),
                         ("participant", j(lid))]),
        node("ack", [("class", s("message")), ("id", s("X1")), ("to", j(group)), ("participant", j(me))]),
        node("notification", [("from", j(server)), ("type", s("encrypt")), ("id", s("99"))],
             {"nodes": [node("count", [("value", s("5"))])]}),
        node("pair-device", [], {"nodes": [node("ref", [], {"bytes": b"2@AbCdEf+/=".hex()}) for _ in range(6)]}),
        node("link_code_companion_reg", [("stage", s("companion_hello")), ("jid", j(jid("15551234567", "s.whatsapp.net")))],
             {"nodes": [node("link_code_pairing_nonce", [], s("0"))]}),
        node("presence", [("name", s("Zoë <&> \"q\"")), ("type", s("available")), ("empty", s(""))]),
        node("user", [("jid", j(jid("55", "hosted", device=1))), ("alt", j(jid("55", "hosted.lid", device=2)))]),
        node("big", [], {"bytes": bytes(70000).hex()}),
        node("huge", [], {"bytes": (b"\x01" * ((1 << 20) + 5)).hex()}),
        node("list", [], {"nodes": [node("item", [("n", s(str(i)))]) for i in range(300)]}),
        node("hex", [("v", s("DEADBEEF")), ("odd", s("ABC")), ("n", s("12.34-5"))], s("0123456789ABCDEF")),
        node("text", [], s("not-a-token-string")),
    ]
    entries = []
    for item in nodes:
        entries.append({"node": item, "hex": encode_binary_node(to_pyaileys(item)).hex(), "byteExact": True})
    return entries


def main() -> int:
    directory = pathlib.Path(sys.argv[1])
    swift = json.loads((directory / "swift.json").read_text())
    failures, exact = check_swift(swift)
    python = python_corpus()
    (directory / "python.json").write_text(json.dumps(python, ensure_ascii=False))
    for failure in failures:
        print("FAIL", failure)
    print(f"binary oracle: {len(swift)} Swift frames decoded by pyaileys, {exact} compared byte for byte, "
          f"{len(failures)} failures; wrote {len(python)} pyaileys frames")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

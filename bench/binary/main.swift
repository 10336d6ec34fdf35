// Binary node encode/decode throughput (docs/performance-targets.md §1: "binary node encode / decode").
// Compiled by run.sh together with Sources/WABinary/*.swift into one optimized executable (no SwiftPM release
// build of the package), so WABinary's types are in this module.
//
// Usage: binary-bench <corpus-out-file> <seconds-per-measurement>
// Writes the corpus frames (hex, one per line) for the Python baseline, then prints one JSON line.
// `binary-bench profile <encode|decode> <passes>` only runs the codec over the corpus, for
// `valgrind --tool=callgrind`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func realisticCorpus() -> [BinaryNode] {
    var nodes: [BinaryNode] = []
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    func random() -> UInt64 {
        seed ^= seed << 13
        seed ^= seed >> 7
        seed ^= seed << 17
        return seed
    }
    func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: random()) } }
    func user() -> String { String(15_550_000_000 + random() % 10_000_000) }
    func messageID() -> String { "3EB0" + String(random() % 0xFFFF_FFFF_FFFF, radix: 16, uppercase: true) }
    for index in 0..<1000 {
        let peer = JID(user: user(), server: JID.userServer)
        let device = JID(user: user(), device: UInt16(1 + random() % 20), server: JID.userServer)
        let lid = JID(user: String(100_000_000_000_000 + random() % 1_000_000_000), device: UInt16(random() % 5), server: JID.hiddenUserServer)
        switch index % 5 {
        case 0:  // outgoing 1:1 text to 3 devices
            nodes.append(BinaryNode(
                tag: "message", attributes: ["id": .string(messageID()), "type": "text", "to": .jid(peer), "t": "1764000000"],
                children: [
                    BinaryNode(tag: "participants", children: (0..<3).map { _ in
                        BinaryNode(tag: "to", attributes: ["jid": .jid(device)], children: [
                            BinaryNode(tag: "enc", attributes: ["v": "2", "type": "msg"], bytes: bytes(120 + Int(random() % 60)))
                        ])
                    }),
                    BinaryNode(tag: "device-identity", bytes: bytes(160)),
                ]))
        case 1:  // receipt
            nodes.append(BinaryNode(
                tag: "receipt", attributes: ["id": .string(messageID()), "from": .jid(lid), "participant": .jid(device), "t": "1764000001", "type": "read"]))
        case 2:  // incoming message
            nodes.append(BinaryNode(
                tag: "message", attributes: ["from": .jid(device), "id": .string(messageID()), "notify": "Alice", "t": "1764000002", "type": "text"],
                children: [BinaryNode(tag: "enc", attributes: ["v": "2", "type": "pkmsg"], bytes: bytes(400))]))
        case 3:  // prekey upload fragment
            nodes.append(BinaryNode(
                tag: "iq", attributes: ["id": .string(messageID()), "to": .jid(.serverJID), "type": "set", "xmlns": "encrypt"],
                children: [
                    BinaryNode(tag: "registration", bytes: bytes(4)),
                    BinaryNode(tag: "type", bytes: [5]),
                    BinaryNode(tag: "identity", bytes: bytes(32)),
                    BinaryNode(tag: "list", children: (0..<10).map { _ in
                        BinaryNode(tag: "key", children: [BinaryNode(tag: "id", bytes: bytes(3)), BinaryNode(tag: "value", bytes: bytes(32))])
                    }),
                ]))
        default:  // notification
            nodes.append(BinaryNode(
                tag: "notification", attributes: ["from": .jid(JID(user: "120363" + user(), server: JID.groupServer)), "type": "w:gp2", "id": .string(String(random() % 100_000)), "participant": .jid(lid), "t": "1764000003"],
                children: [BinaryNode(tag: "add", children: [BinaryNode(tag: "participant", attributes: ["jid": .jid(peer)])])]))
        }
    }
    return nodes
}

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Repeats `body` over the corpus for at least `seconds`, returning bytes per second (median of 5 runs).
func throughput(bytesPerPass: Int, seconds: Double, _ body: () throws -> Void) rethrows -> Double {
    var rates: [Double] = []
    for _ in 0..<5 {
        var passes = 0
        let start = now()
        repeat {
            try body()
            passes += 1
        } while now() - start < seconds / 5
        rates.append(Double(bytesPerPass * passes) / (now() - start))
    }
    return rates.sorted()[2]
}

let arguments = CommandLine.arguments
if arguments.count == 4, arguments[1] == "profile", let passes = Int(arguments[3]) {
    let corpus = realisticCorpus()
    let frames = try corpus.map { try BinaryFrame.encode($0) }
    var sink = 0
    for _ in 0..<passes {
        if arguments[2] == "encode" {
            for node in corpus { sink &+= try BinaryFrame.encode(node).count }
        } else {
            for frame in frames { sink &+= try BinaryFrame.decode(frame).attributes.count }
        }
    }
    print(sink % 2)
    exit(0)
}
let corpusPath = arguments.count > 1 ? arguments[1] : "/tmp/binary-bench-corpus.txt"
let seconds = arguments.count > 2 ? Double(arguments[2]) ?? 3 : 3
let corpus = realisticCorpus()
let frames = try corpus.map { try BinaryFrame.encode($0) }
let totalBytes = frames.reduce(0) { $0 + $1.count }
let digits = Array("0123456789abcdef".utf8)
var text = ""
for frame in frames {
    var line: [UInt8] = []
    for byte in frame { line.append(digits[Int(byte >> 4)]); line.append(digits[Int(byte & 15)]) }
    text += String(decoding: line, as: UTF8.self) + "\n"
}
if let file = fopen(corpusPath, "w") {
    fputs(text, file)
    fclose(file)
}
var sink = 0
let encode = try throughput(bytesPerPass: totalBytes, seconds: seconds) {
    for node in corpus { sink &+= try BinaryFrame.encode(node).count }
}
let decode = try throughput(bytesPerPass: totalBytes, seconds: seconds) {
    for frame in frames { sink &+= try BinaryFrame.decode(frame).attributes.count }
}
print("{\"nodes\": \(corpus.count), \"bytes\": \(totalBytes), \"encode_MBps\": \(encode / 1e6), \"decode_MBps\": \(decode / 1e6), \"sink\": \(sink % 2)}")

import Foundation
import Testing

/// Starts the real binary and feeds it hostile byte streams: every input gets a typed error or a
/// clean exit, never a crash or a hang, and valid requests after bad ones still work.
extension HostBinaryTests {
@Suite struct HostileStreamTests {
    func expectClean(_ run: HostRun, status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!run.timedOut, "host hung", sourceLocation: sourceLocation)
        #expect(!run.crashed, "host crashed: \(run.stderr.suffix(2000))", sourceLocation: sourceLocation)
        #expect(run.status == status, "exit status", sourceLocation: sourceLocation)
    }

    @Test func helloAndPingAreAnswered() throws {
        let run = try #require(HostProcess.run(input: frame(helloRequest) + frame(#"{"id":2,"type":"host.ping"}"#)))
        expectClean(run)
        let frames = run.frames()
        #expect(frames.count == 2)
        #expect(frames.first?.hasPrefix(#"{"id":1,"result":{"engine":{"state":"unlinked"},"hostVersion":"0.1.0","protocolVersion":1,"storePath":""#) == true)
        #expect(frames.last == #"{"id":2,"result":{"pong":true}}"#)
        // The engine starts at hello: with no account linked it reports `unlinked` and connects nowhere.
        #expect(run.events().contains(#"{"payload":{"state":"unlinked"},"type":"engine.state"}"#))
    }

    @Test func endOfInputExitsZero() throws {
        let run = try #require(HostProcess.run(input: []))
        expectClean(run)
        #expect(run.stdout.isEmpty)
    }

    @Test func fourGigabyteLengthIsRejectedAndTheHostExitsCleanlyAtEOF() throws {
        let run = try #require(HostProcess.run(input: [0xFF, 0xFF, 0xFF, 0xFF] + Array("garbage".utf8)))
        expectClean(run)
        #expect(run.frames().map { $0.contains(#""code":5"#) && $0.hasSuffix(#""id":null}"#) } == [true])
    }

    @Test func oversizedFrameIsSkippedAndTheNextRequestIsAnswered() throws {
        let oversized = frame([UInt8](repeating: 0x20, count: 8 * 1024 * 1024 + 1))
        let run = try #require(HostProcess.run(input: oversized + frame(helloRequest)))
        expectClean(run)
        let frames = run.frames()
        #expect(frames.count == 2)
        #expect(frames.first?.contains(#""code":5,"data":{"length":8388609,"limit":8388608}"#) == true)
        #expect(frames.last?.hasPrefix(#"{"id":1,"result":"#) == true)
    }

    @Test func truncatedFrameAtEOFExitsZero() throws {
        let run = try #require(HostProcess.run(input: frame(helloRequest) + Array(frame(helloRequest).dropLast(5))))
        expectClean(run)
        #expect(run.frames().count == 1)
        let partialHeader = try #require(HostProcess.run(input: [0x10, 0x00]))
        expectClean(partialHeader)
        #expect(partialHeader.stdout.isEmpty)
    }

    @Test func badFramesGetTypedErrorsAndLaterRequestsWork() throws {
        let bad: [[UInt8]] = [
            [0xFF, 0xFE, 0x7B],  // invalid UTF-8
            Array("{\"id\":1,".utf8),  // invalid JSON
            [],  // empty frame
            Array("[1,2]".utf8),  // not an object
            Array(#"{"id":true,"type":"host.ping"}"#.utf8),  // wrong id type
            Array(#"{"id":3,"type":42}"#.utf8),  // wrong type type
            Array(#"{"id":4,"type":"host.nope"}"#.utf8),  // unknown type
            Array(#"{"id":5,"type":"host.hello","payload":"x"}"#.utf8),  // bad payload
            Array(#"{"id":1e400,"type":"host.ping"}"#.utf8),  // huge number id
            Array(#"{"id":123456789012345678901234567890,"type":"host.ping"}"#.utf8),
            Array("{\"id\":\"\(String(repeating: "i", count: 100_000))\",\"type\":\"host.ping\"}".utf8),  // huge string id
            Array(String(repeating: "[", count: 50_000).utf8),  // deep nesting
            Array(#"{"id":6,"type":"message.send","payload":{"to":"1","text":"t","clientMessageId":"c"}}"#.utf8),
        ]
        let run = try #require(HostProcess.run(input: bad.flatMap(frame) + frame(helloRequest)))
        expectClean(run)
        let frames = run.frames()
        #expect(frames.count == bad.count + 1)
        let codes = frames.compactMap { frame in
            (try? JSONSerialization.jsonObject(with: Data(frame.utf8)) as? [String: Any])
                .flatMap { ($0["error"] as? [String: Any])?["code"] as? Int }
        }
        // Replies to requests that wait on the engine (message.send, hello) may overtake each other: they
        // are matched by id, not order. Every other reply comes in request order.
        #expect(codes.filter { $0 != 20 } == [1, 1, 1, 2, 2, 2, 3, 4, 1, 2, 2, 1])
        #expect(codes.filter { $0 == 20 }.count == 1)
        #expect(frames.contains { $0.hasPrefix(#"{"id":1,"result":{"engine""#) })
    }

    @Test func thousandsOfPipelinedRequestsAreAnsweredInOrder() throws {
        let count = 5000
        var input: [UInt8] = []
        for id in 0..<count { input += frame(#"{"id":\#(id),"type":"host.ping","payload":{"echo":\#(id)}}"#) }
        let run = try #require(HostProcess.run(input: input, timeout: 60))
        expectClean(run)
        let frames = run.frames()
        #expect(frames.count == count)
        #expect(frames.enumerated().allSatisfy { $0.element == #"{"id":\#($0.offset),"result":{"echo":\#($0.offset),"pong":true}}"# })
    }

    @Test func responseAboveOneMebibyteIsRefusedWithResponseTooLarge() throws {
        let echo = String(repeating: "e", count: 2 * 1024 * 1024)
        let run = try #require(HostProcess.run(input: frame(#"{"id":9,"type":"host.ping","payload":{"echo":"\#(echo)"}}"#) + frame(helloRequest)))
        expectClean(run)
        let frames = run.frames()
        #expect(frames.first?.contains(#""code":6"#) == true && frames.first?.hasSuffix(#""id":9}"#) == true)
        #expect(frames.count == 2)
    }

    @Test func stdinKeptOpenWithoutInputDoesNotSpinOrExit() throws {
        // The host must block on stdin, then exit 0 once it is closed.
        let run = try #require(HostProcess.run(input: frame(helloRequest), closeInput: false, timeout: 1))
        #expect(run.timedOut)
        #expect(run.frames().count == 1)
    }
}
}

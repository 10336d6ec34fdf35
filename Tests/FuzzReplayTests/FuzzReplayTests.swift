import Foundation
import FuzzBodies
import Testing
import TestSupport

/// Every input kept in `FuzzTesting/FailCases/<Target>/` (crashers the fuzzer found, hostile inputs made by
/// hand) goes through its target's body, the same code the libFuzzer executables run: each must pass the
/// body's checks. tests/suites/50-fuzz.sh replays the same files through the instrumented executables.
@Suite struct FuzzReplayTests {
    @Test(arguments: FuzzTarget.allCases)
    func keptInputsPassTheirTargetsChecks(_ target: FuzzTarget) throws {
        let files = try Repository.files(in: "FuzzTesting/FailCases/\(target.rawValue)")
        #expect(!files.isEmpty, "no kept input for \(target.rawValue)")
        for file in files {
            let input = [UInt8](try Data(contentsOf: file))
            #expect(throws: Never.self, "\(target.rawValue)/\(file.lastPathComponent)") { try target.run(input) }
        }
    }

    @Test func everyTargetHasAFailCaseFolderAndAnExecutable() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Repository.url("FuzzTesting/FailCases").path)
        #expect(Set(folders.filter { !$0.hasPrefix(".") }) == Set(FuzzTarget.allCases.map(\.rawValue)))
        let executables = try FileManager.default.contentsOfDirectory(atPath: Repository.url("FuzzTesting/Sources").path)
        #expect(Set(executables) == Set(FuzzTarget.allCases.map(\.rawValue)))
    }

    /// The bodies do check: a violated property is a finding, not a silent pass.
    @Test func aViolatedPropertyIsReportedAsAFinding() {
        #expect(throws: FuzzFinding("boom")) { try FuzzFinding.check(false, "boom") }
        #expect(throws: Never.self) { try FuzzFinding.check(true, "fine") }
    }
}

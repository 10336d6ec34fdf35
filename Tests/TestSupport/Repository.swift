import Foundation

/// The repository the tests run from: fixtures, documents and oracle scripts are found from here.
public enum Repository {
    /// The repository root (this file is Tests/TestSupport/Repository.swift).
    public static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A path inside the repository, e.g. `Repository.url("PROTOCOL.md")`.
    public static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// The files of a fixture folder, sorted by name, without hidden files and `README.md`.
    /// - Throws: when the folder cannot be read (a missing corpus is an error, not an empty one).
    public static func files(in relativePath: String) throws -> [URL] {
        let directory = url(relativePath)
        return try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { !$0.hasPrefix(".") && $0 != "README.md" }
            .sorted()
            .map { directory.appendingPathComponent($0) }
    }
}

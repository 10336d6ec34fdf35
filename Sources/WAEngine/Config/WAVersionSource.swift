#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WANoise

/// Fetches the raw bytes at a URL (an HTTPS GET in production, a closure in tests).
public protocol WAVersionFetcher: Sendable {
    func fetch(_ url: URL) async throws -> [UInt8]
}

/// Decides which WhatsApp Web build the engine announces (docs/protocol/lower.md §3.4).
///
/// In order: a version pinned by configuration; a cached fetch younger than ``refreshInterval``; a fresh
/// fetch of ``pageURL`` (its `"client_revision":<n>,` gives `2.3000.<n>`), cached with its time; a stale
/// cached fetch; the configured fallback (``WAAppVersion/shipped``). The cache is one small JSON file,
/// mode 0600, in the data directory.
public struct WAVersionSource: Sendable {
    /// Where the current revision is published (docs/protocol/lower.md §3.4: WA Web's service worker script).
    public static let pageURL = URL(string: "https://web.whatsapp.com/sw.js")!
    /// How long a fetched version is used before it is fetched again.
    public static let refreshInterval: TimeInterval = 24 * 60 * 60
    /// The cache file's name inside the data directory.
    public static let cacheFileName = "app-version.json"

    /// Where a resolved version came from.
    public enum Origin: Sendable, Equatable {
        case pinned, cache, fetched, staleCache, fallback
    }

    public var fallback: WAAppVersion
    public var pinned: WAAppVersion?
    public var cacheFile: String
    public var url: URL
    private let fetcher: any WAVersionFetcher
    private let now: @Sendable () -> Date

    public init(
        fallback: WAAppVersion = .shipped, pinned: WAAppVersion? = nil, cacheFile: String,
        url: URL = WAVersionSource.pageURL, fetcher: any WAVersionFetcher,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.fallback = fallback
        self.pinned = pinned
        self.cacheFile = cacheFile
        self.url = url
        self.fetcher = fetcher
        self.now = now
    }

    /// The engine's source: pinned when the configuration pins a version, the cache in its data directory,
    /// and an HTTPS fetch that trusts the same roots as the chat connection.
    public init(configuration: WAEngineConfiguration, fetcher: (any WAVersionFetcher)? = nil) {
        self.init(
            fallback: configuration.appVersion,
            pinned: configuration.appVersionIsPinned ? configuration.appVersion : nil,
            cacheFile: configuration.dataDirectory + "/" + Self.cacheFileName,
            fetcher: fetcher ?? WAHTTPFetcher(extraTrustRootsFile: configuration.extraTrustRootsFile))
    }

    /// The version to announce now.
    /// - Parameter forceRefresh: fetch even if the cache is fresh (after a `<failure reason="405">`).
    public func current(forceRefresh: Bool = false) async -> (version: WAAppVersion, origin: Origin) {
        if let pinned { return (pinned, .pinned) }
        let cached = readCache()
        let time = now()
        if !forceRefresh, let cached, Self.isFresh(cached.fetchedAt, now: time) {
            return (cached.version, .cache)
        }
        if let bytes = try? await fetcher.fetch(url), let version = Self.parse(bytes) {
            writeCache(version, fetchedAt: time)
            return (version, .fetched)
        }
        if let cached, cached.version >= fallback { return (cached.version, .staleCache) }
        return (fallback, .fallback)
    }

    /// The version to announce without touching the network: pinned, else the cached one (fresh or
    /// stale, when not older than the shipped one), else the shipped one. The engine starts with this and
    /// fetches (``current(forceRefresh:)``) only when WhatsApp answers 405.
    public func offline() -> (version: WAAppVersion, origin: Origin) {
        if let pinned { return (pinned, .pinned) }
        if let cached = readCache(), cached.version >= fallback {
            return (cached.version, Self.isFresh(cached.fetchedAt, now: now()) ? .cache : .staleCache)
        }
        return (fallback, .fallback)
    }

    /// `"client_revision":(\d+),` anywhere in `bytes` → `2.3000.<digits>`; nil when absent or out of range.
    public static func parse(_ bytes: [UInt8]) -> WAAppVersion? {
        let marker = Array(#""client_revision":"#.utf8)
        guard bytes.count > marker.count else { return nil }
        var start = 0
        while start + marker.count <= bytes.count {
            guard let found = firstIndex(of: marker, in: bytes, from: start) else { return nil }
            var index = found + marker.count
            var digits = 0
            var value: UInt64 = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, digits <= 10 {
                value = value * 10 + UInt64(bytes[index] - 0x30)
                digits += 1
                index += 1
            }
            if digits > 0, digits <= 10, index < bytes.count, bytes[index] == UInt8(ascii: ","),
                let revision = UInt32(exactly: value)
            {
                return WAAppVersion(webClientRevision: revision)
            }
            start = found + 1
        }
        return nil
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count)
        where haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }

    /// Fresh when fetched less than ``refreshInterval`` ago, and not in the future (a clock set back).
    static func isFresh(_ fetchedAt: Date, now: Date) -> Bool {
        let age = now.timeIntervalSince(fetchedAt)
        return age >= 0 && age < refreshInterval
    }

    // MARK: - Cache file

    struct CacheEntry: Codable, Equatable {
        var version: String
        var fetchedAt: Double
    }

    func readCache() -> (version: WAAppVersion, fetchedAt: Date)? {
        guard let data = FileManager.default.contents(atPath: cacheFile), data.count <= 4096,
            let entry = try? JSONDecoder().decode(CacheEntry.self, from: data),
            let version = WAAppVersion(entry.version), entry.fetchedAt.isFinite
        else { return nil }
        return (version, Date(timeIntervalSince1970: entry.fetchedAt))
    }

    /// Best effort: a cache that cannot be written only costs a fetch next time.
    func writeCache(_ version: WAAppVersion, fetchedAt: Date) {
        let entry = CacheEntry(version: version.description, fetchedAt: fetchedAt.timeIntervalSince1970)
        guard let data = try? JSONEncoder().encode(entry) else { return }
        let directory = cacheFile.lastIndex(of: "/").map { String(cacheFile[..<$0]) } ?? "."
        try? FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = cacheFile + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600])
        else { return }
        if rename(temporary, cacheFile) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
    }
}

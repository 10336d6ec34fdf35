import WACore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HostProtocol
import HostService
import Logging
import WAEngine
import WANoise

/// The host's engine: WAEngine's ``WAClient`` behind the host's ``HostEngine`` protocol.
///
/// The only place that knows both sides. It turns the host's settings into a client configuration,
/// resolves the app version the client announces (pinned by the settings, else fetched like WhatsApp Web
/// does when talking to WhatsApp, else the shipped one), translates statuses and events into the host's
/// wire values (times in Unix milliseconds), and maps the client's refusals to the host's error codes
/// (PROTOCOL.md "Error codes").
///
/// The client is created on the first `start()` (or `link`) with the cached or shipped version: starting
/// never touches the network by itself. After a 405 ("client outdated") from WhatsApp the version is
/// fetched (as WhatsApp Web's service worker announces it) and, when it is newer, the client is started
/// afresh with it, once per host process.
public actor WAClientHostEngine: HostEngine {
    public nonisolated let events: AsyncStream<HostEngineEvent>
    private let continuation: AsyncStream<HostEngineEvent>.Continuation

    private let engineConfiguration: WAEngineConfiguration
    private let makeClientConfiguration: @Sendable (WAEngineConfiguration, WAAppVersion) -> WAClientConfiguration
    private var client: WAClient?
    private var forwarding: Task<Void, Never>?
    private var refreshedAfterOutdated = false
    /// The version the current client announces.
    private var announcedVersion: WAAppVersion?
    private var failure: EngineStatus?
    private let logger = Logger(label: "crm-whatsapp.bridge")

    /// - Parameters:
    ///   - settings: the host's validated settings (server, root key, CA file, app version).
    ///   - dataDirectory: where the account lives (absolute).
    ///   - customize: a test hook to adjust the client configuration (clock, timings).
    public init(
        settings: HostSettings, dataDirectory: String,
        customize: @escaping @Sendable (inout WAClientConfiguration) -> Void = { _ in }
    ) throws(HostEngineError) {
        var environment: [String: String] = [WAEngineConfiguration.Variable.dataDirectory: dataDirectory]
        if let url = settings.serverURL { environment[WAEngineConfiguration.Variable.serverURL] = url }
        if let key = settings.rootPublicKey {
            environment[WAEngineConfiguration.Variable.rootPublicKey] = Hex.encode(key)
        }
        if let caFile = settings.caFile { environment[WAEngineConfiguration.Variable.caFile] = caFile }
        if let version = settings.appVersion { environment[WAEngineConfiguration.Variable.appVersion] = version }
        do {
            engineConfiguration = try WAEngineConfiguration(environment: environment)
        } catch {
            throw .configuration(field: "settings", reason: "\(error)")
        }
        makeClientConfiguration = { engine, version in
            var configuration = WAClientConfiguration(engine: engine)
            configuration.payloadOptions = engine.clientPayloadOptions(appVersion: version)
            customize(&configuration)
            return configuration
        }
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
    }

    public var status: EngineStatus {
        get async {
            if let failure { return failure }
            guard let client else { return EngineStatus(state: .unlinked) }
            return Self.hostStatus(await client.status)
        }
    }

    /// Starts the client when an account database exists (a linked account connects at once); with none,
    /// nothing is started until the user links (the host stays small while unlinked), and the status is
    /// `unlinked`.
    public func start() async {
        guard client != nil || WAClient.hasAccountDatabase(in: engineConfiguration.dataDirectory) else {
            continuation.yield(.status(EngineStatus(state: .unlinked)))
            return
        }
        guard let client = await currentClient() else { return }
        await client.start()
    }

    public func link(_ method: HostLinkMethod) async throws(HostEngineError) -> EngineStatus {
        guard let client = await currentClient() else { throw .unavailable }
        let engineMethod: WALinkMethod
        switch method {
        case .qr: engineMethod = .qr
        case .phoneNumber(let phone): engineMethod = .phoneNumber(phone)
        }
        do {
            return Self.hostStatus(try await client.link(engineMethod))
        } catch {
            throw Self.hostError(error)
        }
    }

    public func cancelLink() async -> EngineStatus {
        guard let client else { return await status }
        return Self.hostStatus(await client.cancelLink())
    }

    public func logout() async throws(HostEngineError) -> EngineStatus {
        guard let client = await currentClient() else { throw .unavailable }
        do {
            return Self.hostStatus(try await client.logout())
        } catch {
            throw Self.hostError(error)
        }
    }

    public func stop() async {
        await client?.stop()
        forwarding?.cancel()
        await forwarding?.value
        client = nil
        continuation.finish()
    }

    // MARK: - The client

    /// The running client, created with the resolved app version on first use.
    private func currentClient() async -> WAClient? {
        if let client { return client }
        if failure != nil { return nil }
        let version = await resolveVersion(forceRefresh: false)
        return makeClient(version: version)
    }

    private func makeClient(version: WAAppVersion) -> WAClient? {
        do throws(WAClientError) {
            let client = try WAClient(configuration: makeClientConfiguration(engineConfiguration, version))
            self.client = client
            announcedVersion = version
            forwarding = Task { [weak self] in
                for await event in client.events {
                    await self?.forward(event, from: client)
                }
            }
            return client
        } catch {
            let status = EngineStatus(
                state: .unavailable, reason: Self.unavailableReason(error).rawValue, message: Self.describe(error))
            failure = status
            logger.error("the engine cannot start", metadata: ["problem": "\(Self.describe(error))"])
            continuation.yield(.status(status))
            return nil
        }
    }

    private func forward(_ event: WAClientEvent, from source: WAClient) async {
        guard source === client else { return }
        switch event {
        case .status(let status):
            continuation.yield(.status(Self.hostStatus(status)))
            if status.state == .stopped, status.reason == .clientOutdated {
                await retryWithNewerVersion(outdated: source)
            }
        case .qr(let qr):
            continuation.yield(
                .qr(code: qr.code, png: qr.png, expiresAt: Self.milliseconds(qr.expiresAt), index: qr.index))
        case .pairingCode(let code, let expiresAt):
            continuation.yield(.pairingCode(code: code, expiresAt: Self.milliseconds(expiresAt)))
        case .identityChanged(let jid):
            continuation.yield(.identityChanged(jid: jid))
        }
    }

    /// WhatsApp refused our version (405): fetch the current one and start again with it, once.
    private func retryWithNewerVersion(outdated: WAClient) async {
        guard !refreshedAfterOutdated, engineConfiguration.talksToWhatsApp, !engineConfiguration.appVersionIsPinned
        else { return }
        refreshedAfterOutdated = true
        let version = await resolveVersion(forceRefresh: true)
        guard version != announcedVersion else { return }
        logger.notice("client outdated: retrying with the current WhatsApp Web version")
        await outdated.stop()
        client = nil
        await makeClient(version: version)?.start()
    }

    /// The version to announce: pinned by the settings; else, talking to WhatsApp, the cached one (or the
    /// shipped one) at start and a fetched one after a 405; a simulator has no version page to read.
    private func resolveVersion(forceRefresh: Bool) async -> WAAppVersion {
        if engineConfiguration.appVersionIsPinned || !engineConfiguration.talksToWhatsApp {
            return engineConfiguration.appVersion
        }
        let source = WAVersionSource(configuration: engineConfiguration)
        return forceRefresh ? await source.current(forceRefresh: true).version : source.offline().version
    }

    // MARK: - Translation to the host's wire values

    static func hostStatus(_ status: WAClientStatus) -> EngineStatus {
        EngineStatus(
            state: EngineState(rawValue: status.state.rawValue) ?? .unavailable,
            account: status.account.map {
                LinkedAccount(jid: $0.jid, lid: $0.lid, phone: $0.phone, pushName: $0.pushName)
            },
            reason: status.reason?.rawValue,
            method: status.method.flatMap { LinkStartPayload.Method(rawValue: $0.rawValue) },
            retryAt: status.retryAt.map(milliseconds),
            until: status.until.map(milliseconds),
            code: status.code,
            message: status.message)
    }

    static func hostError(_ error: WAClientError) -> HostEngineError {
        switch error {
        case .notLinked: return .notLinked
        case .alreadyLinked: return .alreadyLinked
        case .configuration(let reason): return .configuration(field: "settings", reason: reason)
        case .engineBusy: return .busy
        case .invalidPhoneNumber: return .invalidPayload(field: "phone")
        case .storeUnavailable: return .unavailable
        }
    }

    static func unavailableReason(_ error: WAClientError) -> WAClientStatus.Reason {
        if case .storeUnavailable = error { return .storeUnavailable }
        return .configuration
    }

    static func describe(_ error: WAClientError) -> String {
        switch error {
        case .configuration(let reason): return reason
        case .storeUnavailable: return "the account database cannot be opened"
        default: return "\(error)"
        }
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}

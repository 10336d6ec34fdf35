#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SignalProtocol
import WABinary
import WANoise
import WAStore

/// The WhatsApp engine for one account: owns the account store, the account lock and the current
/// ``WAConnection``, drives a ``WAClientStateMachine`` and performs its actions (docs/house-style.md §5: IO at the
/// edge, decisions in the machine).
///
/// ```swift
/// let client = try WAClient(configuration: .init(dataDirectory: dir))
/// await client.start()
/// let status = try await client.link(.qr)
/// for await event in client.events { … }   // .status, .qr, .pairingCode
/// ```
public actor WAClient {
    /// Bounded: when the consumer lags, the oldest events are dropped first.
    public nonisolated let events: AsyncStream<WAClientEvent>
    private let continuation: AsyncStream<WAClientEvent>.Continuation
    public static let eventBufferSize = 64
    /// The account database's file name in the data directory: absent until a link is first started.
    public static let accountDatabaseFileName = "account.sqlite"

    /// Whether `dataDirectory` holds an account database (a link was started there at least once).
    public static func hasAccountDatabase(in dataDirectory: String) -> Bool {
        FileManager.default.fileExists(atPath: dataDirectory + "/" + accountDatabaseFileName)
    }

    private let configuration: WAClientConfiguration
    private var machine: WAClientStateMachine
    private var random = SystemRandomNumberGenerator()
    private let lock: AccountLock
    private var database: AccountDatabase?
    private var connection: WAConnection?
    /// Nodes to send on the current connection, in order: one writer per connection, so two sends never
    /// interleave between encryption and the transport (a reordered frame would not decrypt).
    private var outbox: AsyncStream<BinaryNode>.Continuation?
    private var connectionTask: Task<Void, Never>?
    private var timers: [WAClientTimer: Task<Void, Never>] = [:]
    private var started = false
    private let logger = Logger(label: "crm-whatsapp.engine")

    public init(configuration: WAClientConfiguration) throws(WAClientError) {
        guard configuration.dataDirectory.hasPrefix("/") else {
            throw .configuration("the data directory must be an absolute path")
        }
        guard configuration.rootPublicKey.count == 32 else { throw .configuration("the root key must be 32 bytes") }
        self.configuration = configuration
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(Self.eventBufferSize))
        var random = SystemRandomNumberGenerator()
        machine = WAClientStateMachine(
            configuration: configuration.machine, idPrefix: IQTracker.randomPrefix(using: &random))
        lock = AccountLock(path: configuration.dataDirectory + "/account.lock")
    }

    public var status: WAClientStatus { machine.status }

    /// Takes the account lock, opens the store, and connects when an account is linked.
    ///
    /// Called again after a stop the engine does not retry by itself (replaced, banned, client outdated), it
    /// connects again.
    public func start() async {
        guard !started else {
            await feed(.resume)
            return
        }
        started = true
        if configuration.connector == nil, (try? WebSocketTarget(url: configuration.serverURL))?.tls == true {
            TLSClientContext.prepare(extraTrustRootsFile: configuration.extraTrustRootsFile)
        }
        try? FileManager.default.createDirectory(
            atPath: configuration.dataDirectory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        await openAccount()
    }

    /// Starts linking (a link already in progress restarts with the new method).
    public func link(_ method: WALinkMethod) async throws(WAClientError) -> WAClientStatus {
        if !started { await start() }
        if case .phoneNumber(let phone) = method {
            guard phone.count > 6, phone.allSatisfy(\.isASCIIDigit), !phone.hasPrefix("0") else {
                throw .invalidPhoneNumber
            }
        }
        switch machine.status.state {
        case .stopped where machine.status.reason == .inUseElsewhere: throw .engineBusy
        case .unavailable: throw .storeUnavailable
        default: break
        }
        guard !machine.isLinked else { throw .alreadyLinked }
        let now = configuration.clock()
        let keys = DeviceKeys.generate(now: UInt64(max(0, now.timeIntervalSince1970)), using: &random)
        await feed(.link(method, keys: keys))
        return machine.status
    }

    public func cancelLink() async -> WAClientStatus {
        await feed(.cancelLink)
        return machine.status
    }

    /// Tells the server (remove-companion-device), wipes the keys, state loggedOut/loggedOutByUser.
    public func logout() async throws(WAClientError) -> WAClientStatus {
        guard machine.isLinked else { throw .notLinked }
        await feed(.logout)
        return machine.status
    }

    /// Closes the socket, closes the store and releases the lock.
    public func stop() async {
        let current = connection
        await feed(.stop)
        for task in timers.values { task.cancel() }
        timers.removeAll()
        await current?.close()
        connection = nil
        database = nil
        lock.release()
        started = false
        continuation.finish()
    }

    // MARK: - Store and lock

    private func openAccount() async {
        switch lock.tryAcquire() {
        case .acquired: break
        case .busy:
            await feed(.lockBusy)
            return
        case .unavailable:
            logger.error("the account lock file cannot be opened")
            await feed(.storeFailed)
            return
        }
        do {
            let database = try AccountDatabase(path: configuration.dataDirectory + "/" + Self.accountDatabaseFileName)
            self.database = database
            guard let link = try database.loadLink(),
                let noiseKey = try? NoiseKeyPair(privateKey: link.device.noisePrivateKey),
                let jid = try? JID(parsing: link.device.jid)
            else {
                await feed(.start(keys: nil, account: nil))
                return
            }
            let keys = DeviceKeys(
                noiseKey: noiseKey, identity: link.identityKeyPair, registrationID: link.registrationID,
                signedPreKey: link.signedPreKey, advSecret: link.device.advSecret)
            let account = LinkedAccount(
                jid: jid, lid: link.device.lid.flatMap { try? JID(parsing: $0) }, pushName: link.device.pushName,
                platform: link.device.platform, businessName: link.device.businessName,
                confirmed: link.device.linkConfirmed)
            await feed(.start(keys: keys, account: account))
        } catch {
            logger.error("account store unavailable: \(String(describing: error))")
            await feed(.storeFailed)
        }
    }

    // MARK: - Driving the machine

    private func feed(_ input: WAClientStateMachine.Input) async {
        let actions = machine.handle(input, now: configuration.clock(), random: &random)
        await perform(actions)
    }

    private func perform(_ actions: [WAClientStateMachine.Action]) async {
        for action in actions {
            switch action {
            case .connect(let attempt, let keys, let login):
                openLink(attempt: attempt, keys: keys, login: login)
            case .disconnect:
                // The writer sends what is queued (e.g. remove-companion-device), then closes the connection.
                outbox?.finish()
                outbox = nil
                connection = nil
                connectionTask = nil
            case .send(let node):
                outbox?.yield(node)
            case .schedule(let timer, let delay):
                schedule(timer, after: delay)
            case .cancel(let timer):
                timers.removeValue(forKey: timer)?.cancel()
            case .status(let status):
                continuation.yield(.status(status))
            case .showQR(let code, let expiresAt, let index):
                let png = (try? WAQRImage.png(for: code, scale: configuration.qrScale)) ?? []
                continuation.yield(.qr(WAQRCode(code: code, png: png, expiresAt: expiresAt, index: index)))
            case .showPairingCode(let code, let expiresAt):
                continuation.yield(.pairingCode(code: code, expiresAt: expiresAt))
            case .saveLink(let keys, let identity, let account, let primaryIdentity):
                guard save(keys: keys, identity: identity, account: account, primaryIdentity: primaryIdentity) else {
                    // Never answer pair-success without the link on disk.
                    await feed(.storeFailed)
                    return
                }
            case .saveLID(let lid):
                do { try database?.device.update(lid: lid) } catch { logger.error("could not store the LID") }
            case .savePushName(let name):
                do { try database?.device.update(pushName: name) } catch { logger.error("could not store the push name") }
            case .confirmLink(let lid):
                do { try database?.device.confirmLink(lid: lid) } catch { logger.error("could not confirm the link") }
            case .uploadPreKeys(let id, let count):
                await uploadPreKeys(id: id, count: count)
            case .forgetIdentity(let name, let jid):
                do {
                    try database?.signal.forgetIdentities(ofAddressName: name)
                    continuation.yield(.identityChanged(jid: jid))
                } catch {
                    logger.error("could not forget a changed identity")
                }
            case .wipe:
                do { try database?.wipe() } catch { logger.error("could not wipe the account store") }
            case .retryLock:
                // openAccount takes the lock (or reports lockBusy again, which schedules the next retry).
                await openAccount()
            case .log(let line):
                logger.info("\(line)")
            }
        }
    }

    private func openLink(attempt: Int, keys: DeviceKeys, login: LinkedAccount?) {
        let payload: [UInt8]
        do {
            if let login {
                payload = try WAClientPayload.login(
                    options: configuration.payloadOptions, username: UInt64(login.jid.user) ?? 0,
                    device: UInt32(login.jid.device)
                ).serializedBytes()
            } else {
                payload = try WAClientPayload.registration(
                    options: configuration.payloadOptions, registration: keys.registration
                ).serializedBytes()
            }
        } catch {
            logger.error("could not build the client payload")
            Task { await self.feed(.connectFailed(attempt: attempt)) }
            return
        }
        let connector =
            configuration.connector
            ?? WebSocketTransportConnector(url: configuration.serverURL, extraTrustRootsFile: configuration.extraTrustRootsFile)
        let connection = WAConnection(
            connector: connector, staticKey: keys.noiseKey, rootPublicKey: configuration.rootPublicKey,
            clientPayload: payload)
        self.connection = connection
        let (nodes, outbox) = AsyncStream<BinaryNode>.makeStream()
        self.outbox = outbox
        connectionTask = Task { [weak self] in
            do {
                try await connection.connect()
            } catch {
                await self?.feed(.connectFailed(attempt: attempt))
                return
            }
            let writer = Task {
                for await node in nodes {
                    try? await connection.send(node)
                }
                await connection.close()
            }
            for await event in connection.events {
                await self?.feed(.connection(attempt: attempt, event))
            }
            outbox.finish()
            await writer.value
        }
    }

    private func schedule(_ timer: WAClientTimer, after delay: TimeInterval) {
        timers.removeValue(forKey: timer)?.cancel()
        timers[timer] = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(Int64(max(0, delay) * 1000)))
            guard !Task.isCancelled else { return }
            await self?.timerFired(timer)
        }
    }

    private func timerFired(_ timer: WAClientTimer) async {
        guard timers.removeValue(forKey: timer) != nil else { return }
        await feed(.timer(timer))
    }

    private func save(keys: DeviceKeys, identity: LinkedIdentity, account: LinkedAccount, primaryIdentity: [UInt8]) -> Bool {
        guard let database else { return false }
        let trusted: (SignalAddress, Curve25519PublicKey)? = account.lid.flatMap { lid in
            (try? Curve25519PublicKey(rawRepresentation: primaryIdentity)).map {
                (SignalAddress(name: lid.user, deviceID: 0), $0)
            }
        }
        let record = DeviceRecord(
            noisePrivateKey: keys.noiseKey.privateKey, advSecret: keys.advSecret, signedIdentity: identity.signedIdentity,
            jid: account.jid.description, lid: account.lid?.description, pushName: account.pushName,
            platform: account.platform, businessName: account.businessName,
            linkedAt: Int64(configuration.clock().timeIntervalSince1970), linkConfirmed: account.confirmed)
        do {
            try database.saveLink(
                DeviceLink(
                    identityKeyPair: keys.identity, registrationID: keys.registrationID, signedPreKey: keys.signedPreKey,
                    device: record, trustedPrimaryIdentity: trusted))
            return true
        } catch {
            logger.error("could not store the link: \(String(describing: error))")
            return false
        }
    }

    /// docs/protocol/lower.md §6.1 pre-key upload node: registration id, type, identity, `count` new keys, the signed prekey.
    private func uploadPreKeys(id: String, count: Int) async {
        guard let database, let keys = machine.keys else { return }
        let batch: [PreKeyRecord]
        do {
            batch = try database.signal.generatePreKeys(count: count, using: &random)
        } catch {
            logger.error("could not generate prekeys")
            return
        }
        outbox?.yield(PreKeyUpload.node(id: id, keys: keys, preKeys: batch))
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

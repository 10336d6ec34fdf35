#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WANoise

/// What a ``WAClient`` needs: where its data lives, which server it talks to and what it announces.
public struct WAClientConfiguration: Sendable {
    /// Directory of the account database and the account lock (created 0700 if missing). Absolute.
    public var dataDirectory: String
    public var serverURL: URL
    /// The pinned Noise root key (docs/protocol/lower.md §2.5).
    public var rootPublicKey: [UInt8]
    /// An extra TLS trust root (PEM), for the simulator.
    public var extraTrustRootsFile: String?
    /// ClientPayload values, app version included (docs/protocol/lower.md §3.2).
    public var payloadOptions = WAClientPayloadOptions()
    public var machine = WAClientStateMachine.Configuration()
    /// Pixels per QR module in the PNG.
    public var qrScale = 6
    /// The time source (tests inject a fixed or manual clock).
    public var clock: @Sendable () -> Date = { Date() }
    /// Opens link attempts; nil: a WebSocket to `serverURL`.
    public var connector: (any TransportConnector)?

    public init(
        dataDirectory: String, serverURL: URL = WAEngineConfiguration.whatsAppServerURL,
        rootPublicKey: [UInt8] = WAEngineConfiguration.whatsAppRootPublicKey, extraTrustRootsFile: String? = nil
    ) {
        self.dataDirectory = dataDirectory
        self.serverURL = serverURL
        self.rootPublicKey = rootPublicKey
        self.extraTrustRootsFile = extraTrustRootsFile
    }

    public init(engine: WAEngineConfiguration) {
        self.init(
            dataDirectory: engine.dataDirectory, serverURL: engine.serverURL, rootPublicKey: engine.rootPublicKey,
            extraTrustRootsFile: engine.extraTrustRootsFile)
    }
}

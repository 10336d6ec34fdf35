#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The engine's status as the host shows it (CONTRACT-LINKING: the status object of `engine.state`).
public struct WAClientStatus: Sendable, Equatable {
    public enum State: String, Sendable, Equatable {
        case unavailable, unlinked, linking, connecting, connected, disconnected, stopped, loggedOut
    }

    /// Why the engine is in its state; the raw values are the contract's strings.
    public enum Reason: String, Sendable, Equatable {
        // unlinked
        case qrExpired, cancelled, passkeyRequired, pairingFailed, pairingCodeFailed
        /// The link was stored at `pair-success` but the server refused it at the first login (401): the
        /// `pair-device-sign` never reached it (the process stopped in between). Wiped; link again.
        case linkIncomplete
        // disconnected
        case network, keepAliveTimeout, serverUnavailable, restart
        // stopped
        case replaced, inUseElsewhere, clientOutdated, banned
        // loggedOut
        case loggedOutByPhone, loggedOutByUser
        // unavailable
        case configuration, storeUnavailable
    }

    /// The linked account, once linked.
    public struct Account: Sendable, Equatable {
        /// `15551234567:3@s.whatsapp.net`
        public var jid: String
        /// `123456789:3@lid`, when known.
        public var lid: String?
        /// The user part of the JID.
        public var phone: String
        public var pushName: String?

        public init(jid: String, lid: String?, phone: String, pushName: String?) {
            self.jid = jid
            self.lid = lid
            self.phone = phone
            self.pushName = pushName
        }
    }

    public var state: State
    public var account: Account?
    public var reason: Reason?
    /// With `linking`.
    public var method: WALinkMethod.Kind?
    /// With `disconnected`: when the next attempt starts.
    public var retryAt: Date?
    /// With `stopped`/`banned`: the end of a temporary ban, when known.
    public var until: Date?
    /// With `stopped`: the server's failure or stream-error code.
    public var code: Int?
    /// With `unavailable`: what is wrong, in plain words.
    public var message: String?

    public init(
        state: State, account: Account? = nil, reason: Reason? = nil, method: WALinkMethod.Kind? = nil,
        retryAt: Date? = nil, until: Date? = nil, code: Int? = nil, message: String? = nil
    ) {
        self.state = state
        self.account = account
        self.reason = reason
        self.method = method
        self.retryAt = retryAt
        self.until = until
        self.code = code
        self.message = message
    }
}

/// How to link a new account.
public enum WALinkMethod: Sendable, Equatable {
    case qr
    /// The phone number in international form, digits only.
    case phoneNumber(String)

    public enum Kind: String, Sendable, Equatable {
        case qr, phone
    }

    public var kind: Kind {
        switch self {
        case .qr: .qr
        case .phoneNumber: .phone
        }
    }
}

/// A QR code to show: the text, its PNG, when it stops being valid, and its 1-based ref number.
public struct WAQRCode: Sendable, Equatable {
    public var code: String
    public var png: [UInt8]
    public var expiresAt: Date
    public var index: Int

    public init(code: String, png: [UInt8], expiresAt: Date, index: Int) {
        self.code = code
        self.png = png
        self.expiresAt = expiresAt
        self.index = index
    }
}

/// What a ``WAClient`` reports.
public enum WAClientEvent: Sendable, Equatable {
    case status(WAClientStatus)
    case qr(WAQRCode)
    case pairingCode(code: String, expiresAt: Date)
    case identityChanged(jid: String)
}

/// Why a ``WAClient`` request was refused (the host maps these to its error codes 21, 22, 24, 25).
public enum WAClientError: Error, Sendable, Equatable {
    /// The request needs a linked account.
    case notLinked
    /// `link` while an account is linked.
    case alreadyLinked
    /// The configuration is invalid.
    case configuration(String)
    /// Another process on this machine holds the account.
    case engineBusy
    /// The phone number is not digits in international form (more than 6 digits, no leading 0).
    case invalidPhoneNumber
    /// The account database cannot be opened or written.
    case storeUnavailable
}

/// All session states with one remote device: the current one and archived ("previous") ones.
///
/// docs/protocol/upper.md §1.10: decrypt tries the current state, then each archived state; success with an
/// archived state promotes it to current. At most `maximumArchivedStates` are kept, newest first.
///
/// A value type whose states live in one shared box until a copy changes them (copy on write): a record is
/// copied out of the store and back once per message, and a copy of the states themselves costs a retain
/// and a release per key they hold.
public struct SessionRecord: Sendable, Equatable {
    /// Keep at most this many archived states (docs/protocol/upper.md §1.10).
    public static let maximumArchivedStates = 40

    /// The states; changed only through a uniquely referenced box (`makeUnique`), hence `@unchecked
    /// Sendable` and no dynamic exclusivity checks.
    private final class Storage: @unchecked Sendable {
        @exclusivity(unchecked) var currentState: SessionState?
        @exclusivity(unchecked) var previousStates: [SessionState]

        init(currentState: SessionState?, previousStates: [SessionState]) {
            self.currentState = currentState
            self.previousStates = previousStates
        }
    }

    private var storage: Storage

    /// The state used for encryption, if any.
    public var currentState: SessionState? {
        _read { yield storage.currentState }
        _modify {
            makeUnique()
            yield &storage.currentState
        }
    }

    /// Archived states, most recent first.
    public var previousStates: [SessionState] {
        _read { yield storage.previousStates }
        _modify {
            makeUnique()
            yield &storage.previousStates
        }
    }

    public init(currentState: SessionState? = nil, previousStates: [SessionState] = []) {
        storage = Storage(currentState: currentState, previousStates: previousStates)
    }

    private mutating func makeUnique() {
        guard !isKnownUniquelyReferenced(&storage) else { return }
        storage = Storage(currentState: storage.currentState, previousStates: storage.previousStates)
    }

    public static func == (lhs: SessionRecord, rhs: SessionRecord) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.currentState == rhs.currentState && lhs.previousStates == rhs.previousStates)
    }

    /// True when the record holds no state at all.
    public var isFresh: Bool {
        // A pattern, not `currentState == nil`, which copied the whole state to compare it.
        guard case .none = currentState else { return false }
        return previousStates.isEmpty
    }

    /// Moves the current state to the archive (most recent first), leaving no current state.
    public mutating func archiveCurrentState() {
        guard let current = currentState else { return }
        previousStates.insert(current, at: 0)
        currentState = nil
        if previousStates.count > Self.maximumArchivedStates {
            previousStates.removeLast(previousStates.count - Self.maximumArchivedStates)
        }
    }

    /// Archives the current state and makes `state` current.
    public mutating func promote(_ state: SessionState) {
        archiveCurrentState()
        currentState = state
    }

    /// Whether any state (current or archived) was created by the X3DH run with this base key.
    func hasState(aliceBaseKey: Curve25519PublicKey) -> Bool {
        if currentState?.aliceBaseKey == aliceBaseKey { return true }
        return previousStates.contains { $0.aliceBaseKey == aliceBaseKey }
    }
}

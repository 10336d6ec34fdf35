import HostProtocol

/// The host's single writer: every reply and every event goes through this queue, and one thread
/// drains it to the ``FrameSink`` (stdout), so frames never interleave and a slow browser blocks
/// nobody but that thread.
///
/// Bounds (PROTOCOL.md "Host process", "Slow browser"):
/// - Replies are never dropped. The reader stops reading requests while more than
///   ``Limits/pauseReadingBytes`` are queued or ``Limits/maximumRequestsInFlight`` requests are
///   unanswered, so replies can only pile up as far as the requests already read.
/// - Events never block the engine. An event whose type ``HostEvent/supersedesQueued`` (`engine.state`,
///   `link.qr`, `link.pairingCode`) replaces an older queued one of its type (the new one goes to the
///   end, so the newest state is always the last written). Any other event is dropped, and counted,
///   while more than ``Limits/maximumEventBytes`` are queued.
/// - The writer takes everything queued at once and writes it with one `write(2)` call.
public final class OutboundChannel: Sendable {
    public struct Limits: Sendable {
        public var pauseReadingBytes: Int
        public var maximumRequestsInFlight: Int
        public var maximumEventBytes: Int

        public init(pauseReadingBytes: Int = 1 << 20, maximumRequestsInFlight: Int = 64, maximumEventBytes: Int = 4 << 20) {
            self.pauseReadingBytes = pauseReadingBytes
            self.maximumRequestsInFlight = maximumRequestsInFlight
            self.maximumEventBytes = maximumEventBytes
        }
    }

    /// Counters for the log and for tests.
    public struct Statistics: Equatable, Sendable {
        public var framesWritten = 0
        public var writes = 0
        public var eventsSuperseded = 0
        public var eventsDropped = 0
        public var largestQueuedBytes = 0
    }

    private struct Queued {
        var frame: [UInt8]
        /// The event type, for events that supersede older queued ones of their type.
        var supersedingType: String?
    }

    private struct State {
        var queue: [Queued] = []
        var queuedBytes = 0
        var requestsInFlight = 0
        var closed = false
        var writerStarted = false
        var writerFinished = false
        var failure: IOFailure?
        var statistics = Statistics()
        var finishWaiter: CheckedContinuation<Void, Never>?
    }

    public let limits: Limits
    private let sink: any FrameSink
    private let state = Locked(State())

    /// A channel whose writer starts with ``start()``.
    public init(sink: any FrameSink, limits: Limits = Limits()) {
        self.sink = sink
        self.limits = limits
    }

    /// Starts the writer thread (once); it runs until ``close()`` and an empty queue, or a write failure.
    public func start() {
        let first = state.withLock { state -> Bool in
            defer { state.writerStarted = true }
            return !state.writerStarted
        }
        if first { startThread { [self] in self.drain() } }
    }

    // MARK: Reader side

    /// Called by the reader before it reads more input: waits while too much is queued or unanswered.
    ///
    /// - Returns: the sink's failure when the writer has stopped (then stop reading).
    public func waitForRoom() -> IOFailure? {
        let limits = limits
        return state.wait(until: { state in
            state.failure != nil || state.closed
                || (state.queuedBytes < limits.pauseReadingBytes && state.requestsInFlight < limits.maximumRequestsInFlight)
        }) { state in state.failure }
    }

    /// Waits (blocking, up to `timeout` seconds) until every counted request has been answered.
    public func waitUntilAnswered(timeout: Double) {
        state.wait(until: { $0.requestsInFlight <= 0 || $0.failure != nil }, timeout: timeout) { _ in }
    }

    /// Counts a request that will be answered later with ``reply(_:)``.
    public func requestStarted() {
        state.withLock { $0.requestsInFlight += 1 }
    }

    /// Queues a reply frame (never dropped) and counts its request as answered.
    public func reply(_ frame: [UInt8]) {
        enqueue(Queued(frame: frame, supersedingType: nil), answering: true)
    }

    /// Queues a frame that answers no counted request (a reply to a frame rejected unread).
    public func write(_ frame: [UInt8]) {
        enqueue(Queued(frame: frame, supersedingType: nil), answering: false)
    }

    // MARK: Engine side

    /// Queues an event; never blocks.
    ///
    /// - Returns: false when the event was dropped (queue over its event limit, or channel closed).
    @discardableResult
    public func send<E: HostEvent>(_ event: E.Type, _ payload: E.Payload) -> Bool {
        guard let frame = try? OutboundMessage.eventFrame(event, payload) else { return false }
        let limit = limits.maximumEventBytes
        let accepted = state.withLock { state -> Bool in
            guard !state.closed, state.failure == nil else { return false }
            if E.supersedesQueued, let index = state.queue.firstIndex(where: { $0.supersedingType == E.type }) {
                state.queuedBytes -= state.queue[index].frame.count
                state.queue.remove(at: index)
                state.statistics.eventsSuperseded += 1
            } else if state.queuedBytes + frame.count > limit {
                state.statistics.eventsDropped += 1
                return false
            }
            state.queue.append(Queued(frame: frame, supersedingType: E.supersedesQueued ? E.type : nil))
            state.queuedBytes += frame.count
            state.statistics.largestQueuedBytes = max(state.statistics.largestQueuedBytes, state.queuedBytes)
            return true
        }
        if accepted { state.broadcast() }
        return accepted
    }

    // MARK: Shutdown

    /// Stops accepting frames; the writer writes what is queued, then stops.
    public func close() {
        state.withLock { $0.closed = true }
        state.broadcast()
    }

    /// Waits for the writer to write everything queued after ``close()``, giving up when it has made no
    /// progress for `timeout` seconds (a browser that stopped reading must not keep the host alive; one
    /// that reads slowly gets everything).
    public func finish(timeout: Double) async {
        start()
        close()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = state.withLock { state -> Bool in
                if state.writerFinished { return true }
                state.finishWaiter = continuation
                return false
            }
            if finished {
                continuation.resume()
                return
            }
            Task {
                var lastWrites = self.state.withLock { $0.statistics.writes }
                while true {
                    try? await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
                    let (waiter, writes) = self.state.withLock { state in (state.finishWaiter, state.statistics.writes) }
                    guard waiter != nil else { return }
                    if writes == lastWrites { break }
                    lastWrites = writes
                }
                self.state.withLock { state -> CheckedContinuation<Void, Never>? in
                    defer { state.finishWaiter = nil }
                    return state.finishWaiter
                }?.resume()
            }
        }
    }

    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// The sink's failure, once the writer stopped because of it.
    public var failure: IOFailure? { state.withLock { $0.failure } }

    // MARK: Private

    private func enqueue(_ item: Queued, answering: Bool) {
        state.withLock { state in
            if answering { state.requestsInFlight -= 1 }
            // After a write failure, or once the writer is gone, nobody will read it.
            guard state.failure == nil, !state.writerFinished else { return }
            state.queue.append(item)
            state.queuedBytes += item.frame.count
            state.statistics.largestQueuedBytes = max(state.statistics.largestQueuedBytes, state.queuedBytes)
        }
        state.broadcast()
    }

    /// The writer thread: takes everything queued, writes it in one call, repeats until closed and empty.
    private func drain() {
        var buffer: [UInt8] = []
        while true {
            let batch = state.wait(until: { !$0.queue.isEmpty || $0.closed }) { state -> [Queued]? in
                if state.queue.isEmpty { return nil }
                let batch = state.queue
                state.queue.removeAll(keepingCapacity: true)
                state.queuedBytes = 0
                return batch
            }
            guard let batch else { break }
            let bytes: [UInt8]
            if batch.count == 1 {
                bytes = batch[0].frame
            } else {
                buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
                for item in batch { buffer.append(contentsOf: item.frame) }
                bytes = buffer
            }
            do {
                try sink.write(bytes)
            } catch {
                state.withLock { state in
                    state.failure = error
                    state.queue.removeAll()
                    state.queuedBytes = 0
                }
                state.broadcast()
                break
            }
            state.withLock { state in
                state.statistics.framesWritten += batch.count
                state.statistics.writes += 1
            }
            // Room again for the reader.
            state.broadcast()
        }
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.writerFinished = true
            defer { state.finishWaiter = nil }
            return state.finishWaiter
        }
        state.broadcast()
        waiter?.resume()
    }
}

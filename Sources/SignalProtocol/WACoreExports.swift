// The key types, XEdDSA, the constant-time compare and the error type live in WACore (shared with WANoise
// and the simulator without the rest of the protocol); re-exported so `import SignalProtocol` still
// brings them.
@_exported import WACore

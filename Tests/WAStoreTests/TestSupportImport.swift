// The shared test helpers (hex fixtures, SeededGenerator, Repository, PythonOracle), visible in every
// file of this target.
@_exported import TestSupport

/// This target's name for ``SeededGenerator`` (SplitMix64), seeded with `state`.
typealias SplitMix = SeededGenerator

extension SeededGenerator {
    init(state: UInt64) {
        self.init(seed: state)
    }
}

// The shared test helpers (hex fixtures, SeededGenerator, Repository, PythonOracle), visible in every
// file of this target.
@_exported import TestSupport

/// This target's name for ``hexBytes(_:)``, used by its known-answer vectors.
func hex(_ text: String) -> [UInt8] { hexBytes(text) }

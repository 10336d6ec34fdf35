// The shared test helpers (hex fixtures, SeededGenerator, Repository, PythonOracle), visible in every
// file of this target.
@_exported import TestSupport

import WASim

// Placeholder entry point until the simulator lands (issue 3).
print("wa-sim: not yet implemented")

//! Deterministic discrete-event simulator: owns virtual time and the RNG.

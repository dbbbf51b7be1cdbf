//! Seeded random-fault runs.

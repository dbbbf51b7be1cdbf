//! Placement of keys on servers: consistent-hash ring and its rivals. Pure.

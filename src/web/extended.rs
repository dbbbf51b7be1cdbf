//! The page's extended Raft module: the Raft view with the extended
//! protocol (reads outside the log, leases, client sessions, timeouts and
//! retries, clock drift, the linearizability checker and its client history
//! lane). Built with the `extended` feature (index.html); the loader mounts
//! it for `view=raft&x=1`, which the lean Raft module opens when a link, a
//! preset or a file needs it.

ringraft::web_module!(RAFT, "ringraft-extended");

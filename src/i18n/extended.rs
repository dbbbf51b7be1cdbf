//! The extended client protocol's text (reads outside the log, sessions,
//! client timeouts, clock drift, the history checker): in the page's lean
//! modules, built without the `extended` feature, an empty table — nothing
//! there can show it (see `src/lean/mod.rs`).

super::extended_rows! {
    ("raft.act.drift", "S{0}'s clock runs at {1}× real time", "S{0} 的时钟以真实时间的 {1} 倍运行"),
    ("raft.ev.client_retry", "client (retry)", "客户端（重试）"),
    ("raft.ev.client_reading", "{0} → S{1}: {2} taken: answered outside the log", "{0} → S{1}：{2} 已接受：在日志之外回答"),
    ("raft.ev.client_timeout", "client operation #{0} ({1}): no answer after {2} tries: gave up", "客户端操作 #{0}（{1}）：{2} 次尝试后仍无回复：放弃"),
    ("raft.ev.client_timeout_retry", "client operation #{0} ({1}): no answer (try {2}): sending it again", "客户端操作 #{0}（{1}）：无回复（第 {2} 次）：重新发送"),
    ("raft.note.vote_ignored", "ignored S{0}'s RequestVote for term {1}: heard from the leader within the minimum election timeout", "忽略 S{0} 的任期 {1} 投票请求：在最小选举超时内收到过领导者的消息"),
    ("raft.note.duplicate", "entry {0} repeats client {1}'s command #{2}: answered from its session, not applied again", "条目 {0} 重复了客户端 {1} 的第 {2} 号命令：从会话中回答，不再应用"),
    ("raft.note.read_index", "read #{0}: read index {1}; confirming leadership with a heartbeat round", "读取 #{0}：读索引 {1}；通过一轮心跳确认领导地位"),
    ("raft.note.read_confirmed", "read #{0}: a majority ({1}) answered the round: still leader", "读取 #{0}：多数派（{1} 台）回应了这一轮：仍是领导者"),
    ("raft.note.read_lease", "read #{0}: answered at once within the lease", "读取 #{0}：租约有效，立即回答"),
    ("raft.note.read_unconfirmed", "read #{0}: answered from index {1} without confirming leadership (bug)", "读取 #{0}：未确认领导地位就按索引 {1} 回答（缺陷）"),
    ("raft.note.read_answered", "read #{0}: answered (applied through index {1})", "读取 #{0}：已回答（已应用到索引 {1}）"),
    ("raft.note.no_lease", "read #{0}: no lease holds: going the ReadIndex way", "读取 #{0}：没有有效租约：改用 ReadIndex"),
    ("raft.note.reads_failed", "no longer leader: {0} waiting reads fail", "不再是领导者：{0} 个等待中的读取失败"),
    ("raft.prop.linearizability", "Linearizability", "线性一致性"),
    ("raft.prop.linearizability.help", "Clients' operations fit one order within their intervals: no stale reads, no command applied twice (§6.3, §6.4)", "客户端操作能在各自的时间区间内排成一个顺序：没有过期读取，命令不会被应用两次（§6.3、§6.4）"),
    ("raft.breach.not_linearizable", "{0} client operations (the last #{1}) cannot be put in any order that explains their results", "{0} 个客户端操作（最后一个为 #{1}）无法排成能解释其结果的任何顺序"),
}

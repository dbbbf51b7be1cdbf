//! Text the page shows only in Chinese: in English it shows the scenario
//! file's own description instead. Keys start with `zh.`; the page does not
//! carry the English column (−0.9 KB gzip), and the Chinese arrives with
//! `zh.json` like all Chinese.

super::zh_only_rows! {
    ("zh.raft.preset.leader-election.desc", "Five servers start cold in term 0. The first election timeout to fire (each drawn at random between 150 and 300 ms, §5.2) makes its server a candidate; it asks for votes and becomes leader once a majority grants them.", "五台服务器从任期 0 冷启动。最先触发的选举超时（每台在 150 到 300 毫秒之间随机，§5.2）让该服务器成为候选人；它请求投票，获得多数票后成为领导者。"),
    ("zh.raft.preset.split-vote.desc", "S1 and S3 time out at the same moment and each gets 2 of 4 votes: nobody wins term 1. Randomized election timeouts (§5.2) make the next round unlikely to split again.", "S1 和 S3 同时超时，各得 4 票中的 2 票：任期 1 无人胜出。随机化的选举超时（§5.2）使下一轮不太可能再次瓜分选票。"),
    ("zh.raft.preset.leader-crash.desc", "S1 is elected in term 1 and replicates client requests. At 1.2 s it crashes: a follower times out and wins a higher term. When S1 comes back it learns the new term and follows.", "S1 在任期 1 当选并复制客户端请求。1.2 秒时它宕机：某个跟随者超时并赢得更高任期。S1 恢复后得知新任期并成为跟随者。"),
    ("zh.raft.preset.minority-partition.desc", "Leader S1 and S2 are cut off from S3–S5. S1 keeps accepting requests but can never commit them (no majority); the majority elects a new leader in a higher term and keeps committing. After healing, S1 steps down and its uncommitted entries are replaced.", "领导者 S1 和 S2 与 S3–S5 隔离。S1 仍接受请求但永远无法提交（没有多数派）；多数派在更高任期选出新领导者并继续提交。分区恢复后 S1 退位，其未提交的条目被替换。"),
    ("zh.raft.preset.figure-7.desc", "The Raft paper's Figure 7: S1 wins term 8, backs up nextIndex one entry per rejection (§5.3) and brings every follower's log in line with its own.", "Raft 论文图 7：S1 赢得任期 8，每次被拒绝就把 nextIndex 回退一格（§5.3），最终让所有跟随者的日志与自己一致。"),
    ("zh.raft.preset.figure-8.desc", "The Raft paper's Figure 8: an entry of an old term stored on a majority must not be committed by counting replicas (§5.4.2), or a later leader may overwrite it.", "Raft 论文图 8：旧任期的条目即使已存于多数派，也不能通过统计副本数来提交（§5.4.2），否则之后的领导者可能覆盖它。"),
    ("zh.raft.preset.bug-commit-old-terms.desc", "Figure 8 with the bug it warns about: the leader commits an old-term entry stored on a majority; a later leader overwrites it and servers apply different commands at one index (Leader Completeness and State Machine Safety broken).", "带有图 8 所警示缺陷的版本：领导者提交了存于多数派的旧任期条目；之后的领导者覆盖了它，各服务器在同一索引应用了不同命令（破坏领导者完整性与状态机安全性）。"),
    ("zh.raft.preset.bug-forget-vote-on-crash.desc", "votedFor is not persisted: S2 votes for S1, reboots having forgotten that vote, then votes for S3 too, and two leaders rule term 1 (Election Safety broken; §5.2).", "votedFor 未持久化：S2 投票给 S1，重启后忘记了这次投票，又投票给 S3，于是任期 1 出现两个领导者（破坏选举安全性；§5.2）。"),
    ("zh.raft.preset.bug-skip-consistency-check.desc", "Followers accept AppendEntries without checking prevLogIndex/prevLogTerm (§5.3): S3 writes entries at the wrong index, logs stop matching and S3 applies different commands.", "跟随者接受 AppendEntries 时不检查 prevLogIndex/prevLogTerm（§5.3）：S3 把条目写在错误的索引，日志不再匹配，S3 应用了不同的命令。"),
    ("zh.raft.preset.bug-skip-up-to-date-check.desc", "Voters skip the §5.4.1 up-to-date check: S3, which missed the committed entries, becomes leader of term 2 and overwrites them (Leader Completeness broken).", "投票者跳过 §5.4.1 的日志新旧检查：错过已提交条目的 S3 成为任期 2 的领导者并覆盖了这些条目（破坏领导者完整性）。"),
}

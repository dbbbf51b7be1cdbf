//! The guided tour: chapter titles, narration and its controls.

super::rows! {
    ("tour.start", "Guided tour", "导览"),
    ("tour.back", "Back", "上一步"),
    ("tour.next", "Next", "下一步"),
    ("tour.finish", "Finish", "完成"),
    ("tour.leave", "Leave the tour and keep playing", "退出导览，继续自由操作"),
    ("tour.progress", "Step {0} of {1}", "第 {0} 步，共 {1} 步"),
    ("tour.chapters", "Chapters", "章节"),
    ("tour.loading", "Loading the tour…", "正在加载导览…"),
    ("tour.error", "Could not load the tour ({0}).", "无法加载导览（{0}）。"),
    ("tour.c0", "What Raft is for", "Raft 是做什么的"),
    ("tour.c1", "Leader election", "领导者选举"),
    ("tour.c2", "Split votes", "选票分裂"),
    ("tour.c3", "Log replication", "日志复制"),
    ("tour.c4", "Partitions", "网络分区"),
    ("tour.c5", "Figure 8: old terms", "图 8：旧任期的条目"),
    ("tour.avail", "Staying available: PreVote and CheckQuorum", "保持可用：预投票与 CheckQuorum"),
    ("tour.reads", "Reads: leases and ReadIndex", "读取：租约与 ReadIndex"),
    ("tour.c6", "Consistent hashing vs mod N", "一致性哈希与取模"),
    ("tour.c7", "Adding a server", "添加服务器"),
}

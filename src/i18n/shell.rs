//! Strings of the app shell (header, view switcher, footer, messages).
use super::Row;

pub const ROWS: &[Row] = &[
    ("app.tagline", "Raft and consistent hashing, simulated step by step", "Raft 与一致性哈希，逐步模拟演示"),
    ("app.views", "Views", "视图"),
    ("view.raft", "Raft", "Raft 共识"),
    ("view.ring", "Hash ring", "哈希环"),
    ("view.cluster", "Cluster", "集群"),
    ("app.footer", "Deterministic simulation: same seed + same actions ⇒ same run.", "确定性模拟：相同的种子与相同的操作 ⇒ 完全相同的运行。"),
    ("app.language", "Language", "语言"),
    ("app.placeholder.raft", "A Raft cluster you can watch and drive.", "一个可以观察和操控的 Raft 集群。"),
    ("app.placeholder.ring", "Keys placed on servers by a consistent-hash ring.", "一致性哈希环把键分配到服务器上。"),
    ("app.placeholder.cluster", "Shards placed by the ring, each a Raft group.", "由哈希环放置的分片，每个分片是一个 Raft 组。"),
    ("link.error.title", "Part of this link could not be used; defaults were used instead:", "此链接的部分内容无法使用，已改用默认值："),
    ("link.error", "“{0}”: {1}", "参数“{0}”：{1}"),
    ("link.error.whole", "{0}", "{0}"),
    ("link.dismiss", "Dismiss", "关闭"),
    ("share.open", "Share", "分享"),
    ("share.link", "Link to exactly this state", "指向当前状态的链接"),
    ("share.copy", "Copy link", "复制链接"),
    ("share.embed", "Embed code for a documentation page", "嵌入文档页面的代码"),
    ("share.copy_embed", "Copy embed code", "复制嵌入代码"),
    ("share.copied", "Link copied", "链接已复制"),
    ("share.copied_embed", "Embed code copied", "嵌入代码已复制"),
    ("share.close", "Close", "关闭"),
    ("embed.open_full", "Open in ringraft ↗", "在 ringraft 中打开 ↗"),
];

//! The guided tour's controls (chapter titles and narration ship in
//! `extra.json`, `tour_steps.rs`).

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
}

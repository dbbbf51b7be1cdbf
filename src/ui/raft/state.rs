//! The Raft view's own state — what the simulator does not hold: play,
//! the selection, the node menu, the partition being drawn, the drop mode,
//! the last load error and the rules panel. One reducer: every change is a
//! `UiAction`, so a handler says what happened, not which fields to poke.
//! (The run itself lives in the `Controller`; its changes go through
//! `sim::Action`.)

use std::rc::Rc;

use yew::Reducible;

use crate::raft::NodeId;
use crate::ui::fetch::ExtraFetch;

use super::Selection;

#[derive(Clone, Debug, PartialEq)]
pub struct Ui {
    pub playing: bool,
    /// What the inspector shows.
    pub sel: Selection,
    /// The server whose action menu is open.
    pub menu: Option<NodeId>,
    /// Clicking a message drops it.
    pub drop_mode: bool,
    /// The servers ticked for the far side of a partition.
    pub side_b: Vec<NodeId>,
    /// Why the last scenario (import, preset, size) was refused.
    pub load_error: Option<String>,
    /// The rules panel is open.
    pub rules_open: bool,
    /// Where the rules panel's fetched text stands.
    pub rules_fetch: ExtraFetch,
    /// A link's catch-up stopped because the run's history passed the
    /// memory limit (MB it had reached).
    pub catchup_stopped: Option<u64>,
}

impl Ui {
    pub fn new(playing: bool, rules_open: bool) -> Self {
        Ui {
            playing,
            sel: Selection::None,
            menu: None,
            drop_mode: false,
            side_b: Vec::new(),
            load_error: None,
            rules_open,
            rules_fetch: ExtraFetch::NotAsked,
            catchup_stopped: None,
        }
    }
}

/// Everything that changes the view's own state.
#[derive(Clone, Debug, PartialEq)]
pub enum UiAction {
    Play(bool),
    Select(Selection),
    /// A click on a server: select it and open its menu, or close it if open.
    ClickNode(NodeId),
    /// Enter on a server: select it and open its menu.
    OpenMenu(NodeId),
    CloseMenu,
    ToggleDropMode,
    /// Tick or untick a server for the far side of a partition.
    ToggleSide(NodeId),
    /// A scenario was loaded (selection and menu reset) or refused (why).
    Loaded(Result<(), String>),
    /// The rules panel was opened or closed.
    RulesOpen(bool),
    RulesFetch(ExtraFetch),
    /// A link's catch-up stopped at the memory limit (MB reached).
    CatchupStopped(u64),
}

impl Reducible for Ui {
    type Action = UiAction;

    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        let mut s = (*self).clone();
        s.apply(action);
        if s == *self {
            self
        } else {
            Rc::new(s)
        }
    }
}

impl Ui {
    /// The reducer's rule for each action (kept apart from `Rc` for tests).
    pub fn apply(&mut self, action: UiAction) {
        match action {
            UiAction::Play(on) => self.playing = on,
            UiAction::Select(sel) => self.sel = sel,
            UiAction::ClickNode(id) => {
                self.sel = Selection::Node(id);
                self.menu = if self.menu == Some(id) { None } else { Some(id) };
            }
            UiAction::OpenMenu(id) => {
                self.sel = Selection::Node(id);
                self.menu = Some(id);
            }
            UiAction::CloseMenu => self.menu = None,
            UiAction::ToggleDropMode => self.drop_mode = !self.drop_mode,
            UiAction::ToggleSide(id) => match self.side_b.iter().position(|x| *x == id) {
                Some(p) => {
                    self.side_b.remove(p);
                }
                None => self.side_b.push(id),
            },
            UiAction::CatchupStopped(mb) => self.catchup_stopped = Some(mb),
            UiAction::Loaded(Ok(())) => {
                self.catchup_stopped = None;
                self.load_error = None;
                self.sel = Selection::None;
                self.menu = None;
            }
            UiAction::Loaded(Err(e)) => self.load_error = Some(e),
            UiAction::RulesOpen(open) => self.rules_open = open,
            UiAction::RulesFetch(f) => self.rules_fetch = f,
        }
    }
}

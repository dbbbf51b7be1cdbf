//! The Hash ring view's state and the actions the page sends to it.
//!
//! The reducer only parses what the user typed and calls `crate::ring`:
//! placement, migration plans and explanations all come from the core. Bad
//! input becomes a [`UiError`] shown in the page, and the previous state is
//! kept untouched.

use crate::ring::{
    generate_keys, hash_key, migration, node_name, nodes_named, Algorithm, Assignment, Change,
    Explanation, Migration, NodeSpec, Placement, RingError, Settings,
};
use crate::link::ring::RingLinkState;
use std::rc::Rc;
use yew::Reducible;

/// Limits of what the page offers (one set, shared with links: `crate::link::ring`).
pub use crate::link::ring::{MAX_KEYS, MAX_NODES, MAX_REPLICAS, MAX_VNODES, MAX_WEIGHT};

/// Why an action was refused; rendered through the i18n tables.
#[derive(Debug, Clone, PartialEq)]
pub enum UiError {
    Ring(RingError),
    NotANumber(String),
    VnodesRange(String),
    KeysRange(String),
    ReplicasRange(String),
    WeightRange(String),
    TooManyNodes,
    LastNode,
    EmptyKey,
    /// Parts of a loaded state (link, embed, tour step) that were not usable
    /// and were replaced by defaults (see `crate::link::LinkError`).
    Link(Vec<String>),
}

/// One membership or setting change and what it did to the keys.
#[derive(Debug, Clone, PartialEq)]
pub struct LastChange {
    /// What happened, for the compare mode (membership changes only).
    pub change: Option<Change>,
    /// The node list before the change (compare mode replays it).
    pub before_nodes: Vec<NodeSpec>,
    pub migration: Migration,
    /// Per key: moved in this change (owner index before, after).
    pub moved: Vec<(u32, u32, u32)>,
    /// Node names before the change (indices in `moved.1`).
    pub before_names: Vec<String>,
    /// Bumped on every change so the drawing knows to animate.
    pub epoch: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    pub explanation: Rc<Explanation>,
    pub step: usize,
}

#[derive(Debug, Clone)]
pub struct RingState {
    pub placement: Rc<Placement>,
    pub keys: Rc<Vec<String>>,
    /// Key hashes, in key order (for drawing).
    pub hashes: Rc<Vec<u64>>,
    pub assignment: Rc<Assignment>,
    pub replicas: usize,
    pub last: Option<Rc<LastChange>>,
    pub error: Option<UiError>,
    pub lookup: Option<Lookup>,
    pub compare: bool,
    epoch: u64,
    /// Bumped on every refused action (inputs showing refused text are reset).
    pub refusals: u64,
    /// Whether this state came from the person (emit it) or from a loaded state.
    pub by_user: bool,
    /// Time the reducer took to make this state (ms; shown as `data-compute-ms`
    /// for the benchmark).
    pub compute_ms: f64,
}

pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

pub enum Action {
    AddNode,
    RemoveNode(String),
    SetWeight(String, String),
    SetVnodes(String),
    SetKeys(String),
    SetReplicas(String),
    SetAlgorithm(Algorithm),
    LookupKey(String),
    /// A key picked on the drawing by its index.
    PickKey(usize),
    StepTo(usize),
    CloseLookup,
    ToggleCompare,
    DismissError,
    /// Load a whole state (`RingLinkState` JSON) from a link, embed or tour step.
    Load(String),
    /// The person picked a scenario from the library: load it and report it.
    LoadPreset(String),
}

impl Default for RingState {
    fn default() -> Self {
        let settings = Settings::new(Algorithm::Ring);
        let placement = Placement::new(nodes_named(4), settings).ok().expect("4 default nodes are valid");
        RingState::build(placement, Rc::new(generate_keys(10_000)), 1)
    }
}

impl RingState {
    fn build(placement: Placement, keys: Rc<Vec<String>>, replicas: usize) -> RingState {
        let assignment = Rc::new(placement.assign(&keys));
        let hashes = Rc::new(keys.iter().map(|k| hash_key(k)).collect());
        RingState {
            placement: Rc::new(placement),
            keys,
            hashes,
            assignment,
            replicas,
            last: None,
            error: None,
            lookup: None,
            compare: false,
            epoch: 0,
            refusals: 0,
            by_user: false,
            compute_ms: 0.0,
        }
    }

    /// The state `json` (a `RingLinkState`) describes. Never panics: unusable
    /// parts are reported in `error` and replaced by defaults. `epoch` is the
    /// epoch of the state being replaced (the drawing must redraw).
    pub fn from_json(json: &str, epoch: u64) -> RingState {
        let (link, problems) = RingLinkState::parse(json);
        RingState::from_link(&link, problems.iter().map(|p| p.to_string()).collect(), epoch)
    }

    pub fn from_link(link: &RingLinkState, mut problems: Vec<String>, epoch: u64) -> RingState {
        let settings = Settings { vnodes: link.vnodes, ..Settings::new(link.algo) };
        let placement = match Placement::new(link.node_specs(), settings.clone()) {
            Ok(p) => Some(p),
            Err(e) => {
                problems.push(format!("nodes: {e}; defaults used"));
                Placement::new(nodes_named(crate::link::ring::DEFAULT_NODES), settings).ok()
            }
        };
        let Some(placement) = placement else {
            return RingState { error: Some(UiError::Link(problems)), epoch: epoch + 1, ..RingState::default() };
        };
        let mut st = RingState::build(placement, Rc::new(generate_keys(link.keys)), link.replicas);
        st.compare = link.compare;
        st.epoch = epoch + 1;
        if let Some(change) = &link.change {
            match st.placement.with_change(change) {
                Ok(after) => st = st.changed(after, Some(change.clone())),
                Err(e) => problems.push(format!("change: {e}; not applied")),
            }
        }
        if let Some(key) = &link.lookup {
            let mut lk = explain_key(&st.placement, &st.keys, st.replicas, key);
            lk.step = link.step.unwrap_or(0);
            st.lookup = Some(lk);
        }
        st.error = (!problems.is_empty()).then_some(UiError::Link(problems));
        st
    }

    /// What a link needs to reproduce this state: the nodes before the last
    /// membership change and that change (so loading replays its moves).
    pub fn link(&self) -> RingLinkState {
        let last = self.last.as_ref().and_then(|c| c.change.as_ref().map(|ch| (&c.before_nodes, ch)));
        let (nodes, change) = match last {
            Some((before, ch)) => (RingLinkState::from_specs(before), Some(ch.clone())),
            None => (RingLinkState::from_specs(self.placement.nodes()), None),
        };
        let settings = self.settings();
        RingLinkState {
            algo: settings.algorithm,
            nodes,
            vnodes: settings.vnodes,
            replicas: self.replicas,
            keys: self.keys.len(),
            compare: self.compare,
            change,
            lookup: self.lookup.as_ref().map(|l| l.explanation_key().to_string()),
            step: self.lookup.as_ref().map(|l| l.step),
        }
    }

    /// Moves to `after` on the same keys, recording the migration plan.
    fn changed(&self, after: Placement, change: Option<Change>) -> RingState {
        let assignment = after.assign(&self.keys);
        let plan = migration(&self.placement, &after, &self.keys);
        let moved = self
            .assignment
            .owners
            .iter()
            .zip(&assignment.owners)
            .enumerate()
            .filter(|(_, (a, b))| self.placement.node_name(**a as usize) != after.node_name(**b as usize))
            .map(|(i, (&a, &b))| (i as u32, a, b))
            .collect();
        let epoch = self.epoch + 1;
        let last = LastChange {
            change,
            before_nodes: self.placement.nodes().to_vec(),
            migration: plan,
            moved,
            before_names: self.placement.nodes().iter().map(|n| n.name.clone()).collect(),
            epoch,
        };
        let lookup = self.lookup.as_ref().map(|l| explain_key(&after, &self.keys, self.replicas, l.explanation_key()));
        RingState {
            placement: Rc::new(after),
            assignment: Rc::new(assignment),
            last: Some(Rc::new(last)),
            error: None,
            lookup,
            epoch,
            ..self.clone()
        }
    }

    fn refuse(&self, e: UiError) -> RingState {
        RingState { error: Some(e), refusals: self.refusals + 1, ..self.clone() }
    }

    fn try_change(&self, change: Change) -> RingState {
        match self.placement.with_change(&change) {
            Ok(after) => self.changed(after, Some(change)),
            Err(e) => self.refuse(UiError::Ring(e)),
        }
    }

    fn next_name(&self) -> String {
        (0..)
            .map(node_name)
            .find(|n| self.placement.node_index(n).is_none())
            .unwrap_or_default()
    }

    pub fn settings(&self) -> &Settings {
        self.placement.settings()
    }
}

impl Lookup {
    fn explanation_key(&self) -> &str {
        explanation_key(&self.explanation)
    }
}

pub fn explanation_key(e: &Explanation) -> &str {
    match e {
        Explanation::Ring(x) => &x.key,
        Explanation::ModN(x) => &x.key,
        Explanation::Jump(x) => &x.key,
        Explanation::Rendezvous(x) => &x.key,
        Explanation::Maglev(x) => &x.key,
        Explanation::Bounded(x) => &x.key,
    }
}

fn explain_key(p: &Placement, keys: &[String], replicas: usize, key: &str) -> Lookup {
    Lookup { explanation: Rc::new(p.explain(key, keys, replicas)), step: 0 }
}

fn parse_num<T: std::str::FromStr>(text: &str) -> Result<T, UiError> {
    text.trim().parse().map_err(|_| UiError::NotANumber(text.trim().to_string()))
}

impl Reducible for RingState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let t0 = now_ms();
        let s = &*self;
        let next = match action {
            Action::AddNode => {
                if s.placement.nodes().len() >= MAX_NODES {
                    s.refuse(UiError::TooManyNodes)
                } else {
                    s.try_change(Change::Add { name: s.next_name(), weight: 1.0, vnodes: None })
                }
            }
            Action::RemoveNode(name) => {
                if s.placement.nodes().len() <= 1 {
                    s.refuse(UiError::LastNode)
                } else {
                    s.try_change(Change::Remove { name })
                }
            }
            Action::SetWeight(name, text) => match crate::num::parse_decimal(text.trim()).ok_or_else(|| UiError::NotANumber(text.trim().to_string())) {
                Ok(w) if w.is_finite() && (0.0..=MAX_WEIGHT).contains(&w) => {
                    s.try_change(Change::Reweight { name, weight: w })
                }
                Ok(_) => s.refuse(UiError::WeightRange(text.trim().to_string())),
                Err(e) => s.refuse(e),
            },
            Action::SetVnodes(text) => match parse_num::<u64>(&text) {
                Ok(v) if (1..=MAX_VNODES as u64).contains(&v) => {
                    let settings = Settings { vnodes: v as u32, ..s.settings().clone() };
                    match Placement::new(s.placement.nodes().to_vec(), settings) {
                        Ok(p) => s.changed(p, None),
                        Err(e) => s.refuse(UiError::Ring(e)),
                    }
                }
                Ok(_) => s.refuse(UiError::VnodesRange(text.trim().to_string())),
                // "-5" or "1e9" does not parse as u64: still a range problem if it is a number.
                Err(_) if crate::num::parse_decimal(text.trim()).is_some() => s.refuse(UiError::VnodesRange(text.trim().to_string())),
                Err(e) => s.refuse(e),
            },
            Action::SetKeys(text) => match parse_num::<u64>(&text) {
                Ok(k) if (1..=MAX_KEYS as u64).contains(&k) => {
                    let keys = Rc::new(generate_keys(k as usize));
                    let mut n = RingState::build((*s.placement).clone(), keys, s.replicas);
                    n.compare = s.compare;
                    n.epoch = s.epoch + 1;
                    n.refusals = s.refusals;
                    n
                }
                Err(_) if crate::num::parse_decimal(text.trim()).is_none() => s.refuse(UiError::NotANumber(text.trim().to_string())),
                _ => s.refuse(UiError::KeysRange(text.trim().to_string())),
            },
            Action::SetReplicas(text) => match parse_num::<u64>(&text) {
                Ok(r) if (1..=MAX_REPLICAS as u64).contains(&r) => {
                    let r = r as usize;
                    let lookup = s.lookup.as_ref().map(|l| explain_key(&s.placement, &s.keys, r, l.explanation_key()));
                    RingState { replicas: r, lookup, error: None, ..s.clone() }
                }
                Err(_) if crate::num::parse_decimal(text.trim()).is_none() => s.refuse(UiError::NotANumber(text.trim().to_string())),
                _ => s.refuse(UiError::ReplicasRange(text.trim().to_string())),
            },
            Action::SetAlgorithm(a) => match s.placement.with_algorithm(a) {
                Ok(p) => s.changed(p, None),
                Err(e) => s.refuse(UiError::Ring(e)),
            },
            Action::LookupKey(key) => {
                if key.trim().is_empty() {
                    s.refuse(UiError::EmptyKey)
                } else {
                    let lookup = explain_key(&s.placement, &s.keys, s.replicas, &key);
                    RingState { lookup: Some(lookup), error: None, ..s.clone() }
                }
            }
            Action::PickKey(i) => match s.keys.get(i) {
                Some(key) => {
                    let lookup = explain_key(&s.placement, &s.keys, s.replicas, key);
                    RingState { lookup: Some(lookup), error: None, ..s.clone() }
                }
                None => return self,
            },
            Action::StepTo(step) => match &s.lookup {
                Some(l) => RingState { lookup: Some(Lookup { step, ..l.clone() }), ..s.clone() },
                None => return self,
            },
            Action::CloseLookup => RingState { lookup: None, ..s.clone() },
            Action::ToggleCompare => RingState { compare: !s.compare, ..s.clone() },
            Action::DismissError => RingState { error: None, ..s.clone() },
            Action::LoadPreset(json) => {
                let n = RingState::from_json(&json, s.epoch);
                return Rc::new(RingState { by_user: true, refusals: s.refusals, compute_ms: now_ms() - t0, ..n });
            }
            Action::Load(json) => {
                let mut n = RingState::from_json(&json, s.epoch);
                n.refusals = s.refusals;
                n.compute_ms = now_ms() - t0;
                return Rc::new(n);
            }
        };
        Rc::new(RingState { by_user: true, compute_ms: now_ms() - t0, ..next })
    }
}

impl RingState {
    /// Bumped whenever keys or owners change (the drawing redraws its layer).
    pub fn epoch(&self) -> u64 {
        self.epoch
    }
}

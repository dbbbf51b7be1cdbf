//! Small collections keyed by server id (ids are 1–9), with the
//! `BTreeMap` / `BTreeSet` methods the node uses and the same ascending
//! order: a leader's progress per follower and a candidate's votes. A node
//! is copied often (the page's history checkpoints, the explorer's every
//! state): a B-tree costs an allocation of several hundred bytes for three
//! entries, these one small one (the map) or none (the set).

use super::super::types::NodeId;

/// A map from server id to `V`, sorted by id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IdMap<V>(Vec<(NodeId, V)>);

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap(Vec::new())
    }
}

// Membership changes (the extended module) use all of it.
#[cfg_attr(not(feature = "extended"), allow(dead_code))]
impl<V> IdMap<V> {
    fn find(&self, id: NodeId) -> Result<usize, usize> {
        self.0.binary_search_by_key(&id, |e| e.0)
    }
    pub fn get(&self, id: &NodeId) -> Option<&V> {
        self.find(*id).ok().map(|i| &self.0[i].1)
    }
    pub fn get_mut(&mut self, id: &NodeId) -> Option<&mut V> {
        self.find(*id).ok().map(|i| &mut self.0[i].1)
    }
    pub fn insert(&mut self, id: NodeId, v: V) {
        match self.find(id) {
            Ok(i) => self.0[i].1 = v,
            Err(i) => self.0.insert(i, (id, v)),
        }
    }
    /// `entry(id).or_insert(v)`.
    pub fn or_insert(&mut self, id: NodeId, v: V) {
        if let Err(i) = self.find(id) {
            self.0.insert(i, (id, v));
        }
    }
    pub fn clear(&mut self) {
        self.0.clear();
    }
    pub fn retain(&mut self, mut keep: impl FnMut(&NodeId, &mut V) -> bool) {
        self.0.retain_mut(|(k, v)| keep(k, v));
    }
    pub fn keys(&self) -> impl Iterator<Item = &NodeId> {
        self.0.iter().map(|e| &e.0)
    }
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.0.iter_mut().map(|e| &mut e.1)
    }
    pub fn iter(&self) -> impl Iterator<Item = (&NodeId, &V)> {
        self.0.iter().map(|e| (&e.0, &e.1))
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// A set of server ids (0–15) as a bit mask.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct IdSet(u16);

impl IdSet {
    pub fn insert(&mut self, id: NodeId) {
        self.0 |= 1 << (id & 15);
    }
    pub fn contains(&self, id: &NodeId) -> bool {
        self.0 & 1 << (*id & 15) != 0
    }
    pub fn clear(&mut self) {
        self.0 = 0;
    }
    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }
    /// Ascending.
    pub fn iter(&self) -> impl Iterator<Item = &'static NodeId> + '_ {
        const IDS: [NodeId; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
        IDS.iter().filter(|&&i| self.0 & 1 << i != 0)
    }
}

//! The ring with virtual nodes (Karger et al. 1997).
//!
//! Points are kept as parallel arrays sorted by position, so lookup is one
//! `partition_point` (binary search) over a dense `Vec<u64>`.

use super::explain::{PreferenceStep, Probe, RingExplanation};
use super::hash::{arc_contains, arc_fraction, fraction, hash_key, vnode_position_buf};
use super::types::{NodeSpec, RingError, VnodePoint, MAX_POINTS};
use serde::Serialize;

/// A ring: vnode points sorted by (position, node name, vnode index).
///
/// A key is owned by the first point at or after its position (its
/// successor), wrapping to the first point past the top of the hash space.
/// Point `i` therefore owns the arc `(position[i-1], position[i]]`.
#[derive(Debug, Clone, Serialize)]
pub struct HashRing {
    positions: Vec<u64>,
    /// Index (in the node list the ring was built from) owning each point.
    owners: Vec<u32>,
    /// Vnode index of each point within its node.
    vnode_ids: Vec<u32>,
    names: Vec<String>,
    /// Points per node, by node index.
    point_counts: Vec<u32>,
}

/// The arc `(start, end]` owned by one point. `start == end`: the whole circle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Arc {
    pub start: u64,
    pub end: u64,
    pub start_fraction: f64,
    pub end_fraction: f64,
    pub length_fraction: f64,
    pub node: String,
    pub vnode: u32,
}

/// A stretch `(start, end]` of the circle whose owner differs between two rings.
/// `start > end` means the arc wraps through 0; `start == end`, the whole circle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArcChange {
    pub start: u64,
    pub end: u64,
    pub start_fraction: f64,
    pub end_fraction: f64,
    pub length_fraction: f64,
    pub from: String,
    pub to: String,
}

impl ArcChange {
    /// Whether a hash position falls in this changed arc.
    pub fn contains(&self, h: u64) -> bool {
        arc_contains(self.start, self.end, h)
    }
}

impl HashRing {
    /// Builds the ring. `nodes` must be validated (distinct names, weights ≥ 0);
    /// a node's index in `nodes` is the index `owner_*` functions return.
    pub fn new(nodes: &[NodeSpec], default_vnodes: u32) -> Result<HashRing, RingError> {
        if default_vnodes == 0 {
            return Err(RingError::BadVnodes(0));
        }
        let point_counts: Vec<u32> = nodes.iter().map(|n| n.point_count(default_vnodes)).collect();
        let total: u64 = point_counts.iter().map(|&c| c as u64).sum();
        if total == 0 {
            return Err(RingError::NoCapacity);
        }
        if total > MAX_POINTS {
            return Err(RingError::TooManyPoints(total));
        }
        let mut pts: Vec<(u64, u32, u32)> = Vec::with_capacity(total as usize);
        let mut buf = String::new();
        for (i, (node, &count)) in nodes.iter().zip(&point_counts).enumerate() {
            for v in 0..count {
                pts.push((vnode_position_buf(&node.name, v, &mut buf), i as u32, v));
            }
        }
        // Ties at one position are ordered by (name, vnode index), never by
        // insertion order, so every node ordering yields the same ring.
        crate::order::sort_by(&mut pts, |a, b| {
            a.0.cmp(&b.0)
                .then_with(|| nodes[a.1 as usize].name.cmp(&nodes[b.1 as usize].name))
                .then(a.2.cmp(&b.2))
        });
        Ok(HashRing {
            positions: pts.iter().map(|p| p.0).collect(),
            owners: pts.iter().map(|p| p.1).collect(),
            vnode_ids: pts.iter().map(|p| p.2).collect(),
            names: nodes.iter().map(|n| n.name.clone()).collect(),
            point_counts,
        })
    }

    pub fn len(&self) -> usize {
        self.positions.len()
    }
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }
    pub fn node_names(&self) -> &[String] {
        &self.names
    }
    /// Points per node, in node order.
    pub fn point_counts(&self) -> &[u32] {
        &self.point_counts
    }
    /// Sorted point positions.
    pub fn positions(&self) -> &[u64] {
        &self.positions
    }

    /// Index of the point that owns hash `h`: first position ≥ h, else wrap to 0.
    #[inline]
    pub fn successor(&self, h: u64) -> usize {
        let i = self.positions.partition_point(|&p| p < h);
        if i == self.positions.len() {
            0
        } else {
            i
        }
    }

    /// Node index owning the point at `point`.
    #[inline]
    pub fn point_owner(&self, point: usize) -> usize {
        self.owners[point] as usize
    }

    /// Node index owning hash `h`.
    #[inline]
    pub fn owner_of_hash(&self, h: u64) -> usize {
        self.owners[self.successor(h)] as usize
    }

    /// Node index owning `key`.
    pub fn owner(&self, key: &str) -> usize {
        self.owner_of_hash(hash_key(key))
    }

    pub fn point(&self, index: usize) -> VnodePoint {
        let node_index = self.owners[index] as usize;
        VnodePoint {
            index,
            position: self.positions[index],
            fraction: fraction(self.positions[index]),
            node: self.names[node_index].clone(),
            node_index,
            vnode: self.vnode_ids[index],
        }
    }

    /// All points in ring order (for drawing).
    pub fn points(&self) -> Vec<VnodePoint> {
        (0..self.len()).map(|i| self.point(i)).collect()
    }

    /// Start of the arc owned by point `i`: the previous point, wrapping.
    fn arc_start(&self, i: usize) -> u64 {
        if i == 0 {
            self.positions[self.len() - 1]
        } else {
            self.positions[i - 1]
        }
    }

    /// The arc owned by each point, in ring order.
    pub fn arcs(&self) -> Vec<Arc> {
        (0..self.len())
            .map(|i| {
                let (start, end) = (self.arc_start(i), self.positions[i]);
                // Equal positions (a hash collision) leave the later point an
                // empty arc; only a one-point ring owns the whole circle.
                let length = if start == end && self.len() > 1 { 0.0 } else { arc_fraction(start, end) };
                Arc {
                    start,
                    end,
                    start_fraction: fraction(start),
                    end_fraction: fraction(end),
                    length_fraction: length,
                    node: self.names[self.owners[i] as usize].clone(),
                    vnode: self.vnode_ids[i],
                }
            })
            .collect()
    }

    /// Fraction of the circle owned by each node: the load it would get with
    /// infinitely many keys (no sampling noise), in node order.
    pub fn arc_shares(&self) -> Vec<f64> {
        let mut acc = vec![0u128; self.names.len()];
        let n = self.len();
        if n == 1 {
            let mut v = vec![0.0; self.names.len()];
            v[self.owners[0] as usize] = 1.0;
            return v;
        }
        for i in 0..n {
            let len = self.positions[i].wrapping_sub(self.arc_start(i));
            acc[self.owners[i] as usize] += len as u128;
        }
        acc.iter().map(|&a| a as f64 / 18_446_744_073_709_551_616.0).collect()
    }

    /// Number of distinct nodes that own at least one point.
    pub fn nodes_with_points(&self) -> usize {
        self.point_counts.iter().filter(|&&c| c > 0).count()
    }

    /// Dynamo preference list: the next `r` *distinct physical* nodes clockwise
    /// from the key's position, skipping further vnodes of a node already
    /// chosen. Shorter than `r` only when fewer nodes own points.
    pub fn preference_list_hash(&self, h: u64, r: usize) -> Vec<usize> {
        let want = r.min(self.nodes_with_points());
        let mut out = Vec::with_capacity(want);
        let start = self.successor(h);
        let n = self.len();
        let mut i = start;
        while out.len() < want {
            let node = self.owners[i] as usize;
            if !out.contains(&node) {
                out.push(node);
            }
            i += 1;
            if i == n {
                i = 0;
            }
            if i == start {
                break;
            }
        }
        out
    }

    pub fn preference_list(&self, key: &str, r: usize) -> Vec<usize> {
        self.preference_list_hash(hash_key(key), r)
    }

    /// Keys per node for key hashes sorted ascending: one merge pass over the
    /// ring instead of a binary search per key (the balance sweep's hot loop).
    pub fn loads_sorted(&self, sorted_hashes: &[u64]) -> Vec<usize> {
        let mut loads = vec![0usize; self.names.len()];
        let mut p = 0;
        let n = self.len();
        for &h in sorted_hashes {
            while p < n && self.positions[p] < h {
                p += 1;
            }
            let idx = if p == n { 0 } else { p };
            loads[self.owners[idx] as usize] += 1;
        }
        loads
    }

    /// Narratable lookup: the binary-search probes, the successor, whether it
    /// wrapped, and (for `replicas > 1`) the walk that builds the preference list.
    pub fn explain(&self, key: &str, replicas: usize) -> RingExplanation {
        let h = hash_key(key);
        let n = self.len();
        let (mut lo, mut hi) = (0usize, n);
        let mut probes = Vec::new();
        // The same lower-bound search `successor` does with partition_point,
        // spelled out so each step can be shown.
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let mid_position = self.positions[mid];
            let go_right = mid_position < h;
            probes.push(Probe {
                lo,
                hi,
                mid,
                mid_position,
                mid_fraction: fraction(mid_position),
                went: if go_right { "right" } else { "left" },
            });
            if go_right {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let wrapped = lo == n;
        let succ = if wrapped { 0 } else { lo };
        let mut preference = Vec::new();
        let mut chosen: Vec<usize> = Vec::new();
        let want = replicas.max(1).min(self.nodes_with_points());
        let mut i = succ;
        while chosen.len() < want {
            let node = self.owners[i] as usize;
            let taken = !chosen.contains(&node);
            if taken {
                chosen.push(node);
            }
            preference.push(PreferenceStep { vnode: self.point(i), taken });
            i = (i + 1) % n;
            if i == succ {
                break;
            }
        }
        RingExplanation {
            key: key.to_string(),
            hash: h,
            fraction: fraction(h),
            points: n,
            probes,
            successor: self.point(succ),
            wrapped,
            owner: self.names[self.owners[succ] as usize].clone(),
            preference_list: chosen.iter().map(|&c| self.names[c].clone()).collect(),
            walk: preference,
        }
    }
}

/// The stretches of the circle whose owner changes from `before` to `after`.
///
/// Every boundary of either ring splits the circle into elementary arcs; each
/// elementary arc has one owner per ring (that of its end point's successor).
/// Adjacent changed arcs with the same (from, to) are merged.
pub fn arc_diff(before: &HashRing, after: &HashRing) -> Vec<ArcChange> {
    let mut bounds: Vec<u64> = before.positions.iter().chain(&after.positions).copied().collect();
    crate::order::sort(&mut bounds);
    bounds.dedup();
    let m = bounds.len();
    // (start, end, from, to) by node index; names resolved at the end.
    let mut raw: Vec<(u64, u64, usize, usize)> = Vec::new();
    for k in 0..m {
        let start = if k == 0 { bounds[m - 1] } else { bounds[k - 1] };
        let end = bounds[k];
        let from = before.owner_of_hash(end);
        let to = after.owner_of_hash(end);
        if before.names[from] == after.names[to] {
            continue;
        }
        if let Some(last) = raw.last_mut() {
            if last.1 == start
                && before.names[last.2] == before.names[from]
                && after.names[last.3] == after.names[to]
            {
                last.1 = end;
                continue;
            }
        }
        raw.push((start, end, from, to));
    }
    // The first elementary arc wraps through 0; join it to the last one.
    if raw.len() > 1 {
        let first = raw[0];
        let last = raw[raw.len() - 1];
        if last.1 == first.0
            && before.names[last.2] == before.names[first.2]
            && after.names[last.3] == after.names[first.3]
        {
            raw[0].0 = last.0;
            raw.pop();
        }
    }
    raw.into_iter()
        .map(|(start, end, from, to)| ArcChange {
            start,
            end,
            start_fraction: fraction(start),
            end_fraction: fraction(end),
            length_fraction: arc_fraction(start, end),
            from: before.names[from].clone(),
            to: after.names[to].clone(),
        })
        .collect()
}

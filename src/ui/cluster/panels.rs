//! Servers with their replicas, the shard table, the key → shard ring and
//! table.

use yew::prelude::*;

use super::Handle;
use crate::ui::widgets::{el_id, cls, el, swatch, text, thead, when};
use crate::cluster::{ClusterAction, Member, ReplicaView, SHARD_VNODES};
use crate::i18n::{tr, trf, Lang};
use crate::raft::Role;
use crate::num::fixed;


pub(crate) fn role_key(r: &ReplicaView) -> (&'static str, &'static str) {
    if !r.alive {
        return ("down", "cluster.role.down");
    }
    match r.role {
        Role::Leader => ("leader", "cluster.role.leader"),
        Role::Candidate | Role::PreCandidate => ("candidate", "cluster.role.candidate"),
        Role::Follower => ("follower", "cluster.role.follower"),
    }
}

/// One colour per shard (also used on the ring).
pub(crate) fn shard_colour(shard: usize) -> &'static str {
    const C: [&str; 8] = ["#2f6fde", "#d9822b", "#3a8f5c", "#8e5cd9", "#c2185b", "#00838f", "#7c6f00", "#5d4037"];
    C[shard % C.len()]
}

/// Each server with its crash / isolate buttons and the replicas it hosts.
pub fn servers(l: Lang, h: &Handle) -> Html {
    let c = h.ctl.borrow();
    let view = c.cluster.view();
    // Removing a server must leave at least R servers in the ring.
    let in_ring = view.servers.iter().filter(|s| !s.leaving).count();
    let can_remove = in_ring > c.cluster.config().replicas;
    let cols = view.servers.iter().map(|s| {
        let name = s.name.clone();
        let (n1, n2, n3) = (name.clone(), name.clone(), name.clone());
        let crash = h.act(move |c, _: MouseEvent| {
            let server = n1.clone();
            c.act(if c.cluster.is_crashed(&n1) { ClusterAction::Restart { server } } else { ClusterAction::Crash { server } });
        });
        let isolate = h.act(move |c, _: MouseEvent| {
            let server = n2.clone();
            c.act(if c.cluster.is_isolated(&n2) {
                ClusterAction::Reconnect { server }
            } else {
                ClusterAction::Isolate { server }
            });
        });
        let remove = h.act(move |c, _: MouseEvent| c.act(ClusterAction::RemoveServer { server: n3.clone() }));
        let state = if s.leaving {
            tr(l, "cluster.server.leaving")
        } else if s.crashed {
            tr(l, "cluster.server.down")
        } else if s.isolated {
            tr(l, "cluster.server.isolated")
        } else {
            tr(l, "cluster.server.up")
        };
        let replicas = s.replicas.iter().map(|r| {
            let (role, mut key) = role_key(r);
            // A leader that cannot reach a majority still believes it leads
            // (it has not heard of a newer term) but cannot commit anything.
            let stale = role == "leader" && view.shards[r.shard].leader.as_ref() != Some(&r.server);
            if stale {
                key = "cluster.role.stale";
            }
            // A learner or a leaving replica says so before its Raft role (§4).
            let (member, member_key) = match r.member {
                Member::Voter => ("voter", None),
                Member::Learner => ("learner", Some("cluster.member.learner")),
                Member::Leaving => ("leaving", Some("cluster.member.leaving")),
            };
            // A learner is a follower that does not vote yet: its member state says it all.
            let shown = match (r.member, member_key) {
                (Member::Learner, Some(m)) => tr(l, m).to_string(),
                (_, Some(m)) => format!("{} · {}", tr(l, m), tr(l, key)),
                (_, None) => tr(l, key).to_string(),
            };
            let label = trf(l, "cluster.replica.label", &[&r.shard, &r.server, &shown, &r.term, &r.log_len]);
            html! {
                <li class={cls(&["replica", &format!("role-{role}"), &format!("member-{member}"), when(stale, "stale")])}
                    data-shard={r.shard.to_string()} data-role={role} data-member={member} data-node={r.node.to_string()}
                    data-stale={stale.to_string()}
                    aria-label={label.clone()} title={label}>
                    { swatch(shard_colour(r.shard), true) }
                    { el("span", Some("replica-shard"), trf(l, "cluster.replica", &[&r.shard])) }
                    { el("span", Some("replica-role"), shown) }
                    { el("span", Some("replica-term"), trf(l, "cluster.term", &[&r.term])) }
                </li>
            }
        });
        html! {
            <div class={cls(&["server", when(s.crashed, "crashed"), when(s.isolated, "isolated"), when(s.leaving, "leaving")])}
                data-server={s.name.clone()} data-crashed={s.crashed.to_string()} data-isolated={s.isolated.to_string()}
                data-leaving={s.leaving.to_string()}
                role="group" aria-label={trf(l, "cluster.server", &[&s.name])}>
                <h4 class="server-name">{ text(trf(l, "cluster.server", &[&s.name])) }
                    { el("span", Some("server-state"), state) }</h4>
                <div class="server-actions">
                    { server_action("crash", s.crashed, trf(l, if s.crashed { "cluster.restart.label" } else { "cluster.crash.label" }, &[&s.name]),
                        tr(l, if s.crashed { "cluster.restart" } else { "cluster.crash" }), crash) }
                    { server_action("isolate", s.isolated, trf(l, if s.isolated { "cluster.reconnect.label" } else { "cluster.isolate.label" }, &[&s.name]),
                        tr(l, if s.isolated { "cluster.reconnect" } else { "cluster.isolate" }), isolate) }
                    <button class="remove" data-action="remove" disabled={s.leaving || !can_remove}
                        aria-label={trf(l, "cluster.remove.label", &[&s.name])} title={trf(l, "cluster.remove.label", &[&s.name])}
                        onclick={remove}>{ text(tr(l, "cluster.remove")) }</button>
                </div>
                if s.replicas.is_empty() {
                    { el("p", Some("muted"), tr(l, "cluster.no.replicas")) }
                } else {
                    <ul class="replicas">{ for replicas }</ul>
                }
            </div>
        }
    });
    html! {
        <section class="cluster-servers" aria-labelledby="cluster-servers-h">
            { el_id("h3", "cluster-servers-h", tr(l, "cluster.servers")) }
            <div class="server-grid">{ for cols }</div>
        </section>
    }
}

/// A server's crash or isolate button (`data-action`, `aria-pressed`).
#[inline(never)]
fn server_action(action: &'static str, pressed: bool, aria: String, label: &'static str, onclick: Callback<MouseEvent>) -> Html {
    html! {
        <button class={action} data-action={action} aria-pressed={crate::ui::widgets::bool_str(pressed)} aria-label={aria} {onclick}>
            { text(label) }
        </button>
    }
}

pub(crate) fn badge(l: Lang, available: bool) -> Html {
    html! {
        <span class={if available { "badge ok" } else { "badge bad" }}>
            { if available { format!("✓ {}", tr(l, "cluster.available")) } else { format!("✗ {}", tr(l, "cluster.unavailable")) } }
        </span>
    }
}

/// The shard table: replicas, leader, term, commit, reachability.
pub fn shards(l: Lang, h: &Handle) -> Html {
    let c = h.ctl.borrow();
    let view = c.cluster.view();
    let rows = view.shards.iter().map(|s| {
        let servers = s.replicas.iter().map(|r| {
            let is_leader = s.leader.as_ref() == Some(&r.server);
            let member = match r.member {
                Member::Voter => "",
                Member::Learner => "learner",
                Member::Leaving => "leaving",
            };
            html! { <><span class={cls(&["srv", when(is_leader, "lead"), member])} data-member={member}>{ r.server.clone() }</span>{" "}</> }
        });
        let open = {
            let (h, shard, servers) = (h.clone(), s.shard, s.servers.clone());
            Callback::from(move |_: MouseEvent| {
                let c = h.ctl.borrow();
                h.on_open_raft.emit(super::OpenRaft::of(l, shard, &servers, c.cluster.group(shard)));
            })
        };
        html! {
            <tr data-shard={s.shard.to_string()} data-available={s.available.to_string()}
                data-leader={s.leader.clone().unwrap_or_default()} data-replicas={s.servers.join(",")}
                class={(!s.available).then_some("down")}>
                <th scope="row">{ swatch(shard_colour(s.shard), true) }{ text(s.shard.to_string()) }</th>
                <td>{ for servers }</td>
                { el("td", None, s.leader.clone().unwrap_or_else(|| tr(l, "cluster.none").to_string())) }
                { el("td", None, s.term.to_string()) }
                { el("td", None, s.commit_index.to_string()) }
                { el("td", None, format!("{} / {}", s.reachable, s.majority)) }
                <td>{ badge(l, s.available) }</td>
                <td><button class="linklike open-raft" data-open-shard={s.shard.to_string()} title={tr(l, "cluster.open_raft.title")}
                    onclick={open}>{ text(tr(l, "cluster.open_raft")) }</button></td>
            </tr>
        }
    });
    html! {
        <section class="cluster-shards" aria-labelledby="cluster-shards-h">
            { el_id("h3", "cluster-shards-h", tr(l, "cluster.shards")) }
            <table class="shard-table">
                { thead(l, &["cluster.col.shard", "cluster.col.replicas", "cluster.col.leader", "cluster.col.term",
                    "cluster.col.commit", "cluster.col.reach", "cluster.col.status", "cluster.col.raft"]) }
                <tbody>{ for rows }</tbody>
            </table>
        </section>
    }
}

/// Point on a circle of radius r around (100, 100), 0 at the top, clockwise.
fn at(f: f64, r: f64) -> (f64, f64) {
    let a = f * std::f64::consts::TAU - std::f64::consts::FRAC_PI_2;
    (100.0 + r * crate::ui::jsmath::cos(a), 100.0 + r * crate::ui::jsmath::sin(a))
}

fn ring_svg(l: Lang, c: &super::Ctl) -> Html {
    let Some(ring) = c.cluster.shard_ring().ring() else { return html! {} };
    // Merge neighbouring arcs of the same shard into one stroke.
    let mut runs: Vec<(f64, f64, usize)> = Vec::new();
    for a in ring.arcs() {
        let shard = a.node.trim_start_matches("shard-").parse::<usize>().unwrap_or(0);
        let (s, e) = (a.start_fraction, a.start_fraction + a.length_fraction);
        match runs.last_mut() {
            Some(last) if last.2 == shard && (last.1 - s).abs() < 1e-12 => last.1 = e,
            _ => runs.push((s, e, shard)),
        }
    }
    let arcs = runs.iter().map(|&(s, e, shard)| {
        let (x0, y0) = at(s, 80.0);
        let (x1, y1) = at(e, 80.0);
        let large = if e - s > 0.5 { 1 } else { 0 };
        html! { <path d={format!("M{},{} A80,80 0 {large} 1 {},{}", fixed(x0, 2), fixed(y0, 2), fixed(x1, 2), fixed(y1, 2))} stroke={shard_colour(shard)}
            stroke-width="10" fill="none" /> }
    });
    let view = c.cluster.view();
    // Labels in ring order, nudged clockwise so close keys do not overlap.
    let mut order: Vec<usize> = (0..view.keys.len()).collect();
    crate::order::sort_by(&mut order, |&a, &b| view.keys[a].fraction.total_cmp(&view.keys[b].fraction));
    let mut label_at = vec![0.0; view.keys.len()];
    let mut prev = f64::NEG_INFINITY;
    for &i in &order {
        prev = view.keys[i].fraction.max(prev + 0.03);
        label_at[i] = prev;
    }
    let keys = view.keys.iter().enumerate().map(|(i, k)| {
        let (x, y) = at(k.fraction, 80.0);
        let (tx, ty) = at(label_at[i], 96.0);
        let anchor = if tx < 99.0 { "end" } else if tx > 101.0 { "start" } else { "middle" };
        html! { <g class={if k.available { "ring-key" } else { "ring-key down" }} data-key={k.key.clone()}>
            <circle cx={fixed(x, 2)} cy={fixed(y, 2)} r="3.5" />
            <text x={fixed(tx, 2)} y={fixed(ty + 3.5, 2)} text-anchor={anchor}>{ k.key.clone() }</text>
        </g> }
    });
    html! {
        <svg class="shard-ring" viewBox="-40 -10 280 220" role="img" aria-label={tr(l, "cluster.ring.label")}>
            { for arcs }{ for keys }
        </svg>
    }
}

/// The key → shard ring and table.
pub fn keys(l: Lang, h: &Handle) -> Html {
    let c = h.ctl.borrow();
    let view = c.cluster.view();
    let rows = view.keys.iter().map(|k| {
        let value = view.shards[k.shard].data.iter().find(|(kk, _)| *kk == k.key).map(|(_, v)| v.clone());
        html! {
            <tr data-key={k.key.clone()} data-shard={k.shard.to_string()} data-available={k.available.to_string()}
                class={(!k.available).then_some("down")}>
                <th scope="row">{ text(k.key.clone()) }</th>
                { el("td", None, format!("{}%", fixed(k.fraction * 100.0, 1))) }
                <td>{ swatch(shard_colour(k.shard), true) }{ text(k.shard.to_string()) }</td>
                { el("td", None, value.unwrap_or_else(|| "—".to_string())) }
                <td>{ badge(l, k.available) }</td>
            </tr>
        }
    });
    html! {
        <section class="cluster-keys" aria-labelledby="cluster-keys-h">
            { el_id("h3", "cluster-keys-h", tr(l, "cluster.keys")) }
            { el("p", Some("muted"), trf(l, "cluster.keys.note", &[&SHARD_VNODES])) }
            <div class="keys-body">
                { ring_svg(l, &c) }
                <table class="key-table">
                    { thead(l, &["cluster.col.key", "cluster.col.position", "cluster.col.shard", "cluster.col.value", "cluster.col.status"]) }
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}

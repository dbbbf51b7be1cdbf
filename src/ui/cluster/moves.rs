//! Adding a server, and the replica moves adding or removing one set in
//! motion: per shard, the membership changes step by step (learner caught
//! up → promoted → old replica removed → done) with the shard's
//! availability meanwhile.

use yew::prelude::*;

use super::Handle;
use crate::cluster::{Cluster, MoveProgress, MoveStage, MoveStep, Refusal, ReplicaMove, ServerChange, MAX_SERVERS};
use crate::i18n::{tr, trf, Lang};
use crate::raft::ChangeRefused;
use crate::ui::widgets::{cls, el, el_id, swatch, text, tra, when, Button};

use super::panels::{badge, shard_colour};

/// Why the cluster's last request to a group was not taken.
fn refusal(l: Lang, r: &Refusal) -> String {
    match r {
        Refusal::NoLeader => tr(l, "cluster.refused.no_leader").to_string(),
        Refusal::Refused { reason } => match reason {
            ChangeRefused::Pending { .. } => tr(l, "cluster.refused.pending").to_string(),
            ChangeRefused::NoCommitInTerm => tr(l, "cluster.refused.no_commit").to_string(),
            ChangeRefused::Transferring => tr(l, "cluster.refused.transferring").to_string(),
            ChangeRefused::NotLeader => tr(l, "cluster.refused.no_leader").to_string(),
            other => trf(l, "cluster.refused.other", &[&format!("{other:?}")]),
        },
    }
}

/// The milestones a move has reached, by name (`data-steps`).
fn reached(p: &MoveProgress) -> String {
    let mut names: Vec<&str> = p
        .steps
        .iter()
        .map(|s| match s.step {
            MoveStep::LearnerAdded { .. } => "learner",
            MoveStep::Promoted { .. } => "promoted",
            MoveStep::RemovalStarted { .. } => "removing",
            MoveStep::Retired { .. } => "done",
        })
        .collect();
    names.dedup();
    names.join(" ")
}

/// One shard's move as a line of steps: each done, current or still to come.
fn move_line(l: Lang, c: &Cluster, m: &ReplicaMove) -> Html {
    let Some(p) = c.move_progress(m) else { return html! {} };
    let view = c.shard_view(m.shard);
    let caught_up = view.moving.as_ref().filter(|v| v.progress.plan == *m).and_then(|v| v.caught_up);
    let learner = match (p.stage, caught_up) {
        (MoveStage::Queued, _) => trf(l, "cluster.move.queued", &[&m.to]),
        (MoveStage::Adding, _) => trf(l, "cluster.move.adding", &[&m.to, &m.new]),
        (MoveStage::CatchingUp, Some((have, of))) => trf(l, "cluster.move.catching_up", &[&m.to, &m.new, &have, &of]),
        _ => trf(l, "cluster.move.learner", &[&m.to, &m.new]),
    };
    let (removing, done) = (p.stage == MoveStage::Removing, p.stage == MoveStage::Done);
    let promoted = removing || done;
    let state = |is_done: bool, is_current: bool| if is_done { "done" } else if is_current { "current" } else { "todo" };
    let steps: [(&str, String, &str); 4] = [
        ("learner", learner, state(promoted, true)),
        ("promoted", tr(l, "cluster.move.promoted").to_string(), state(promoted, false)),
        ("removing", trf(l, "cluster.move.removing", &[&m.from, &m.old]), state(done, removing)),
        ("done", tr(l, "cluster.move.done").to_string(), state(done, false)),
    ];
    let steps = steps.into_iter().enumerate().map(|(i, (id, label, state))| {
        html! { <>
            if i > 0 { <span class="mstep-arrow" aria-hidden="true">{ "→" }</span> }
            <li class={cls(&["mstep", state])} data-step={id} data-state={state}>{ text(label) }</li>
        </> }
    });
    let waiting = p.last_refusal.as_ref().filter(|_| matches!(p.stage, MoveStage::Adding | MoveStage::Removing));
    html! {
        <li class={cls(&["move", when(p.is_done(), "finished")])} data-move-shard={m.shard.to_string()} data-from={m.from.clone()}
            data-to={m.to.clone()} data-stage={p.stage.id()} data-steps={reached(p)} data-available={view.available.to_string()}>
            <span class="move-shard">{ swatch(shard_colour(m.shard), true) }{ text(trf(l, "cluster.move.shard", &[&m.shard])) }</span>
            <ol class="move-steps">{ for steps }</ol>
            { badge(l, view.available) }
            if let Some((_, why)) = waiting {
                { el("p", Some("move-wait"), trf(l, "cluster.move.retry", &[&refusal(l, why), &p.refusals])) }
            }
        </li>
    }
}

/// Adding a server, and the moves of the last rebalance, live.
pub fn panel(l: Lang, h: &Handle) -> Html {
    let c = h.ctl.borrow();
    let next = c.cluster.next_server_name();
    let can_add = c.cluster.servers().len() < MAX_SERVERS;
    let add = h.act(|c, _: MouseEvent| {
        let name = c.cluster.next_server_name();
        c.act(crate::cluster::ClusterAction::AddServer { name });
    });
    let total = c.cluster.shard_count() * c.cluster.config().replicas;
    let title: AttrValue = if can_add { trf(l, "cluster.add", &[&next]).into() } else { tra(l, "cluster.add.max") };
    html! {
        <section class="cluster-add" aria-labelledby="cluster-add-h">
            { el_id("h3", "cluster-add-h", title.clone()) }
            { Button { id: Some("cluster-add"), class: Some("primary"), disabled: !can_add, label: title, onclick: add, ..Default::default() }.html() }
            if let Some(r) = &c.rebalance {
                <div class="rebalance" data-change={match r.change { ServerChange::Added(_) => "added", ServerChange::Removed(_) => "removed" }}
                    data-changed={r.change.server().to_string()} data-moves={r.moves.len().to_string()}>
                    { el("h4", None, trf(l, match r.change { ServerChange::Added(_) => "cluster.rebalance", ServerChange::Removed(_) => "cluster.rebalance.removed" },
                        &[&r.change.server()])) }
                    if r.moves.is_empty() {
                        { el("p", None, tr(l, "cluster.rebalance.none")) }
                    } else {
                        { el("p", None, trf(l, "cluster.rebalance.summary", &[&r.moves.len(), &total])) }
                        <ul class="moves">{ for r.moves.iter().map(|m| move_line(l, &c.cluster, m)) }</ul>
                    }
                    { el("p", Some("muted"), tr(l, "cluster.rebalance.how")) }
                </div>
            }
        </section>
    }
}

//! Per-rule cases of the Raft paper's Figure 2, written as short transcripts:
//! build a node in a given state, hand it one input, check what it decided.
//! Cases follow /work/shared/raft-scenarios.md ("Per-rule cases").

use ringraft::raft::*;

// ---------------------------------------------------------------- helpers

fn cfg() -> Config {
    // Most rules are clearer without the §8 no-op; tests that want it say so.
    Config { noop_on_election: false, ..Config::default() }
}

fn cluster(n: u8) -> Vec<NodeId> {
    (1..=n).collect()
}

/// A log given as its list of terms. The command depends only on
/// (index, term), so equal (index, term) means equal entry, as in real Raft.
fn log_of(terms: &[Term]) -> Vec<Entry> {
    terms
        .iter()
        .enumerate()
        .map(|(i, &t)| Entry::new(t, Command::Set { key: format!("k{}", i + 1), value: format!("t{t}") }))
        .collect()
}

fn terms(n: &Node) -> Vec<Term> {
    n.log().iter().map(|e| e.term).collect()
}

/// Node `id` of a cluster of `size`, restarted from (term, votedFor, log).
fn node(id: NodeId, size: u8, term: Term, voted_for: Option<NodeId>, log: &[Term]) -> Node {
    node_with(id, size, term, voted_for, log, cfg())
}

fn node_with(id: NodeId, size: u8, term: Term, voted_for: Option<NodeId>, log: &[Term], config: Config) -> Node {
    Node::restart(id, cluster(size), config, Persistent { current_term: term, voted_for, log: log_of(log).into(), snapshot: None })
}

fn request_vote(from: NodeId, to: NodeId, term: Term, last_log_index: Index, last_log_term: Term) -> Envelope {
    Envelope { from, to, msg: Message::RequestVote(RequestVote { term, candidate_id: from, last_log_index, last_log_term, transfer: false }) }
}

fn vote_reply(from: NodeId, to: NodeId, term: Term, vote_granted: bool) -> Envelope {
    Envelope { from, to, msg: Message::RequestVoteResponse(RequestVoteResponse { term, vote_granted }) }
}

/// AppendEntries whose new entries are given by (first index, terms).
fn append(from: NodeId, to: NodeId, term: Term, prev: (Index, Term), entries: &[Term], commit: Index) -> Envelope {
    let first = prev.0 as usize;
    let entries = entries
        .iter()
        .enumerate()
        .map(|(k, &t)| Entry::new(t, Command::Set { key: format!("k{}", first + k + 1), value: format!("t{t}") }))
        .collect();
    Envelope {
        from,
        to,
        msg: Message::AppendEntries(AppendEntries {
            term,
            leader_id: from,
            prev_log_index: prev.0,
            prev_log_term: prev.1,
            entries,
            leader_commit: commit,
            round: 0,
        }),
    }
}

fn ack(from: NodeId, to: NodeId, term: Term, match_index: Index) -> Envelope {
    Envelope {
        from,
        to,
        msg: Message::AppendEntriesResponse(AppendEntriesResponse { term, success: true, match_index, conflict_term: 0, conflict_index: 0, round: 0 }),
    }
}

fn nack(from: NodeId, to: NodeId, term: Term) -> Envelope {
    Envelope {
        from,
        to,
        msg: Message::AppendEntriesResponse(AppendEntriesResponse { term, success: false, match_index: 0, conflict_term: 0, conflict_index: 0, round: 0 }),
    }
}

/// The single vote reply in an output.
fn vote_answer(out: &Output) -> (Term, bool) {
    let replies: Vec<_> = out
        .messages
        .iter()
        .filter_map(|e| match e.msg {
            Message::RequestVoteResponse(RequestVoteResponse { term, vote_granted }) => Some((term, vote_granted)),
            _ => None,
        })
        .collect();
    assert_eq!(replies.len(), 1, "expected exactly one vote reply in {out:?}");
    replies[0]
}

/// The single AppendEntries reply in an output: (term, success, match_index, conflict_term, conflict_index).
fn append_answer(out: &Output) -> (Term, bool, Index, Term, Index) {
    let replies: Vec<_> = out
        .messages
        .iter()
        .filter_map(|e| match e.msg {
            Message::AppendEntriesResponse(AppendEntriesResponse { term, success, match_index, conflict_term, conflict_index, .. }) => {
                Some((term, success, match_index, conflict_term, conflict_index))
            }
            _ => None,
        })
        .collect();
    assert_eq!(replies.len(), 1, "expected exactly one append reply in {out:?}");
    replies[0]
}

fn appends_in(out: &Output) -> Vec<(NodeId, Index, Vec<Term>)> {
    out.messages
        .iter()
        .filter_map(|e| match &e.msg {
            Message::AppendEntries(AppendEntries { prev_log_index, entries, .. }) => {
                Some((e.to, *prev_log_index, entries.iter().map(|x| x.term).collect()))
            }
            _ => None,
        })
        .collect()
}

/// Time out `n` and grant it votes from every peer until it leads.
fn elect(n: &mut Node) -> Output {
    let mut out = n.on_election_timeout();
    let term = n.current_term();
    for p in n.cluster().to_vec() {
        if n.role() == Role::Leader {
            break;
        }
        if p != n.id() {
            out = n.step(vote_reply(p, n.id(), term, true));
        }
    }
    assert_eq!(n.role(), Role::Leader);
    out
}

// ---------------------------------------------------------------- votes (§5.2)

#[test]
fn follower_that_has_not_voted_grants_and_remembers() {
    let mut s1 = node(1, 3, 1, None, &[]);
    let out = s1.step(request_vote(2, 1, 1, 0, 0));
    assert_eq!(vote_answer(&out), (1, true));
    assert_eq!(s1.voted_for(), Some(2));
    // Granting a vote resets the election timer.
    assert!(out.timers.contains(&Timer::Election));
    assert!(
        out.notes.contains(&Note::VoteGranted {
            candidate: 2,
            term: 1,
            last_term: 0,
            last_index: 0,
            own_last_term: 0,
            own_last_index: 0,
            log_check_skipped: false
        }),
        "{:?}",
        out.notes
    );
    assert_eq!(out.notes[0].section(), "§5.4.1");
}

#[test]
fn follower_that_voted_for_x_grants_x_again_and_refuses_y() {
    let mut s1 = node(1, 3, 1, Some(2), &[]);
    assert_eq!(vote_answer(&s1.step(request_vote(2, 1, 1, 0, 0))), (1, true));
    let out = s1.step(request_vote(3, 1, 1, 0, 0));
    assert_eq!(vote_answer(&out), (1, false));
    assert!(out.timers.is_empty(), "a refusal must not reset the election timer");
    assert_eq!(s1.voted_for(), Some(2));
}

#[test]
fn stale_term_vote_request_is_refused_with_current_term() {
    let mut s1 = node(1, 3, 5, None, &[]);
    assert_eq!(vote_answer(&s1.step(request_vote(2, 1, 4, 0, 0))), (5, false));
    assert_eq!(s1.voted_for(), None);
}

#[test]
fn newer_term_resets_vote_and_converts_to_follower() {
    // S1 voted for S3 in term 2; a term-3 request clears that vote (§5.1).
    let mut s1 = node(1, 3, 2, Some(3), &[]);
    let out = s1.step(request_vote(2, 1, 3, 0, 0));
    assert_eq!(vote_answer(&out), (3, true));
    assert_eq!((s1.current_term(), s1.voted_for()), (3, Some(2)));

    // A leader that sees a newer term in a response steps down.
    let mut leader = node(1, 3, 0, None, &[]);
    elect(&mut leader);
    leader.step(ack(2, 1, 9, 0));
    assert_eq!((leader.role(), leader.current_term(), leader.voted_for()), (Role::Follower, 9, None));
    assert_eq!(leader.leader_id(), None);
}

#[test]
fn up_to_date_check_table() {
    // (voter log, candidate (lastTerm, lastIndex), granted?) — §5.4.1.
    let cases: &[(&[Term], (Term, Index), bool)] = &[
        (&[1], (1, 1), true),
        (&[1], (1, 2), true),
        (&[1, 1], (1, 1), false),
        (&[1], (2, 1), true),
        (&[1, 1], (2, 1), true),
        (&[2], (1, 1), false),
        (&[2], (1, 2), false),
        (&[2, 2], (1, 1), false),
    ];
    for (i, &(log, (last_term, last_index), want)) in cases.iter().enumerate() {
        let mut voter = node(1, 3, 2, None, log);
        let out = voter.step(request_vote(2, 1, 3, last_index, last_term));
        assert_eq!(vote_answer(&out), (3, want), "case {i}: voter {log:?} vs candidate ({last_term},{last_index})");
        if !want {
            let own = (log.last().copied().unwrap_or(0), log.len() as Index);
            assert!(
                out.notes.contains(&Note::VoteRefusedLogBehind {
                    candidate: 2,
                    last_term,
                    last_index,
                    own_last_term: own.0,
                    own_last_index: own.1
                }),
                "case {i}: {:?}",
                out.notes
            );
            assert_eq!(voter.voted_for(), None);
        }
    }
}

// ---------------------------------------------------------------- elections

#[test]
fn candidate_increments_term_votes_for_itself_and_asks_everyone() {
    let mut s1 = node(1, 3, 4, None, &[1, 4]);
    let out = s1.on_election_timeout();
    assert_eq!((s1.role(), s1.current_term(), s1.voted_for()), (Role::Candidate, 5, Some(1)));
    assert_eq!(s1.votes_granted(), vec![1]);
    assert!(out.timers.contains(&Timer::Election));
    let asked: Vec<_> = out
        .messages
        .iter()
        .map(|e| (e.to, e.msg.clone()))
        .collect();
    let rv = |to| (to, Message::RequestVote(RequestVote { term: 5, candidate_id: 1, last_log_index: 2, last_log_term: 4, transfer: false }));
    assert_eq!(asked, vec![rv(2), rv(3)]);
}

#[test]
fn single_node_cluster_leads_at_once_and_commits_its_own_entries() {
    let mut s1 = Node::new(1, vec![1], Config::default());
    let out = s1.on_election_timeout();
    assert_eq!(s1.role(), Role::Leader);
    assert_eq!(out.applied.len(), 1, "the no-op is committed by the leader alone");
    let (index, out) = s1.propose(Command::Set { key: "x".into(), value: "1".into() }).unwrap();
    assert_eq!((index, s1.commit_index(), s1.last_applied()), (2, 2, 2));
    assert_eq!(out.applied[0].index, 2);
    assert_eq!(s1.kv().get("x").map(|v| &**v), Some("1"));
}

#[test]
fn election_in_one_round_by_cluster_size() {
    // size 3: self + one grant is a majority.
    let mut a = node(1, 3, 0, None, &[]);
    a.on_election_timeout();
    a.step(vote_reply(2, 1, 1, true));
    assert_eq!(a.role(), Role::Leader);
    assert_eq!(a.votes_granted(), vec![1, 2]);

    // size 5: self + one grant is not; a refusal changes nothing; a second grant is.
    let mut b = node(1, 5, 0, None, &[]);
    b.on_election_timeout();
    b.step(vote_reply(2, 1, 1, true));
    assert_eq!(b.role(), Role::Candidate);
    b.step(vote_reply(4, 1, 1, false));
    assert_eq!(b.role(), Role::Candidate);
    // A duplicated grant is still one vote.
    b.step(vote_reply(2, 1, 1, true));
    assert_eq!(b.role(), Role::Candidate);
    let out = b.step(vote_reply(3, 1, 1, true));
    assert_eq!(b.role(), Role::Leader);
    assert!(out.notes.contains(&Note::VoteReceived { from: 3, votes: 3, needed: 3 }), "{:?}", out.notes);
    assert!(out.notes.contains(&Note::BecameLeader { term: 1, votes: 3, needed: 3 }), "{:?}", out.notes);
}

#[test]
fn new_leader_initialises_next_and_match_and_sends_at_once() {
    let mut s1 = node_with(1, 3, 3, None, &[1, 2, 3], Config::default());
    let out = elect(&mut s1);
    assert_eq!(s1.current_term(), 4);
    // nextIndex = last log index + 1 (taken before the no-op is appended).
    assert_eq!((s1.next_index(2), s1.match_index(2)), (Some(4), Some(0)));
    assert_eq!(terms(&s1), vec![1, 2, 3, 4], "no-op of the new term appended (§8)");
    assert_eq!(*s1.log()[3].command, Command::Noop);
    assert_eq!(appends_in(&out), vec![(2, 3, vec![4]), (3, 3, vec![4])]);
    assert!(out.timers.contains(&Timer::Heartbeat));
}

#[test]
fn candidate_steps_down_on_append_entries_from_current_or_newer_leader() {
    // Same term: another server won this election (§5.2).
    let mut s1 = node(1, 3, 0, None, &[]);
    s1.on_election_timeout();
    let out = s1.step(append(2, 1, 1, (0, 0), &[], 0));
    assert_eq!((s1.role(), s1.current_term(), s1.leader_id()), (Role::Follower, 1, Some(2)));
    assert!(append_answer(&out).1);
    assert!(out.timers.contains(&Timer::Election));

    // Newer term.
    let mut s1 = node(1, 3, 0, None, &[]);
    s1.on_election_timeout();
    s1.step(append(3, 1, 7, (0, 0), &[], 0));
    assert_eq!((s1.role(), s1.current_term()), (Role::Follower, 7));

    // Older term: rejected, still a candidate.
    let mut s1 = node(1, 3, 5, None, &[]);
    s1.on_election_timeout();
    let out = s1.step(append(2, 1, 5, (0, 0), &[], 0));
    assert_eq!(s1.role(), Role::Candidate);
    let (term, success, ..) = append_answer(&out);
    assert_eq!((term, success), (6, false));
}

#[test]
fn candidate_retries_request_vote_only_to_silent_peers() {
    let mut s1 = node(1, 5, 0, None, &[]);
    s1.on_election_timeout();
    s1.step(vote_reply(2, 1, 1, false));
    s1.step(vote_reply(3, 1, 1, true));
    let out = s1.on_heartbeat_timeout();
    let to: Vec<_> = out.messages.iter().map(|e| e.to).collect();
    assert_eq!(to, vec![4, 5]);
}

#[test]
fn propose_on_non_leader_redirects() {
    let mut s1 = node(1, 3, 2, None, &[]);
    assert_eq!(s1.propose(Command::Noop).unwrap_err(), ClientError::NotLeader { leader_hint: None });
    s1.step(append(3, 1, 2, (0, 0), &[], 0));
    assert_eq!(s1.propose(Command::Noop).unwrap_err(), ClientError::NotLeader { leader_hint: Some(3) });
}

// ---------------------------------------------------------------- AppendEntries receiver (§5.3)

#[test]
fn append_entries_on_follower_1_2() {
    // (prev (index, term), entries, resulting log, match_index)
    type Case<'a> = ((Index, Term), &'a [Term], &'a [Term], Index);
    let cases: &[Case] = &[
        ((2, 2), &[3], &[1, 2, 3], 3),
        ((1, 1), &[3, 4], &[1, 3, 4], 3),
        ((0, 0), &[1], &[1, 2], 1),
        ((0, 0), &[3], &[3], 1),
    ];
    for (i, &(prev, entries, want, want_match)) in cases.iter().enumerate() {
        let mut f = node(2, 3, 2, None, &[1, 2]);
        let out = f.step(append(1, 2, 2, prev, entries, 0));
        let (term, success, match_index, _, _) = append_answer(&out);
        assert_eq!((term, success, match_index), (2, true, want_match), "case {i}");
        assert_eq!(terms(&f), want, "case {i}: prev {prev:?} + {entries:?}");
    }
}

#[test]
fn consistency_check_on_1_2() {
    // (prevLogIndex, prevLogTerm) → accepted?
    let cases: &[((Index, Term), bool)] = &[((1, 1), true), ((2, 2), true), ((2, 1), false), ((3, 3), false)];
    for &(prev, want) in cases {
        let mut f = node(2, 3, 2, None, &[1, 2]);
        let out = f.step(append(1, 2, 2, prev, &[], 0));
        assert_eq!(append_answer(&out).1, want, "prev {prev:?}");
        assert_eq!(terms(&f), vec![1, 2], "a heartbeat never changes the log");
    }
    let mut f = node(2, 3, 2, None, &[1, 2]);
    let out = f.step(append(1, 2, 2, (5, 3), &[], 0));
    assert_eq!(
        out.notes,
        vec![Note::AppendRejectedMissingEntry { leader: 1, prev_log_index: 5, prev_log_term: 3, last_index: 2 }]
    );
    let out = f.step(append(1, 2, 2, (2, 1), &[], 0));
    assert_eq!(
        out.notes,
        vec![Note::AppendRejectedTermMismatch { leader: 1, prev_log_index: 2, prev_log_term: 1, found_term: 2 }]
    );
    assert_eq!(out.notes[0].lines(), &[(Line::AeStaleTerm, Outcome::Passed), (Line::AePrevLog, Outcome::Refused)]);
}

#[test]
fn rejection_carries_conflict_hint() {
    let mut f = node(2, 3, 3, None, &[1, 2, 2, 2]);
    // Entry 4 has term 2, not 3: the follower's term-2 run starts at index 2.
    assert_eq!(append_answer(&f.step(append(1, 2, 3, (4, 3), &[], 0))), (3, false, 0, 2, 2));
    // Log too short: conflict_term 0 and the follower's length + 1.
    assert_eq!(append_answer(&f.step(append(1, 2, 3, (9, 3), &[], 0))), (3, false, 0, 0, 5));
}

#[test]
fn stale_leader_is_rejected_with_current_term() {
    let mut f = node(2, 3, 5, None, &[1, 2]);
    let out = f.step(append(1, 2, 4, (2, 2), &[4], 9));
    assert_eq!(append_answer(&out).0, 5);
    assert!(!append_answer(&out).1);
    assert!(out.timers.is_empty(), "a stale leader must not reset the election timer");
    assert_eq!((terms(&f), f.commit_index()), (vec![1, 2], 0));
}

#[test]
fn duplicated_old_append_entries_does_not_truncate() {
    let mut f = node(2, 3, 1, None, &[]);
    f.step(append(1, 2, 1, (0, 0), &[1, 1, 1], 0));
    // An older, shorter copy of the same stream arrives late.
    let out = f.step(append(1, 2, 1, (0, 0), &[1], 0));
    assert_eq!(terms(&f), vec![1, 1, 1]);
    // The reply speaks only for what this message covered.
    assert_eq!(append_answer(&out).2, 1);
}

#[test]
fn follower_commits_only_up_to_the_last_new_entry() {
    // The follower holds 4 entries; the leader vouches only for the first
    // two, so a leaderCommit of 4 commits up to 2 (Figure 2 rule 5).
    let mut f = node(2, 3, 2, None, &[1, 1, 1, 1]);
    let out = f.step(append(1, 2, 2, (1, 1), &[1], 4));
    assert_eq!((f.commit_index(), f.last_applied()), (2, 2));
    assert_eq!(out.applied.iter().map(|a| a.index).collect::<Vec<_>>(), vec![1, 2]);
    // Commit never moves back.
    f.step(append(1, 2, 2, (0, 0), &[], 1));
    assert_eq!(f.commit_index(), 2);
}

// ---------------------------------------------------------------- leader replication and commit

#[test]
fn commit_by_acks_table() {
    // (cluster size, followers that acked the entry) → committed?
    let cases: &[(u8, &[NodeId], bool)] =
        &[(1, &[], true), (3, &[], false), (3, &[2], true), (5, &[2], false), (5, &[2, 3], true)];
    for &(size, acked, want) in cases {
        let mut l = node(1, size, 0, None, &[]);
        elect(&mut l);
        let (index, _) = l.propose(Command::Set { key: "a".into(), value: "1".into() }).unwrap();
        assert_eq!(index, 1);
        for &p in acked {
            l.step(ack(p, 1, 1, 1));
        }
        assert_eq!(l.commit_index() == 1, want, "size {size}, acked {acked:?}");
        assert_eq!(l.kv().contains_key("a"), want);
    }
}

#[test]
fn only_current_term_entries_are_committed_by_counting() {
    // §5.4.2: 2-node cluster, leader log [1,2] elected in term 3.
    let mut l = node(1, 2, 2, None, &[1, 2]);
    elect(&mut l);
    assert_eq!(l.current_term(), 3);
    let (index, _) = l.propose(Command::Set { key: "x".into(), value: "3".into() }).unwrap();
    assert_eq!(index, 3);
    l.step(ack(2, 1, 3, 1));
    assert_eq!(l.commit_index(), 0);
    l.step(ack(2, 1, 3, 2));
    assert_eq!(l.commit_index(), 0, "index 2 is on both servers but is from term 2");
    let out = l.step(ack(2, 1, 3, 3));
    assert_eq!(l.commit_index(), 3, "the term-3 entry commits, and with it all before it");
    assert_eq!(out.applied.iter().map(|a| a.index).collect::<Vec<_>>(), vec![1, 2, 3]);
    assert!(
        out.notes.contains(&Note::LeaderCommitted { from: 0, to: 3, replicas: 2, needed: 2, entry_term: 3, term: 3 }),
        "{:?}",
        out.notes
    );
    assert!(out.notes.contains(&Note::Applied { from: 1, to: 3 }), "{:?}", out.notes);
}

#[test]
fn leader_sends_next_batch_as_soon_as_one_is_acked() {
    let config = Config { max_batch: 2, noop_on_election: false, ..Config::default() };
    let mut l = node_with(1, 2, 1, None, &[1, 1, 1, 1, 1], config);
    elect(&mut l);
    // Follower is empty: back nextIndex down to 1 via rejections.
    for _ in 0..5 {
        l.step(nack(2, 1, 2));
    }
    assert_eq!(l.next_index(2), Some(1));
    let out = l.step(nack(2, 1, 2));
    assert_eq!(l.next_index(2), Some(1), "nextIndex never drops below 1");
    assert_eq!(appends_in(&out), vec![(2, 0, vec![1, 1])], "resent at once, at most max_batch entries");
    let out = l.step(ack(2, 1, 2, 2));
    assert_eq!((l.match_index(2), l.next_index(2)), (Some(2), Some(3)));
    assert_eq!(appends_in(&out), vec![(2, 2, vec![1, 1])]);
    let out = l.step(ack(2, 1, 2, 4));
    assert_eq!(appends_in(&out), vec![(2, 4, vec![1])]);
    let out = l.step(ack(2, 1, 2, 5));
    assert!(appends_in(&out).is_empty(), "nothing left to send");
}

#[test]
fn heartbeat_timeout_sends_from_next_index_and_rearms() {
    let mut l = node(1, 3, 0, None, &[]);
    elect(&mut l);
    l.propose(Command::Noop).unwrap();
    l.step(ack(2, 1, 1, 1));
    let out = l.on_heartbeat_timeout();
    assert_eq!(appends_in(&out), vec![(2, 1, vec![]), (3, 0, vec![1])]);
    assert_eq!(out.timers, vec![Timer::Heartbeat]);
}

#[test]
fn stale_and_duplicated_responses_are_ignored() {
    let mut l = node(1, 3, 4, None, &[1, 1, 1]);
    elect(&mut l);
    assert_eq!(l.current_term(), 5);
    let (_, _) = l.propose(Command::Noop).unwrap();
    // A reply from an older term does nothing.
    l.step(ack(2, 1, 4, 4));
    assert_eq!((l.match_index(2), l.commit_index()), (Some(0), 0));
    // A vote reply to an election that is over does nothing.
    l.step(vote_reply(3, 1, 5, true));
    assert_eq!(l.role(), Role::Leader);
    // A reordered older ack cannot move matchIndex back.
    l.step(ack(2, 1, 5, 4));
    l.step(ack(2, 1, 5, 2));
    assert_eq!((l.match_index(2), l.next_index(2)), (Some(4), Some(5)));
    assert_eq!(l.commit_index(), 4);
    // A late rejection cannot back nextIndex over confirmed entries.
    l.step(nack(2, 1, 5));
    assert_eq!(l.next_index(2), Some(5));
}

// ---------------------------------------------------------------- state machine and restart

#[test]
fn applies_set_delete_and_cas_in_order() {
    let mut l = Node::new(1, vec![1], cfg());
    l.on_election_timeout();
    let set = |k: &str, v: &str| Command::Set { key: k.into(), value: v.into() };
    l.propose(set("a", "1")).unwrap();
    l.propose(set("b", "2")).unwrap();
    l.propose(Command::Delete { key: "b".into() }).unwrap();
    let (_, out) =
        l.propose(Command::Cas { key: "a".into(), expected: Some("0".into()), value: "x".into() }).unwrap();
    assert!(!out.applied[0].ok, "CAS with a wrong expectation does not take effect");
    let (_, out) = l.propose(Command::Cas { key: "b".into(), expected: None, value: "3".into() }).unwrap();
    assert!(out.applied[0].ok);
    let kv: Vec<_> = l.kv().iter().map(|(k, v)| (&**k, &**v)).collect();
    assert_eq!(kv, vec![("a", "1"), ("b", "3")]);
}

#[test]
fn restart_keeps_persistent_state_and_resets_volatile() {
    let mut l = node(1, 3, 0, None, &[]);
    elect(&mut l);
    l.propose(Command::Set { key: "k".into(), value: "v".into() }).unwrap();
    l.step(ack(2, 1, 1, 1));
    assert_eq!((l.commit_index(), l.kv().len()), (1, 1));

    let saved = l.crash_state();
    assert_eq!(&saved, l.persistent());
    let mut r = Node::restart(1, cluster(3), cfg(), saved.clone());
    assert_eq!((r.role(), r.current_term(), r.voted_for()), (Role::Follower, 1, Some(1)));
    assert_eq!(r.log(), l.log());
    assert_eq!((r.commit_index(), r.last_applied(), r.leader_id()), (0, 0, None));
    assert!(r.kv().is_empty() && r.votes_granted().is_empty() && r.next_index(2).is_none());

    // Commit is re-learned from the next leader and the log re-applied.
    let out = r.step(append(2, 1, 2, (1, 1), &[], 1));
    assert_eq!(out.applied.len(), 1);
    assert_eq!(r.kv().get("k").map(|v| &**v), Some("v"));
}

// ---------------------------------------------------------------- bug flags change behaviour

fn buggy(f: impl FnOnce(&mut Bugs)) -> Config {
    let mut c = cfg();
    f(&mut c.bugs);
    c
}

#[test]
fn bug_commit_old_terms_commits_an_old_entry_by_counting() {
    let mut l = node_with(1, 2, 2, None, &[1, 2], buggy(|b| b.commit_old_terms = true));
    elect(&mut l);
    l.propose(Command::Noop).unwrap();
    l.step(ack(2, 1, 3, 2));
    assert_eq!(l.commit_index(), 2, "the Figure 8 bug: term-2 entry committed in term 3");
}

#[test]
fn bug_forget_vote_on_crash_allows_two_votes_in_one_term() {
    for (bug, second_vote) in [(false, false), (true, true)] {
        let mut v = node_with(1, 3, 0, None, &[], buggy(|b| b.forget_vote_on_crash = bug));
        assert!(vote_answer(&v.step(request_vote(2, 1, 1, 0, 0))).1);
        let mut v = Node::restart(1, cluster(3), v.config().clone(), v.crash_state());
        assert_eq!(vote_answer(&v.step(request_vote(3, 1, 1, 0, 0))).1, second_vote, "bug = {bug}");
    }
}

#[test]
fn bug_skip_consistency_check_accepts_a_mismatched_prefix() {
    for (bug, accepted) in [(false, false), (true, true)] {
        let mut f = node_with(2, 3, 3, None, &[1, 2], buggy(|b| b.skip_consistency_check = bug));
        // Leader claims entry 2 has term 3; the follower's has term 2.
        let out = f.step(append(1, 2, 3, (2, 3), &[3], 0));
        assert_eq!(append_answer(&out).1, accepted, "bug = {bug}");
        // Without the check the entry lands at index 3, after a term-2 entry
        // the leader doesn't have: Log Matching is broken.
        let want: Vec<Term> = if bug { vec![1, 2, 3] } else { vec![1, 2] };
        assert_eq!(terms(&f), want);
    }
}

#[test]
fn bug_skip_up_to_date_check_grants_to_a_stale_log() {
    for (bug, granted) in [(false, false), (true, true)] {
        let mut v = node_with(1, 3, 2, None, &[2, 2], buggy(|b| b.skip_up_to_date_check = bug));
        assert_eq!(vote_answer(&v.step(request_vote(2, 1, 3, 1, 1))).1, granted, "bug = {bug}");
    }
}

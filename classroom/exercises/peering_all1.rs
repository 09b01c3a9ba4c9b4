// peering_all1: which peer gets the task.
//
// The page: "Inter-Broker Routing: Putting it All Together" (chapter 3). A
// broker keeps what each peer last said it has free (the state flow). When
// it has no worker of its own free, it sends its client's task to a peer
// that has one, and counts one fewer there until that peer's next figure
// comes. When no peer has one, the task waits in the frontend's queue.
// Make `choose_peer` do that.

use std::collections::BTreeMap;

/// The peer to send a task to, from `capacity` (each peer's last figure),
/// counted one fewer there; `None` when no peer has a worker free. `pick`
/// stands for the random choice: take the `pick % n`-th of the n peers with
/// a worker free, in the map's order.
fn choose_peer(capacity: &mut BTreeMap<String, u32>, pick: usize) -> Option<String> {
    // TODO: choose only among the peers whose figure is above zero, and
    // count the one you choose one fewer.
    let peers: Vec<String> = capacity.keys().cloned().collect();
    peers.get(pick % peers.len().max(1)).cloned()
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capacity(figures: &[(&str, u32)]) -> BTreeMap<String, u32> {
        figures
            .iter()
            .map(|(peer, free)| (peer.to_string(), *free))
            .collect()
    }

    #[test]
    fn no_peer_with_a_worker_free_gets_nothing() {
        let mut figures = capacity(&[("DC2", 0), ("DC3", 0)]);
        assert_eq!(
            choose_peer(&mut figures, 0),
            None,
            "no peer said it has a worker free: the task must wait in our \
             frontend's queue, not go to a peer that cannot take it"
        );
    }

    #[test]
    fn a_task_goes_only_to_a_peer_with_a_worker_free() {
        let mut figures = capacity(&[("DC2", 0), ("DC3", 2)]);
        for pick in 0..2 {
            assert_eq!(
                choose_peer(&mut figures, pick).as_deref(),
                Some("DC3"),
                "DC2 has no worker free, DC3 has: whatever the pick ({pick}), DC3"
            );
        }
    }

    #[test]
    fn the_chosen_peer_counts_one_fewer() {
        let mut figures = capacity(&[("DC2", 1), ("DC3", 1)]);
        assert_eq!(
            choose_peer(&mut figures, 1).as_deref(),
            Some("DC3"),
            "pick 1: the second"
        );
        assert_eq!(
            figures,
            capacity(&[("DC2", 1), ("DC3", 0)]),
            "DC3 had one worker free and we just sent it a task: count it zero \
             until DC3 says otherwise"
        );
        assert_eq!(
            choose_peer(&mut figures, 1).as_deref(),
            Some("DC2"),
            "only DC2 is left"
        );
        assert_eq!(choose_peer(&mut figures, 1), None, "and then no one");
    }
}

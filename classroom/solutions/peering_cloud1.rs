// peering_cloud1: where a reply goes.
//
// The page: "Inter-Broker Routing: the Local and Cloud Flows" (chapter 3). A
// worker's reply comes back to the broker with the envelope of the request
// it answered. A request from a peer broker carried that peer's name in
// front of the client's envelope, so its reply does too: it must go back
// through the cloud frontend, to the peer. A reply for one of the broker's
// own clients goes through the local frontend. Make `reply_route` tell which.

#[derive(Debug, PartialEq, Eq)]
enum Route {
    /// To a peer broker, through the cloud frontend.
    Cloud,
    /// To one of our own clients, through the local frontend.
    Local,
}

/// Where a reply goes: `reply` is the worker's message with the worker's
/// own envelope taken off, [peer, client, "", body] or [client, "", body].
fn reply_route(reply: &[Vec<u8>], peers: &[&str]) -> Route {
    // The first frame names a peer: the request came through the cloud.
    // Clients' routing ids, made up by libzmq, start with a zero byte, so
    // they never equal a broker's name.
    match reply.first() {
        Some(first) if peers.iter().any(|peer| peer.as_bytes() == first.as_slice()) => Route::Cloud,
        _ => Route::Local,
    }
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(parts: &[&[u8]]) -> Vec<Vec<u8>> {
        parts.iter().map(|p| p.to_vec()).collect()
    }

    #[test]
    fn a_reply_for_a_peers_client_goes_back_to_the_peer() {
        let reply = frames(&[b"DC2", b"\x00\x6b\x8b\x45\x67", b"", b"OK"]);
        assert_eq!(
            reply_route(&reply, &["DC2", "DC3"]),
            Route::Cloud,
            "the first frame is the peer DC2's name: the reply goes back to DC2"
        );
    }

    #[test]
    fn a_reply_for_our_own_client_stays_local() {
        let reply = frames(&[b"\x00\x6b\x8b\x45\x67", b"", b"OK"]);
        assert_eq!(reply_route(&reply, &["DC2", "DC3"]), Route::Local);
    }

    #[test]
    fn the_peers_name_decides_not_the_number_of_frames() {
        // A client behind another broker of our own kind of envelope: four
        // frames, but the first is no peer of ours.
        let reply = frames(&[b"DC9", b"\x00\x6b\x8b\x45\x67", b"", b"OK"]);
        assert_eq!(
            reply_route(&reply, &["DC2", "DC3"]),
            Route::Local,
            "DC9 is not a peer: the reply cannot go to the cloud frontend, which \
             would drop it (or fail with EHOSTUNREACH); look at the first frame's name"
        );
        let reply = frames(&[b"DC3", b"C", b"", b"OK"]);
        assert_eq!(reply_route(&reply, &["DC2", "DC3"]), Route::Cloud);
    }
}

//! What chapter 3's brokers of a cluster share: their names, the checks on
//! what a peer or a client sends, and where a reply goes.
//!
//! The guide's inter-broker routing example grows in three steps (the state
//! flow, the local and cloud flows, both together); the brokers of the last
//! two route requests and replies the same way, and the first and last read
//! peers' states the same way. [`Cluster`] is that part, once.
//!
//! With the zmq crate alone: the same checks, written out in the broker.

use crate::{Malformed, Message};

// ANCHOR: cluster
/// A broker's name and its peers' names, and what the brokers do alike.
pub struct Cluster {
    me: String,
    peers: Vec<String>,
}

impl Cluster {
    /// This broker and its peers. Each name starts its ipc:// files' names
    /// and is its routing id to the others: plain words, each given once.
    pub fn new(me: &str, peers: &[String]) -> anyhow::Result<Self> {
        crate::IpcDir::check_names(me, peers)?;
        Ok(Cluster {
            me: me.to_string(),
            peers: peers.to_vec(),
        })
    }

    pub fn me(&self) -> &str {
        &self.me
    }

    pub fn peers(&self) -> &[String] {
        &self.peers
    }

    /// The peer that `name` names, or why not.
    pub fn peer(&self, name: &[u8]) -> Result<&str, Malformed> {
        self.peers
            .iter()
            .find(|peer| peer.as_bytes() == name)
            .map(String::as_str)
            .ok_or_else(|| Malformed(format!("{:?} is not a peer", String::from_utf8_lossy(name))))
    }

    /// A state message from the state flow: a peer's name, then how many
    /// workers it has free.
    pub fn state(&self, frames: Vec<Vec<u8>>) -> Result<(String, u32), Malformed> {
        let [name, available]: [Vec<u8>; 2] = frames.try_into().map_err(|f: Vec<Vec<u8>>| {
            Malformed(format!(
                "a state of {} frames, expected 2: name and figure",
                f.len()
            ))
        })?;
        let name = String::from_utf8_lossy(&name).into_owned();
        if !self.peers.contains(&name) {
            return Err(Malformed(format!("a state from {name:?}, not a peer")));
        }
        let available = String::from_utf8_lossy(&available);
        let available = crate::parse(&available, "a number of workers")?;
        Ok((name, available))
    }

    /// Route a reply: to a peer's cloud frontend if its first frame names a
    /// peer, else to our client. `msg` is [peer, client, "", body] or
    /// [client, "", body]; `from` names the socket it came from.
    pub fn route_reply(
        &self,
        msg: Message,
        from: &str,
        cloudfe: &zmq::Socket,
        localfe: &zmq::Socket,
    ) {
        let to_peer = msg.first().is_some_and(|first| self.peer(first).is_ok());
        let (socket, name) = if to_peer {
            (cloudfe, "cloudfe")
        } else {
            (localfe, "localfe")
        };
        let client: Vec<&[u8]> = msg.frames().skip(usize::from(to_peer)).collect();
        match Cluster::request(&client) {
            Ok(()) => Cluster::send(msg, socket, name),
            Err(malformed) => Cluster::report(from, Malformed(format!("a reply: {malformed}"))),
        }
    }

    /// A ROUTER that says when it cannot route (EHOSTUNREACH), instead of
    /// dropping the message silently, and does not linger at the end.
    pub fn router(context: &zmq::Context) -> anyhow::Result<zmq::Socket> {
        let socket = context.socket(zmq::ROUTER)?;
        socket.set_router_mandatory(true)?;
        socket.set_linger(0)?;
        Ok(socket)
    }

    /// A client's envelope and body: [client, "", body], none of them missing.
    pub fn request(frames: &[&[u8]]) -> Result<(), Malformed> {
        match frames {
            [client, delimiter, body] if !client.is_empty() && delimiter.is_empty() => {
                if body.is_empty() {
                    Err(Malformed("an empty body".into()))
                } else {
                    Ok(())
                }
            }
            _ => Err(Malformed(format!(
                "not [client, \"\", body] but {} frames: {:?}",
                frames.len(),
                frames
                    .iter()
                    .map(|f| String::from_utf8_lossy(f))
                    .collect::<Vec<_>>()
            ))),
        }
    }

    /// Send on a mandatory ROUTER, and report a message for a routing id
    /// that is not connected (EHOSTUNREACH) rather than stop.
    pub fn send(msg: Message, socket: &zmq::Socket, name: &str) {
        let to = String::from_utf8_lossy(msg.first().unwrap_or_default()).into_owned();
        match msg.send(socket) {
            Ok(()) => {}
            // After Ctrl-C the clients quit first: a reply on its way to one
            // of them has nobody left to take it, and that is no fault.
            Err(zmq::Error::EHOSTUNREACH) if crate::interrupted() => {}
            Err(zmq::Error::EHOSTUNREACH) => Cluster::report(
                name,
                Malformed(format!("no peer {to:?} to send to; dropped")),
            ),
            Err(error) => {
                Cluster::report(name, Malformed(format!("cannot send to {to:?}: {error}")))
            }
        }
    }

    /// Report a message that was dropped, and the socket it came to or went to.
    pub fn report(socket: &str, malformed: Malformed) {
        Malformed(format!("on {socket}: {malformed}")).report();
    }
}
// ANCHOR_END: cluster

#[cfg(test)]
mod tests {
    use super::Cluster;

    fn cluster() -> Cluster {
        Cluster::new("DC1", &["DC2".into(), "DC3".into()]).unwrap()
    }

    #[test]
    fn peers_and_states_are_checked() {
        let cluster = cluster();
        assert_eq!(cluster.peer(b"DC2"), Ok("DC2"));
        assert!(cluster.peer(b"DC1").is_err(), "not our own name");
        let frames = |f: &[&str]| f.iter().map(|s| s.as_bytes().to_vec()).collect();
        assert_eq!(cluster.state(frames(&["DC3", "4"])), Ok(("DC3".into(), 4)));
        for bad in [
            &["DC3"][..],
            &["DC9", "4"],
            &["DC3", "four"],
            &["DC3", "4", ""],
        ] {
            assert!(cluster.state(frames(bad)).is_err(), "{bad:?}");
        }
        assert!(Cluster::new("DC1", &["DC1".into()]).is_err());
    }

    #[test]
    fn requests_need_a_client_a_delimiter_and_a_body() {
        assert!(Cluster::request(&[b"C", b"", b"HELLO"]).is_ok());
        for bad in [
            &[&b"C"[..], b"HELLO"][..],
            &[b"", b"", b"HELLO"],
            &[b"C", b"x", b"HELLO"],
            &[b"C", b"", b""],
        ] {
            assert!(Cluster::request(bad).is_err(), "{bad:?}");
        }
    }
}

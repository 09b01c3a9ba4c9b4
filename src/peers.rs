//! Knowing when peers are there, instead of sleeping and hoping.
//!
//! A PUSH socket hands out messages round-robin to the peers connected *at that
//! moment*, so a ventilator that starts sending before every worker is connected
//! gives the early workers all the work (the guide's "slow joiner"). The guide
//! asks a person to press Enter; a script needs a signal. libzmq's socket monitor
//! reports each completed handshake, so we count those. It also reports each
//! disconnection: a reader that must not start before its senders have sent
//! everything waits for them to leave.

use crate::interrupt;

// ANCHOR: peer_watch
/// Counts peers that complete a handshake with one socket, and peers that
/// leave it.
pub struct PeerWatch {
    monitor: zmq::Socket,
    peers: usize,
    departed: usize,
}

impl PeerWatch {
    /// Start watching `socket`. Call this before `bind`, so no peer can connect
    /// unseen.
    pub fn new(context: &zmq::Context, socket: &zmq::Socket) -> anyhow::Result<Self> {
        let endpoint = crate::endpoint::unique_inproc("peer-watch");
        let events =
            zmq::SocketEvent::HANDSHAKE_SUCCEEDED as i32 | zmq::SocketEvent::DISCONNECTED as i32;
        socket.monitor(&endpoint, events)?;
        let monitor = context.socket(zmq::PAIR)?;
        monitor.connect(&endpoint)?;
        Ok(PeerWatch {
            monitor,
            peers: 0,
            departed: 0,
        })
    }

    /// Wait until at least `count` peers are connected. `Ok(false)` if Ctrl-C
    /// was pressed first.
    pub fn wait_for(&mut self, count: usize) -> anyhow::Result<bool> {
        while self.peers < count {
            if !self.next_event()? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Wait until `count` peers have disconnected since the watch began: each
    /// of them has sent all it will send. `Ok(false)` if Ctrl-C came first.
    pub fn wait_for_departures(&mut self, count: usize) -> anyhow::Result<bool> {
        while self.departed < count {
            if !self.next_event()? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Take the next event into the counts. `Ok(false)` on Ctrl-C.
    fn next_event(&mut self) -> anyhow::Result<bool> {
        if !interrupt::wait_readable(&self.monitor)? {
            return Ok(false);
        }
        // Each event is two frames: 16-bit event and 32-bit value, then the endpoint.
        let frames = self.monitor.recv_multipart(0)?;
        let event = u16::from_ne_bytes([frames[0][0], frames[0][1]]);
        match zmq::SocketEvent::from_raw(event) {
            zmq::SocketEvent::HANDSHAKE_SUCCEEDED => self.peers += 1,
            zmq::SocketEvent::DISCONNECTED => {
                self.peers = self.peers.saturating_sub(1);
                self.departed += 1;
            }
            _ => {}
        }
        Ok(true)
    }
}
// ANCHOR_END: peer_watch

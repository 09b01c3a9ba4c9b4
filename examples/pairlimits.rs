//! What an exclusive pair does when a second peer comes, and when a peer
//! restarts, with libzmq 4.3 over TCP. Each node has a context of its own, as
//! a process of its own would: A binds a PAIR socket, and B, C and D connect.
//!
//! Run it:               cargo run --example pairlimits
//! Or the whole lesson:  cargo run -- run pair
//! It exits by itself in a few seconds; Ctrl-C stops it sooner.

use std::time::{Duration, Instant};

use clap::Parser;

/// PAIR's limits: a second peer is never heard; restarts, and who notices.
#[derive(Parser)]
struct Args {
    /// Where node A binds (B, C and D connect to the endpoint A gets).
    #[arg(long, default_value = "tcp://127.0.0.1:5581")]
    bind: String,
}

/// How long A listens before it says that nothing came.
const QUIET_MS: u64 = 500;

/// The longest any expected message or event may take.
const PATIENCE_MS: u64 = 5000;

fn main() -> std::process::ExitCode {
    workbook::main(|args: Args| match show(&args.bind) {
        Err(error) if error.is::<Interrupted>() => Ok(()),
        outcome => outcome,
    })
}

// ANCHOR: main
fn show(bind: &str) -> anyhow::Result<()> {
    use zmq::SocketEvent::{DISCONNECTED, HANDSHAKE_SUCCEEDED};

    let a = Node::bind("A", bind)?;
    println!("One peer at a time:");
    let endpoint = a.endpoint()?;
    let b = Node::connect("B", &endpoint)?;
    a.wait_for(HANDSHAKE_SUCCEEDED)?;
    b.send("hello from B")?;
    println!("  B connects: A received {}", a.expect()?);
    let c = Node::connect("C", &endpoint)?;
    a.wait_for(HANDSHAKE_SUCCEEDED)?;
    println!("  C connects too: A accepts it, and the handshake succeeds");
    for number in 1..=3 {
        c.send(&format!("hello {number} from C"))?;
    }
    b.send("B again")?;
    println!("  C sends 3 messages, then B one: {}", a.listen()?);
    drop(b);
    a.wait_for(DISCONNECTED)?;
    println!("  B leaves: {}", a.listen()?);
    if ready(&a.socket, zmq::POLLOUT, 0)? {
        println!("  A can send: it has a peer");
    } else {
        println!("  A has no peer to send to; C, still connected, is never heard");
    }
    let d = Node::connect("D", &endpoint)?;
    d.send("hello from D")?;
    println!("  D connects: A received {}", a.expect()?);
    drop((a, c, d));

    let a = Node::bind("A", bind)?;
    println!("B restarts while A waits on its socket:");
    let b = Node::connect("B", &endpoint)?;
    a.wait_for(HANDSHAKE_SUCCEEDED)?;
    b.send("hello from B")?;
    a.expect()?;
    drop(b);
    a.wait_for(DISCONNECTED)?;
    // A goes on calling its socket while B is away: that is when it lets go
    // of B's connection.
    println!("  B leaves: {}", a.listen()?);
    let new_b = Node::connect("the new B", &endpoint)?;
    new_b.send("hello from the new B")?;
    println!("  the new B connects: A received {}", a.expect()?);
    drop((a, new_b));

    let a = Node::bind("A", bind)?;
    println!("B restarts while A is busy elsewhere:");
    let b = Node::connect("B", &endpoint)?;
    a.wait_for(HANDSHAKE_SUCCEEDED)?;
    b.send("hello from B")?;
    a.expect()?;
    // A does not touch its socket while B goes and the new B comes.
    drop(b);
    a.wait_for(DISCONNECTED)?;
    let new_b = Node::connect("the new B", &endpoint)?;
    new_b.send("hello from the new B")?;
    a.wait_for(HANDSHAKE_SUCCEEDED)?;
    println!(
        "  the new B connects: {}; turned away, as C was",
        a.listen()?
    );
    drop((a, new_b));

    let a = Node::bind("A", bind)?;
    println!("A restarts:");
    let b = Node::connect("B", &endpoint)?;
    b.send("hello from B")?;
    a.expect()?;
    drop(a);
    b.send("sent while A was away")?;
    let new_a = Node::bind("the new A", bind)?;
    println!(
        "  B reconnects by itself: the new A received {}",
        new_a.expect()?
    );
    Ok(())
}
// ANCHOR_END: main

/// Whether `socket` is ready for `events` within `ms`. A signal cuts the
/// poll short (EINTR): that counts as not ready, and the caller looks at the
/// Ctrl-C flag.
fn ready(socket: &zmq::Socket, events: zmq::PollEvents, ms: i64) -> anyhow::Result<bool> {
    match socket.poll(events, ms) {
        Ok(ready) => Ok(ready > 0),
        Err(zmq::Error::EINTR) => Ok(false),
        Err(error) => Err(error.into()),
    }
}

/// Ctrl-C was pressed: stop the show, and exit with status 0.
#[derive(Debug)]
struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted")
    }
}

impl std::error::Error for Interrupted {}

/// A node: a PAIR socket in a context of its own, as in a process of its own,
/// and a monitor that reports its connections coming and going.
struct Node {
    name: &'static str,
    socket: zmq::Socket,
    monitor: zmq::Socket,
    // Dropped last: terminating the context closes the node's connections.
    _context: zmq::Context,
}

impl Node {
    fn new(name: &'static str) -> anyhow::Result<Node> {
        let context = zmq::Context::new();
        let socket = context.socket(zmq::PAIR)?;
        // What a node still holds when it goes is lost with it, as with a
        // process that exits.
        socket.set_linger(0)?;
        let events =
            zmq::SocketEvent::HANDSHAKE_SUCCEEDED as i32 | zmq::SocketEvent::DISCONNECTED as i32;
        let address = format!("inproc://monitor-{}", name.replace(' ', "-"));
        socket.monitor(&address, events)?;
        let monitor = context.socket(zmq::PAIR)?;
        monitor.connect(&address)?;
        Ok(Node {
            name,
            socket,
            monitor,
            _context: context,
        })
    }

    fn bind(name: &'static str, endpoint: &str) -> anyhow::Result<Node> {
        let node = Node::new(name)?;
        workbook::bind(&node.socket, endpoint)?;
        Ok(node)
    }

    fn connect(name: &'static str, endpoint: &str) -> anyhow::Result<Node> {
        let node = Node::new(name)?;
        workbook::connect(&node.socket, endpoint)?;
        Ok(node)
    }

    /// The endpoint it is bound to, for the others to connect to.
    fn endpoint(&self) -> anyhow::Result<String> {
        self.socket
            .get_last_endpoint()?
            .map_err(|_| anyhow::anyhow!("{}'s endpoint is not text", self.name))
    }

    /// Send, without waiting: a connected PAIR queues for its peer.
    fn send(&self, text: &str) -> anyhow::Result<()> {
        self.socket.send(text, zmq::DONTWAIT)?;
        Ok(())
    }

    /// The next message, which must come, quoted.
    fn expect(&self) -> anyhow::Result<String> {
        let text = self
            .receive(PATIENCE_MS)?
            .ok_or_else(|| anyhow::anyhow!("{} received nothing in {PATIENCE_MS} ms", self.name))?;
        Ok(format!("{text:?}"))
    }

    /// What came in the next QUIET_MS, as a sentence.
    fn listen(&self) -> anyhow::Result<String> {
        let until = Instant::now() + Duration::from_millis(QUIET_MS);
        let mut heard = Vec::new();
        while let Some(text) =
            self.receive(until.saturating_duration_since(Instant::now()).as_millis() as u64)?
        {
            heard.push(format!("{text:?}"));
        }
        let heard = if heard.is_empty() {
            "nothing".to_string()
        } else {
            heard.join(", ")
        };
        Ok(format!("in {QUIET_MS} ms {} received {heard}", self.name))
    }

    /// The next message within `ms`, or `None`; Ctrl-C ends the wait.
    fn receive(&self, ms: u64) -> anyhow::Result<Option<String>> {
        let until = Instant::now() + Duration::from_millis(ms);
        loop {
            if workbook::interrupted() {
                return Err(Interrupted.into());
            }
            let left = until.saturating_duration_since(Instant::now()).as_millis() as i64;
            if ready(&self.socket, zmq::POLLIN, left.min(100))? {
                let text = workbook::text(self.socket.recv_multipart(0)?);
                // Only this program's own nodes talk here.
                return Ok(Some(text.map_err(|bad| anyhow::anyhow!("{bad}"))?));
            }
            if left == 0 {
                return Ok(None);
            }
        }
    }

    /// Wait for the next connection event of this kind on the node's socket.
    fn wait_for(&self, event: zmq::SocketEvent) -> anyhow::Result<()> {
        let until = Instant::now() + Duration::from_millis(PATIENCE_MS);
        loop {
            if workbook::interrupted() {
                return Err(Interrupted.into());
            }
            anyhow::ensure!(
                Instant::now() < until,
                "{} saw no {event:?} in {PATIENCE_MS} ms",
                self.name
            );
            if !ready(&self.monitor, zmq::POLLIN, 100)? {
                continue;
            }
            // An event is two frames: its number and a value, then the endpoint.
            let frames = self.monitor.recv_multipart(0)?;
            let number = u16::from_ne_bytes([frames[0][0], frames[0][1]]);
            if zmq::SocketEvent::from_raw(number) == event {
                return Ok(());
            }
        }
    }
}

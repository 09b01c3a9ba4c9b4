//! Bind and connect, with the endpoint checked first and named in any error.
//!
//! libzmq takes some mistakes silently or says little about them:
//! `tcp://127.0.0.1:99999` binds port 34463 (99999 wrapped round to 16 bits),
//! and `localhost:5555` fails with just "Invalid argument". [`check`] catches
//! what libzmq would misread and says what a good endpoint looks like.
//!
//! With the zmq crate alone: `socket.bind(endpoint)?` and
//! `socket.connect(endpoint)?`.

use anyhow::{Context as _, bail};

/// What a good endpoint looks like, for the error messages.
const EXAMPLES: &str = "an endpoint is TRANSPORT://ADDRESS, such as tcp://127.0.0.1:5555 to \
                        bind or tcp://localhost:5555 to connect";

/// The transports libzmq knows.
const TRANSPORTS: [&str; 10] = [
    "tcp", "ipc", "inproc", "pgm", "epgm", "tipc", "vmci", "udp", "ws", "wss",
];

// ANCHOR: bind
/// `socket.bind(endpoint)`, once [`check`] has found nothing wrong with the
/// endpoint; the error names it ("cannot bind to tcp://127.0.0.1:5555:
/// Address already in use").
pub fn bind(socket: &zmq::Socket, endpoint: &str) -> anyhow::Result<()> {
    check(endpoint).with_context(|| format!("cannot bind to {endpoint}"))?;
    socket
        .bind(endpoint)
        .with_context(|| format!("cannot bind to {endpoint}"))
}

/// `socket.connect(endpoint)`, checked and named likewise. A connect does not
/// wait for the peer: ZeroMQ connects in the background, and retries.
pub fn connect(socket: &zmq::Socket, endpoint: &str) -> anyhow::Result<()> {
    check(endpoint).with_context(|| format!("cannot connect to {endpoint}"))?;
    socket
        .connect(endpoint)
        .with_context(|| format!("cannot connect to {endpoint}"))
}
// ANCHOR_END: bind

/// Find what libzmq would reject without saying why, or misread: a missing or
/// unknown transport, a TCP address with no port, a port out of range.
pub fn check(endpoint: &str) -> anyhow::Result<()> {
    let Some((transport, address)) = endpoint.split_once("://") else {
        bail!("no transport (tcp://, ipc://, inproc://…); {EXAMPLES}");
    };
    if !TRANSPORTS.contains(&transport) {
        bail!(
            "unknown transport {transport:?}: ZeroMQ knows {}; {EXAMPLES}",
            TRANSPORTS.join(", ")
        );
    }
    if address.is_empty() {
        bail!("nothing after {transport}://; {EXAMPLES}");
    }
    if transport == "tcp" {
        // "source;destination" connects from a chosen local address: check both.
        for part in address.split(';') {
            check_tcp_address(part)?;
        }
    }
    Ok(())
}

/// "host:port", where the host may be "*", a name, an interface or an IPv6
/// address in brackets, and the port a number up to 65535 or "*".
fn check_tcp_address(address: &str) -> anyhow::Result<()> {
    let Some((host, port)) = address.rsplit_once(':') else {
        bail!("no port in tcp://{address}; {EXAMPLES}");
    };
    if host.is_empty() {
        bail!("no host before :{port}; {EXAMPLES}");
    }
    if port == "*" {
        return Ok(());
    }
    match port.parse::<u64>() {
        Ok(0..=65535) => Ok(()),
        Ok(_) => bail!("port {port} is out of range (0 to 65535)"),
        Err(_) => bail!("port {port:?} is not a number; {EXAMPLES}"),
    }
}

/// An inproc:// endpoint no other call has named in this process:
/// `inproc://PREFIX-N`. The workbook's own pipes and monitors use these, so
/// two of them never meet by accident.
pub(crate) fn unique_inproc(prefix: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("inproc://{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn good_endpoints_pass() {
        for endpoint in [
            "tcp://127.0.0.1:5555",
            "tcp://localhost:5555",
            "tcp://*:5555",
            "tcp://*:*",
            "tcp://[::1]:5555",
            "tcp://eth0:5555",
            "tcp://127.0.0.1:6000;localhost:5555",
            "ipc:///tmp/weather.ipc",
            "inproc://workers",
        ] {
            assert!(check(endpoint).is_ok(), "{endpoint}: {:?}", check(endpoint));
        }
    }

    #[test]
    fn what_libzmq_would_misread_is_an_error_that_says_why() {
        for (endpoint, why) in [
            (
                "tcp://127.0.0.1:99999",
                "port 99999 is out of range (0 to 65535)",
            ),
            (
                "localhost:5555",
                "no transport (tcp://, ipc://, inproc://…)",
            ),
            (
                "carrier-pigeon://loft",
                "unknown transport \"carrier-pigeon\"",
            ),
            ("tcp://localhost", "no port in tcp://localhost"),
            ("tcp://:5555", "no host before :5555"),
            ("tcp://localhost:http", "port \"http\" is not a number"),
            ("inproc://", "nothing after inproc://"),
        ] {
            let error = check(endpoint).expect_err(endpoint).to_string();
            assert!(error.starts_with(why), "{endpoint}: {error}");
        }
    }
}

//! One socket, two transports: a REP server binds a TCP endpoint and an IPC
//! endpoint, and answers a client on each. A second bind of the TCP endpoint
//! fails with "Address already in use"; a second bind of the IPC endpoint is
//! accepted, and takes the endpoint over.
//!
//! Run it:               cargo run --example multibind
//! Or the whole lesson:  cargo run -- run bind-connect
//! It exits by itself, at once. The IPC endpoint lives in a fresh temporary
//! directory, removed on exit.

use clap::Parser;

/// One REP socket bound to TCP and IPC at once, with a client on each.
#[derive(Parser)]
struct Args {
    /// The TCP endpoint to bind (the IPC one is made in a temporary directory).
    #[arg(long, default_value = "tcp://127.0.0.1:5570")]
    bind: String,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let directory = tempfile::Builder::new().prefix("multibind-").tempdir()?;
    let ipc = format!("ipc://{}/multibind.ipc", directory.path().display());
    serve_both(&args.bind, &ipc)?;
    // Every socket is closed: remove the directory and its socket file.
    directory.close()?;
    println!("Removed the temporary directory");
    Ok(())
}

fn serve_both(tcp: &str, ipc: &str) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let server = context.socket(zmq::REP)?;
    // One socket, as many endpoints as it likes, of any transports.
    workbook::bind(&server, tcp)?;
    workbook::bind(&server, ipc)?;
    println!("Server bound to {tcp}");
    println!("Server bound to {ipc}");

    // A client on each transport: the server cannot tell them apart.
    let tcp_client = client(&context, &server.get_last_endpoint()?.unwrap_or_default())?;
    let ipc_client = client(&context, ipc)?;
    for (name, client) in [("tcp", &tcp_client), ("ipc", &ipc_client)] {
        client.send(format!("Hello from the {name} client").as_str(), 0)?;
        let Some(request) = receive(&server)? else {
            return Ok(()); // Ctrl-C
        };
        println!("Server received {request:?}");
        server.send("World", 0)?;
        let Some(reply) = receive(client)? else {
            return Ok(());
        };
        println!("The {name} client received {reply:?}");
    }

    // A TCP endpoint has one owner: a second bind is refused.
    let intruder = context.socket(zmq::REP)?;
    match workbook::bind(&intruder, tcp) {
        Err(error) => println!("A second socket binds the same TCP endpoint: {error:#}"),
        Ok(()) => println!("A second socket binds the same TCP endpoint: accepted"),
    }
    // An IPC endpoint is a file that a new bind replaces: the second socket
    // takes it over, and new clients reach it instead of the server.
    match workbook::bind(&intruder, ipc) {
        Err(error) => println!("A second socket binds the same IPC endpoint: {error:#}"),
        Ok(()) => println!("A second socket binds the same IPC endpoint: accepted"),
    }
    let late_client = client(&context, ipc)?;
    late_client.send("Hello from a later ipc client", 0)?;
    let Some(request) = receive(&intruder)? else {
        return Ok(());
    };
    println!("The second socket, not the server, received {request:?}");
    Ok(())
}
// ANCHOR_END: main

/// A REQ client connected to `endpoint`, that drops what it still has to
/// send when closed.
fn client(context: &zmq::Context, endpoint: &str) -> anyhow::Result<zmq::Socket> {
    let client = context.socket(zmq::REQ)?;
    client.set_linger(0)?;
    workbook::connect(&client, endpoint)?;
    Ok(client)
}

/// The next message on `socket`, as text; `None` if Ctrl-C came first.
fn receive(socket: &zmq::Socket) -> anyhow::Result<Option<String>> {
    if !workbook::wait_readable(socket)? {
        return Ok(None);
    }
    let text = workbook::text(socket.recv_multipart(0)?);
    // Only this program's own sockets talk here: a malformed message is a bug.
    Ok(Some(
        text.map_err(|malformed| anyhow::anyhow!("{malformed}"))?,
    ))
}

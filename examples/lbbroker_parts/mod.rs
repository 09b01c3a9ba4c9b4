//! The parts lbbroker2 and lbbroker3 share: the envelope checks and the
//! dispatch to the worker that has waited longest, the client and the
//! worker. The two brokers differ in their loop (a poll loop, a reactor) and
//! in what a worker says when it is ready: each example's `WORKER_READY`.
//! Not an example of its own: both include it (`#[path] mod parts`).

use super::WORKER_READY;
use std::collections::VecDeque;
use workbook::{Malformed, Message};

// ANCHOR: envelopes
/// The worker's routing id, and the reply for a client if this is not a
/// READY. `unwrap` checks each envelope, and puts it back with `wrap`.
pub fn from_worker(mut msg: Message) -> Result<(Vec<u8>, Option<Message>), Malformed> {
    let shown = workbook::one_line(msg.frames());
    let context = |error: Malformed| Malformed(format!("on the backend, {error}: {shown}"));
    let worker = msg.unwrap().map_err(context)?;
    if msg.len() == 1 && msg.first() == Some(WORKER_READY) {
        return Ok((worker, None));
    }
    // The rest is a reply: [client id, "", reply].
    let in_reply =
        |error: Malformed| context(Malformed(format!("in the reply's envelope, {error}")));
    let client = msg.unwrap().map_err(in_reply)?;
    if msg.len() != 1 {
        return Err(in_reply(Malformed(format!(
            "{} frames after it, not 1",
            msg.len()
        ))));
    }
    msg.wrap(client);
    Ok((worker, Some(msg)))
}

/// A request: [client id, "", request], checked.
pub fn from_client(mut msg: Message) -> Result<Message, Malformed> {
    let shown = workbook::one_line(msg.frames());
    let context = |error: Malformed| Malformed(format!("on the frontend, {error}: {shown}"));
    let client = msg.unwrap().map_err(context)?;
    if msg.len() != 1 {
        return Err(context(Malformed(format!(
            "{} frames after the envelope, not 1",
            msg.len()
        ))));
    }
    msg.wrap(client);
    Ok(msg)
}

/// Wrap the request in the envelope of the worker that has waited longest,
/// and send it. A worker that has gone away (EHOSTUNREACH) is forgotten,
/// and the next one tried.
pub fn dispatch(
    backend: &zmq::Socket,
    ready: &mut VecDeque<Vec<u8>>,
    request: Message,
) -> anyhow::Result<()> {
    while let Some(worker) = ready.pop_front() {
        let mut msg = request.clone();
        msg.wrap(worker);
        match msg.send(backend) {
            Ok(()) => return Ok(()),
            Err(zmq::Error::EHOSTUNREACH) => {
                report(&request, "a request for a worker that has gone")
            }
            Err(error) => return Err(error.into()),
        }
    }
    report(&request, "a request that no worker is left to take");
    Ok(())
}
// ANCHOR_END: envelopes

// ANCHOR: tasks
/// A client: one "HELLO", then it prints the reply.
pub fn client_task(context: &zmq::Context, frontend: &str) -> anyhow::Result<()> {
    let client = context.socket(zmq::REQ)?;
    client.set_linger(0)?;
    workbook::connect(&client, frontend)?;

    client.send("HELLO", 0)?;
    if workbook::wait_readable(&client)? {
        match workbook::text(client.recv_multipart(0)?) {
            Ok(reply) => println!("Client: {reply}"),
            Err(malformed) => malformed.report(),
        }
    }
    Ok(())
}

/// A worker: READY, then each request comes back with its last frame made
/// "OK", the envelope kept.
pub fn worker_task(
    context: &zmq::Context,
    backend: &str,
    pipe: &zmq::Socket,
) -> anyhow::Result<usize> {
    let worker = context.socket(zmq::REQ)?;
    worker.set_linger(0)?;
    workbook::connect(&worker, backend)?;

    // Tell the broker we're ready for work.
    worker.send(WORKER_READY, 0)?;
    let mut answered = 0;
    // Process messages as they arrive, until the pipe says stop.
    loop {
        let mut items = [
            worker.as_poll_item(zmq::POLLIN),
            pipe.as_poll_item(zmq::POLLIN),
        ];
        if !workbook::poll(&mut items)? || items[1].is_readable() {
            return Ok(answered);
        }
        let mut msg = Message::recv(&worker)?;
        println!(
            "Worker: {}",
            String::from_utf8_lossy(msg.last().unwrap_or_default())
        );
        msg.set_last("OK");
        msg.send(&worker)?;
        answered += 1;
    }
}
// ANCHOR_END: tasks

/// Say on stderr that a message was dropped, and why.
pub fn report(msg: &Message, what: &str) {
    Malformed(format!(
        "{what} (EHOSTUNREACH): {}",
        workbook::one_line(msg.frames())
    ))
    .report();
}

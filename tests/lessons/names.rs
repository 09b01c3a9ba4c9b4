//! The page "0MQ 2.x names today" shows today's name for each of the older
//! editions' calls and options in one listing, included from here: this
//! test runs it, so every call the page names exists in the zmq crate and
//! does what the page says.

#[test]
fn todays_names_do_what_the_page_says() {
    today().expect("every call on the page works");
}

#[test]
fn the_page_names_every_old_name() {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/chapters/names.md"))
        .expect("chapters/names.md");
    let old = [
        "zmq_init",
        "zmq_term",
        "zmq_device",
        "ZMQ_QUEUE",
        "ZMQ_FORWARDER",
        "ZMQ_STREAMER",
        "ZMQ_XREP",
        "ZMQ_XREQ",
        "ZMQ_NOBLOCK",
        "ZMQ_HWM",
        "ZMQ_UPSTREAM",
        "ZMQ_DOWNSTREAM",
        "zmq_recv",
        "zmq_send",
        "ZMQ_IDENTITY",
        "ZMQ_SWAP",
    ];
    for name in old {
        assert!(
            page.contains(&format!("| `{name}")),
            "chapters/names.md has no row for {name}"
        );
    }
}

fn today() -> Result<(), zmq::Error> {
    // ANCHOR: today
    // zmq_init(1): a context. One I/O thread is the default.
    let mut context = zmq::Context::new();
    context.set_io_threads(1)?;

    // ZMQ_XREP and ZMQ_XREQ: ROUTER and DEALER.
    let router = context.socket(zmq::ROUTER)?;
    router.bind("inproc://names")?;
    let dealer = context.socket(zmq::DEALER)?;
    // ZMQ_IDENTITY: the routing id (ZMQ_ROUTING_ID), set before connecting.
    dealer.set_identity(b"dealer-1")?;
    // ZMQ_HWM: a mark for each direction.
    dealer.set_sndhwm(1000)?;
    dealer.set_rcvhwm(1000)?;
    dealer.connect("inproc://names")?;

    // zmq_send(socket, &msg, flags): `send` takes text, bytes or a
    // zmq::Message.
    dealer.send("Hello", zmq::SNDMORE)?;
    dealer.send(zmq::Message::from("again"), 0)?;

    // zmq_poll's timeout: milliseconds (microseconds in 0MQ 2.x).
    assert_eq!(router.poll(zmq::POLLIN, 1000)?, 1);

    // zmq_recv(socket, &msg, flags): `recv` into a zmq::Message.
    let mut message = zmq::Message::new();
    router.recv(&mut message, 0)?;
    assert_eq!(&message[..], b"dealer-1"); // the routing id ROUTER puts first
    // ZMQ_RCVMORE: another frame of the same message follows.
    assert!(router.get_rcvmore()?);
    let hello = router.recv_msg(0)?;
    assert_eq!(hello.as_str(), Some("Hello"));
    assert!(hello.get_more());
    assert_eq!(router.recv_bytes(0)?, b"again");

    // ZMQ_NOBLOCK: DONTWAIT, and EAGAIN when nothing is there.
    assert_eq!(router.recv_bytes(zmq::DONTWAIT), Err(zmq::Error::EAGAIN));

    // zmq_device(ZMQ_STREAMER, …) with ZMQ_UPSTREAM and ZMQ_DOWNSTREAM:
    // zmq::proxy between PULL and PUSH. It returns only when the context is
    // terminated, so it gets a thread of its own.
    let frontend = context.socket(zmq::PULL)?;
    frontend.bind("inproc://tasks")?;
    let backend = context.socket(zmq::PUSH)?;
    backend.bind("inproc://workers")?;
    let streamer = std::thread::spawn(move || zmq::proxy(&frontend, &backend));
    let ventilator = context.socket(zmq::PUSH)?;
    ventilator.connect("inproc://tasks")?;
    let worker = context.socket(zmq::PULL)?;
    worker.connect("inproc://workers")?;
    ventilator.send("task", 0)?;
    assert_eq!(worker.recv_bytes(0)?, b"task");

    // zmq_term: close every socket, then terminate the context. The proxy
    // learns of it (ETERM), returns, and closes its two sockets.
    drop((router, dealer, ventilator, worker));
    context.destroy()?;
    assert_eq!(
        streamer.join().expect("the streamer thread"),
        Err(zmq::Error::ETERM)
    );
    // ANCHOR_END: today
    Ok(())
}

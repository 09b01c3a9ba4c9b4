//! The wuproxy lesson: wuclient averages 100 updates for 10001 that wuserver
//! published and wuproxy passed on. By hand: subscriptions reach the publisher
//! through the proxy, updates (malformed ones too, untouched) come back down,
//! and garbage sent upstream does not stop it.

use crate::harness::{self, Example, PortBlock, socket};

#[test]
fn client_averages_updates_it_got_through_the_proxy() {
    let run = harness::run_lesson("wuproxy");
    run.assert_clean();
    // The client ended the lesson by itself, with its average: the server's
    // updates reached it through the proxy, the only port it connected to.
    assert_eq!(run.outcome.ending, workbook::runner::Ending::Finished);
    let client = run.stdout_of("client");
    harness::assert_weather_average(client);
    assert_eq!(run.stdout_of("proxy"), "", "the proxy prints nothing");

    harness::snapshot_settings_with_average()
        .bind(|| insta::assert_snapshot!("wuproxy", run.sections()));
}

#[test]
fn subscriptions_go_up_updates_come_down_and_garbage_is_passed_on() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    // The test plays the weather server with an XPUB socket, a PUB that also
    // shows the subscriptions reaching it.
    let publisher = socket(&context, zmq::XPUB);
    publisher.bind(&ports.bind(0)).expect("bind");
    let mut proxy = Example::start(
        "wuproxy",
        &["--frontend", &ports.connect(0), "--backend", &ports.bind(1)],
    );
    let subscriber = socket(&context, zmq::SUB);
    subscriber.set_subscribe(b"10001 ").expect("subscribe");
    subscriber.connect(&ports.connect(1)).expect("connect");

    // The subscriber's subscription arrives at the publisher, through the proxy.
    let subscription = publisher
        .recv_bytes(0)
        .expect("the subscription reaches the publisher within 10 s");
    assert_eq!(subscription, b"\x0110001 ");

    // Garbage upstream, from a peer of the proxy's XPUB that is no SUB: an
    // XSUB sending a message that is no subscription. The proxy passes it on.
    let rogue = socket(&context, zmq::XSUB);
    rogue.connect(&ports.connect(1)).expect("connect");
    rogue.send(&b"\xffnot a subscription"[..], 0).expect("send");
    let upstream = publisher.recv_bytes(0).expect("passed upstream");
    assert_eq!(upstream, b"\xffnot a subscription");

    // Downstream, the proxy passes on whatever matches, malformed or not: it
    // looks at no message. The subscriber would report the bad ones.
    let updates: [&[&[u8]]; 4] = [
        &[b"10001 \xff 50"],
        &[b"10002 20 50"],
        &[b"10001 ", b"second frame"],
        &[b"10001 20 50"],
    ];
    for update in updates {
        publisher.send_multipart(update, 0).expect("send");
    }
    let received: Vec<Vec<Vec<u8>>> = (0..3)
        .map(|_| subscriber.recv_multipart(0).expect("an update within 10 s"))
        .collect();
    assert_eq!(
        received,
        [
            vec![b"10001 \xff 50".to_vec()],
            vec![b"10001 ".to_vec(), b"second frame".to_vec()],
            vec![b"10001 20 50".to_vec()],
        ]
    );

    proxy.interrupt();
    let (status, stdout, stderr) = proxy.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr, "");
}

#[test]
fn a_backend_port_in_use_is_a_one_line_error() {
    let ports = PortBlock::new();
    let backend = ports.bind(1);
    harness::assert_port_in_use_is_one_line_error(
        "wuproxy",
        &["--frontend", &ports.connect(0), "--backend", &backend],
        &backend,
    );
}

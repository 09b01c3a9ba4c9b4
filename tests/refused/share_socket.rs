// One socket used from two threads: the compiler refuses it (E0277), since a
// zmq::Socket is Send but not Sync. The event-loop case study's test compiles
// this file against the zmq crate and checks that it is refused, and why.

pub fn ask(context: &zmq::Context) -> zmq::Result<Vec<u8>> {
    let requester = std::sync::Arc::new(context.socket(zmq::REQ)?);
    let shared = std::sync::Arc::clone(&requester);
    let companion = std::thread::spawn(move || shared.recv_bytes(0));
    requester.send("Hello", 0)?;
    companion.join().expect("the companion thread panicked")
}

// The same, with the socket moved to the companion thread instead of
// shared: the compiler accepts it. The event-loop case study's test compiles
// this file first, to show that share_socket.rs is refused for sharing alone.

pub fn ask(context: &zmq::Context) -> zmq::Result<Vec<u8>> {
    let requester = context.socket(zmq::REQ)?;
    let companion = std::thread::spawn(move || {
        requester.send("Hello", 0)?;
        requester.recv_bytes(0)
    });
    companion.join().expect("the companion thread panicked")
}

// interrupt1: a pipe beside a socket.
//
// The page: "Handling Interrupt Signals" (chapter 2). A signal handler can
// safely do little more than write a byte to a pipe; the server learns of the
// signal by polling the pipe's read end beside its socket. Make
// `serve_until_woken` answer requests until a byte arrives on `wake_up`, then
// take that byte and return how many requests it answered. The tests play a
// client, and write the byte as a signal handler would. (Unix only: a pipe's
// file descriptor.)

use std::io::{PipeReader, Read as _};
use std::os::fd::AsRawFd as _;

/// Answer each request on `socket` (a bound REP socket) with "World", until a
/// byte arrives on `wake_up`; then read that byte, and return how many
/// requests were answered. (An I/O error, for the pipe: a zmq::Error becomes
/// one with `?`.)
fn serve_until_woken(socket: &zmq::Socket, mut wake_up: &PipeReader) -> std::io::Result<usize> {
    let mut answered = 0;
    loop {
        // TODO: This waits for a request only, and looks at the pipe after
        // each answer: a byte that comes while no request does goes unnoticed
        // until the next request, if one ever comes. Wait on both at once:
        // the pipe's file descriptor (zmq::PollItem::from_fd) and the socket
        // in one `zmq::poll`, then act on whichever is readable.
        socket.recv_bytes(0)?;
        socket.send("World", 0)?;
        answered += 1;
        let mut pipe = [zmq::PollItem::from_fd(wake_up.as_raw_fd(), zmq::POLLIN)];
        if zmq::poll(&mut pipe, 0)? > 0 {
            // Take the byte: left in the pipe, it would wake every later poll.
            wake_up.read_exact(&mut [0u8; 1])?;
            return Ok(answered);
        }
    }
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    use std::time::Duration;

    /// The server, running `serve_until_woken` in a thread of its own; the
    /// test's client, and the pipe's write end.
    struct Server {
        client: zmq::Socket,
        wake: std::io::PipeWriter,
        finished: mpsc::Receiver<(std::io::Result<usize>, PipeReader)>,
        _context: zmq::Context,
    }

    fn start_server() -> Server {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let endpoint = format!(
            "inproc://interrupt1-{}",
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let context = zmq::Context::new();
        let socket = context.socket(zmq::REP).unwrap();
        socket.set_linger(0).unwrap();
        socket.bind(&endpoint).unwrap();
        let client = context.socket(zmq::REQ).unwrap();
        client.set_linger(0).unwrap();
        client.set_rcvtimeo(3000).unwrap();
        client.set_sndtimeo(3000).unwrap();
        client.connect(&endpoint).unwrap();

        let (pipe_read, wake) = std::io::pipe().unwrap();
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            let result = serve_until_woken(&socket, &pipe_read);
            let _ = done.send((result, pipe_read));
        });
        Server {
            client,
            wake,
            finished,
            _context: context,
        }
    }

    /// Write the byte, as a signal handler would; require the server to stop
    /// within 3 s, having answered `requests`, and to have taken the byte.
    fn wake_up(mut server: Server, requests: usize) {
        server.wake.write_all(b" ").unwrap();
        let (result, pipe) = match server.finished.recv_timeout(Duration::from_secs(3)) {
            Ok(finished) => finished,
            Err(_) => panic!(
                "a byte was written to the pipe, and 3 s later serve_until_woken \
                 had not returned: is it waiting for a request, and not polling \
                 the pipe too?"
            ),
        };
        match result {
            Ok(answered) => assert_eq!(answered, requests, "serve_until_woken's count of answers"),
            Err(error) => panic!("serve_until_woken failed: {error}"),
        }
        let mut left = [zmq::PollItem::from_fd(pipe.as_raw_fd(), zmq::POLLIN)];
        assert_eq!(
            zmq::poll(&mut left, 0).unwrap(),
            0,
            "serve_until_woken returned, but left the wake-up byte in the pipe: \
             read it, as the interrupt example does, or the next poll of the \
             pipe wakes at once"
        );
    }

    #[test]
    fn answers_requests_then_stops_when_woken() {
        let server = start_server();
        for request in 1..=3 {
            server.client.send("Hello", 0).unwrap();
            let reply = server.client.recv_string(0);
            assert!(
                matches!(&reply, Ok(Ok(text)) if text == "World"),
                "request {request}: expected \"World\", got {reply:?} \
                 (Err(EAGAIN): no reply within 3 s)"
            );
        }
        // The byte comes while the server waits for a fourth request.
        std::thread::sleep(Duration::from_millis(100));
        wake_up(server, 3);
    }

    #[test]
    fn stops_when_woken_with_no_request_at_all() {
        let server = start_server();
        std::thread::sleep(Duration::from_millis(100));
        wake_up(server, 0);
    }
}

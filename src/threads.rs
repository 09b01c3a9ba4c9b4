//! Threads a lesson starts and must end cleanly: joined, their errors
//! passed on, and told to stop over a pipe when they would otherwise wait
//! for ever (the guide's examples leave such threads blocked at exit).

use std::thread::JoinHandle;

// ANCHOR: threads
/// Wait for a thread to end; its result, or an error if it panicked.
pub fn join<T>(thread: JoinHandle<anyhow::Result<T>>) -> anyhow::Result<T> {
    thread
        .join()
        .map_err(|_| anyhow::anyhow!("a thread panicked"))?
}

/// A thread, and our end of a pipe to it: a pair of PAIR sockets over
/// inproc://, on which a "stop" asks it to end.
pub struct PipedThread<T> {
    pipe: zmq::Socket,
    thread: JoinHandle<anyhow::Result<T>>,
}

/// Start `task` in a thread, giving it its end of the pipe. Its end binds
/// before ours connects, so a "stop" sent on ours is never lost.
pub fn spawn_piped<T, F>(context: &zmq::Context, task: F) -> anyhow::Result<PipedThread<T>>
where
    T: Send + 'static,
    F: FnOnce(&zmq::Socket) -> anyhow::Result<T> + Send + 'static,
{
    let name = crate::endpoint::unique_inproc("pipe");
    let theirs = context.socket(zmq::PAIR)?;
    theirs.bind(&name)?;
    let pipe = context.socket(zmq::PAIR)?;
    pipe.connect(&name)?;
    let thread = std::thread::spawn(move || task(&theirs));
    Ok(PipedThread { pipe, thread })
}

impl<T> PipedThread<T> {
    /// Tell the thread to stop, if it has not ended already, and wait for it.
    pub fn stop(self) -> anyhow::Result<T> {
        match self.pipe.send("stop", zmq::DONTWAIT) {
            // EAGAIN: its end is closed, the thread is over.
            Ok(()) | Err(zmq::Error::EAGAIN) => {}
            Err(error) => return Err(error.into()),
        }
        join(self.thread)
    }
}

/// The endpoint `socket` is bound to, ports resolved (`tcp://127.0.0.1:*`
/// becomes the port it got), for threads and peers to connect to.
pub fn bound_endpoint(socket: &zmq::Socket) -> anyhow::Result<String> {
    socket
        .get_last_endpoint()?
        .map_err(|_| anyhow::anyhow!("the bound endpoint is not text"))
}
// ANCHOR_END: threads

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_piped_thread_stops_when_told_and_gives_its_result() {
        let context = zmq::Context::new();
        let thread = spawn_piped(&context, |pipe| {
            let said = pipe.recv_string(0)?.map_err(|_| anyhow::anyhow!("text"))?;
            Ok(said.len())
        })
        .unwrap();
        assert_eq!(thread.stop().unwrap(), 4);
    }

    #[test]
    fn stopping_a_thread_that_has_ended_is_no_error() {
        let context = zmq::Context::new();
        let thread = spawn_piped(&context, |_pipe| Ok(7)).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert_eq!(thread.stop().unwrap(), 7);
    }

    #[test]
    fn a_panic_is_an_error() {
        let thread = std::thread::spawn(|| -> anyhow::Result<()> { panic!("on purpose") });
        assert!(join(thread).is_err());
    }

    #[test]
    fn a_wildcard_port_is_resolved() {
        let context = zmq::Context::new();
        let socket = context.socket(zmq::PULL).unwrap();
        socket.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = bound_endpoint(&socket).unwrap();
        assert!(endpoint.starts_with("tcp://127.0.0.1:") && !endpoint.ends_with('*'));
    }
}

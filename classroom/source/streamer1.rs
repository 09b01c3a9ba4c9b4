// streamer1: the streamer's two sockets.
//
// The page: "The Three Devices" (chapter 2). A streamer stands between a
// ventilator and its workers: one socket takes the ventilator's tasks, the
// other deals them out to the workers, and zmq::proxy joins them. Make
// `streamer_sockets` return the two (frontend, backend) so that every task
// reaches a worker, and the workers share them. The tests play the
// ventilator and two workers, and run the proxy.

/// The streamer's two sockets: the frontend, connected to the ventilator at
/// `ventilator`, and the backend, bound at `workers` for the workers.
fn streamer_sockets(
    context: &zmq::Context,
    ventilator: &str,
    workers: &str,
) -> zmq::Result<(zmq::Socket, zmq::Socket)> {
//>exercise
    // TODO: Tasks flow one way, from the ventilator's PUSH socket through the
    // streamer to the workers' PULL sockets. These two are the right pair the
    // wrong way round: which type takes tasks in, and which deals them out?
    let frontend = context.socket(zmq::PUSH)?;
    let backend = context.socket(zmq::PULL)?;
//>solution
    let frontend = context.socket(zmq::PULL)?;
    let backend = context.socket(zmq::PUSH)?;
//>end
    frontend.connect(ventilator)?;
    backend.bind(workers)?;
    Ok((frontend, backend))
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;

    /// How long the ventilator and the workers wait, in milliseconds.
    const WAIT_MS: i32 = 3000;

    /// A ventilator, the streamer around `streamer_sockets` (the proxy in a
    /// thread) and two workers, on ports of their own (the exercises run side
    /// by side). The proxy is stopped when the test ends.
    struct Pipeline {
        ventilator: zmq::Socket,
        workers: [zmq::Socket; 2],
        /// Says "TERMINATE" to the proxy.
        control: zmq::Socket,
        /// What the streamer's two sockets are, to say what is wrong.
        types: (zmq::SocketType, zmq::SocketType),
        _context: zmq::Context,
    }

    impl Pipeline {
        fn start() -> Pipeline {
            let context = zmq::Context::new();
            let ventilator = context.socket(zmq::PUSH).unwrap();
            ventilator.set_linger(0).unwrap();
            ventilator.set_sndtimeo(WAIT_MS).unwrap();
            ventilator.bind("tcp://127.0.0.1:*").unwrap();
            let tasks = ventilator.get_last_endpoint().unwrap().expect("bound");

            let (mut frontend, mut backend) =
                streamer_sockets(&context, &tasks, "tcp://127.0.0.1:*").expect("streamer_sockets");
            frontend.set_linger(0).unwrap();
            backend.set_linger(0).unwrap();
            let workers_endpoint = backend.get_last_endpoint().unwrap().expect("bound");
            let types = (
                frontend.get_socket_type().unwrap(),
                backend.get_socket_type().unwrap(),
            );

            let control = context.socket(zmq::PAIR).unwrap();
            control.set_linger(0).unwrap();
            control.set_sndtimeo(1000).unwrap();
            let control_endpoint = format!("inproc://streamer1-control-{workers_endpoint}");
            control.bind(&control_endpoint).unwrap();
            let mut steering = context.socket(zmq::PAIR).unwrap();
            steering.connect(&control_endpoint).unwrap();
            thread::spawn(move || zmq::proxy_steerable(&mut frontend, &mut backend, &mut steering));

            let workers = [0, 1].map(|_| {
                let worker = context.socket(zmq::PULL).unwrap();
                worker.set_linger(0).unwrap();
                worker.set_rcvtimeo(WAIT_MS).unwrap();
                worker.connect(&workers_endpoint).unwrap();
                worker
            });
            Pipeline {
                ventilator,
                workers,
                control,
                types,
                _context: context,
            }
        }

        /// What is wrong, if the streamer's sockets are not PULL and PUSH.
        fn why(&self) -> String {
            let (frontend, backend) = self.types;
            let mut why = String::new();
            if frontend != zmq::PULL {
                why.push_str(&format!(
                    "The frontend is a {frontend:?}: it cannot take tasks from the \
                     ventilator's PUSH socket. "
                ));
            }
            if backend != zmq::PUSH {
                why.push_str(&format!(
                    "The backend is a {backend:?}: it cannot deal tasks out to the \
                     workers' PULL sockets. "
                ));
            }
            why.trim_end().to_string()
        }

        /// Send `task` from the ventilator.
        fn send(&self, task: &str) {
            if let Err(error) = self.ventilator.send(task, 0) {
                panic!(
                    "the ventilator could not hand out a task within {} s ({error}): no \
                     socket took it. {}",
                    WAIT_MS / 1000,
                    self.why()
                );
            }
        }
    }

    impl Drop for Pipeline {
        fn drop(&mut self) {
            let _ = self.control.send("TERMINATE", 0);
        }
    }

    #[test]
    fn every_task_reaches_a_worker() {
        let pipeline = Pipeline::start();
        for task in ["1", "2", "3", "4"] {
            pipeline.send(task);
        }
        // The worker that connected first may get all four; either way,
        // every task arrives once.
        let mut received = Vec::new();
        while received.len() < 4 {
            let mut any = false;
            for worker in &pipeline.workers {
                if let Ok(Ok(task)) = worker.recv_string(zmq::DONTWAIT) {
                    received.push(task);
                    any = true;
                }
            }
            if !any {
                let mut items = [
                    pipeline.workers[0].as_poll_item(zmq::POLLIN),
                    pipeline.workers[1].as_poll_item(zmq::POLLIN),
                ];
                let ready = zmq::poll(&mut items, i64::from(WAIT_MS)).unwrap();
                assert!(
                    ready > 0,
                    "the workers got {received:?}, then nothing within {} s: every \
                     task should pass through the streamer. {}",
                    WAIT_MS / 1000,
                    pipeline.why()
                );
            }
        }
        received.sort();
        assert_eq!(received, ["1", "2", "3", "4"], "every task, once each");
    }

    #[test]
    fn the_workers_share_the_tasks() {
        let pipeline = Pipeline::start();
        // Until both workers are connected the first may get every task:
        // send rounds until each has had one.
        let mut got = [0, 0];
        for _ in 0..20 {
            for task in ["1", "2"] {
                pipeline.send(task);
            }
            for (worker, count) in pipeline.workers.iter().zip(&mut got) {
                while worker.poll(zmq::POLLIN, 50).unwrap() > 0 {
                    worker.recv_bytes(0).unwrap();
                    *count += 1;
                }
            }
            if got[0] > 0 && got[1] > 0 {
                return;
            }
        }
        panic!(
            "the workers got {} and {} tasks: the streamer's backend should deal \
             them out to every worker connected to it. {}",
            got[0],
            got[1],
            pipeline.why()
        );
    }
}

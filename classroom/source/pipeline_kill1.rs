// pipeline_kill1: a worker that stops on KILL.
//
// The page: "Handling Errors and ETERM" (chapter 2). The pipeline's worker
// takes tasks from a PULL socket and sends a result for each to the sink;
// when the batch is done, the sink publishes "KILL" on a PUB socket, and the
// worker, which has a SUB socket connected to it, stops. As shipped, this
// worker never hears KILL. Make `work_until_kill` stop on it and return how
// many tasks it did. The test plays the ventilator and the sink.

/// Do tasks until the sink says "KILL"; how many tasks were done.
fn work_until_kill(
    context: &zmq::Context,
    tasks_endpoint: &str,
    sink_endpoint: &str,
    control_endpoint: &str,
) -> zmq::Result<usize> {
    let receiver = context.socket(zmq::PULL)?;
    receiver.connect(tasks_endpoint)?;
    let sender = context.socket(zmq::PUSH)?;
    sender.connect(sink_endpoint)?;
    let controller = context.socket(zmq::SUB)?;
    controller.connect(control_endpoint)?;
//>exercise
    // TODO: A SUB socket receives only what it has subscribed to, and a new
    // one has subscribed to nothing. What must this one subscribe to, so
    // that KILL reaches it?
//>solution
    controller.set_subscribe(b"")?;
//>end

    let mut done = 0;
    loop {
//>exercise
        // TODO: This waits for a task, then looks for KILL without waiting.
        // But KILL comes after the last task, while the worker waits for a
        // task that never comes. Wait on both sockets at once instead, and
        // handle whichever is ready.
        do_task(&receiver, &sender)?;
        done += 1;
        match controller.recv_bytes(zmq::DONTWAIT) {
            Ok(signal) if signal == b"KILL" => return Ok(done),
            Ok(_) | Err(zmq::Error::EAGAIN) => {}
            Err(error) => return Err(error),
        }
//>solution
        let mut items = [
            receiver.as_poll_item(zmq::POLLIN),
            controller.as_poll_item(zmq::POLLIN),
        ];
        zmq::poll(&mut items, -1)?;
        if items[0].is_readable() {
            do_task(&receiver, &sender)?;
            done += 1;
        }
        if items[1].is_readable() && controller.recv_bytes(0)? == b"KILL" {
            return Ok(done);
        }
//>end
    }
}

/// Take one task and send its result to the sink (the tasks here take no
/// time: the result is the task).
fn do_task(receiver: &zmq::Socket, sender: &zmq::Socket) -> zmq::Result<()> {
    let task = receiver.recv_bytes(0)?;
    sender.send(task, 0)
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    fn test_socket(context: &zmq::Context, kind: zmq::SocketType, endpoint: &str) -> zmq::Socket {
        let socket = context.socket(kind).unwrap();
        socket.set_linger(0).unwrap();
        socket.set_rcvtimeo(3000).unwrap();
        socket.set_sndtimeo(3000).unwrap();
        socket.bind(endpoint).unwrap();
        socket
    }

    /// The test's side of the pipeline, and the worker, started in a thread
    /// of its own, which says on `finished` when it returns.
    struct Pipeline {
        ventilator: zmq::Socket,
        sink: zmq::Socket,
        control: zmq::Socket,
        finished: mpsc::Receiver<zmq::Result<usize>>,
    }

    fn start_worker() -> Pipeline {
        let context = zmq::Context::new();
        // The ventilator's socket, the sink's, and the sink's control socket:
        // an XPUB, a PUB that also tells the test when a worker subscribes.
        let ventilator = test_socket(&context, zmq::PUSH, "inproc://tasks");
        let sink = test_socket(&context, zmq::PULL, "inproc://results");
        let control = test_socket(&context, zmq::XPUB, "inproc://control");

        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            let result = work_until_kill(
                &context,
                "inproc://tasks",
                "inproc://results",
                "inproc://control",
            );
            let _ = done.send(result);
        });

        // Wait (at most 3 s) for the worker's subscription: KILL published
        // before it arrives would be dropped.
        let subscription = control.recv_bytes(0).unwrap_or_else(|_| {
            panic!(
                "the worker's control socket did not subscribe to anything within \
                 3 s: a SUB socket with no subscription receives nothing, so KILL \
                 would never reach it"
            )
        });
        let prefix = subscription.get(1..).unwrap_or_default();
        assert!(
            subscription.first() == Some(&1) && b"KILL".starts_with(prefix),
            "the worker's control socket subscribed to {:?}, which does not match \
             \"KILL\": KILL would never reach it",
            String::from_utf8_lossy(prefix)
        );
        Pipeline {
            ventilator,
            sink,
            control,
            finished,
        }
    }

    /// Publish KILL, and require the worker to stop within 3 s, having done
    /// `tasks` tasks.
    fn kill(pipeline: &Pipeline, tasks: usize) {
        pipeline.control.send("KILL", 0).unwrap();
        match pipeline.finished.recv_timeout(Duration::from_secs(3)) {
            Ok(Ok(done)) => assert_eq!(done, tasks, "work_until_kill's count of tasks done"),
            Ok(Err(error)) => panic!("work_until_kill failed: {error}"),
            Err(_) if tasks == 0 => panic!(
                "the worker, given no task, had not stopped 3 s after KILL was \
                 published: is it waiting for a task, and not for KILL too?"
            ),
            Err(_) => panic!(
                "the worker did the {tasks} tasks it was given, then had not \
                 stopped 3 s after KILL was published: is it waiting for one more \
                 task, and not for KILL too?"
            ),
        }
    }

    #[test]
    fn stops_on_kill_after_the_batch() {
        const TASKS: usize = 5;
        let pipeline = start_worker();
        for task in 1..=TASKS {
            pipeline
                .ventilator
                .send(task.to_string().as_str(), 0)
                .expect("the worker takes the tasks");
        }
        for result in 1..=TASKS {
            pipeline.sink.recv_bytes(0).unwrap_or_else(|_| {
                panic!("the sink had {} of {TASKS} results after 3 s", result - 1)
            });
        }
        // KILL comes once the batch is over, when the worker has gone back
        // to waiting.
        std::thread::sleep(Duration::from_millis(100));
        kill(&pipeline, TASKS);
    }

    #[test]
    fn stops_on_kill_with_no_tasks() {
        kill(&start_worker(), 0);
    }
}

// rtreq1: answer the worker that asked.
//
// The page: "The Load Balancing Pattern" (chapter 3). Workers ask a ROUTER
// broker for work; the broker answers each request with a task. Which
// worker asked is in the request's envelope: ROUTER puts the worker's
// routing id in front, REQ puts an empty delimiter after it. Make
// `answer_next` send `workload` to the worker whose request it received.
// The tests play REQ workers.

/// Receive the next worker's request, and answer that worker with `workload`.
fn answer_next(broker: &zmq::Socket, workload: &str) -> zmq::Result<()> {
    let request = broker.recv_multipart(0)?; // [routing id, "", "Hi Boss"]
    // The same envelope back: the routing id, then the empty delimiter.
    let routing_id = &request[0];
    broker.send_multipart([routing_id.as_slice(), &b""[..], workload.as_bytes()], 0)?;
    Ok(())
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A ROUTER broker on an inproc endpoint of its own, and REQ workers
    /// with these routing ids connected to it.
    fn broker_and_workers(
        context: &zmq::Context,
        names: &[&str],
    ) -> (zmq::Socket, Vec<zmq::Socket>) {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let endpoint = format!("inproc://rtreq1-{}", NEXT.fetch_add(1, Ordering::Relaxed));
        let broker = context.socket(zmq::ROUTER).unwrap();
        broker.set_rcvtimeo(3000).unwrap();
        broker.bind(&endpoint).unwrap();
        let workers = names
            .iter()
            .map(|name| {
                let worker = context.socket(zmq::REQ).unwrap();
                worker.set_identity(name.as_bytes()).unwrap();
                worker.set_rcvtimeo(1000).unwrap();
                worker.connect(&endpoint).unwrap();
                worker
            })
            .collect();
        (broker, workers)
    }

    #[test]
    fn the_worker_that_asked_gets_the_work() {
        let context = zmq::Context::new();
        let (broker, workers) = broker_and_workers(&context, &["worker A", "worker B"]);
        workers[1].send("Hi Boss", 0).unwrap();
        answer_next(&broker, "Work harder").unwrap();
        assert_eq!(
            workers[1].recv_string(0),
            Ok(Ok("Work harder".to_string())),
            "worker B asked, and got no answer within a second: the reply went \
             to another routing id than the one in front of B's request"
        );
    }

    #[test]
    fn each_of_three_workers_gets_its_own_answers() {
        let context = zmq::Context::new();
        let names = ["worker A", "worker B", "worker C"];
        let (broker, workers) = broker_and_workers(&context, &names);
        for round in 0..3 {
            for (worker, name) in workers.iter().zip(names).rev() {
                worker.send("Hi Boss", 0).unwrap();
                let task = format!("task {round} for {name}");
                answer_next(&broker, &task).unwrap();
                assert_eq!(
                    worker.recv_string(0),
                    Ok(Ok(task.clone())),
                    "{name} asked and should have got {task:?}"
                );
            }
        }
    }
}

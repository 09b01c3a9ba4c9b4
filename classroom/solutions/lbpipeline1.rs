// lbpipeline1: the answer's envelope.
//
// The page: "The pipeline, load-balanced" (chapter 3). Workers ask a ROUTER
// socket for work over REQ; the ROUTER receives each request as [routing id,
// "", "READY"], and the task goes back as the reply. `hand_out` answers each
// request with the next task, or "END" once they are all handed out, but as
// written no worker ever receives its answer. Make the reply reach the worker
// that asked, in a form its REQ socket accepts. The tests play the workers.

/// Answer `requests` requests that arrive on `router`: each worker that asks
/// gets the next of `tasks` (a workload in msec, as text), or "END" once the
/// tasks are all handed out.
fn hand_out(router: &zmq::Socket, tasks: &[u32], requests: usize) -> zmq::Result<()> {
    let mut tasks = tasks.iter();
    for _ in 0..requests {
        let request = router.recv_multipart(0)?;
        // [routing id, "", "READY"]: the routing id says who asked.
        let worker = request[0].clone();
        let answer = match tasks.next() {
            Some(workload) => workload.to_string(),
            None => "END".to_string(),
        };
        // The routing id for the ROUTER, then the empty delimiter that the
        // worker's REQ socket put in front of its request and expects back.
        router.send_multipart([worker, Vec::new(), answer.into_bytes()], 0)?;
    }
    Ok(())
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A ROUTER bound to an inproc endpoint of its own, answering `requests`
    /// requests with `tasks` in a thread, and the endpoint.
    fn ventilator(
        context: &zmq::Context,
        tasks: &'static [u32],
        requests: usize,
    ) -> (std::thread::JoinHandle<zmq::Result<()>>, String) {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let endpoint = format!(
            "inproc://lbpipeline1-{}",
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let router = context.socket(zmq::ROUTER).unwrap();
        router.set_rcvtimeo(3000).unwrap();
        router.set_linger(0).unwrap();
        router.bind(&endpoint).unwrap();
        let thread = std::thread::spawn(move || hand_out(&router, tasks, requests));
        (thread, endpoint)
    }

    fn worker(context: &zmq::Context, endpoint: &str) -> zmq::Socket {
        let worker = context.socket(zmq::REQ).unwrap();
        worker.set_rcvtimeo(2000).unwrap();
        worker.set_linger(0).unwrap();
        worker.connect(endpoint).unwrap();
        worker
    }

    /// Ask for work, and return the answer.
    fn ask(worker: &zmq::Socket, name: &str) -> String {
        worker.send("READY", 0).unwrap();
        match worker.recv_string(0) {
            Ok(Ok(answer)) => answer,
            Ok(Err(bytes)) => panic!("{name} got an answer that is not text: {bytes:?}"),
            Err(error) => panic!(
                "{name} asked for work and got no answer within 2 s ({error}). The ROUTER \
                 sent something, but a REQ socket drops a reply that does not start with \
                 the empty delimiter frame it put in front of its request"
            ),
        }
    }

    #[test]
    fn a_worker_gets_the_tasks_in_order_then_end() {
        let context = zmq::Context::new();
        let (thread, endpoint) = ventilator(&context, &[5, 7], 3);
        let worker = worker(&context, &endpoint);
        assert_eq!(ask(&worker, "the worker"), "5");
        assert_eq!(ask(&worker, "the worker"), "7");
        assert_eq!(ask(&worker, "the worker"), "END", "no more tasks: END");
        thread.join().unwrap().unwrap();
    }

    #[test]
    fn each_answer_goes_to_the_worker_that_asked() {
        let context = zmq::Context::new();
        let (thread, endpoint) = ventilator(&context, &[1, 2, 3], 4);
        let (a, b) = (worker(&context, &endpoint), worker(&context, &endpoint));
        assert_eq!(ask(&a, "worker A"), "1");
        assert_eq!(ask(&b, "worker B"), "2");
        assert_eq!(ask(&a, "worker A"), "3");
        assert_eq!(ask(&b, "worker B"), "END");
        thread.join().unwrap().unwrap();
    }
}

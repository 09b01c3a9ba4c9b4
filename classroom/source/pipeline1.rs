// pipeline1: a worker's two sockets.
//
// The page: "Divide and Conquer" (chapter 1). A worker takes tasks from the
// ventilator and sends a result for each to the sink; there can be any number
// of workers, started and stopped at any time. Make `worker_sockets` return
// the worker's two sockets, each of the right type and attached the right way
// to the address it is given. `work`, the worker's loop, is written. The tests
// play the ventilator and the sink, as taskvent and tasksink do.

/// The worker's sockets: (the one that receives tasks from the ventilator at
/// `ventilator`, the one that sends results to the sink at `sink`).
fn worker_sockets(
    context: &zmq::Context,
    ventilator: &str,
    sink: &str,
) -> zmq::Result<(zmq::Socket, zmq::Socket)> {
//>exercise
    // TODO: The ventilator hands tasks out from a PUSH socket, and a SUB
    // socket only ever hears from a PUB. Which socket type takes messages from
    // a PUSH?
    let receiver = context.socket(zmq::SUB)?;
    receiver.connect(ventilator)?;
    let sender = context.socket(zmq::PUSH)?;
    // TODO: The sink is the stable end, which every worker finds at a known
    // address, and it is there already. Bind or connect?
    sender.bind(sink)?;
//>solution
    let receiver = context.socket(zmq::PULL)?;
    receiver.connect(ventilator)?;
    let sender = context.socket(zmq::PUSH)?;
    sender.connect(sink)?;
//>end
    Ok((receiver, sender))
}

/// Do `tasks` tasks, as taskwork does: receive a workload in msec, sleep that
/// long, then send the result (here the workload again, so that the sink can
/// tell which task it was).
fn work(receiver: &zmq::Socket, sender: &zmq::Socket, tasks: usize) -> zmq::Result<()> {
    for _ in 0..tasks {
        let task = receiver.recv_string(0)?.unwrap_or_default();
        let workload: u64 = task.parse().unwrap_or(0);
        println!("{workload}.");
        std::thread::sleep(std::time::Duration::from_millis(workload));
        sender.send(&task, 0)?;
    }
    Ok(())
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_takes_tasks_from_the_ventilator_and_delivers_results_to_the_sink() {
        let context = zmq::Context::new();
        // The ventilator and the sink bind, at addresses of this test's own:
        // exercises run side by side.
        let ventilator = context.socket(zmq::PUSH).unwrap();
        ventilator.set_linger(0).unwrap();
        ventilator.set_sndtimeo(3000).unwrap();
        ventilator.bind("tcp://127.0.0.1:*").unwrap();
        let ventilator_endpoint = ventilator.get_last_endpoint().unwrap().unwrap();
        let sink = context.socket(zmq::PULL).unwrap();
        sink.set_linger(0).unwrap();
        sink.set_rcvtimeo(3000).unwrap();
        sink.bind("tcp://127.0.0.1:*").unwrap();
        let sink_endpoint = sink.get_last_endpoint().unwrap().unwrap();

        let (receiver, sender) = worker_sockets(&context, &ventilator_endpoint, &sink_endpoint)
            .unwrap_or_else(|error| {
                panic!(
                    "worker_sockets failed: {error}. The ventilator is bound at \
                     {ventilator_endpoint} and the sink at {sink_endpoint} already."
                )
            });
        for socket in [&receiver, &sender] {
            socket.set_linger(0).unwrap();
            socket.set_rcvtimeo(3000).unwrap();
            socket.set_sndtimeo(3000).unwrap();
        }
        let tasks = ["30", "10", "20"];
        let worker = std::thread::spawn(move || work(&receiver, &sender, tasks.len()));

        for task in tasks {
            if let Err(error) = ventilator.send(task, 0) {
                panic!(
                    "the ventilator could not hand out a task within 3 s ({error}): no \
                     worker socket that takes tasks from a PUSH socket is connected to it"
                );
            }
        }
        let mut results = Vec::new();
        while results.len() < tasks.len() {
            match sink.recv_string(0) {
                Ok(Ok(result)) => results.push(result),
                Ok(Err(bytes)) => panic!("a result that is not text: {bytes:?}"),
                Err(error) => {
                    let worker = worker.join().expect("the worker's thread");
                    panic!(
                        "the sink received {results:?} within 3 s ({error}), of the \
                         results of the tasks {tasks:?}. The worker's loop ended with \
                         {worker:?}: did its results go to a socket that delivers to a \
                         PULL socket, connected to the sink?"
                    );
                }
            }
        }
        assert_eq!(results, tasks, "the results at the sink, one per task");
        worker
            .join()
            .expect("the worker's thread")
            .expect("the worker received every task and sent every result");
    }
}

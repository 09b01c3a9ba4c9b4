// first_steps2: a batch that says where it ends.
//
// The page: "First steps: four patterns in one sitting" (case studies). The
// pusher sends a batch of tasks, then "END"; the puller prints each task and
// stops at "END", whatever the batch's size. Make `pull_batch` take one
// batch's tasks, in order, and stop at its "END". The tests play the pusher.

/// The tasks of the next batch on `puller`, in order, without its "END".
fn pull_batch(puller: &zmq::Socket) -> zmq::Result<Vec<String>> {
    let mut tasks = Vec::new();
//>exercise
    // TODO: This takes five messages, whatever the batch holds: a shorter
    // batch's "END" passes for a task, and a longer batch is cut short, the
    // rest left for the next call. Take messages until the one that says
    // the batch is over instead.
    for _ in 0..5 {
        let message = puller.recv_string(0)?.unwrap_or_default();
        tasks.push(message);
    }
//>solution
    loop {
        let message = puller.recv_string(0)?.unwrap_or_default();
        if message == "END" {
            break;
        }
        tasks.push(message);
    }
//>end
    Ok(tasks)
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PUSH socket, and a PULL socket connected to it over TCP on a port of
    /// their own (the exercises run side by side), that waits at most 3 s.
    fn pipeline() -> (zmq::Context, zmq::Socket, zmq::Socket) {
        let context = zmq::Context::new();
        let pusher = context.socket(zmq::PUSH).unwrap();
        pusher.set_linger(0).unwrap();
        pusher.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = pusher.get_last_endpoint().unwrap().expect("an endpoint");
        let puller = context.socket(zmq::PULL).unwrap();
        puller.set_linger(0).unwrap();
        puller.set_rcvtimeo(3000).unwrap();
        puller.connect(&endpoint).unwrap();
        (context, pusher, puller)
    }

    /// Push "task 1" to "task N", then "END".
    fn push_batch(pusher: &zmq::Socket, tasks: usize) {
        for task in 1..=tasks {
            pusher.send(format!("task {task}").as_str(), 0).unwrap();
        }
        pusher.send("END", 0).unwrap();
    }

    /// "task 1" to "task N".
    fn batch(tasks: usize) -> Vec<String> {
        (1..=tasks).map(|task| format!("task {task}")).collect()
    }

    /// `pull_batch`, with a failure that says what the pusher had sent.
    fn pulled(puller: &zmq::Socket, sent: &str) -> Vec<String> {
        match pull_batch(puller) {
            Ok(tasks) => tasks,
            Err(zmq::Error::EAGAIN) => panic!(
                "pull_batch waited 3 s for a message that never came: the pusher had \
                 sent {sent}, and nothing more. Stop at \"END\"; the pusher sends \
                 nothing after it"
            ),
            Err(error) => panic!("pull_batch failed: {error}"),
        }
    }

    #[test]
    fn a_batch_of_three_ends_at_its_end() {
        let (_context, pusher, puller) = pipeline();
        push_batch(&pusher, 3);
        let tasks = pulled(&puller, "three tasks and END");
        assert_eq!(
            tasks,
            batch(3),
            "the batch was three tasks and END: \"END\" is not a task, it says that \
             the batch is over"
        );
    }

    #[test]
    fn a_batch_of_eight_is_taken_whole_and_the_next_one_after_it() {
        let (_context, pusher, puller) = pipeline();
        push_batch(&pusher, 8);
        push_batch(&pusher, 2);
        let first = pulled(&puller, "eight tasks and END, then two tasks and END");
        assert_eq!(
            first,
            batch(8),
            "the first batch was eight tasks and END: all of it, up to its END"
        );
        let second = pulled(&puller, "eight tasks and END, then two tasks and END");
        assert_eq!(
            second,
            batch(2),
            "the second batch was two tasks and END: each call takes one batch, no \
             more and no less"
        );
    }
}

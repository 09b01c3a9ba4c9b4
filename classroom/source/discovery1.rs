// discovery1: stop when the answers stop.
//
// The page: "Distributed computation with discovery" (case studies). The
// command server publishes a command to computers it does not know, and
// collects their answers on a PULL socket. It cannot count to a number it
// does not have: it stops once no answer has come for a while. Make
// `collect_answers` listen that way. The tests play the computers.

/// Read answers from `answers` (a bound PULL socket; each answer is one frame,
/// the computer's name) until none has come for `quiet_ms` milliseconds. The
/// names, in the order they came.
fn collect_answers(answers: &zmq::Socket, quiet_ms: i64) -> zmq::Result<Vec<String>> {
    let mut names = Vec::new();
//>exercise
    // TODO: This takes the first answer and stops: computers that answer a
    // moment later are never heard, and with no computer at all it waits
    // for ever. Wait for each next answer with a time limit instead, and
    // stop only when the limit runs out with nothing there.
    if let Ok(name) = answers.recv_string(0)? {
        names.push(name);
    }
//>solution
    // poll returns how many items are ready: 0 means the time ran out.
    while answers.poll(zmq::POLLIN, quiet_ms)? > 0 {
        if let Ok(name) = answers.recv_string(0)? {
            names.push(name);
        }
    }
//>end
    Ok(names)
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;
    use std::time::{Duration, Instant};

    /// The server's PULL socket at a fresh inproc endpoint, and the endpoint.
    /// Its receive timeout bounds a wait that would otherwise never end.
    fn server(context: &zmq::Context) -> (zmq::Socket, String) {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let endpoint = format!("inproc://discovery1-{}", NEXT.fetch_add(1, Ordering::Relaxed));
        let answers = context.socket(zmq::PULL).unwrap();
        answers.set_rcvtimeo(5000).unwrap();
        answers.bind(&endpoint).unwrap();
        (answers, endpoint)
    }

    /// A computer that answers `name` after `delay_ms`.
    fn computer(context: &zmq::Context, endpoint: &str, name: &'static str, delay_ms: u64) {
        let push = context.socket(zmq::PUSH).unwrap();
        push.connect(endpoint).unwrap();
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(delay_ms));
            push.send(name, 0).unwrap();
        });
    }

    #[test]
    fn every_computer_that_answers_in_time_is_heard() {
        let context = zmq::Context::new();
        let (answers, endpoint) = server(&context);
        computer(&context, &endpoint, "deep-thought", 0);
        computer(&context, &endpoint, "hal", 300);
        computer(&context, &endpoint, "marvin", 600);
        let names = collect_answers(&answers, 1000);
        assert!(
            matches!(&names, Ok(names) if names == &["deep-thought", "hal", "marvin"]),
            "three computers answered, 300 ms apart, each well within a quiet \
             second of the one before: expected all three, got {names:?}"
        );
    }

    #[test]
    fn with_no_computer_it_gives_up_after_the_quiet_time() {
        let context = zmq::Context::new();
        let (answers, _endpoint) = server(&context);
        let started = Instant::now();
        let names = collect_answers(&answers, 500);
        let took = started.elapsed();
        assert!(
            matches!(&names, Ok(names) if names.is_empty()),
            "nobody answered: expected Ok(no names), got {names:?} (an error \
             Err(EAGAIN) is the socket's own 5-second receive timeout running \
             out: the wait had no limit of its own)"
        );
        assert!(
            took < Duration::from_millis(3000),
            "with a quiet time of 500 ms it took {took:?} to give up"
        );
    }

    #[test]
    fn a_computer_after_the_quiet_time_is_not_waited_for() {
        let context = zmq::Context::new();
        let (answers, endpoint) = server(&context);
        computer(&context, &endpoint, "hal", 0);
        computer(&context, &endpoint, "latecomer", 2500);
        let names = collect_answers(&answers, 500);
        assert!(
            matches!(&names, Ok(names) if names == &["hal"]),
            "one computer answered at once and the next only after 2.5 s, long \
             after the quiet 500 ms: expected [\"hal\"], got {names:?}"
        );
    }
}

// mspoller1: wait on two sockets at once.
//
// The page: "Handling Multiple Sockets: polling" (chapter 2). mspoller reads
// a PULL socket (tasks) and a SUB socket (weather updates), and waits on both
// at once with `zmq::poll`. Make `next_message` return the next message from
// either socket, with the socket it came from, or `None` if nothing comes
// within `timeout_ms` milliseconds. The tests play the ventilator and the
// weather server.

/// Which socket a message came from.
#[derive(Debug, PartialEq)]
enum Source {
    Tasks,
    Weather,
}

/// The next message on `tasks` or `weather`, whichever comes first, or `None`
/// if none comes within `timeout_ms` milliseconds.
fn next_message(
    tasks: &zmq::Socket,
    weather: &zmq::Socket,
    timeout_ms: i64,
) -> zmq::Result<Option<(Source, String)>> {
    let mut items = [
        tasks.as_poll_item(zmq::POLLIN),
        weather.as_poll_item(zmq::POLLIN),
    ];
    zmq::poll(&mut items, timeout_ms)?;
    if items[0].is_readable() {
        return Ok(Some((Source::Tasks, receive(tasks)?)));
    }
    if items[1].is_readable() {
        return Ok(Some((Source::Weather, receive(weather)?)));
    }
    Ok(None)
}

/// One message from a socket that has one ready, as text.
fn receive(socket: &zmq::Socket) -> zmq::Result<String> {
    let message = socket.recv_bytes(0)?;
    Ok(String::from_utf8_lossy(&message).into_owned())
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::thread;
    use std::time::{Duration, Instant};

    /// The test's side: the ventilator's PUSH socket and the weather server's
    /// publisher (an XPUB, which is a PUB that also tells the test when a
    /// subscriber has subscribed). And the reader's two sockets, connected to
    /// them, as mspoller's are.
    struct Setup {
        ventilator: zmq::Socket,
        publisher: zmq::Socket,
        tasks: zmq::Socket,
        weather: zmq::Socket,
    }

    fn setup() -> Setup {
        let context = zmq::Context::new();
        let ventilator = context.socket(zmq::PUSH).unwrap();
        ventilator.set_linger(0).unwrap();
        ventilator.set_sndtimeo(2000).unwrap();
        ventilator.bind("inproc://mspoller1-tasks").unwrap();
        let publisher = context.socket(zmq::XPUB).unwrap();
        publisher.set_linger(0).unwrap();
        publisher.set_rcvtimeo(2000).unwrap();
        publisher.bind("inproc://mspoller1-weather").unwrap();

        let tasks = context.socket(zmq::PULL).unwrap();
        tasks.set_linger(0).unwrap();
        tasks.connect("inproc://mspoller1-tasks").unwrap();
        let weather = context.socket(zmq::SUB).unwrap();
        weather.set_linger(0).unwrap();
        weather.connect("inproc://mspoller1-weather").unwrap();
        weather.set_subscribe(b"10001 ").unwrap();
        // Wait (at most 2 s) for the subscription to reach the publisher, so
        // that nothing published after it is dropped.
        let subscription = publisher
            .recv_bytes(0)
            .expect("the subscription reached the test's publisher within 2 s");
        assert_eq!(subscription, b"\x0110001 ", "the test's subscription");
        Setup {
            ventilator,
            publisher,
            tasks,
            weather,
        }
    }

    /// Call `next_message` in a thread of its own, and wait for its answer at
    /// most 3 s longer than its timeout: a poll that waits too long fails the
    /// test rather than hangs it. The answer, and how long it took.
    fn ask(
        tasks: zmq::Socket,
        weather: zmq::Socket,
        timeout_ms: i64,
        what_is_waiting: &str,
    ) -> (zmq::Result<Option<(Source, String)>>, f64) {
        let (answer, answered) = mpsc::channel();
        thread::spawn(move || {
            let started = Instant::now();
            let result = next_message(&tasks, &weather, timeout_ms);
            let _ = answer.send((result, started.elapsed().as_secs_f64()));
        });
        let limit = Duration::from_millis(timeout_ms as u64) + Duration::from_secs(3);
        answered.recv_timeout(limit).unwrap_or_else(|_| {
            panic!(
                "next_message(.., timeout_ms: {timeout_ms}) had not returned after \
                 {:.1} s, with {what_is_waiting}: it should return as soon as a \
                 message is ready, and give up with None after {timeout_ms} ms.",
                limit.as_secs_f64()
            )
        })
    }

    #[test]
    fn a_task_comes_from_the_tasks_socket() {
        let setup = setup();
        setup.ventilator.send("42", 0).unwrap();
        let (result, _) = ask(setup.tasks, setup.weather, 2000, "a task waiting");
        assert_eq!(
            result.expect("next_message succeeds"),
            Some((Source::Tasks, "42".to_string())),
            "a task \"42\" was waiting on the tasks socket"
        );
    }

    #[test]
    fn an_update_comes_from_the_weather_socket() {
        let setup = setup();
        setup.publisher.send("10001 72 45", 0).unwrap();
        let (result, elapsed) = ask(setup.tasks, setup.weather, 2000, "a weather update waiting");
        let result = result.expect("next_message succeeds");
        assert!(
            result.is_some(),
            "next_message returned None after {elapsed:.1} s, but the weather \
             update \"10001 72 45\" was waiting on the weather socket: was that \
             socket polled, and read when it was ready?"
        );
        assert_eq!(
            result,
            Some((Source::Weather, "10001 72 45".to_string())),
            "a weather update \"10001 72 45\" was waiting on the weather socket"
        );
        assert!(
            elapsed < 1.0,
            "next_message returned the weather update only after {elapsed:.1} s \
             (its timeout was 2 s), though the update was waiting all along: a \
             message ready on either socket should end the wait at once"
        );
    }

    #[test]
    fn nothing_within_the_timeout_gives_none() {
        let setup = setup();
        let (result, elapsed) = ask(setup.tasks, setup.weather, 300, "nothing to read");
        assert_eq!(
            result.expect("next_message succeeds"),
            None,
            "nothing was sent to either socket"
        );
        assert!(
            elapsed >= 0.2,
            "next_message gave up after {elapsed:.3} s: with nothing to read, it \
             should wait the whole timeout, 300 ms, for a message"
        );
    }
}

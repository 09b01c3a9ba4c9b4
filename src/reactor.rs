//! A small reactor, the workbook's counterpart of CZMQ's `zloop`: handlers
//! for "this socket is readable" and for timers, called from one loop that
//! polls for all of them. A program's state is one value, `S`, and every
//! handler gets `&mut S` and the reactor itself, to add and remove readers
//! and timers as it goes (chapter 3's broker reads its frontend only while
//! a worker is ready). Ctrl-C stops the loop, as it stops every wait.
//!
//! Readers name their socket by a function from the state to it
//! (`|broker| &broker.frontend`): the state owns its sockets, and the
//! reactor only borrows them while it polls.

use std::time::{Duration, Instant};

// ANCHOR: reactor
/// What a handler is: it gets the reactor (to add or end readers and
/// timers, or to stop) and the program's state. An error stops the loop
/// and is what [`Reactor::run`] returns.
pub type Handler<S> = fn(&mut Reactor<S>, &mut S) -> anyhow::Result<()>;

/// Which socket of the state a reader reads.
pub type SocketOf<S> = fn(&S) -> &zmq::Socket;

/// Names a timer, to end it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerId(u64);

/// Readers on sockets and timers, and the loop that calls their handlers.
pub struct Reactor<S> {
    readers: Vec<Reader<S>>,
    /// Changes to the readers, made when the loop next holds the state.
    changes: Vec<Change<S>>,
    timers: Vec<Timer<S>>,
    next_timer: u64,
    stopped: bool,
}

impl<S> Reactor<S> {
    pub fn new() -> Self {
        Reactor {
            readers: Vec::new(),
            changes: Vec::new(),
            timers: Vec::new(),
            next_timer: 0,
            stopped: false,
        }
    }

    /// Call `handler` whenever the socket `socket` picks out of the state
    /// has a message. A socket has one reader: a new one replaces the old.
    pub fn reader(&mut self, socket: SocketOf<S>, handler: Handler<S>) {
        self.changes.push(Change::Add(Reader { socket, handler }));
    }

    /// Stop reading `socket`. Ended from a handler, the reader is not
    /// called again, not even later in the same round.
    pub fn end_reader(&mut self, socket: &zmq::Socket) {
        self.changes.push(Change::End(address(socket)));
    }

    /// Call `handler` after `delay_ms`, then every `delay_ms`, `times`
    /// times in all (0: until it is ended).
    pub fn timer(&mut self, delay_ms: u64, times: usize, handler: Handler<S>) -> TimerId {
        self.next_timer += 1;
        let id = TimerId(self.next_timer);
        let interval = Duration::from_millis(delay_ms);
        self.timers.push(Timer {
            id,
            due: Instant::now() + interval,
            interval,
            times_left: times,
            handler,
        });
        id
    }

    /// End a timer; it is not called again.
    pub fn end_timer(&mut self, id: TimerId) {
        self.timers.retain(|timer| timer.id != id);
    }

    /// End the loop once the handler that calls this returns.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    /// Poll the readers' sockets, wait for the next timer, and call the
    /// handlers, until a handler calls [`Reactor::stop`], Ctrl-C is pressed,
    /// or there is no reader and no timer left. A handler's error ends it.
    pub fn run(&mut self, state: &mut S) -> anyhow::Result<()> {
        self.run_until(state, crate::interrupted)
    }
}
// ANCHOR_END: reactor

impl<S> Reactor<S> {
    /// [`Reactor::run`], with the Ctrl-C flag given, so that the tests can
    /// press their own.
    fn run_until(&mut self, state: &mut S, interrupted: impl Fn() -> bool) -> anyhow::Result<()> {
        self.stopped = false;
        self.apply(state);
        while !self.stopped && !interrupted() {
            if self.readers.is_empty() && self.timers.is_empty() {
                break; // Nothing left to wait for.
            }
            // Wait until the next timer is due, in slices that look at the
            // Ctrl-C flag.
            let next_due = self.timers.iter().map(|timer| timer.due).min();
            let wait = next_due.map_or(Duration::MAX, |due| {
                due.saturating_duration_since(Instant::now())
            });
            let slice = wait.as_millis().min(crate::interrupt::SLICE_MS as u128) as i64;
            let readable: Vec<usize> = {
                let mut items: Vec<zmq::PollItem> = self
                    .readers
                    .iter()
                    .map(|reader| (reader.socket)(state).as_poll_item(zmq::POLLIN))
                    .collect();
                match zmq::poll(&mut items, slice) {
                    Ok(_) | Err(zmq::Error::EINTR) => {}
                    Err(error) => return Err(error.into()),
                }
                (0..items.len())
                    .filter(|&i| items[i].is_readable())
                    .collect()
            };

            // Each readable socket's handler, unless a handler before it in
            // this round ended its reader.
            let polled: Vec<usize> = self
                .readers
                .iter()
                .map(|reader| address((reader.socket)(state)))
                .collect();
            for i in readable {
                if self.stopped {
                    break;
                }
                let current = self
                    .readers
                    .iter()
                    .find(|reader| address((reader.socket)(state)) == polled[i]);
                if let Some(reader) = current {
                    let handler = reader.handler;
                    handler(self, state)?;
                    self.apply(state);
                }
            }

            // Every timer that is due, once.
            let now = Instant::now();
            let due: Vec<TimerId> = self
                .timers
                .iter()
                .filter(|timer| timer.due <= now)
                .map(|timer| timer.id)
                .collect();
            for id in due {
                if self.stopped {
                    break;
                }
                let Some(index) = self.timers.iter().position(|timer| timer.id == id) else {
                    continue; // Ended by a handler this round.
                };
                let timer = &mut self.timers[index];
                let handler = timer.handler;
                timer.due += timer.interval;
                match timer.times_left {
                    0 => {}
                    1 => {
                        self.timers.remove(index);
                    }
                    _ => timer.times_left -= 1,
                }
                handler(self, state)?;
                self.apply(state);
            }
        }
        Ok(())
    }

    /// Make the changes handlers asked for, now that the state is here to
    /// say which socket each reader reads.
    fn apply(&mut self, state: &S) {
        for change in std::mem::take(&mut self.changes) {
            match change {
                Change::Add(new) => {
                    let socket = address((new.socket)(state));
                    self.readers
                        .retain(|reader| address((reader.socket)(state)) != socket);
                    self.readers.push(new);
                }
                Change::End(socket) => self
                    .readers
                    .retain(|reader| address((reader.socket)(state)) != socket),
            }
        }
    }
}

impl<S> Default for Reactor<S> {
    fn default() -> Self {
        Self::new()
    }
}

struct Reader<S> {
    socket: SocketOf<S>,
    handler: Handler<S>,
}

enum Change<S> {
    Add(Reader<S>),
    /// The socket's address, which tells it from the others.
    End(usize),
}

struct Timer<S> {
    id: TimerId,
    due: Instant,
    interval: Duration,
    /// 0: for ever.
    times_left: usize,
    handler: Handler<S>,
}

/// A socket's place in memory: which socket it is, never read through.
fn address(socket: &zmq::Socket) -> usize {
    socket as *const zmq::Socket as usize
}

#[cfg(test)]
mod tests {
    use super::Reactor;
    use std::time::{Duration, Instant};

    /// Two PAIR pipes, `a` and `b`, whose other ends the test writes to.
    struct Pipes {
        a: zmq::Socket,
        b: zmq::Socket,
        to_a: zmq::Socket,
        to_b: zmq::Socket,
        seen: Vec<String>,
        ticks: usize,
    }

    fn pipes(context: &zmq::Context) -> Pipes {
        let pair = || {
            let name = crate::endpoint::unique_inproc("reactor");
            let ours = context.socket(zmq::PAIR).unwrap();
            ours.bind(&name).unwrap();
            let theirs = context.socket(zmq::PAIR).unwrap();
            theirs.connect(&name).unwrap();
            (ours, theirs)
        };
        let ((a, to_a), (b, to_b)) = (pair(), pair());
        Pipes {
            a,
            b,
            to_a,
            to_b,
            seen: Vec::new(),
            ticks: 0,
        }
    }

    fn read_a(reactor: &mut Reactor<Pipes>, pipes: &mut Pipes) -> anyhow::Result<()> {
        let text = pipes.a.recv_string(0)?.unwrap();
        pipes.seen.push(format!("a:{text}"));
        if text == "end b" {
            reactor.end_reader(&pipes.b);
        }
        if text == "stop" {
            reactor.stop();
        }
        Ok(())
    }

    fn read_b(_: &mut Reactor<Pipes>, pipes: &mut Pipes) -> anyhow::Result<()> {
        let text = pipes.b.recv_string(0)?.unwrap();
        pipes.seen.push(format!("b:{text}"));
        Ok(())
    }

    fn never(_: &mut Reactor<Pipes>, _: &mut Pipes) -> anyhow::Result<()> {
        Ok(())
    }

    #[test]
    fn readers_are_called_for_each_message_until_one_stops_the_loop() {
        let context = zmq::Context::new();
        let mut pipes = pipes(&context);
        pipes.to_b.send("1", 0).unwrap();
        for text in ["1", "2", "stop", "after"] {
            pipes.to_a.send(text, 0).unwrap();
        }
        let mut reactor: Reactor<Pipes> = Reactor::new();
        reactor.reader(|p: &Pipes| &p.a, read_a);
        reactor.reader(|p: &Pipes| &p.b, read_b);
        reactor.run_until(&mut pipes, || false).unwrap();
        let mut seen = pipes.seen.clone();
        seen.sort();
        assert_eq!(seen, ["a:1", "a:2", "a:stop", "b:1"]);
        // "after" is still waiting: the loop stopped before reading it.
        assert_eq!(
            pipes.a.recv_string(zmq::DONTWAIT).unwrap().unwrap(),
            "after"
        );
    }

    #[test]
    fn a_reader_ended_from_a_handler_is_not_called_again_even_in_that_round() {
        let context = zmq::Context::new();
        let mut pipes = pipes(&context);
        // Both are readable in the first round; a's handler, first, ends b's.
        pipes.to_b.send("never read", 0).unwrap();
        pipes.to_a.send("end b", 0).unwrap();
        let mut reactor: Reactor<Pipes> = Reactor::new();
        reactor.reader(|p: &Pipes| &p.a, read_a);
        reactor.reader(|p: &Pipes| &p.b, read_b);
        reactor.timer(200, 1, |reactor, _| {
            reactor.stop();
            Ok(())
        });
        reactor.run_until(&mut pipes, || false).unwrap();
        assert_eq!(pipes.seen, ["a:end b"]);
        // Registered again, b's reader reads what waited.
        reactor.reader(|p: &Pipes| &p.b, read_b);
        reactor.end_reader(&pipes.a);
        reactor.timer(200, 1, |reactor, _| {
            reactor.stop();
            Ok(())
        });
        reactor.run_until(&mut pipes, || false).unwrap();
        assert_eq!(pipes.seen, ["a:end b", "b:never read"]);
    }

    #[test]
    fn a_new_reader_for_a_socket_replaces_the_old_one() {
        let context = zmq::Context::new();
        let mut pipes = pipes(&context);
        pipes.to_a.send("stop", 0).unwrap();
        let mut reactor: Reactor<Pipes> = Reactor::new();
        reactor.reader(|p: &Pipes| &p.a, never);
        reactor.reader(|p: &Pipes| &p.a, read_a);
        reactor.run_until(&mut pipes, || false).unwrap();
        assert_eq!(pipes.seen, ["a:stop"]);
    }

    #[test]
    fn timers_go_off_as_often_as_asked_then_the_loop_has_nothing_left() {
        let context = zmq::Context::new();
        let mut pipes = pipes(&context);
        let mut reactor: Reactor<Pipes> = Reactor::new();
        reactor.timer(20, 3, |_, pipes| {
            pipes.ticks += 1;
            Ok(())
        });
        let started = Instant::now();
        reactor.run_until(&mut pipes, || false).unwrap();
        assert_eq!(pipes.ticks, 3);
        assert!(
            started.elapsed() >= Duration::from_millis(60),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_timer_for_ever_runs_until_it_is_ended() {
        let context = zmq::Context::new();
        let mut pipes = pipes(&context);
        let mut reactor: Reactor<Pipes> = Reactor::new();
        reactor.timer(5, 0, |reactor, pipes| {
            pipes.ticks += 1;
            if pipes.ticks == 5 {
                // The only timer: ended, and the loop has nothing left.
                reactor.end_timer(super::TimerId(1));
            }
            Ok(())
        });
        reactor.run_until(&mut pipes, || false).unwrap();
        assert_eq!(pipes.ticks, 5);
    }

    #[test]
    fn ctrl_c_ends_the_loop_while_it_waits() {
        let context = zmq::Context::new();
        let mut pipes = pipes(&context);
        let mut reactor: Reactor<Pipes> = Reactor::new();
        reactor.reader(|p: &Pipes| &p.a, read_a);
        let pressed_at = Instant::now() + Duration::from_millis(150);
        let started = Instant::now();
        reactor
            .run_until(&mut pipes, || Instant::now() >= pressed_at)
            .unwrap();
        // Within a slice of the press: not stuck in the poll.
        let took = started.elapsed();
        assert!(took < Duration::from_secs(2), "{took:?}");
        assert!(pipes.seen.is_empty());
    }

    #[test]
    fn a_handler_error_ends_the_loop_and_is_returned() {
        let context = zmq::Context::new();
        let mut pipes = pipes(&context);
        pipes.to_a.send("x", 0).unwrap();
        let mut reactor: Reactor<Pipes> = Reactor::new();
        reactor.reader(|p: &Pipes| &p.a, |_, _| anyhow::bail!("a broken handler"));
        let error = reactor.run_until(&mut pipes, || false).unwrap_err();
        assert_eq!(error.to_string(), "a broken handler");
    }
}

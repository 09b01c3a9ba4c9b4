//! Socket calls with errors a learner can act on, and receives that stop on Ctrl-C.
//!
//! `bind_to`/`connect_to` name the endpoint in the error ("cannot bind to
//! tcp://127.0.0.1:5555: Address already in use"). `recv_text` hands back
//! `None` once Ctrl-C was pressed, and a [`Malformed`] (rather than an error) for
//! a message that is not one frame of UTF-8 text, so a server can report it and
//! go on serving.

use std::fmt;

use anyhow::Context as _;

use crate::interrupt;

/// A message that is not what the example expects. Report it and skip it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub String);

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Malformed {
    /// Say on stderr that a message was skipped, and why.
    pub fn report(&self) {
        eprintln!(
            "{}: skipping malformed message: {self}",
            crate::program_name()
        );
    }
}

/// The text of a message that should be one frame of UTF-8.
pub fn text(frames: Vec<Vec<u8>>) -> Result<String, Malformed> {
    let [frame]: [Vec<u8>; 1] = frames.try_into().map_err(|frames: Vec<Vec<u8>>| {
        Malformed(format!("{} frames, expected 1", frames.len()))
    })?;
    String::from_utf8(frame).map_err(|error| {
        let bytes = error.into_bytes();
        let shown: Vec<u8> = bytes.iter().copied().take(32).collect();
        Malformed(format!(
            "not UTF-8 text: b\"{}\"{}",
            shown.escape_ascii(),
            if bytes.len() > shown.len() { "…" } else { "" }
        ))
    })
}

/// Parse a message's text, or say what was expected.
pub fn parse<T: std::str::FromStr>(text: &str, expected: &str) -> Result<T, Malformed> {
    text.trim()
        .parse()
        .map_err(|_| Malformed(format!("{text:?} is not {expected}")))
}

pub trait SocketExt {
    /// `bind`, with the endpoint named in the error.
    fn bind_to(&self, endpoint: &str) -> anyhow::Result<()>;
    /// `connect`, with the endpoint named in the error.
    fn connect_to(&self, endpoint: &str) -> anyhow::Result<()>;
    /// Receive one message (all its frames); `None` once Ctrl-C was pressed.
    fn recv_frames(&self) -> anyhow::Result<Option<Vec<Vec<u8>>>>;
    /// Receive one message of one UTF-8 frame; `None` once Ctrl-C was pressed.
    fn recv_text(&self) -> anyhow::Result<Option<Result<String, Malformed>>>;
}

impl SocketExt for zmq::Socket {
    fn bind_to(&self, endpoint: &str) -> anyhow::Result<()> {
        self.bind(endpoint)
            .with_context(|| format!("cannot bind to {endpoint}"))
    }

    fn connect_to(&self, endpoint: &str) -> anyhow::Result<()> {
        self.connect(endpoint)
            .with_context(|| format!("cannot connect to {endpoint}"))
    }

    fn recv_frames(&self) -> anyhow::Result<Option<Vec<Vec<u8>>>> {
        if !interrupt::wait_readable(self)? {
            return Ok(None);
        }
        Ok(Some(self.recv_multipart(0)?))
    }

    fn recv_text(&self) -> anyhow::Result<Option<Result<String, Malformed>>> {
        Ok(self.recv_frames()?.map(text))
    }
}

//! Bad input: a message that is not what an example expects is reported on
//! stderr and skipped, so a server goes on serving. [`text`] reads a message
//! (as `recv_multipart` returns it) that should be one frame of UTF-8 text,
//! and [`parse`] a number in it; both say what was wrong.
//!
//! With the zmq crate alone: `socket.recv_string(0)?` gives the first frame as
//! `Ok(text)`, or `Err(bytes)` when it is not UTF-8.

use std::fmt;

// ANCHOR: malformed
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
// ANCHOR_END: malformed

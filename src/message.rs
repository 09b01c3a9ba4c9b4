//! A multipart message as one value, the workbook's counterpart of CZMQ's
//! `zmsg`: received and sent whole, with the envelope handled at its front.
//! Chapter 3's brokers read and write envelopes all day: `unwrap` takes the
//! routing id and its empty delimiter off the front, `wrap` puts them back.
//! A message that lacks them is a [`Malformed`] error, which a broker reports
//! and drops, and then keeps serving.

use crate::Malformed;
use std::collections::VecDeque;
use std::fmt;

// ANCHOR: message
/// The frames of one multipart message, first frame at the front.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    frames: VecDeque<Vec<u8>>,
}

impl Message {
    /// An empty message, to build up frame by frame.
    pub fn new() -> Self {
        Self::default()
    }

    /// Receive every frame of the next message.
    pub fn recv(socket: &zmq::Socket) -> zmq::Result<Self> {
        Ok(Self::from(socket.recv_multipart(0)?))
    }

    /// Send every frame, all but the last with SNDMORE.
    pub fn send(self, socket: &zmq::Socket) -> zmq::Result<()> {
        socket.send_multipart(self.frames, 0)
    }

    /// Put a frame in front of the others.
    pub fn push(&mut self, frame: impl Into<Vec<u8>>) {
        self.frames.push_front(frame.into());
    }

    /// Put a frame after the others.
    pub fn append(&mut self, frame: impl Into<Vec<u8>>) {
        self.frames.push_back(frame.into());
    }

    /// Take the first frame off, if there is one.
    pub fn pop(&mut self) -> Option<Vec<u8>> {
        self.frames.pop_front()
    }

    /// Address the message: a routing id and an empty delimiter in front.
    pub fn wrap(&mut self, routing_id: impl Into<Vec<u8>>) {
        self.push(Vec::new());
        self.push(routing_id);
    }

    /// Take the routing id and its empty delimiter off the front, and
    /// return the routing id. Without both, the message is malformed and
    /// is left as it was.
    pub fn unwrap(&mut self) -> Result<Vec<u8>, Malformed> {
        match (self.frames.front(), self.frames.get(1)) {
            (None, _) => Err(Malformed("an empty message, no routing id".into())),
            (Some(id), _) if id.is_empty() => Err(Malformed("an empty routing id".into())),
            (Some(_), Some(delimiter)) if delimiter.is_empty() => {
                let routing_id = self.frames.pop_front().unwrap_or_default();
                self.frames.pop_front();
                Ok(routing_id)
            }
            (Some(_), _) => Err(Malformed(format!(
                "no empty delimiter after the routing id in {} frames",
                self.frames.len()
            ))),
        }
    }

    /// The first frame, left in place (a broker looks at it to choose where
    /// a reply goes).
    pub fn first(&self) -> Option<&[u8]> {
        self.frames.front().map(Vec::as_slice)
    }

    /// The last frame, left in place (the body, behind the envelope).
    pub fn last(&self) -> Option<&[u8]> {
        self.frames.back().map(Vec::as_slice)
    }

    /// Replace the last frame (a worker turns a request into its reply and
    /// keeps the envelope); on an empty message, append it.
    pub fn set_last(&mut self, frame: impl Into<Vec<u8>>) {
        self.frames.pop_back();
        self.frames.push_back(frame.into());
    }

    /// How many frames there are.
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    /// Whether there are no frames at all.
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    /// The frames, first to last.
    pub fn frames(&self) -> impl Iterator<Item = &[u8]> {
        self.frames.iter().map(Vec::as_slice)
    }
}

impl From<Vec<Vec<u8>>> for Message {
    fn from(frames: Vec<Vec<u8>>) -> Self {
        Self {
            frames: frames.into(),
        }
    }
}

/// Shown frame by frame, as [`crate::dump`] shows it.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let frames: Vec<Vec<u8>> = self.frames.iter().cloned().collect();
        f.write_str(&crate::dump(&frames))
    }
}
// ANCHOR_END: message

#[cfg(test)]
mod tests {
    use super::Message;

    fn message(frames: &[&str]) -> Message {
        Message::from(
            frames
                .iter()
                .map(|f| f.as_bytes().to_vec())
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn wrap_then_unwrap_gives_back_the_routing_id_and_body() {
        let mut request = message(&["Hello"]);
        request.wrap("CLIENT-1");
        assert_eq!(request, message(&["CLIENT-1", "", "Hello"]));
        assert_eq!(request.unwrap().as_deref(), Ok(&b"CLIENT-1"[..]));
        assert_eq!(request, message(&["Hello"]));
    }

    #[test]
    fn an_envelope_without_its_delimiter_is_malformed_and_left_alone() {
        for frames in [&[][..], &["", "", "Hello"], &["W1", "Hello"], &["W1"]] {
            let mut bad = message(frames);
            let error = bad.unwrap().expect_err("malformed");
            assert!(!error.0.is_empty());
            assert_eq!(bad, message(frames), "{frames:?}");
        }
    }

    #[test]
    fn push_pop_and_append_work_at_either_end() {
        let mut msg = Message::new();
        msg.append("B");
        msg.push("A");
        msg.append("C");
        assert_eq!(msg.len(), 3);
        assert_eq!(msg.pop().as_deref(), Some(&b"A"[..]));
        assert_eq!(msg.frames().collect::<Vec<_>>(), [b"B", b"C"]);
        assert!(msg.to_string().ends_with("[001] B\n[001] C\n"));
    }

    #[test]
    fn first_last_and_set_last_leave_the_envelope_alone() {
        let mut msg = message(&["DC2", "client", "", "HELLO"]);
        assert_eq!(msg.first(), Some(&b"DC2"[..]));
        assert_eq!(msg.last(), Some(&b"HELLO"[..]));
        msg.set_last("OK");
        assert_eq!(msg, message(&["DC2", "client", "", "OK"]));
        let mut empty = Message::new();
        assert_eq!((empty.first(), empty.last()), (None, None));
        empty.set_last("OK");
        assert_eq!(empty, message(&["OK"]));
    }

    #[test]
    fn sent_and_received_whole_over_a_socket_pair() {
        let context = zmq::Context::new();
        let (a, b) = (
            context.socket(zmq::PAIR).unwrap(),
            context.socket(zmq::PAIR).unwrap(),
        );
        a.bind("inproc://message-test").unwrap();
        b.connect("inproc://message-test").unwrap();
        message(&["id", "", "body"]).send(&a).unwrap();
        assert_eq!(Message::recv(&b).unwrap(), message(&["id", "", "body"]));
    }
}

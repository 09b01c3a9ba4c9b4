// messages1: a record sent as one multipart message, without copying.
//
// The page: "Working with Messages" (chapter 2). A record is a list of fields,
// each a Vec<u8> the application has just built. `send_record` sends it as
// ONE message, a frame per field, and hands each Vec's buffer to ZeroMQ as it
// is, without a copy. `recv_record` receives one whole message, frame by
// frame, as zmq::Message values (read in place: no copy either). Write both.

/// Send `fields` (at least one) as one message of `fields.len()` frames, each
/// frame taking over its field's buffer.
fn send_record(socket: &zmq::Socket, fields: Vec<Vec<u8>>) -> zmq::Result<()> {
//>exercise
    // TODO: Flags 0 end the message: here each field goes as a message of
    // its own. Every frame but the last must say that more follow.
    // TODO: `&field[..]` makes ZeroMQ copy the bytes into a new message.
    // Which conversion into a zmq::Message takes the Vec's buffer instead?
    for field in fields {
        socket.send(&field[..], 0)?;
    }
    Ok(())
//>solution
    let last = fields.len().saturating_sub(1);
    for (n, field) in fields.into_iter().enumerate() {
        let flags = if n < last { zmq::SNDMORE } else { 0 };
        socket.send(zmq::Message::from(field), flags)?;
    }
    Ok(())
//>end
}

/// Receive one whole message, every frame of it, in order.
fn recv_record(socket: &zmq::Socket) -> zmq::Result<Vec<zmq::Message>> {
//>exercise
    // TODO: A message may have several frames. Read frames until the one
    // that says no more follow.
    Ok(vec![socket.recv_msg(0)?])
//>solution
    let mut frames = Vec::new();
    loop {
        let frame = socket.recv_msg(0)?;
        let more = frame.get_more();
        frames.push(frame);
        if !more {
            return Ok(frames);
        }
    }
//>end
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PUSH and a PULL socket joined over inproc, with bounded waits.
    fn pair(context: &zmq::Context, endpoint: &str) -> (zmq::Socket, zmq::Socket) {
        let pull = context.socket(zmq::PULL).unwrap();
        pull.set_rcvtimeo(2000).unwrap();
        pull.bind(endpoint).unwrap();
        let push = context.socket(zmq::PUSH).unwrap();
        push.set_sndtimeo(2000).unwrap();
        push.set_linger(0).unwrap();
        push.connect(endpoint).unwrap();
        (push, pull)
    }

    /// Frames as text, to show in a failure.
    fn shown(frames: &[Vec<u8>]) -> Vec<String> {
        frames.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect()
    }

    fn record(fields: &[&str]) -> Vec<Vec<u8>> {
        fields.iter().map(|f| f.as_bytes().to_vec()).collect()
    }

    #[test]
    fn a_record_is_one_message_of_frames() {
        let context = zmq::Context::new();
        let (push, pull) = pair(&context, "inproc://one-message");
        send_record(&push, record(&["id 7", "", "the payload"])).unwrap();
        send_record(&push, record(&["next"])).unwrap();
        let first = pull.recv_multipart(0).unwrap();
        assert!(
            first == [b"id 7".to_vec(), vec![], b"the payload".to_vec()],
            "the first message received was {:?}, expected the three fields \
             as three frames of one message, [\"id 7\", \"\", \"the payload\"]: \
             every frame but the last is sent with zmq::SNDMORE",
            shown(&first)
        );
        let second = pull.recv_multipart(0).unwrap();
        assert_eq!(second, [b"next".to_vec()], "the second record, alone");
    }

    #[test]
    fn the_fields_are_not_copied() {
        let context = zmq::Context::new();
        let (push, pull) = pair(&context, "inproc://no-copy");
        let fields = vec![vec![b'a'; 1000], vec![b'b'; 5000], vec![b'c'; 20]];
        let addresses: Vec<*const u8> = fields.iter().map(|f| f.as_ptr()).collect();
        send_record(&push, fields).unwrap();
        // Over inproc the message itself is passed on: a frame that took over
        // its field's buffer arrives in that very buffer.
        for (n, address) in addresses.into_iter().enumerate() {
            let frame = pull.recv_msg(0).expect("a frame for every field");
            assert!(
                frame.as_ptr() == address,
                "frame {} arrived in another buffer than its field's: it was \
                 copied. zmq::Message::from(&field[..]) copies the bytes; \
                 zmq::Message::from(field), from the Vec itself, takes its buffer",
                n + 1
            );
        }
    }

    #[test]
    fn recv_record_takes_the_whole_message() {
        let context = zmq::Context::new();
        let (push, pull) = pair(&context, "inproc://whole");
        push.send_multipart(["key", "", "contents"], 0).unwrap();
        push.send("alone", 0).unwrap();
        let first: Vec<Vec<u8>> = recv_record(&pull)
            .unwrap()
            .iter()
            .map(|frame| frame.to_vec())
            .collect();
        assert!(
            first == [b"key".to_vec(), vec![], b"contents".to_vec()],
            "recv_record gave {:?}, expected the three frames of the first \
             message, [\"key\", \"\", \"contents\"]: read frames until \
             frame.get_more() is false",
            shown(&first)
        );
        let second: Vec<Vec<u8>> = recv_record(&pull)
            .unwrap()
            .iter()
            .map(|frame| frame.to_vec())
            .collect();
        assert_eq!(second, [b"alone".to_vec()], "the next message, alone");
    }
}

//! Showing a message frame by frame, as the guide's `s_dump` does: each
//! frame's size, then its bytes as text where every one is printable, in hex
//! otherwise. Chapter 3 reads envelopes this way: routing ids, empty
//! delimiters, then the body.

use std::fmt::Write as _;

// ANCHOR: dump
/// A message (as `recv_multipart` returns it) shown frame by frame, under a
/// line of dashes: `[005] 0080000029`, `[000] `, `[005] Hello`.
pub fn dump(frames: &[Vec<u8>]) -> String {
    let mut shown = format!("{}\n", "-".repeat(40));
    for frame in frames {
        let printable = frame.iter().all(|byte| (32..=126).contains(byte));
        let _ = write!(shown, "[{:03}] ", frame.len());
        for byte in frame {
            let _ = if printable {
                write!(shown, "{}", *byte as char)
            } else {
                write!(shown, "{byte:02X}")
            };
        }
        shown.push('\n');
    }
    shown
}
// ANCHOR_END: dump

// ANCHOR: one_line
/// A message's frames on one line, each quoted with its bytes escaped, for
/// a one-line report: `["client", "", "HELLO"]`.
pub fn one_line<F: AsRef<[u8]>>(frames: impl IntoIterator<Item = F>) -> String {
    let frames: Vec<String> = frames
        .into_iter()
        .map(|frame| format!("\"{}\"", frame.as_ref().escape_ascii()))
        .collect();
    format!("[{}]", frames.join(", "))
}
// ANCHOR_END: one_line

#[cfg(test)]
mod tests {
    use super::dump;

    #[test]
    fn text_frames_show_as_text_and_others_in_hex() {
        let frames = vec![vec![0, 0x80, 0, 0, 0x29], Vec::new(), b"Hello".to_vec()];
        assert_eq!(
            dump(&frames),
            format!(
                "{}\n[005] 0080000029\n[000] \n[005] Hello\n",
                "-".repeat(40)
            )
        );
    }

    #[test]
    fn one_line_quotes_each_frame_and_escapes_its_bytes() {
        let frames = [b"client".to_vec(), Vec::new(), vec![b'H', 0xff]];
        assert_eq!(super::one_line(&frames), r#"["client", "", "H\xff"]"#);
    }

    #[test]
    fn one_unprintable_byte_shows_the_whole_frame_in_hex() {
        assert_eq!(dump(&[b"A\n".to_vec()]).lines().nth(1), Some("[002] 410A"));
    }
}

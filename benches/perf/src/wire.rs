//! The wire's own limit: one plain TCP stream over loopback, one writer and
//! one reader, no messages and no ZeroMQ. What it carries per second is the
//! most any messaging over the same loopback could.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Instant;

use anyhow::Context as _;

/// Reads and writes are this large: big enough that system calls cost
/// nothing much, as ZeroMQ's own batching aims for.
const CHUNK: usize = 64 * 1024;

/// Stream `total_bytes` from one thread to another over loopback TCP; the rate
/// in megabits per second, timed like local_thr: from the first bytes read to
/// the last.
pub fn megabits_per_second(total_bytes: u64) -> anyhow::Result<f64> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot listen on loopback")?;
    let address = listener.local_addr()?;
    let writer = std::thread::spawn(move || -> std::io::Result<()> {
        let mut stream = TcpStream::connect(address)?;
        let chunk = vec![0u8; CHUNK];
        let mut left = total_bytes;
        while left > 0 {
            let now = left.min(CHUNK as u64) as usize;
            stream.write_all(&chunk[..now])?;
            left -= now as u64;
        }
        Ok(())
    });

    let (mut stream, _) = listener.accept().context("the writer did not connect")?;
    let mut buffer = vec![0u8; CHUNK];
    let mut read = 0u64;
    let mut start = None;
    while read < total_bytes {
        let n = stream.read(&mut buffer).context("reading the stream")?;
        anyhow::ensure!(
            n > 0,
            "the stream ended after {read} of {total_bytes} bytes"
        );
        start.get_or_insert_with(Instant::now);
        read += n as u64;
    }
    let elapsed = start.map_or(0.0, |start| start.elapsed().as_secs_f64());
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("the writer panicked"))?
        .context("writing the stream")?;
    Ok(total_bytes as f64 * 8.0 / elapsed.max(1e-6) / 1_000_000.0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn streams_every_byte() {
        let rate = super::megabits_per_second(1_000_000).unwrap();
        assert!(rate.is_finite() && rate > 0.0, "{rate}");
    }
}

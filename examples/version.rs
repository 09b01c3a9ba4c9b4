//! Version reporting: which libzmq this program runs on.
//!
//! Run it: cargo run --example version

// ANCHOR: main
fn main() {
    let (major, minor, patch) = zmq::version();
    println!("Current 0MQ version is {major}.{minor}.{patch}");
}
// ANCHOR_END: main

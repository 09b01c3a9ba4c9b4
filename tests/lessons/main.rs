//! Every lesson run for real: its example processes in its topology, their
//! output compared with the snapshot its page shows; bad input and Ctrl-C for
//! each example; the `workbook` runner; and the documentation test.
//!
//! One test binary, one module per lesson (grouped by the book's chapters), so
//! the test harness runs them side by side: the lessons spend nearly all their
//! time waiting, and `.cargo/config.toml` sets RUST_TEST_THREADS high enough
//! to start them all at once. Each test takes its own block of ports
//! ([`harness::PortBlock`]), so none of them clash, also with tests in other
//! processes.
//!
//!   cargo test                       everything
//!   cargo test --test lessons hello  one lesson's tests
//!   cargo make stress                five copies of this binary at once

mod book;
mod case_studies;
mod chapter1;
mod chapter2;
mod chapter3;
mod ctrl_c;
mod exercises;
mod harness;
mod names;
mod performance;
mod runner;

//! Form collector: it pulls form posts from any number of senders, checks
//! each one (JSON, the form's fields and nothing else, the right types, a
//! size limit), stores the good ones in SQLite, and reports a bad one on
//! stderr, with why, without storing it. On Ctrl-C it stores what has
//! already arrived, then exits.
//!
//! Run it:      cargo run --example form_collector
//!              cargo run --example form_collector -- --db /tmp/forms.sqlite
//! With senders in other terminals:  cargo run --example form_sender
//! Or all at once:  cargo run -- run form-collector
//! Read the posts back:  sqlite3 /tmp/zmq-workbook-forms.sqlite 'SELECT * FROM posts'
//! Ctrl-C stops it.

use std::path::PathBuf;

use clap::Parser;

/// Form collector: pulls JSON posts, checks them, stores the good ones.
#[derive(Parser)]
struct Args {
    /// Where the senders push their posts (PULL).
    #[arg(long, default_value = "tcp://127.0.0.1:5580")]
    bind: String,
    /// The database; by default zmq-workbook-forms.sqlite in the temporary
    /// folder.
    #[arg(long)]
    db: Option<PathBuf>,
    /// The largest post accepted, in bytes.
    #[arg(long, default_value_t = 1024)]
    max_bytes: usize,
}

/// One row per good post, numbered as it was stored.
const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS posts (
    id INTEGER PRIMARY KEY,
    received TEXT NOT NULL DEFAULT (datetime('now')),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    age INTEGER NOT NULL,
    message TEXT NOT NULL
)";

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
/// A post as the form has it: these fields, of these types, all of them,
/// and no other.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Post {
    name: String,
    email: String,
    age: u8,
    message: String,
}

fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let receiver = context.socket(zmq::PULL)?;
    workbook::bind(&receiver, &args.bind)?;

    let mut store = workbook::Store::open(args.db.as_deref(), "forms", SCHEMA)?;
    let earlier: i64 =
        store.read(|db| db.query_row("SELECT count(*) FROM posts", [], |row| row.get(0)))?;
    println!(
        "Collecting posts in {} ({earlier} there already)",
        store.path().display()
    );

    let mut stored = 0;
    let mut items = [receiver.as_poll_item(zmq::POLLIN)];
    while workbook::poll(&mut items)? {
        if items[0].is_readable() {
            match receiver.recv_multipart(0) {
                Ok(frames) => stored += collect(&mut store, frames, args.max_bytes)?,
                // Ctrl-C can land in the read itself, not only in the poll.
                Err(zmq::Error::EINTR) => break,
                Err(error) => return Err(error.into()),
            }
        }
    }
    // Ctrl-C: what has arrived already is stored too, before we go.
    while let Ok(frames) = receiver.recv_multipart(zmq::DONTWAIT) {
        stored += collect(&mut store, frames, args.max_bytes)?;
    }
    println!("Stored {stored} posts");
    Ok(())
}

/// Check one post and store it, in a transaction of its own; 1 if stored.
/// A bad one is reported on stderr and skipped.
fn collect(
    store: &mut workbook::Store,
    frames: Vec<Vec<u8>>,
    max_bytes: usize,
) -> anyhow::Result<u32> {
    let post = match check(frames, max_bytes) {
        Ok(post) => post,
        Err(malformed) => {
            malformed.report();
            return Ok(0);
        }
    };
    store.write(|transaction| {
        transaction.execute(
            "INSERT INTO posts (name, email, age, message) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![post.name, post.email, post.age, post.message],
        )
    })?;
    println!("stored a post from {} <{}>", post.name, post.email);
    Ok(1)
}

/// One frame, no larger than the limit, JSON with exactly the form's fields,
/// and an email address that has an @.
fn check(frames: Vec<Vec<u8>>, max_bytes: usize) -> Result<Post, workbook::Malformed> {
    let [json]: [Vec<u8>; 1] = frames.try_into().map_err(|frames: Vec<Vec<u8>>| {
        workbook::Malformed(format!("{} frames, expected 1", frames.len()))
    })?;
    if json.len() > max_bytes {
        return Err(workbook::Malformed(format!(
            "a post of {} bytes, over the limit of {max_bytes}",
            json.len()
        )));
    }
    // serde names the offending field as it came: escape what would break
    // the report's one line.
    let post: Post = serde_json::from_slice(&json).map_err(|error| {
        let why: String = error
            .to_string()
            .chars()
            .map(|c| match c.is_control() {
                true => c.escape_default().to_string(),
                false => c.to_string(),
            })
            .collect();
        workbook::Malformed(format!("not a form post: {why}"))
    })?;
    if !post.email.contains('@') {
        return Err(workbook::Malformed(format!(
            "not a form post: {:?} is not an email address",
            post.email
        )));
    }
    Ok(post)
}
// ANCHOR_END: main

//! Form collector, a sender: it plays a web site's form, and pushes a few
//! fake posts (seeded, so a run can be repeated) as JSON to the collector.
//! With --malformed it sends posts the collector must refuse instead.
//!
//! Run it:      cargo run --example form_sender
//!              cargo run --example form_sender -- --malformed
//! It needs the collector: cargo run --example form_collector in another terminal.
//! Or all at once:  cargo run -- run form-collector

use clap::Parser;
use rand::Rng as _;
use rand::seq::IndexedRandom as _;

/// Form sender: pushes fake form posts as JSON.
#[derive(Parser)]
struct Args {
    /// The collector (PUSH).
    #[arg(long, default_value = "tcp://localhost:5580")]
    connect: String,
    /// How many posts to send.
    #[arg(long, default_value_t = 4)]
    posts: u32,
    /// The pause between two posts.
    #[arg(long, default_value_t = 100)]
    pause_ms: u64,
    /// Send posts the collector must refuse, one of each kind, instead.
    #[arg(long)]
    malformed: bool,
    /// Seed for the fake data: the same seed, the same posts.
    #[arg(long)]
    seed: Option<u64>,
}

/// Posts still queued this long after the last send, for a collector that
/// is not there, are dropped rather than wait for ever.
const LINGER_MS: i32 = 2000;

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
/// A post as the form sends it, JSON on the wire.
#[derive(serde::Serialize)]
struct Post {
    name: String,
    email: String,
    age: u8,
    message: String,
}

fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let sender = context.socket(zmq::PUSH)?;
    sender.set_linger(LINGER_MS)?;
    workbook::connect(&sender, &args.connect)?;

    let posts: Vec<String> = if args.malformed {
        malformed_posts()
    } else {
        let mut rng = workbook::generator(args.seed);
        (0..args.posts)
            .map(|_| serde_json::to_string(&fake_post(&mut rng)))
            .collect::<Result<_, _>>()?
    };
    for (n, post) in posts.iter().enumerate() {
        if n > 0 && !workbook::sleep_ms(args.pause_ms) {
            return Ok(()); // Ctrl-C
        }
        sender.send(post.as_str(), 0)?;
        println!("posted {}", shown(post));
    }
    // Dropping the socket waits (up to LINGER_MS) for the posts to leave.
    Ok(())
}
// ANCHOR_END: main

/// A made-up post: a name, an address to match, an age, a message.
fn fake_post(rng: &mut rand::rngs::StdRng) -> Post {
    const FIRST: &[&str] = &[
        "Ada", "Basil", "Cleo", "Dmitri", "Esme", "Farid", "Greta", "Hugo",
    ];
    const LAST: &[&str] = &["Quill", "Marsh", "Okafor", "Lindqvist", "Tanaka", "Moreau"];
    const DOMAINS: &[&str] = &["example.org", "example.com", "example.net"];
    const MESSAGES: &[&str] = &[
        "Please call me back.",
        "Is the workshop still on?",
        "My order has not arrived.",
        "Thanks for the quick answer!",
        "Can I change my address?",
    ];
    let first = FIRST.choose(rng).expect("names");
    let last = LAST.choose(rng).expect("names");
    let domain = DOMAINS.choose(rng).expect("domains");
    Post {
        name: format!("{first} {last}"),
        email: format!("{}.{}@{domain}", first.to_lowercase(), last.to_lowercase()),
        age: rng.random_range(18..=90),
        message: MESSAGES.choose(rng).expect("messages").to_string(),
    }
}

/// A post as printed: whole, unless it is long.
fn shown(post: &str) -> String {
    match post.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{}… ({} bytes)", &post[..cut], post.len()),
        None => post.to_string(),
    }
}

/// The longest post printed whole.
const SHOWN_CHARS: usize = 120;

/// One post of each kind the collector refuses.
fn malformed_posts() -> Vec<String> {
    let good = r#""name":"Ada Quill","email":"ada@example.org","age":36,"message":"Hi""#;
    vec![
        r#"{"name":"Ada Quill","email":"#.to_string(), // cut short
        format!(r#"{{{good},"phone":"555-0100"}}"#),   // a field the form has not
        r#"{"name":"Ada Quill","email":"ada@example.org","age":"36","message":"Hi"}"#.to_string(),
        r#"{"name":"Ada Quill","email":"ada@example.org","message":"Hi"}"#.to_string(),
        r#"{"name":"Ada Quill","email":"ada.example.org","age":36,"message":"Hi"}"#.to_string(),
        format!(
            r#"{{"name":"Ada Quill","email":"ada@example.org","age":36,"message":"{}"}}"#,
            "spam ".repeat(500)
        ),
    ]
}

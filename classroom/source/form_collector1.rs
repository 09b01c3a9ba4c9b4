// form_collector1: refuse what the form does not have.
//
// The page: "Form collector" (case studies). A collector reads form posts,
// JSON, one per message, from a PULL socket, and checks each one before
// keeping it. As written it keeps posts with fields the form does not have,
// and posts of any size. Make `check` refuse both, and say why.

/// A post as the form has it: these fields, of these types, all of them.
//>exercise
// TODO: serde ignores a field the struct does not have, unless told to
// refuse it. Which attribute on the struct does that?
#[derive(Debug, PartialEq, serde::Deserialize)]
//>solution
#[derive(Debug, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
//>end
struct Post {
    name: String,
    email: String,
    age: u8,
    message: String,
}

/// The largest post accepted, in bytes.
const MAX_BYTES: usize = 256;

/// The post in `message`, or why it is refused.
fn check(message: &[u8]) -> Result<Post, String> {
//>exercise
    // TODO: A post larger than MAX_BYTES must be refused before it is
    // parsed (parsing a huge post is the cost the limit saves), with a
    // reason that gives its size in bytes.
//>solution
    if message.len() > MAX_BYTES {
        return Err(format!(
            "a post of {} bytes, over the limit of {MAX_BYTES}",
            message.len()
        ));
    }
//>end
    serde_json::from_slice(message).map_err(|error| format!("not a form post: {error}"))
}

/// Receive posts until none has come for `quiet_ms`: the good ones, and a
/// reason for each bad one, in the order they came.
fn collect(receiver: &zmq::Socket, quiet_ms: i64) -> zmq::Result<(Vec<Post>, Vec<String>)> {
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    while receiver.poll(zmq::POLLIN, quiet_ms)? > 0 {
        match check(&receiver.recv_bytes(0)?) {
            Ok(post) => good.push(post),
            Err(why) => bad.push(why),
        }
    }
    Ok((good, bad))
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Push `posts` to a fresh collector over inproc, and collect them.
    fn collect_posts(posts: &[String]) -> (Vec<Post>, Vec<String>) {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let endpoint = format!("inproc://form_collector1-{}", NEXT.fetch_add(1, Ordering::Relaxed));
        let context = zmq::Context::new();
        let receiver = context.socket(zmq::PULL).unwrap();
        receiver.bind(&endpoint).unwrap();
        let sender = context.socket(zmq::PUSH).unwrap();
        sender.connect(&endpoint).unwrap();
        for post in posts {
            sender.send(post.as_str(), 0).unwrap();
        }
        collect(&receiver, 500).unwrap()
    }

    fn post(name: &str, extra: &str) -> String {
        format!(r#"{{"name":"{name}","email":"{name}@example.org","age":40,"message":"Hi"{extra}}}"#)
    }

    fn expected(name: &str) -> Post {
        Post {
            name: name.into(),
            email: format!("{name}@example.org"),
            age: 40,
            message: "Hi".into(),
        }
    }

    #[test]
    fn good_posts_are_kept() {
        let (good, bad) = collect_posts(&[post("ada", ""), post("hugo", "")]);
        assert_eq!(good, [expected("ada"), expected("hugo")]);
        assert!(bad.is_empty(), "good posts refused: {bad:?}");
    }

    #[test]
    fn a_post_with_a_field_the_form_has_not_is_refused() {
        let (good, bad) = collect_posts(&[post("ada", r#","phone":"555-0100""#), post("hugo", "")]);
        assert_eq!(
            good,
            [expected("hugo")],
            "the post from ada has a field `phone` the form does not have: it \
             must be refused, not kept without it"
        );
        assert!(
            bad.len() == 1 && bad[0].contains("unknown field `phone`"),
            "expected one reason, naming the unknown field `phone`; got {bad:?}"
        );
    }

    #[test]
    fn a_post_over_the_size_limit_is_refused_and_says_its_size() {
        // A valid post, but for its size.
        let long = format!(
            r#"{{"name":"ada","email":"ada@example.org","age":40,"message":"{}"}}"#,
            "x".repeat(300)
        );
        let (good, bad) = collect_posts(&[long.clone(), post("hugo", "")]);
        let kept: Vec<&str> = good.iter().map(|post| post.name.as_str()).collect();
        assert_eq!(
            kept,
            ["hugo"],
            "ada's post is valid JSON of the form, but {} bytes long, over the \
             limit of {MAX_BYTES}: it must be refused",
            long.len()
        );
        assert_eq!(
            bad,
            [format!("a post of {} bytes, over the limit of {MAX_BYTES}", long.len())],
            "the reason says the post's size and the limit"
        );
    }
}

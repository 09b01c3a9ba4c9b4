//! The hello lesson: hwserver answers hwclient's ten requests.

mod common;

#[test]
fn hello_client_gets_ten_worlds() {
    let run = common::run_lesson("hello");
    run.assert_clean();
    let server = run.stdout_of("server");
    assert_eq!(
        server.lines().count(),
        10,
        "one line per request:\n{server}"
    );
    common::snapshot_settings().bind(|| insta::assert_snapshot!("hello", run.sections()));
}

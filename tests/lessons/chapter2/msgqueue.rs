//! The msgqueue lesson: the shared-queue lesson with msgqueue, the built-in
//! proxy, as the broker. It behaves the same: the two workers share the two
//! clients' twenty requests ten and ten, and any frames pass through whole.

use super::shared_queue;
use crate::harness;

#[test]
fn two_workers_share_two_clients_requests() {
    let text = shared_queue::broker_lesson_sections("msgqueue", "msgqueue");
    harness::snapshot_settings().bind(|| insta::assert_snapshot!("msgqueue", text));
}

#[test]
fn msgqueue_passes_anything_through_and_keeps_serving() {
    shared_queue::broker_passes_anything_through_and_keeps_serving("msgqueue");
}

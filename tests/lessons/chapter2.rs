//! Chapter 2: Sockets and Patterns.

mod interrupt;
mod msgqueue;
mod mspoller;
mod msreader;
mod mtserver;
mod pipeline_kill;
mod shared_queue;
mod wuproxy;

//! Chapter 2: Sockets and Patterns.

mod interrupt;
mod msgqueue;
mod mspoller;
mod msreader;
mod mtrelay;
mod mtserver;
mod pipeline_kill;
mod psenv;
mod shared_queue;
mod syncpub;
mod wuproxy;

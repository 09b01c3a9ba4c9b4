//! Chapter 2: Sockets and Patterns.

mod fair_queuing;
mod interrupt;
mod msgqueue;
mod mspoller;
mod msreader;
mod mtrelay;
mod mtserver;
mod pipeline_kill;
mod psenv;
mod shared_queue;
mod streamer;
mod wuproxy;

//! Chapter 2: Sockets and Patterns.

mod bind_connect;
mod fair_queuing;
mod hwm;
mod interrupt;
mod messages;
mod msgqueue;
mod mspoller;
mod msreader;
mod mtrelay;
mod mtserver;
mod pair;
mod pipeline_kill;
mod psenv;
mod shared_queue;
mod streamer;
mod syncpub;
mod wuproxy;

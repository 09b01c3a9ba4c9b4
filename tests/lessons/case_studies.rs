//! The case studies: other tutorials' ideas, written anew as small systems.

mod poll_server;
mod several_ports;
mod topic_averages;

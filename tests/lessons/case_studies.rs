//! The case studies: other tutorials' ideas, written anew as small real systems.

mod event_loop;
mod first_steps;
mod poll_server;
mod several_ports;
mod topic_averages;

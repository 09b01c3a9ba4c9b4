//! The case studies: other tutorials' ideas, written anew as small real systems.

mod discovery;
mod event_loop;
mod first_steps;
mod form_collector;
mod poll_server;
mod several_ports;
mod topic_averages;

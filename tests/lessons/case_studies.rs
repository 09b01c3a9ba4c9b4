//! Case studies: other ZeroMQ tutorials' ideas, made into small real systems.

mod event_loop;

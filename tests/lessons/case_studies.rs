//! Case studies: other tutorials' ideas, made into small real systems.

mod discovery;
mod form_collector;

//! Case studies: other tutorials' ideas, made into small real systems.

mod first_steps;

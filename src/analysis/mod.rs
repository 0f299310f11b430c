//! Questions asked across reports rather than of one: copied text between
//! years and bodies.

pub mod copies;

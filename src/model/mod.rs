//! The domain types every stage shares: a parsed [`Report`], its sections and
//! figures, the consistency checks, and the data dictionary of figure keys.

pub mod body;
pub mod checks;
pub mod derived;
pub mod equations;
pub mod fields;
pub mod report;
pub mod warnings;

pub use crate::parse::figures::{Figures, Template, COLUMNS};
pub use crate::parse::sections::{Section, SectionKey};
pub use checks::CHECKS;
pub use report::{IssuerLevel, Report};

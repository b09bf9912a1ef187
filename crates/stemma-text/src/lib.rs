//! Text primitives shared by every stage: word tokens and sentences with
//! half-open byte spans into the extracted text, normalisation and stopwords.
//! Pure: no I/O.
#![deny(missing_docs)]

mod sentence;
mod stopwords;
mod token;

pub use sentence::sentences;
pub use stopwords::is_stopword;
pub use token::{Token, TokenKind, tokenize};

//! Text primitives shared by every stage: word tokens and sentences with
//! half-open byte spans into the extracted text, normalisation, stopwords,
//! a light stemmer and a synonym table.
//! Pure: no I/O.
#![deny(missing_docs)]

mod lang;
mod sentence;
mod stopwords;
mod style;
mod thesaurus;
mod token;

pub use lang::Lang;
pub use sentence::sentences;
pub use stopwords::is_stopword;
pub use style::{is_rewriter_word, quoted_spans};
pub use thesaurus::{Thesaurus, stem};
pub use token::{Token, TokenKind, TokenRef, for_each_token, tokenize};

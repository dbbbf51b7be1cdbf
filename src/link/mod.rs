//! Links: what a shared URL, an embed or a tour step carries so the page
//! shows exactly this state again, read back defensively.
//!
//! - [`raft`]: the query string itself (`view`, `lang`, `embed`, … and the
//!   Raft run's `p`, `s`, `a`), which carries the other two views' states
//!   base64url-wrapped in `ring` and `cl`;
//! - [`ring`]: the Hash ring view's settings (JSON in `ring`);
//! - [`cluster`]: the Cluster view's configuration, actions and time (JSON in
//!   `cl`).
//!
//! A link is untrusted input: nothing here panics, every limit is checked
//! before work is done, and text quoted back in a message is clipped. A bad
//! part is reported as a [`LinkError`] (where, why) and dropped while the
//! rest is kept. The cluster link reports `ClusterError`s instead: its
//! messages are the model's own (the page words each one in both
//! languages), and a link action is refused by the same rules as a click.

#[cfg(feature = "membership")]
pub mod cluster;
pub mod raft;
pub mod ring;

use serde_json::{Map, Value};
use std::fmt;

/// Why (part of) a link was not used: where (a query parameter such as
/// `speed`, or a JSON field path such as `nodes[2]`; `""` for the whole
/// link) and a reason in plain English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkError {
    pub path: String,
    pub reason: String,
}

impl LinkError {
    pub fn new(path: &str, reason: impl Into<String>) -> LinkError {
        LinkError { path: path.to_string(), reason: reason.into() }
    }
}

/// "path: reason", or the reason alone for the whole link.
impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.reason)
        } else {
            write!(f, "{}: {}", self.path, self.reason)
        }
    }
}

impl std::error::Error for LinkError {}

/// `s` cut to its first `max` characters, with "…" when something was cut:
/// untrusted text, shortened before a message quotes it.
pub fn clip(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// Text as a URL parameter carries it: base64url without padding.
pub fn encode_b64(text: &str) -> String {
    crate::lean::b64::encode(text.as_bytes())
}

/// The text a base64url parameter carries (padding tolerated).
pub fn decode_b64(path: &str, value: &str) -> Result<String, LinkError> {
    let bytes = crate::lean::b64::decode(value.trim_end_matches('='))
        .map_err(|e| LinkError::new(path, format!("not valid base64url ({e})")))?;
    String::from_utf8(bytes).map_err(|_| LinkError::new(path, "not UTF-8 text"))
}

/// Why a link's JSON document is not an object.
#[derive(Debug)]
pub enum NotAnObject {
    /// Not JSON at all (serde's message, with line and column).
    Syntax(String),
    /// JSON, but not `{…}`.
    Other(Value),
}

/// A link's JSON document, which must be an object (serde would read a
/// struct from an array by position).
pub fn json_object(text: &str) -> Result<Map<String, Value>, NotAnObject> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(o)) => Ok(o),
        Ok(other) => Err(NotAnObject::Other(other)),
        Err(e) => Err(NotAnObject::Syntax(e.to_string())),
    }
}

/// What is wrong with a name or key a link carries, if anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadText {
    /// Empty or only spaces.
    Empty,
    /// More than the allowed characters.
    TooLong,
    /// Contains control characters (they would break the drawing or a message).
    Control,
}

/// Checks a name or key: not blank, at most `max` characters, no control characters.
pub fn check_text(s: &str, max: usize) -> Result<(), BadText> {
    if s.trim().is_empty() {
        Err(BadText::Empty)
    } else if s.chars().count() > max {
        Err(BadText::TooLong)
    } else if s.chars().any(char::is_control) {
        Err(BadText::Control)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_path_then_reason() {
        assert_eq!(LinkError::new("nodes[2]", "listed twice").to_string(), "nodes[2]: listed twice");
        assert_eq!(LinkError::new("", "not valid JSON").to_string(), "not valid JSON");
    }

    #[test]
    fn helpers_clip_decode_and_check() {
        assert_eq!(clip("abcdef", 3), "abc…");
        assert_eq!(clip("żółw", 4), "żółw");
        assert_eq!(decode_b64("s", &encode_b64("{\"a\":1}")).unwrap(), "{\"a\":1}");
        assert_eq!(decode_b64("s", "e30=").unwrap(), "{}");
        assert_eq!(decode_b64("s", "!!").unwrap_err().path, "s");
        assert!(matches!(json_object("[1]"), Err(NotAnObject::Other(_))));
        assert!(matches!(json_object("{"), Err(NotAnObject::Syntax(_))));
        assert_eq!(check_text(" ", 4), Err(BadText::Empty));
        assert_eq!(check_text("abcde", 4), Err(BadText::TooLong));
        assert_eq!(check_text("a\nb", 4), Err(BadText::Control));
        assert_eq!(check_text("ab", 4), Ok(()));
    }
}

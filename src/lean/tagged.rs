//! Reading internally tagged enums — `{"type": "crash", "node": 3}` — from
//! a `serde_json::Value`, for the handful of enums every link, scenario file
//! and preset is made of (`Action`, `Command`, `ClusterAction`, `Change`).
//!
//! serde's derive handles `#[serde(tag = "...")]` by buffering the input into
//! its private `Content` tree and deserializing every variant from that: about
//! 2 KB of wasm per variant shape. Everything the app reads is a `Value`
//! already (see `sim::scenario`), so each enum reads its fields here, with
//! serde-style messages ("missing field `node`"). Serialization stays
//! derived, so the JSON format is exactly what it was.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The fields of one tagged object, read one by one.
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    tag: &'static str,
    read: Vec<&'static str>,
}

/// Splits a tagged object into its variant name and its other fields.
/// `variants` is only used for the message when the tag is unknown.
pub fn tagged<'a>(v: &'a Value, tag: &'static str, variants: &[&str]) -> Result<(&'a str, Fields<'a>), String> {
    let map = v.as_object().ok_or_else(|| format!("invalid type: {}, expected an object with a `{tag}`", kind(v)))?;
    let name = match map.get(tag) {
        None => return Err(format!("missing field `{tag}`")),
        Some(Value::String(s)) => s.as_str(),
        Some(other) => return Err(format!("invalid type: {}, expected a variant name", kind(other))),
    };
    if !variants.contains(&name) {
        return Err(unknown_variant(name, variants));
    }
    Ok((name, Fields { map, tag, read: Vec::new() }))
}

/// serde's message for a variant name not in `variants`. A reader's match
/// on the name ends with `other => return Err(unknown_variant(other, …))`,
/// so every variant is named and no name falls through to a real one.
pub fn unknown_variant(name: &str, variants: &[&str]) -> String {
    format!("unknown variant `{name}`, expected {}", one_of(variants))
}

impl<'a> Fields<'a> {
    /// The fields of an untagged object (an externally tagged enum's body).
    pub fn plain(v: &'a Value) -> Result<Fields<'a>, String> {
        let map = v.as_object().ok_or_else(|| format!("invalid type: {}, expected an object", kind(v)))?;
        Ok(Fields { map, tag: "", read: Vec::new() })
    }

    /// A field that must be present.
    pub fn req<T: DeserializeOwned>(&mut self, name: &'static str) -> Result<T, String> {
        self.read.push(name);
        match self.map.get(name) {
            None => Err(format!("missing field `{name}`")),
            Some(v) => T::deserialize(v).map_err(|e| format!("{name}: {e}")),
        }
    }

    /// A field that may be absent or null.
    pub fn opt<T: DeserializeOwned>(&mut self, name: &'static str) -> Result<Option<T>, String> {
        self.read.push(name);
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => T::deserialize(v).map(Some).map_err(|e| format!("{name}: {e}")),
        }
    }

    /// Whether the object names `name` (with any value but null).
    pub fn has(&self, name: &str) -> bool {
        self.map.get(name).is_some_and(|v| !v.is_null())
    }

    /// Refuses fields the variant does not have (`deny_unknown_fields`).
    pub fn done(self) -> Result<(), String> {
        for k in self.map.keys() {
            if k != self.tag && !self.read.contains(&k.as_str()) {
                return Err(if self.read.is_empty() {
                    format!("unknown field `{k}`, there are no fields")
                } else {
                    format!("unknown field `{k}`, expected {}", one_of(&self.read))
                });
            }
        }
        Ok(())
    }
}

fn one_of(names: &[&str]) -> String {
    match names {
        [one] => format!("`{one}`"),
        _ => {
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!("one of {}", quoted.join(", "))
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "sequence",
        Value::Object(_) => "map",
    }
}

/// `impl Deserialize` for a type that reads itself from a `Value` with
/// `fn from_value(&Value) -> Result<Self, String>`.
#[macro_export]
macro_rules! deserialize_via_value {
    ($t:ty) => {
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = serde_json::Value::deserialize(d)?;
                <$t>::from_value(&v).map_err(serde::de::Error::custom)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_fields_and_reports_like_serde() {
        let v = json!({"type": "crash", "node": 3});
        let (name, mut f) = tagged(&v, "type", &["crash", "heal"]).unwrap();
        assert_eq!(name, "crash");
        assert_eq!(f.req::<u8>("node").unwrap(), 3);
        f.done().unwrap();

        let e = |v: Value| tagged(&v, "type", &["crash", "heal"]).err().unwrap();
        assert_eq!(e(json!({"node": 1})), "missing field `type`");
        assert_eq!(e(json!({"type": "boom"})), "unknown variant `boom`, expected one of `crash`, `heal`");
        assert_eq!(unknown_variant("boom", &["crash", "heal"]), "unknown variant `boom`, expected one of `crash`, `heal`");
        assert_eq!(e(json!({"type": 5})), "invalid type: number, expected a variant name");
        assert_eq!(e(json!([1])), "invalid type: sequence, expected an object with a `type`");

        let v = json!({"type": "crash", "node": 300, "x": 1});
        let (_, mut f) = tagged(&v, "type", &["crash"]).unwrap();
        assert!(f.req::<u8>("node").unwrap_err().starts_with("node: invalid value"));
        assert_eq!(f.done().unwrap_err(), "unknown field `x`, expected `node`");

        let v = json!({"type": "heal", "x": 1});
        let (_, f) = tagged(&v, "type", &["heal"]).unwrap();
        assert_eq!(f.done().unwrap_err(), "unknown field `x`, there are no fields");

        let v = json!({"type": "crash", "a": null});
        let (_, mut f) = tagged(&v, "type", &["crash"]).unwrap();
        assert_eq!(f.opt::<u64>("a").unwrap(), None);
        assert_eq!(f.opt::<u64>("b").unwrap(), None);
        assert_eq!(f.req::<u8>("node").unwrap_err(), "missing field `node`");
    }
}

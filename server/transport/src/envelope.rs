//! JSON-RPC 2.0 envelopes: which messages are requests, notifications or responses, and the
//! error answer for those that are none of them.

use serde_json::{json, Map, Value};

/// JSON-RPC's Parse error: the body is not JSON.
pub const PARSE_ERROR: i64 = -32700;
/// JSON-RPC's Invalid Request: JSON, but not a request, notification or response.
pub const INVALID_REQUEST: i64 = -32600;

/// One message from the client, sorted.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    /// A request: it has a method and an id (an integer or a string), and gets an answer.
    Request { method: String, message: Value },
    /// A notification: a method and no id.
    Notification { method: String, message: Value },
    /// The client's answer to a request of the server's.
    Response(Value),
    /// Anything else; answered with an Invalid Request error whose id is null.
    Invalid(String),
}

/// Sorts a parsed message. A `"params": null` is taken as no params (some clients send it for
/// parameterless requests such as `shutdown`).
pub fn classify(value: Value) -> Incoming {
    let Value::Object(mut object) = value else {
        let what = match value {
            Value::Array(a) if a.is_empty() => "an empty array",
            Value::Array(_) => "a batch (LSP does not use batches)",
            Value::Null => "null",
            _ => "not an object",
        };
        return Incoming::Invalid(format!("the message is {what}"));
    };
    if object.get("jsonrpc") != Some(&Value::String("2.0".into())) {
        return Incoming::Invalid("the message lacks \"jsonrpc\": \"2.0\"".into());
    }
    if let Some(problem) = id_problem(&object) {
        return Incoming::Invalid(problem);
    }
    match object.get("method") {
        Some(Value::String(method)) => {
            let method = method.clone();
            match object.get("params") {
                None | Some(Value::Object(_)) | Some(Value::Array(_)) => {}
                Some(Value::Null) => {
                    object.remove("params");
                }
                Some(_) => {
                    return Incoming::Invalid("params must be an object or an array".into());
                }
            }
            let has_id = object.contains_key("id");
            if has_id && object["id"].is_null() {
                return Incoming::Invalid("a request's id must be an integer or a string".into());
            }
            let message = Value::Object(object);
            if has_id {
                Incoming::Request { method, message }
            } else {
                Incoming::Notification { method, message }
            }
        }
        Some(_) => Incoming::Invalid("the method must be a string".into()),
        None => response(object),
    }
}

/// Why the message's id cannot be one, if it cannot: it must be an integer (no fraction, within
/// 64 bits), a string, or (only in responses) null.
fn id_problem(object: &Map<String, Value>) -> Option<String> {
    match object.get("id") {
        None | Some(Value::String(_)) | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.is_i64() => None,
        Some(Value::Number(n)) => Some(format!("the id {n} is not an integer that fits 64 bits")),
        Some(_) => Some("the id must be an integer or a string".into()),
    }
}

fn response(object: Map<String, Value>) -> Incoming {
    if !object.contains_key("id") {
        return Incoming::Invalid("the message has neither a method nor an id".into());
    }
    let result = object.contains_key("result");
    let error = object.get("error");
    let error_ok = error.is_some_and(|e| {
        e.get("code").is_some_and(Value::is_i64) && e.get("message").is_some_and(Value::is_string)
    });
    match (result, error) {
        (true, None) => Incoming::Response(Value::Object(object)),
        (false, Some(_)) if error_ok => Incoming::Response(Value::Object(object)),
        (false, Some(_)) => {
            Incoming::Invalid("the response's error lacks a code or message".into())
        }
        _ => Incoming::Invalid("a response must have a result or an error, not both".into()),
    }
}

/// An error answer with a null id (the request could not be identified).
pub fn error_response(code: i64, message: &str) -> Vec<u8> {
    json!({"jsonrpc": "2.0", "id": null, "error": {"code": code, "message": message}})
        .to_string()
        .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> String {
        match classify(serde_json::from_str(text).unwrap()) {
            Incoming::Request { method, .. } => format!("request {method}"),
            Incoming::Notification { method, .. } => format!("notification {method}"),
            Incoming::Response(_) => "response".into(),
            Incoming::Invalid(why) => format!("invalid: {why}"),
        }
    }

    #[test]
    fn messages_are_sorted_as_the_spec_says() {
        let cases = [
            (
                r#"{"jsonrpc":"2.0","id":1,"method":"hover","params":{}}"#,
                "request hover",
            ),
            (r#"{"jsonrpc":"2.0","id":"a","method":"x"}"#, "request x"),
            (
                r#"{"jsonrpc":"2.0","id":-4,"method":"x","params":[]}"#,
                "request x",
            ),
            (
                r#"{"jsonrpc":"2.0","id":1,"method":"shutdown","params":null}"#,
                "request shutdown",
            ),
            (r#"{"jsonrpc":"2.0","method":"exit"}"#, "notification exit"),
            (r#"{"jsonrpc":"2.0","id":3,"result":null}"#, "response"),
            (
                r#"{"jsonrpc":"2.0","id":3,"error":{"code":-1,"message":"no"}}"#,
                "response",
            ),
            ("[]", "invalid: the message is an empty array"),
            (
                r#"[{"jsonrpc":"2.0","id":1,"method":"x"}]"#,
                "invalid: the message is a batch (LSP does not use batches)",
            ),
            ("null", "invalid: the message is null"),
            ("7", "invalid: the message is not an object"),
            (
                r#"{"id":1,"method":"x"}"#,
                "invalid: the message lacks \"jsonrpc\": \"2.0\"",
            ),
            (
                r#"{"jsonrpc":"1.0","id":1,"method":"x"}"#,
                "invalid: the message lacks \"jsonrpc\": \"2.0\"",
            ),
            (
                r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#,
                "invalid: the id 1.5 is not an integer that fits 64 bits",
            ),
            (
                r#"{"jsonrpc":"2.0","id":18446744073709551615,"method":"x"}"#,
                "invalid: the id 18446744073709551615 is not an integer that fits 64 bits",
            ),
            (
                r#"{"jsonrpc":"2.0","id":[1],"method":"x"}"#,
                "invalid: the id must be an integer or a string",
            ),
            (
                r#"{"jsonrpc":"2.0","id":null,"method":"x"}"#,
                "invalid: a request's id must be an integer or a string",
            ),
            (
                r#"{"jsonrpc":"2.0","id":1,"method":5}"#,
                "invalid: the method must be a string",
            ),
            (
                r#"{"jsonrpc":"2.0","id":1,"method":"x","params":"p"}"#,
                "invalid: params must be an object or an array",
            ),
            (
                r#"{"jsonrpc":"2.0"}"#,
                "invalid: the message has neither a method nor an id",
            ),
            (
                r#"{"jsonrpc":"2.0","id":1}"#,
                "invalid: a response must have a result or an error, not both",
            ),
            (
                r#"{"jsonrpc":"2.0","id":1,"result":1,"error":{"code":1,"message":"m"}}"#,
                "invalid: a response must have a result or an error, not both",
            ),
            (
                r#"{"jsonrpc":"2.0","id":1,"error":{"message":"m"}}"#,
                "invalid: the response's error lacks a code or message",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(kind(text), want, "{text}");
        }
    }

    #[test]
    fn null_params_are_dropped() {
        let Incoming::Request { message, .. } = classify(
            serde_json::from_str(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown","params":null}"#)
                .unwrap(),
        ) else {
            panic!("not a request");
        };
        assert!(message.get("params").is_none());
    }
}

//! JSON Patch (RFC 6902), as `kubectl patch --type json` sends it: a list of `add`, `remove`,
//! `replace`, `move`, `copy` and `test` operations on JSON pointers.
// SIM: the API server applies JSON patches; the sim's API server knows merge and strategic
// patches only, so kubectl here applies the operations itself and sends the result as an update.

use serde_json::Value;

/// Applies `ops` to `doc`, or says which operation failed as the API server would.
pub fn apply(doc: &Value, ops: &Value) -> Result<Value, String> {
    let Some(list) = ops.as_array() else {
        return Err("json: cannot unmarshal object into Go value of type jsonpatch.Patch".into());
    };
    let mut doc = doc.clone();
    for op in list {
        let kind = op["op"].as_str().ok_or("missing value")?;
        let path = op["path"].as_str().ok_or_else(|| format!("operation missing \"path\" field: {op}"))?;
        match kind {
            "add" => add(&mut doc, path, value_of(op)?)?,
            "remove" => {
                remove(&mut doc, path)?;
            }
            "replace" => {
                remove(&mut doc, path)
                    .map_err(|_| format!("replace operation does not apply: doc is missing key: {path}"))?;
                add(&mut doc, path, value_of(op)?)?;
            }
            "move" => {
                let from = op["from"].as_str().ok_or("missing from")?;
                let v = remove(&mut doc, from)?;
                add(&mut doc, path, v)?;
            }
            "copy" => {
                let from = op["from"].as_str().ok_or("missing from")?;
                let v = doc
                    .pointer(from)
                    .cloned()
                    .ok_or_else(|| format!("copy operation does not apply: doc is missing from path: {from}"))?;
                add(&mut doc, path, v)?;
            }
            "test" => {
                if doc.pointer(path) != Some(&value_of(op)?) {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(doc)
}

fn value_of(op: &Value) -> Result<Value, String> {
    op.get("value").cloned().ok_or_else(|| format!("missing value in operation {op}"))
}

/// Splits `/a/b~1c` into the parent pointer and the unescaped last token.
fn split(path: &str) -> Result<(String, String), String> {
    let (parent, last) = path.rsplit_once('/').ok_or_else(|| format!("invalid JSON pointer: {path}"))?;
    Ok((parent.to_string(), last.replace("~1", "/").replace("~0", "~")))
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (parent, key) = split(path)?;
    let missing = || format!("add operation does not apply: doc is missing path: \"{path}\": missing value");
    match doc.pointer_mut(&parent).ok_or_else(missing)? {
        Value::Object(m) => {
            m.insert(key, value);
        }
        Value::Array(a) => {
            let i = if key == "-" { a.len() } else { key.parse::<usize>().map_err(|_| missing())? };
            if i > a.len() {
                return Err(missing());
            }
            a.insert(i, value);
        }
        _ => return Err(missing()),
    }
    Ok(())
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, String> {
    let (parent, key) = split(path)?;
    let missing = || format!("remove operation does not apply: doc is missing path: \"{path}\": missing value");
    match doc.pointer_mut(&parent).ok_or_else(missing)? {
        Value::Object(m) => m.remove(&key).ok_or_else(missing),
        Value::Array(a) => {
            let i = key.parse::<usize>().map_err(|_| missing())?;
            if i < a.len() {
                Ok(a.remove(i))
            } else {
                Err(missing())
            }
        }
        _ => Err(missing()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn applies_each_operation_in_order() {
        let doc = json!({"spec": {"replicas": 1, "list": [1, 2]}, "metadata": {"labels": {"a/b": "x"}}});
        let ops = json!([
            {"op": "replace", "path": "/spec/replicas", "value": 3},
            {"op": "add", "path": "/spec/list/-", "value": 3},
            {"op": "remove", "path": "/metadata/labels/a~1b"},
            {"op": "copy", "from": "/spec/replicas", "path": "/spec/copied"},
            {"op": "test", "path": "/spec/copied", "value": 3},
        ]);
        assert_eq!(
            apply(&doc, &ops).unwrap(),
            json!({"spec": {"replicas": 3, "list": [1, 2, 3], "copied": 3}, "metadata": {"labels": {}}})
        );
        assert!(apply(&doc, &json!([{"op": "remove", "path": "/nope"}])).unwrap_err().contains("missing path"));
    }
}

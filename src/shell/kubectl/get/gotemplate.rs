//! kubectl's go-template printer (`-o go-template=…`, `-o go-template-file=…`, `--template`,
//! `-o template`): Go's text/template language over the object's JSON, with kubectl's extra
//! functions (`exists`, `base64decode`). Whole numbers in the object are Go `int64`s, other
//! numbers `float64`s, as kubectl hands its unstructured data to the engine.

pub mod exec;
pub mod parse;
pub mod printf;
pub mod value;

use serde_json::Value;

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template {
    src: String,
    nodes: Vec<parse::Node>,
}

impl Template {
    /// Parses `text`; the error is Go's (`template: output:1: unclosed action`).
    pub fn parse(text: &str) -> Result<Template, String> {
        Ok(Template { src: text.to_string(), nodes: parse::parse(text)? })
    }

    /// The text of the template run on `data`, or Go's execution error
    /// (`template: output:1:2: executing "output" at <…>: …`).
    pub fn execute(&self, data: &Value) -> Result<String, String> {
        exec::execute(&self.src, &self.nodes, data)
    }
}

/// What kubectl prints for `template` run on `data`: the text on stdout; on failure, the
/// debugging lines kubectl writes to stdout and `error: …` for stderr.
pub fn print(template: &str, data: &Value) -> Result<String, (String, String)> {
    let t = Template::parse(template)
        .map_err(|e| (String::new(), format!("error: error parsing template {template}, {e}\n")))?;
    t.execute(data).map_err(|e| {
        // SIM: kubectl also shows the raw JSON in the Go struct's field order; ours has its keys
        // sorted.
        let stdout = format!(
            "Error executing template: {e}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\traw data was:\n\t\t{data}\n\tobject given to template engine was:\n\t\t{}\n\n",
            value::plain(&value::Val::Json(data))
        );
        let quoted = printf::quote(template);
        (stdout, format!("error: error executing template {quoted}: {e}\n"))
    })
}

#[cfg(test)]
mod tests;

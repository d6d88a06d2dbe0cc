//! The editor's files, one per tab: their names and texts, and which one is open. Pure, so
//! autosave and share links can carry them and tests can check them natively.

use std::collections::BTreeMap;

/// The editor's files, in tab order.
#[derive(Debug, Clone, PartialEq)]
pub struct EditorFiles {
    pub files: Vec<(String, String)>,
    pub open: usize,
}

/// The first file's name.
pub const FIRST: &str = "manifest.yaml";

impl EditorFiles {
    /// One file holding `text`.
    pub fn with(text: &str) -> EditorFiles {
        EditorFiles { files: vec![(FIRST.to_string(), text.to_string())], open: 0 }
    }

    /// The open file's text.
    pub fn current(&self) -> &str {
        self.files.get(self.open).map_or("", |f| f.1.as_str())
    }

    /// The open file's name.
    pub fn current_name(&self) -> &str {
        self.files.get(self.open).map_or(FIRST, |f| f.0.as_str())
    }

    pub fn set_current(&mut self, text: &str) {
        if let Some(f) = self.files.get_mut(self.open) {
            if f.1 != text {
                f.1 = text.to_string();
            }
        }
    }

    /// Adds an empty file with a name not taken (`manifest-2.yaml`…), opens it, returns its index.
    pub fn add(&mut self) -> usize {
        let name = (2..)
            .map(|n| format!("manifest-{n}.yaml"))
            .find(|n| !self.files.iter().any(|f| &f.0 == n))
            .unwrap_or_default();
        self.files.push((name, String::new()));
        self.open = self.files.len() - 1;
        self.open
    }

    /// Closes a file; the last one left stays (emptied rather than closed).
    pub fn close(&mut self, i: usize) {
        if i >= self.files.len() {
            return;
        }
        if self.files.len() == 1 {
            self.files[0].1.clear();
            return;
        }
        self.files.remove(i);
        if self.open >= i && self.open > 0 {
            self.open -= 1;
        }
    }

    pub fn select(&mut self, i: usize) {
        if i < self.files.len() {
            self.open = i;
        }
    }

    /// The files a scenario carries (at most the first 20, as a page would have), opening `open`.
    pub fn from_scenario(files: &BTreeMap<String, String>, open: Option<&str>) -> Option<EditorFiles> {
        if files.is_empty() {
            return None;
        }
        let files: Vec<(String, String)> = files.iter().take(20).map(|(k, v)| (k.clone(), v.clone())).collect();
        let open = open.and_then(|o| files.iter().position(|f| f.0 == o)).unwrap_or(0);
        Some(EditorFiles { files, open })
    }

    /// As a scenario keeps them: name → text, and the open one.
    pub fn to_scenario(&self) -> (BTreeMap<String, String>, String) {
        (self.files.iter().cloned().collect(), self.current_name().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_added_with_free_names_closed_and_carried_by_a_scenario() {
        let mut f = EditorFiles::with("a: 1\n");
        assert_eq!(f.add(), 1);
        assert_eq!(f.current_name(), "manifest-2.yaml");
        f.set_current("b: 2\n");
        f.select(0);
        assert_eq!(f.current(), "a: 1\n");
        let (files, open) = f.to_scenario();
        let back = EditorFiles::from_scenario(&files, Some(&open)).unwrap();
        assert_eq!(back.current(), "a: 1\n");
        assert_eq!(back.files.len(), 2);
        f.close(0);
        assert_eq!((f.files.len(), f.current_name()), (1, "manifest-2.yaml"));
        f.close(0);
        assert_eq!((f.files.len(), f.current()), (1, ""), "the last file stays, emptied");
        assert_eq!(EditorFiles::from_scenario(&BTreeMap::new(), None), None);
    }
}

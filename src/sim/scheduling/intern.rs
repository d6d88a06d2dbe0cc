//! Interned strings for the scheduler's hot paths: label keys and values, namespaces and image
//! names become small integers once, when a node or pod enters the cache, so that a scheduling
//! cycle compares integers instead of strings.

use std::collections::BTreeMap;

/// An interned string: equal symbols are equal strings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sym(pub u32);

/// The strings seen so far. It only grows: symbols stay valid for the scheduler's lifetime
/// (label keys and values, namespaces, image names are few and come back).
#[derive(Debug, Default)]
pub struct Interner {
    // SIM: an ordered map, not a hash map: std's hasher would draw OS randomness.
    ids: BTreeMap<Box<str>, Sym>,
    texts: Vec<Box<str>>,
}

impl Interner {
    /// The symbol of `text`, made if new.
    pub fn intern(&mut self, text: &str) -> Sym {
        if let Some(&s) = self.ids.get(text) {
            return s;
        }
        let s = Sym(self.texts.len() as u32);
        self.texts.push(text.into());
        self.ids.insert(text.into(), s);
        s
    }

    /// The symbol of `text` if it was ever interned (a string never seen matches nothing).
    pub fn get(&self, text: &str) -> Option<Sym> {
        self.ids.get(text).copied()
    }

    /// The text of a symbol.
    pub fn text(&self, s: Sym) -> &str {
        &self.texts[s.0 as usize]
    }

    /// Interns a label map.
    pub fn labels<'a>(&mut self, labels: impl IntoIterator<Item = (&'a String, &'a String)>) -> Labels {
        let mut pairs: Vec<(Sym, Sym)> = labels.into_iter().map(|(k, v)| (self.intern(k), self.intern(v))).collect();
        pairs.sort_unstable();
        Labels(pairs.into_boxed_slice())
    }
}

/// Labels as interned (key, value) pairs, sorted by key symbol.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels(Box<[(Sym, Sym)]>);

impl Labels {
    /// The value of `key`.
    pub fn get(&self, key: Sym) -> Option<Sym> {
        // Few labels: a linear scan beats a binary search's branches.
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    /// Whether every pair of `self` is in `other`.
    pub fn is_subset_of(&self, other: &Labels) -> bool {
        self.0.iter().all(|(k, v)| other.get(*k) == Some(*v))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &(Sym, Sym)> {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_gets_the_same_symbol_and_labels_compare_as_sets() {
        let mut i = Interner::default();
        assert_eq!(i.intern("app"), i.intern("app"));
        assert_ne!(i.intern("app"), i.intern("web"));
        let web = i.intern("web");
        assert_eq!(i.text(web), "web");
        assert_eq!(i.get("never"), None);
        let m = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        let small = i.labels(&m(&[("app", "web")]));
        let big = i.labels(&m(&[("tier", "front"), ("app", "web")]));
        assert!(small.is_subset_of(&big));
        assert!(!big.is_subset_of(&small));
        assert_eq!(big.get(i.intern("tier")), Some(i.intern("front")));
    }
}

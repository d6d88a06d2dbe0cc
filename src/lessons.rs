//! Lessons: Markdown files in `lessons/`, compiled into the binary, one per lesson and language
//! (the format is in `lessons/README.md`). Parsing never panics: a malformed file is an error
//! naming the file and line.

pub mod check;
pub mod format;
pub mod run;

pub use format::{parse, Lesson, Part, Step};

/// A language the interface and lessons come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ko,
}

/// Why a lesson file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LessonError {
    #[error("{file}: missing front matter (a block between --- lines at the top)")]
    NoFrontMatter { file: String },
    #[error("{file}: front matter lacks `{key}`")]
    MissingKey { file: String, key: &'static str },
    #[error("{file}: `order` is not a number: {value}")]
    BadOrder { file: String, value: String },
    #[error("{file}:{line}: {message}")]
    Format { file: String, line: usize, message: String },
}

// The lesson files built into the page, `SOURCES: &[(file name, text)]`, listed by build.rs.
include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

/// Every built-in lesson in `lang`, by `order`.
pub fn all(lang: Lang) -> Result<Vec<Lesson>, LessonError> {
    // A file's name says its language (see `format::parse`): only that language's are read.
    let mut lessons = SOURCES
        .iter()
        .filter(|(file, _)| file.ends_with(".ko.md") == (lang == Lang::Ko))
        .map(|(file, text)| parse(file, text))
        .collect::<Result<Vec<_>, _>>()?;
    debug_assert!(lessons.iter().all(|l| l.lang == lang));
    lessons.sort_by_key(|l| l.order);
    Ok(lessons)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_exists_in_both_languages() {
        let en = all(Lang::En).unwrap();
        let ko = all(Lang::Ko).unwrap();
        assert!(!en.is_empty());
        let ids = |ls: &[Lesson]| ls.iter().map(|l| l.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&en), ids(&ko));
    }

    #[test]
    fn malformed_front_matter_is_an_error_naming_the_file() {
        assert_eq!(
            parse("x.md", "no front matter").unwrap_err().to_string(),
            "x.md: missing front matter (a block between --- lines at the top)"
        );
        let err = parse("y.md", "---\nid: y\ntitle: Y\norder: first\n---\nbody").unwrap_err();
        assert_eq!(err.to_string(), "y.md: `order` is not a number: first");
    }
}

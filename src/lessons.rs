//! Lessons: Markdown files in `lessons/`, compiled into the binary, one per lesson and language.
//!
//! A lesson file opens with front matter between `---` lines (`id`, `title`, `order`), then
//! its text. Parsing never panics: a malformed file is an error naming the file.

/// A language the interface and lessons come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ko,
}

/// One lesson in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    pub order: u32,
    pub lang: Lang,
    /// The Markdown after the front matter.
    pub body: String,
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
}

/// The lesson files built into the page: (file name, text).
const SOURCES: &[(&str, &str)] = &[
    ("00-welcome.md", include_str!("../lessons/00-welcome.md")),
    ("00-welcome.ko.md", include_str!("../lessons/00-welcome.ko.md")),
];

/// Every built-in lesson in `lang`, by `order`.
pub fn all(lang: Lang) -> Result<Vec<Lesson>, LessonError> {
    let mut lessons = SOURCES
        .iter()
        .map(|(file, text)| parse(file, text))
        .filter(|l| l.as_ref().map_or(true, |l| l.lang == lang))
        .collect::<Result<Vec<_>, _>>()?;
    lessons.sort_by_key(|l| l.order);
    Ok(lessons)
}

/// Reads one lesson file; the language comes from its name (`*.ko.md` is Korean).
pub fn parse(file: &str, text: &str) -> Result<Lesson, LessonError> {
    let no_front = || LessonError::NoFrontMatter { file: file.to_string() };
    let rest = text.strip_prefix("---\n").ok_or_else(no_front)?;
    let (front, body) = rest.split_once("\n---\n").ok_or_else(no_front)?;
    let value = |key: &'static str| {
        front
            .lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(':').map(|v| v.trim().to_string()))
            .ok_or(LessonError::MissingKey { file: file.to_string(), key })
    };
    let order = value("order")?;
    Ok(Lesson {
        id: value("id")?,
        title: value("title")?,
        order: order.parse().map_err(|_| LessonError::BadOrder { file: file.to_string(), value: order })?,
        lang: if file.ends_with(".ko.md") { Lang::Ko } else { Lang::En },
        body: body.trim().to_string(),
    })
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

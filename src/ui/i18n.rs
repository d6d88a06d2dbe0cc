//! The interface in English and Korean. Every label the page shows goes through [`t`], which
//! looks the English text up in one table; a test makes sure each has its Korean.

pub use crate::lessons::Lang;

/// (English, Korean) for every string of the interface.
const STRINGS: &[(&str, &str)] = &[
    // Lessons.
    ("Lessons", "레슨"),
    ("Lesson", "레슨"),
    ("Start", "시작"),
    ("Continue", "이어서"),
    ("Start again", "처음부터"),
    (
        "Starting a lesson resets the cluster to the lesson's starting point.",
        "레슨을 시작하면 클러스터가 레슨의 시작 상태로 초기화됩니다.",
    ),
    ("All lessons", "전체 레슨"),
    ("Step", "단계"),
    ("of", "/"),
    ("Load into editor", "에디터로 불러오기"),
    ("Put in terminal", "터미널에 넣기"),
    ("Hint", "힌트"),
    ("Another hint", "힌트 더 보기"),
    ("Show me", "보여 주기"),
    ("Done", "완료"),
    ("Not yet", "아직"),
    ("Next step", "다음 단계"),
    ("Previous", "이전"),
    ("Finished! Every step is done.", "완료했습니다! 모든 단계를 마쳤습니다."),
    ("Checking the cluster…", "클러스터를 확인하는 중…"),
    ("The lesson could not set up its cluster:", "레슨의 클러스터를 준비하지 못했습니다:"),
    ("steps", "단계"),
    ("Close lesson", "레슨 닫기"),
    ("Language", "언어"),
    // The VM/container comparison.
    ("Virtual machines", "가상 머신"),
    ("Containers", "컨테이너"),
    ("Applications", "애플리케이션 수"),
    ("Memory per VM (GiB)", "VM당 메모리 (GiB)"),
    ("Guest OS boot (s)", "게스트 OS 부팅 (초)"),
    ("Start all", "모두 시작"),
    ("Host memory used", "사용 중인 호스트 메모리"),
    ("Ready after", "준비 완료까지"),
    ("Hypervisor", "하이퍼바이저"),
    ("Host OS kernel", "호스트 OS 커널"),
    ("Container runtime", "컨테이너 런타임"),
    ("Guest OS", "게스트 OS"),
    ("booting", "부팅 중"),
    ("running", "실행 중"),
    ("does not fit in host memory", "호스트 메모리에 들어가지 않음"),
];

/// `en` in `lang` (English itself when no translation is known).
pub fn t(lang: Lang, en: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ko => STRINGS.iter().find(|(e, _)| *e == en).map_or(en, |(_, k)| k),
    }
}

/// The language a browser asks for: Korean when its first preference is Korean.
pub fn from_tag(tag: &str) -> Lang {
    if tag.to_ascii_lowercase().starts_with("ko") {
        Lang::Ko
    } else {
        Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `t(lang, "…")` in the page's sources has a Korean entry.
    #[test]
    fn every_interface_string_has_its_korean() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.ends_with("i18n.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for piece in text.split("t(lang, \"").skip(1) {
                let Some(end) = piece.find("\")") else { continue };
                let en = &piece[..end];
                if !STRINGS.iter().any(|(e, _)| *e == en) {
                    missing.push(format!("{}: {en}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "no Korean for:\n{}", missing.join("\n"));
    }

    #[test]
    fn korean_is_chosen_from_the_browser_language() {
        assert_eq!(from_tag("ko-KR"), Lang::Ko);
        assert_eq!(from_tag("en-US"), Lang::En);
        assert_eq!(t(Lang::Ko, "Show me"), "보여 주기");
        assert_eq!(t(Lang::Ko, "untranslated"), "untranslated");
    }
}

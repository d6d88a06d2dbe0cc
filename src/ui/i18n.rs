//! The interface in English and Korean. Every label the page shows goes through [`t`], which
//! looks the English text up in one table; a test makes sure each has its Korean.

pub use crate::lessons::Lang;
use yew::prelude::*;

/// The interface's language, from the context the page provides (English without one).
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or(Lang::En)
}

/// (English, Korean) for every string of the interface.
const STRINGS: &[(&str, &str)] = &[
    // The workspace.
    (
        "Welcome to kube-sandbox: a simulated cluster with a control plane and three nodes.",
        "kube-sandbox에 오신 것을 환영합니다. 컨트롤 플레인 하나와 노드 세 개로 된 시뮬레이션 클러스터입니다.",
    ),
    ("Theme", "테마"),
    ("auto", "자동"),
    ("light", "밝게"),
    ("dark", "어둡게"),
    ("colour theme: automatic, light or dark", "색 테마: 자동, 밝게, 어둡게"),
    ("Inspector", "상세 보기"),
    ("show or hide the inspector and events", "상세 보기와 이벤트 패널을 보이거나 숨깁니다"),
    ("Terminal", "터미널"),
    ("Editor", "에디터"),
    (
        "No pods yet. Apply a manifest in the Editor, or type this in the Terminal:",
        "아직 파드가 없습니다. 에디터에서 매니페스트를 적용하거나, 터미널에 다음을 입력하세요:",
    ),
    (
        "Then watch the pods arrive (the clock is running; Pause stops it).",
        "그다음 파드가 도착하는 것을 지켜보세요(시계는 흐르고 있으며, 일시 정지로 멈출 수 있습니다).",
    ),
    ("Pending", "대기 중"),
    ("Clock", "시계"),
    ("did you mean", "혹시 이것인가요?"),
    ("Try", "해 보기"),
    ("the inspector", "상세 보기"),
    ("the events", "이벤트"),
    ("the terminal and editor", "터미널과 에디터"),
    ("expand", "펼치기"),
    ("collapse", "접기"),
    ("goes here", "여기로 배치"),
    ("score", "점수"),
    ("Scheduler", "스케줄러"),
    ("no node can take it; see why on the nodes", "받을 수 있는 노드가 없습니다. 이유는 각 노드에 표시됩니다"),
    ("pods waiting for a node", "노드를 기다리는 파드"),
    (" more:", "개 더:"),
    ("raw", "원점수"),
    ("normalized", "정규화"),
    ("weight", "가중치"),
    ("only", "이것만:"),
    ("show all", "모두 보기"),
    ("only the selected object", "선택한 오브젝트만"),
    ("redo (Ctrl+Shift+Z, Ctrl+Y)", "다시 실행 (Ctrl+Shift+Z, Ctrl+Y)"),
    ("undo (Ctrl+Z)", "실행 취소 (Ctrl+Z)"),
    ("Find", "찾기"),
    ("Find (Ctrl+F)", "찾기 (Ctrl+F)"),
    ("no match", "일치 없음"),
    ("previous match (Shift+Enter)", "이전 항목 (Shift+Enter)"),
    ("next match (Enter)", "다음 항목 (Enter)"),
    ("go to the line", "그 줄로 이동"),
    ("show or hide the key legend (?)", "단축키 안내를 보이거나 숨깁니다 (?)"),
    ("manifest editor", "매니페스트 에디터"),
    ("YAML manifest", "YAML 매니페스트"),
    ("clock speed", "시계 속도"),
    ("size of the node to add", "추가할 노드의 크기"),
    ("ready", "준비"),
    ("restarts", "재시작"),
    ("Cluster", "클러스터"),
    ("Session", "세션"),
    ("control plane", "컨트롤 플레인"),
    ("worker", "워커"),
    ("Mem", "메모리"),
    ("of allocatable requested", "할당 가능량 대비 요청"),
    ("show / hide this legend", "이 범례 보이기 / 숨기기"),
    // Time controls.
    ("Run", "실행"),
    ("Pause", "일시 정지"),
    ("Until settled", "안정될 때까지"),
    (
        "let time pass until no pod is starting, stopping or moving",
        "시작·종료·이동 중인 파드가 없을 때까지 시간을 흘려보냅니다",
    ),
    ("simulated seconds pass", "초의 시뮬레이션 시간이 흐릅니다"),
    ("Speed", "속도"),
    ("simulated time since the cluster started", "클러스터가 시작된 뒤 흐른 시뮬레이션 시간"),
    ("+ Node", "+ 노드"),
    ("Reset", "초기화"),
    ("start again from the empty cluster", "빈 클러스터에서 다시 시작합니다"),
    // Nodes.
    ("cores", "코어"),
    ("Memory", "메모리"),
    ("Pods", "파드"),
    // The editor.
    ("Template", "템플릿"),
    ("Apply", "적용"),
    ("No problems found.", "문제가 없습니다."),
    // Events.
    ("Events", "이벤트"),
    ("Nothing has happened yet.", "아직 아무 일도 일어나지 않았습니다."),
    // The inspector.
    ("Click a node or a pod to inspect it.", "노드나 파드를 클릭하면 자세히 볼 수 있습니다."),
    ("stop inspecting it", "상세 보기 닫기"),
    ("describe", "describe"),
    ("yaml", "yaml"),
    ("scheduling", "스케줄링"),
    ("Owned by", "소유자"),
    ("Owns", "소유"),
    ("Logs", "로그"),
    ("Kill container", "컨테이너 종료"),
    ("Exceed memory", "메모리 초과"),
    ("Delete", "삭제"),
    ("Scale +1", "스케일 +1"),
    ("Restart", "재시작"),
    ("Undo rollout", "롤아웃 되돌리기"),
    ("History", "히스토리"),
    ("Stop kubelet", "kubelet 중지"),
    ("Start kubelet", "kubelet 시작"),
    ("Cordon", "코든"),
    ("Uncordon", "언코든"),
    ("Drain", "드레인"),
    ("Remove node", "노드 제거"),
    // The scheduler's decision.
    (
        "The scheduler has made no decision about this pod (it was bound directly, or none is kept).",
        "스케줄러가 이 파드에 대해 내린 결정이 없습니다(직접 배치되었거나 기록이 남아 있지 않습니다).",
    ),
    ("Scheduled to", "배치된 노드:"),
    ("the highest total among the nodes that passed every filter.", "모든 필터를 통과한 노드 중 총점이 가장 높습니다."),
    ("No node could take it.", "이 파드를 받을 수 있는 노드가 없습니다."),
    ("Node", "노드"),
    ("Filters", "필터"),
    ("Total", "총점"),
    ("all passed", "모두 통과"),
    // Share, autosave, import and export.
    ("Share", "공유"),
    ("New", "새로 시작"),
    ("Start a fresh sandbox (undoable)", "새 샌드박스로 시작합니다(되돌릴 수 있음)"),
    ("Start a fresh sandbox? (You can undo this.)", "새 샌드박스로 시작할까요? (되돌릴 수 있습니다.)"),
    ("Undo", "되돌리기"),
    ("Dismiss", "닫기"),
    ("With history: the same cluster, events and lesson", "기록 포함: 같은 클러스터, 이벤트, 레슨"),
    (
        "Manifests only: a fresh cluster with these objects in the editor",
        "매니페스트만: 새 클러스터에 이 오브젝트들을 에디터로 불러옴",
    ),
    ("Share link", "공유 링크"),
    ("Copy", "복사"),
    ("Copied", "복사됨"),
    (
        "characters. The link carries everything; nothing is sent to a server.",
        "자. 링크에 모든 것이 들어 있으며, 서버로는 아무것도 보내지 않습니다.",
    ),
    ("Export and import", "내보내기와 가져오기"),
    ("Scenario file (.json)", "시나리오 파일 (.json)"),
    ("Cluster objects (.yaml)", "클러스터 오브젝트 (.yaml)"),
    ("Import a scenario or YAML file", "시나리오나 YAML 파일 가져오기"),
    ("This could not be opened:", "열 수 없습니다:"),
    (
        "Opened the shared scenario: its cluster and history were replayed.",
        "공유된 시나리오를 열었습니다. 클러스터와 기록을 다시 재생했습니다.",
    ),
    ("Restored where you left off.", "마지막 상태를 복원했습니다."),
    ("Imported the scenario.", "시나리오를 가져왔습니다."),
    // After the page stopped (see `persist::opening`).
    (
        "The page stopped while it opened a shared link, so the link was not opened again; it is kept aside in this browser.",
        "공유 링크를 여는 중에 페이지가 멈춰서 링크를 다시 열지 않았습니다. 링크는 이 브라우저에 따로 보관되어 있습니다.",
    ),
    (
        "The page stopped while it restored your saved sandbox, so this is a fresh sandbox; the saved one is kept aside in this browser.",
        "저장된 샌드박스를 복원하는 중에 페이지가 멈춰서 새 샌드박스로 시작했습니다. 저장된 샌드박스는 이 브라우저에 따로 보관되어 있습니다.",
    ),
    (
        "The page stopped the same way twice, so this is a fresh sandbox; the saved one is kept aside in this browser.",
        "페이지가 같은 방식으로 두 번 멈춰서 새 샌드박스로 시작했습니다. 저장된 샌드박스는 이 브라우저에 따로 보관되어 있습니다.",
    ),
    (
        "Started fresh after the page stopped; the previous sandbox is kept aside in this browser.",
        "페이지가 멈춘 뒤 새로 시작했습니다. 이전 샌드박스는 이 브라우저에 따로 보관되어 있습니다.",
    ),
    (
        "The page stopped last time. Your sandbox was restored as it was last saved, with the clock paused; New starts a fresh one.",
        "지난번에 페이지가 멈췄습니다. 마지막으로 저장된 상태로 샌드박스를 복원했고 시계는 멈춰 있습니다. 새로 시작하려면 '새로 시작'을 누르세요.",
    ),
    ("What stopped it:", "멈춘 원인:"),
    ("Imported the YAML into the editor.", "YAML을 에디터로 가져왔습니다."),
    (
        "Started fresh. The previous sandbox was kept: Undo brings it back.",
        "새로 시작했습니다. 이전 샌드박스는 보관되어 있으니 되돌리기로 복구할 수 있습니다.",
    ),
    ("The history is too large to keep; only the manifests were saved.", "기록이 너무 커서 매니페스트만 저장했습니다."),
    (
        "The browser's storage is full: this sandbox could not be saved.",
        "브라우저 저장 공간이 가득 차서 이 샌드박스를 저장하지 못했습니다.",
    ),
    ("Ctrl+C stops it", "Ctrl+C로 멈춥니다"),
    ("Rollouts", "롤아웃"),
    ("Rollout of", "롤아웃:"),
    ("new", "새"),
    ("old", "이전"),
    ("ready", "준비됨"),
    ("Close", "닫기"),
    ("New file", "새 파일"),
    // Presenter mode.
    ("Present", "발표 모드"),
    ("Presenter mode: large type and keys for the class", "발표 모드: 큰 글씨와 수업용 단축키"),
    ("next step (of the lesson, or of the script in the editor)", "다음 단계 (레슨, 또는 에디터의 스크립트)"),
    ("previous step", "이전 단계"),
    ("run / pause", "실행 / 일시 정지"),
    ("faster / slower", "빠르게 / 느리게"),
    ("kill the selected pod's container", "선택한 파드의 컨테이너 종료"),
    ("selected pod exceeds its memory", "선택한 파드가 메모리 한도 초과"),
    ("stop / start the selected node's kubelet", "선택한 노드의 kubelet 중지 / 시작"),
    ("cordon / uncordon the selected node", "선택한 노드 코든 / 언코든"),
    ("leave presenter mode", "발표 모드 끝내기"),
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

#[cfg(test)]
mod english_left_in_view_code {
    //! A native check that the page's view code shows no English of its own: every string
    //! literal in `src/ui` (outside tests and this table) that reads as words — a space and a word
    //! of two letters or more, once `{…}` placeholders are dropped — must be a `t(lang, …)` key,
    //! a class list, a command the learner could type, or one of the few listed below.

    /// Literals that read as words but are not shown as the interface's own English.
    const NOT_INTERFACE: &[&str] = &[
        // Code, not text: a panic message that cannot happen, CSS values, link relations.
        "a page has a window",
        "translate({}px, {}px)",
        "translate({dx}px, {dy}px)",
        "transform 0.6s ease-in-out",
        "(prefers-reduced-motion: reduce)",
        "width: {pct}%",
        "width: {:.0}%",
        "noopener noreferrer",
        "group:{}",
        // A namespace's name and a count: Kubernetes' own word, the same in every language.
        "kube-system · {}",
        // Sizes in Kubernetes' own units.
        "2 CPU / 4Gi",
        "4 CPU / 8Gi",
        "8 CPU / 16Gi",
        "{used:.1} / {HOST_GIB} GiB",
        "{} {used:.1} / {HOST_GIB:.0} GiB",
        // Built without a language and translated where drawn (`cluster_view::more_text`).
        "+{} more: {}",
        // The editor's problems, worded as kubectl's own errors are (kubectl is not translated).
        "line {line}, column {column}: {message}",
        r#" (did you mean \"{s}\"?)"#,
        // A CSS custom property.
        "--group-hue: {}",
        // "Try:" (translated) and commands to type.
        r"{intro}\n{}:\n  kubectl get nodes\n  kubectl create deployment web --image=nginx --replicas=3\n  kubectl get pods -w\n",
        "{}/{} metadata.{part}",
        "unknown kind",
        r#" (did you mean \"{}\"?)"#,
        r#"no matches for kind \""#,
        "→ {} kind: {} (apiVersion: {})?",
        r#"{kind} \"{}\": unknown field \"{}\"{hint}"#,
        r#"{} \"{}\": {} \"{}\"{hint}"#,
    ];

    /// Commands and text that are the learner's (or kubectl's), the same in every language.
    fn is_command(s: &str) -> bool {
        ["kubectl ", "sandbox ", "docker ", "sleep ", "curl ", "#!"].iter().any(|c| s.starts_with(c))
    }

    /// The string literals of `code` with the text just before each.
    fn literals(code: &str) -> Vec<(String, String)> {
        let b = code.as_bytes();
        let (mut i, mut out) = (0, Vec::new());
        while i < b.len() {
            match b[i] {
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                }
                b'\''
                    if b.get(i + 2) == Some(&b'\'')
                        || (b.get(i + 1) == Some(&b'\\') && b.get(i + 3) == Some(&b'\'')) =>
                {
                    i += if b[i + 1] == b'\\' { 4 } else { 3 };
                }
                b'"' => {
                    let start = i + 1;
                    i += 1;
                    while i < b.len() && b[i] != b'"' {
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                    let before = code[..start - 1].chars().rev().take(40).collect::<String>().chars().rev().collect();
                    out.push((before, code[start..i.min(b.len())].to_string()));
                    i += 1;
                }
                _ => i += 1,
            }
        }
        out
    }

    fn reads_as_english(s: &str) -> bool {
        let mut text = String::new();
        let mut depth = 0;
        for c in s.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ if depth == 0 => text.push(c),
                _ => {}
            }
        }
        let words = text.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 2).count();
        words >= 1 && text.trim() != text.trim().replace(' ', "") && !text.starts_with("--")
            || text.trim_end().ends_with(':') && words >= 1
    }

    #[test]
    fn view_code_shows_no_english_of_its_own() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
        let mut found = Vec::new();
        let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            if path.ends_with("i18n.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for (before, lit) in literals(code) {
                let before = before.trim_end();
                let translated = ["t(lang,", "t(l,", "t(lang, ", "t(self.lang,"].iter().any(|p| before.ends_with(p));
                let class_list = before.ends_with("class=") || before.ends_with("classes!(");
                // A key of the table is translated where it is shown (the presenter's legend…).
                let key = super::STRINGS.iter().any(|(en, _)| *en == lit);
                if translated
                    || class_list
                    || key
                    || is_command(&lit)
                    || lit.starts_with("apiVersion:")
                    || !reads_as_english(&lit)
                    || NOT_INTERFACE.contains(&lit.as_str())
                {
                    continue;
                }
                found.push(format!("{}: \"{lit}\"", path.file_name().unwrap().to_string_lossy()));
            }
        }
        assert!(found.is_empty(), "English shown without t(lang, …):\n{}", found.join("\n"));
    }
}

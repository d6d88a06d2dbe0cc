//! The page's entry point: trunk builds this for wasm32 and mounts the app, after installing a
//! panic hook. In wasm a panic aborts the program, so without the hook the learner would be left
//! with a dead page; with it they get a screen in their language saying what happened, that
//! their work is kept, and how to go on (reload, start fresh) and report it.

use kube_sandbox::ui::persist::{Stopped, START_FRESH};

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        // Through yew: its renderer installs its own console hook at start unless one is set
        // this way, and that would replace ours.
        yew::set_custom_panic_hook(Box::new(on_panic));
        kube_sandbox::ui::start();
    }
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("the page runs in a browser: build it with trunk (see README.md)");
}

/// Records the crash for the next load (which keeps a state that crashed on restore aside) and
/// replaces the page with the crash screen. Only the first panic does: timers may call into the
/// stopped program again, and those panics only go to the console.
#[cfg(target_arch = "wasm32")]
fn on_panic(info: &std::panic::PanicHookInfo<'_>) {
    use kube_sandbox::ui::{i18n::Lang, persist};
    let message = info.to_string();
    gloo::console::error!(message.clone());
    let Some(stopped) = persist::stopped(&message) else { return };
    let korean = persist::settings().0 == Lang::Ko;
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        body.set_inner_html(&crash_screen(korean, stopped, &message));
    }
}

/// The words of the crash screen, in English and Korean.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
struct Words {
    title: &'static str,
    what: &'static str,
    kept: &'static str,
    reload: &'static str,
    fresh: &'static str,
    report: &'static str,
    copy: &'static str,
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn words(korean: bool, stopped: Stopped) -> Words {
    if korean {
        Words {
            title: "kube-sandbox가 멈췄습니다",
            what: "샌드박스 내부에서 문제가 생겨 페이지를 계속 실행할 수 없습니다. 여러분이 잘못한 것이 아니라 kube-sandbox의 버그입니다.",
            kept: match stopped {
                Stopped::Later => "작업은 저장되어 있습니다. 이 브라우저가 몇 초 전 상태의 샌드박스를 보관하고 있으며, 새로 고침하면 시계가 멈춘 상태로 돌아옵니다.",
                Stopped::WhileOpeningLink => "공유 링크를 여는 중에 멈췄습니다. 작업은 저장되어 있습니다. 새로 고침하면 링크는 따로 보관하고, 이전에 저장된 샌드박스를 복원합니다.",
                Stopped::WhileRestoring => "저장된 샌드박스를 복원하는 중에 멈췄습니다. 작업은 사라지지 않고 이 브라우저에 따로 보관됩니다. 새로 고침하면 페이지가 다시 동작하도록 새 샌드박스가 열립니다.",
                Stopped::Again => "지난번과 같은 방식으로 다시 멈췄습니다. 작업은 사라지지 않고 이 브라우저에 따로 보관됩니다. 새로 고침하면 새 샌드박스가 열립니다.",
            },
            reload: "새로 고침",
            fresh: "새로 시작 (이 샌드박스는 따로 보관)",
            report: "신고하려면 아래 메시지를 복사해서, 직전에 무엇을 했는지와 함께 이 샌드박스를 알려 준 분이나 kube-sandbox 프로젝트에 보내 주세요.",
            copy: "메시지 복사",
        }
    } else {
        Words {
            title: "kube-sandbox stopped",
            what: "Something went wrong inside the sandbox and the page cannot go on. This is a bug in kube-sandbox, not something you did wrong.",
            kept: match stopped {
                Stopped::Later => "Your work is saved: this browser keeps the sandbox as it was a few seconds ago. Reload brings it back, with the clock paused.",
                Stopped::WhileOpeningLink => "It stopped while opening a shared link. Your work is saved: Reload keeps the link aside and restores the sandbox you had before.",
                Stopped::WhileRestoring => "It stopped while restoring your saved sandbox. Your work is saved, kept aside in this browser; Reload opens a fresh sandbox so that the page works again.",
                Stopped::Again => "It stopped the same way as last time. Your work is saved, kept aside in this browser; Reload opens a fresh sandbox.",
            },
            reload: "Reload",
            fresh: "Start fresh (keeps this sandbox aside)",
            report: "To report it, copy the message below and send it, with what you did just before, to whoever gave you this sandbox or to the kube-sandbox project.",
            copy: "Copy the message",
        }
    }
}

/// The crash screen as HTML. It runs as plain script in the page: the program has stopped, so
/// its buttons cannot call into it ("Start fresh" leaves a note for the next load instead).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn crash_screen(korean: bool, stopped: Stopped, message: &str) -> String {
    let w = words(korean, stopped);
    let escaped = message.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let lang = if korean { "ko" } else { "en" };
    format!(
        r#"<main class="crashed" lang="{lang}" role="alert" style="max-width:42rem;margin:3rem auto;padding:1rem;font:16px/1.5 system-ui,sans-serif">
<h1>{title}</h1>
<p class="crash-what">{what}</p>
<p class="crash-kept">{kept}</p>
<p><button class="crash-reload" onclick="location.reload()">{reload}</button>
<button class="crash-fresh" onclick="try{{localStorage.setItem('{fresh_key}','1')}}catch(e){{}}location.reload()">{fresh}</button></p>
<p class="crash-report">{report}</p>
<textarea id="crash-message" class="crash-message" readonly rows="6" style="width:100%;font-family:monospace">{escaped}</textarea>
<p><button class="crash-copy" onclick="var m=document.getElementById('crash-message');m.select();(navigator.clipboard?navigator.clipboard.writeText(m.value):Promise.reject()).catch(function(){{document.execCommand('copy')}})">{copy}</button></p>
</main>"#,
        title = w.title,
        what = w.what,
        kept = w.kept,
        reload = w.reload,
        fresh_key = START_FRESH,
        fresh = w.fresh,
        report = w.report,
        copy = w.copy,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crash_screen_says_what_happened_in_both_languages_and_escapes_the_message() {
        let en = crash_screen(false, Stopped::Later, "panicked at src/x.rs:1:1:\n<b>&</b>");
        assert!(en.contains("Your work is saved"));
        assert!(en.contains("&lt;b&gt;&amp;&lt;/b&gt;") && !en.contains("<b>"), "{en}");
        assert!(en.contains("crash-reload") && en.contains("crash-fresh") && en.contains("crash-copy"));
        assert!(en.contains(START_FRESH));
        let ko = crash_screen(true, Stopped::WhileRestoring, "m");
        assert!(ko.contains(r#"lang="ko""#) && ko.contains("새로 고침") && ko.contains("따로 보관"));
        for stopped in [Stopped::Later, Stopped::WhileOpeningLink, Stopped::WhileRestoring, Stopped::Again] {
            assert_ne!(words(false, stopped).kept, words(true, stopped).kept);
        }
    }
}

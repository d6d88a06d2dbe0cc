//! Lesson 2's picture: the same applications started as virtual machines and as containers on
//! one host, side by side, with numbers the learner can change. Each VM reserves its memory
//! and boots a guest OS; containers share the host's kernel and start in a fraction of a second.
//!
//! SIM: the figures are illustrative (a 32 GiB host, 1 GiB for the hypervisor, 100 MiB per
//! containerised app, 0.05 s container start), not measurements.

use gloo::timers::callback::Interval;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::i18n::{t, Lang};

const HOST_GIB: f64 = 32.0;
const HYPERVISOR_GIB: f64 = 1.0;
const APP_GIB: f64 = 0.1;
const RUNTIME_GIB: f64 = 0.2;
const CONTAINER_START_S: f64 = 0.05;
/// The animation runs ten times faster than the times it shows.
const TIME_SCALE: f64 = 10.0;
const FRAME_MS: u32 = 50;

#[derive(Properties, PartialEq)]
pub struct VmWidgetProps {
    pub lang: Lang,
}

/// How many of `apps` VMs of `vm_gib` fit next to the hypervisor.
pub fn vms_that_fit(apps: u32, vm_gib: f64) -> u32 {
    let room = ((HOST_GIB - HYPERVISOR_GIB) / vm_gib).floor().max(0.0) as u32;
    apps.min(room)
}

#[component]
pub fn VmWidget(props: &VmWidgetProps) -> Html {
    let lang = props.lang;
    let apps = use_state(|| 4u32);
    let vm_gib = use_state(|| 4.0f64);
    let boot_s = use_state(|| 30.0f64);
    // Seconds (as shown) since "Start all"; None before.
    let elapsed = use_state(|| None::<f64>);
    let timer = use_mut_ref(|| None::<Interval>);

    let number = |state: UseStateHandle<f64>, min: f64, max: f64| {
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                if let Ok(v) = i.value().parse::<f64>() {
                    state.set(v.clamp(min, max));
                }
            }
        })
    };
    let on_apps = {
        let apps = apps.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                apps.set(i.value().parse::<u32>().unwrap_or(4).clamp(1, 12));
            }
        })
    };
    let start = {
        let (elapsed, timer, boot) = (elapsed.clone(), timer.clone(), *boot_s);
        Callback::from(move |_: MouseEvent| {
            elapsed.set(Some(0.0));
            let (elapsed, stop) = (elapsed.clone(), timer.clone());
            let mut shown = 0.0;
            *timer.borrow_mut() = Some(Interval::new(FRAME_MS, move || {
                shown += f64::from(FRAME_MS) / 1000.0 * TIME_SCALE;
                elapsed.set(Some(shown));
                if shown > boot + 1.0 {
                    stop.borrow_mut().take();
                }
            }));
        })
    };

    let fit = vms_that_fit(*apps, *vm_gib);
    let vm_mem = HYPERVISOR_GIB + f64::from(fit) * *vm_gib;
    let ct_mem = RUNTIME_GIB + f64::from(*apps) * APP_GIB;
    let state_of = |ready_at: f64| match *elapsed {
        None => "idle",
        Some(e) if e >= ready_at => "running",
        Some(_) => "booting",
    };
    let bar = |used: f64| {
        html! {
            <div class="mem-bar" role="img" aria-label={format!("{used:.1} / {HOST_GIB} GiB")}>
                <div class="mem-used" style={format!("width: {:.0}%", (used / HOST_GIB * 100.0).min(100.0))}></div>
                <span>{ format!("{} {used:.1} / {HOST_GIB:.0} GiB", t(lang, "Host memory used")) }</span>
            </div>
        }
    };
    let boxes = |n: u32, total: u32, label: &'static str, ready_at: f64| {
        html! { <>{ for (0..total).map(|i| {
            let s = if i < n { state_of(ready_at) } else { "nofit" };
            let text = match s {
                "running" => t(lang, "running"),
                "booting" => t(lang, "booting"),
                "nofit" => t(lang, "does not fit in host memory"),
                _ => "",
            };
            html! { <div class={classes!("guest", s)}><b>{ format!("{label} {}", i + 1) }</b><small>{ text }</small></div> }
        }) }</> }
    };
    html! {
        <div class="vm-widget">
            <div class="vm-controls">
                <label>{ t(lang, "Applications") }<input type="number" min="1" max="12" value={apps.to_string()} onchange={on_apps} /></label>
                <label>{ t(lang, "Memory per VM (GiB)") }<input type="number" min="1" max="16" value={vm_gib.to_string()} onchange={number(vm_gib.clone(), 1.0, 16.0)} /></label>
                <label>{ t(lang, "Guest OS boot (s)") }<input type="number" min="5" max="120" value={boot_s.to_string()} onchange={number(boot_s.clone(), 5.0, 120.0)} /></label>
                <button class="vm-start" onclick={start}>{ t(lang, "Start all") }</button>
            </div>
            <div class="vm-sides">
                <div class="vm-side">
                    <h4>{ t(lang, "Virtual machines") }</h4>
                    <div class="stack">{ boxes(fit, *apps, "VM", *boot_s) }</div>
                    <div class="layer">{ t(lang, "Hypervisor") }</div>
                    { bar(vm_mem) }
                    <p class="ready">{ format!("{} {:.0} s", t(lang, "Ready after"), *boot_s) }</p>
                </div>
                <div class="vm-side">
                    <h4>{ t(lang, "Containers") }</h4>
                    <div class="stack">{ boxes(*apps, *apps, "app", CONTAINER_START_S) }</div>
                    <div class="layer">{ format!("{} · {}", t(lang, "Container runtime"), t(lang, "Host OS kernel")) }</div>
                    { bar(ct_mem) }
                    <p class="ready">{ format!("{} {CONTAINER_START_S} s", t(lang, "Ready after")) }</p>
                </div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_vms_whose_memory_fits_next_to_the_hypervisor_start() {
        assert_eq!(vms_that_fit(4, 4.0), 4);
        assert_eq!(vms_that_fit(12, 4.0), 7);
        assert_eq!(vms_that_fit(3, 16.0), 1);
    }
}

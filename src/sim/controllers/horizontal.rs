//! The HorizontalPodAutoscaler controller (upstream `pkg/controller/podautoscaler`): every
//! 15 s, reads its target's pods' resource usage (metrics-server's view, [`crate::sim::metrics`]),
//! computes the replicas each metric asks for ([`replica_calculator`]), keeps the count within
//! min/max and the scaling rates, writes the target's `spec.replicas`, and reports status and
//! the AbleToScale / ScalingActive / ScalingLimited conditions with upstream's reasons.
//!
//! Objects given as autoscaling/v1 are read through their v2 equivalent
//! (`targetCPUUtilizationPercentage` is a cpu Utilization metric).

pub mod replica_calculator;

use std::time::Duration;

use serde_json::{json, Value};

use super::context::Ctx;
use super::reconciler::{Action, Reconciler, Result};
use crate::sim::api::Object;
use crate::sim::apiserver::patch::PatchType;
use crate::sim::events::EventType;
use crate::sim::metrics;
use crate::sim::quantity::Quantity;
use crate::sim::selector::matches_label_selector;
use crate::sim::store::{ObjectKey, WatchEvent, WatchEventType};
use crate::sim::time::parse_time;
use crate::sim::time::SimTime;
use replica_calculator::{calc_replicas, PodSample, PodState, Target};

/// How often each HPA is reconciled (upstream `--horizontal-pod-autoscaler-sync-period`).
pub const SYNC_PERIOD: Duration = Duration::from_secs(15);
/// Scale-downs follow the highest recommendation of this window (upstream
/// `--horizontal-pod-autoscaler-downscale-stabilization`).
pub const DOWNSCALE_STABILIZATION: Duration = Duration::from_secs(300);
/// CPU samples of a pod this young may predate its readiness (`--…-cpu-initialization-period`).
const CPU_INITIALIZATION_PERIOD: Duration = Duration::from_secs(300);
/// A pod that turned ready this soon after starting had just not been ready yet
/// (`--…-initial-readiness-delay`).
const INITIAL_READINESS_DELAY: Duration = Duration::from_secs(30);

/// The HorizontalPodAutoscaler controller on the contract.
pub struct HorizontalPodAutoscalers;

pub static HORIZONTAL_POD_AUTOSCALERS: HorizontalPodAutoscalers = HorizontalPodAutoscalers;

impl Reconciler for HorizontalPodAutoscalers {
    fn name(&self) -> &'static str {
        "horizontalpodautoscaling"
    }

    fn component(&self) -> &'static str {
        "horizontal-pod-autoscaler"
    }

    fn kind(&self) -> &'static str {
        "HorizontalPodAutoscaler"
    }

    /// Only a new HPA is queued at once; after that it resyncs every [`SYNC_PERIOD`]. Upstream's
    /// update handler queues the key too, but through a rate limiter of the resync period, so
    /// an update (its own status writes included) never runs a sync sooner than the resync
    /// already waiting: here it would change nothing, and is not queued.
    fn watches_own(&self, ev: &WatchEvent) -> bool {
        ev.event_type == WatchEventType::Added
    }

    fn reconcile(&self, ctx: &mut Ctx, key: &ObjectKey) -> Result<Action> {
        Ok(reconcile_autoscaler(ctx, key))
    }
}

/// The spec as autoscaling/v2 has it (`autoscaling/v1` converted, v2 defaults applied).
pub fn v2_spec(hpa: &Object) -> Value {
    let mut spec = hpa.field("spec").cloned().unwrap_or(json!({}));
    if hpa.api_version == "autoscaling/v1" {
        let cpu = spec.get("targetCPUUtilizationPercentage").cloned();
        if let Some(m) = spec.as_object_mut() {
            m.remove("targetCPUUtilizationPercentage");
        }
        if let Some(cpu) = cpu.filter(|c| !c.is_null()) {
            spec["metrics"] = json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": cpu}}}]);
        }
    }
    if spec["minReplicas"].is_null() {
        spec["minReplicas"] = json!(1);
    }
    if spec["metrics"].as_array().is_none_or(Vec::is_empty) {
        spec["metrics"] = json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]);
    }
    spec
}

fn condition(ty: &str, status: bool, reason: &str, message: String) -> (String, bool, String, String) {
    (ty.to_string(), status, reason.to_string(), message)
}

/// How one pod counts for `resource` (`groupPods`).
fn pod_state(p: &Object, resource: &str, now: SimTime) -> PodState {
    let phase = p.field("status.phase").and_then(Value::as_str).unwrap_or("Pending");
    if p.metadata.deletion_timestamp.is_some() || phase == "Failed" {
        return PodState::Ignored;
    }
    if phase == "Pending" {
        return PodState::Unready;
    }
    if resource != "cpu" {
        return PodState::Ready;
    }
    let ready = p
        .field("status.conditions")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| c["type"] == "Ready").cloned());
    let start = p.field("status.startTime").and_then(Value::as_str).and_then(parse_time);
    let (Some(ready), Some(start)) = (ready, start) else { return PodState::Unready };
    let is_ready = ready["status"] == "True";
    let changed = ready["lastTransitionTime"].as_str().and_then(parse_time).unwrap_or(start);
    let unready = if start + CPU_INITIALIZATION_PERIOD > now {
        // Young pod: its sample must come from after it became ready.
        !is_ready || now < changed + Duration::from_secs(metrics::WINDOW_SECS)
    } else {
        !is_ready && start + INITIAL_READINESS_DELAY > changed
    };
    if unready {
        PodState::Unready
    } else {
        PodState::Ready
    }
}

/// A container's request for `resource`, in millicores or bytes.
fn request_of(container: &Value, resource: &str) -> Option<i64> {
    let v = &container["resources"]["requests"][resource];
    let text = v.as_str().map(str::to_string).or_else(|| v.as_f64().map(|n| n.to_string()))?;
    let q = Quantity::parse(&text).ok()?;
    Some(if resource == "cpu" { q.milli() as i64 } else { q.units_ceil() as i64 })
}

/// The samples of `pods` for `resource` (`calculatePodRequests`, the metrics client).
fn samples(ctx: &Ctx, pods: &[Object], resource: &str, need_requests: bool) -> Result<Vec<PodSample>, String> {
    let now = ctx.now();
    let mut out = Vec::new();
    for p in pods {
        let mut request = 0;
        for c in p.field("spec.containers").and_then(Value::as_array).into_iter().flatten() {
            match request_of(c, resource) {
                Some(r) => request += r,
                None if need_requests => {
                    let name = c["name"].as_str().unwrap_or("");
                    return Err(format!("missing request for {resource} in container {name} of Pod {}", p.name()));
                }
                None => {}
            }
        }
        let usage = ctx.pod_usage(&ObjectKey::of(p)).map(|u| {
            if resource == "cpu" {
                u.cpu_millis as i64
            } else {
                u.memory_bytes as i64
            }
        });
        out.push(PodSample { name: p.name().to_string(), state: pod_state(p, resource, now), usage, request });
    }
    Ok(out)
}

/// One metric's proposal: (replicas, metric name for events, its `currentMetrics` entry).
fn compute_metric(ctx: &Ctx, metric: &Value, pods: &[Object], current: i64) -> Result<(i64, String, Value), String> {
    let kind = metric["type"].as_str().unwrap_or("");
    if kind != "Resource" && kind != "ContainerResource" {
        // SIM: only resource metrics exist here (no custom or external metrics API).
        return Err(format!("unable to get metric {kind}: no metrics API serves it in this sandbox"));
    }
    let source = if kind == "Resource" { &metric["resource"] } else { &metric["containerResource"] };
    let resource = source["name"].as_str().unwrap_or("cpu");
    let target = &source["target"];
    let wrap = |e: String, what: &str| {
        format!("failed to get {resource} resource metric value: failed to get {resource} {what}: {e}")
    };
    let to_quantity = |v: i64| {
        if resource == "cpu" {
            Quantity(v as i128).to_string()
        } else {
            Quantity(v as i128 * 1000).to_string()
        }
    };
    let average_value = target["averageValue"]
        .as_str()
        .map(str::to_string)
        .or_else(|| target["averageValue"].as_f64().map(|n| n.to_string()));
    if let Some(avg) = average_value {
        let q = Quantity::parse(&avg).map_err(|e| e.to_string())?;
        let t = if resource == "cpu" { q.milli() as i64 } else { q.units_ceil() as i64 };
        let s = samples(ctx, pods, resource, false).map_err(|e| wrap(e, "usage"))?;
        let p = calc_replicas(current, Target::AverageValue(t), &s).map_err(|e| wrap(e, "usage"))?;
        let status = json!({"type": "Resource", "resource": {"name": resource, "current": {"averageValue": to_quantity(p.average_value)}}});
        return Ok((p.replicas, format!("{resource} resource"), status));
    }
    let utilization = target["averageUtilization"].as_i64().ok_or_else(|| {
        "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set"
            .to_string()
    })?;
    let s = samples(ctx, pods, resource, true).map_err(|e| wrap(e, "utilization"))?;
    let p = calc_replicas(current, Target::Utilization(utilization), &s).map_err(|e| wrap(e, "utilization"))?;
    let status = json!({"type": "Resource", "resource": {"name": resource, "current": {
        "averageUtilization": p.utilization.unwrap_or(0), "averageValue": to_quantity(p.average_value)}}});
    Ok((p.replicas, format!("{resource} resource utilization (percentage of request)"), status))
}

/// `normalizeDesiredReplicas` (no `behavior`) or its behaviour-driven form: the highest
/// recommendation of the stabilization window on the way down, the scale-up rate limit,
/// then min/max. Returns (replicas, AbleToScale reason and message, ScalingLimited).
#[allow(clippy::type_complexity)]
pub fn normalize_desired_replicas(
    history: &mut Vec<(SimTime, i64)>,
    now: SimTime,
    spec: &Value,
    current: i64,
    proposed: i64,
) -> (i64, (&'static str, String), (bool, &'static str, &'static str)) {
    let behavior = &spec["behavior"];
    let down_window = behavior["scaleDown"]["stabilizationWindowSeconds"]
        .as_u64()
        .map_or(DOWNSCALE_STABILIZATION, Duration::from_secs);
    let up_window = Duration::from_secs(behavior["scaleUp"]["stabilizationWindowSeconds"].as_u64().unwrap_or(0));
    let keep = down_window.max(up_window);
    history.retain(|(t, _)| now.since(*t) < keep);
    history.push((now, proposed));
    let within = |w: Duration| history.iter().filter(move |(t, _)| now.since(*t) <= w).map(|(_, r)| *r);
    let up = within(up_window).min().unwrap_or(proposed);
    let down = within(down_window).max().unwrap_or(proposed);
    let mut stabilized = current;
    if stabilized < up {
        stabilized = up;
    }
    if stabilized > down {
        stabilized = down;
    }
    let able = if stabilized != proposed {
        (
            "ScaleDownStabilized",
            "recent recommendations were higher than current one, applying the highest recent recommendation"
                .to_string(),
        )
    } else {
        ("ReadyForNewScale", "recommended size matches current size".to_string())
    };
    let min = spec["minReplicas"].as_i64().unwrap_or(1);
    let max = spec["maxReplicas"].as_i64().unwrap_or(1);
    // The scale-up rate: upstream's default max(2 × current, 4), or the behaviour's policies
    // (the most permissive, or the least with selectPolicy Min) applied to the current count.
    // SIM: policies are applied per sync to the current count, not over their period's history.
    let up_limit = match behavior["scaleUp"]["policies"].as_array() {
        None => (2 * current).max(4),
        Some(policies) => {
            let limits = policies.iter().map(|p| {
                let v = p["value"].as_i64().unwrap_or(0);
                if p["type"] == "Percent" {
                    (current as f64 * (1.0 + v as f64 / 100.0)).ceil() as i64
                } else {
                    current + v
                }
            });
            match behavior["scaleUp"]["selectPolicy"].as_str() {
                Some("Disabled") => current,
                Some("Min") => limits.min().unwrap_or(current),
                _ => limits.max().unwrap_or(current),
            }
        }
    };
    let (desired, limited) = if stabilized > up_limit.min(max) && up_limit < max {
        (up_limit, (true, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate"))
    } else if stabilized > max {
        (max, (true, "TooManyReplicas", "the desired replica count is more than the maximum replica count"))
    } else if stabilized < min {
        (min, (true, "TooFewReplicas", "the desired replica count is less than the minimum replica count"))
    } else {
        (stabilized, (false, "DesiredWithinRange", "the desired count is within the acceptable range"))
    };
    (desired, able, limited)
}

/// `reconcileAutoscaler`: a deleted HPA is forgotten; any other is looked at again after
/// [`SYNC_PERIOD`], whatever this sync found.
fn reconcile_autoscaler(ctx: &mut Ctx, key: &ObjectKey) -> Action {
    let Some(hpa) = ctx.store().get_key(key).cloned() else {
        ctx.forget_recommendations(key);
        return Action::AwaitChange;
    };
    sync_autoscaler(ctx, key, hpa);
    Action::RequeueAfter(SYNC_PERIOD)
}

fn sync_autoscaler(ctx: &mut Ctx, key: &ObjectKey, hpa: Object) {
    let now = ctx.now();
    let spec = v2_spec(&hpa);
    let ns = hpa.namespace().map(str::to_string);
    let target_kind = spec["scaleTargetRef"]["kind"].as_str().unwrap_or("").to_string();
    let target_name = spec["scaleTargetRef"]["name"].as_str().unwrap_or("").to_string();
    let mut conditions = Vec::new();
    let Some(target) = ctx.store().get(&target_kind, ns.as_deref(), &target_name).cloned() else {
        let resource = crate::sim::api::discovery::preferred_for_kind(&target_kind).map_or_else(
            || target_kind.to_lowercase(),
            |r| if r.group().is_empty() { r.plural.to_string() } else { format!("{}.{}", r.plural, r.group()) },
        );
        let err = format!("{resource} \"{target_name}\" not found");
        ctx.record(&hpa, EventType::Warning, "FailedGetScale", &err);
        let msg = format!("the HPA controller was unable to get the target's current scale: {err}");
        conditions.push(condition("AbleToScale", false, "FailedGetScale", msg));
        write_status(ctx, key, None, None, None, conditions, false);
        return;
    };
    let current = target.field("spec.replicas").and_then(Value::as_i64).unwrap_or(1);
    let (min, max) = (spec["minReplicas"].as_i64().unwrap_or(1), spec["maxReplicas"].as_i64().unwrap_or(1));
    conditions.push(condition(
        "AbleToScale",
        true,
        "SucceededGetScale",
        "the HPA controller was able to get the target's current scale".into(),
    ));
    let mut current_metrics = None;
    let (desired, reason) = if current == 0 && min != 0 {
        let msg = "scaling is disabled since the replica count of the target is zero".to_string();
        conditions.push(condition("ScalingActive", false, "ScalingDisabled", msg));
        (0, String::new())
    } else if current > max {
        (max, "Current number of replicas above Spec.MaxReplicas".to_string())
    } else if current < min {
        (min, "Current number of replicas below Spec.MinReplicas".to_string())
    } else {
        let selector = target.field("spec.selector").cloned().unwrap_or(Value::Null);
        let pods: Vec<Object> = ctx
            .store()
            .list("Pod", ns.as_deref())
            .filter(|p| matches_label_selector(&selector, &p.metadata.labels.clone().unwrap_or_default()))
            .cloned()
            .collect();
        let metric_specs = spec["metrics"].as_array().cloned().unwrap_or_default();
        let mut best: Option<(i64, String)> = None;
        let mut statuses = Vec::new();
        let mut first_error: Option<String> = None;
        let mut invalid = 0;
        for m in &metric_specs {
            match compute_metric(ctx, m, &pods, current) {
                Ok((replicas, name, status)) => {
                    statuses.push(status);
                    if best.as_ref().is_none_or(|(r, _)| replicas > *r) {
                        best = Some((replicas, name));
                    }
                }
                Err(e) => {
                    invalid += 1;
                    // The event and condition carry the error below "failed to get R resource metric value: ".
                    let inner = e.split_once("resource metric value: ").map_or(e.as_str(), |(_, i)| i).to_string();
                    ctx.record(&hpa, EventType::Warning, "FailedGetResourceMetric", &inner);
                    conditions.retain(|c| c.0 != "ScalingActive");
                    let msg = format!("the HPA was unable to compute the replica count: {inner}");
                    conditions.push(condition("ScalingActive", false, "FailedGetResourceMetric", msg));
                    first_error.get_or_insert(e);
                }
            }
        }
        current_metrics = Some(statuses);
        // With some metrics invalid, only a scale-up on the valid ones goes ahead (upstream).
        let usable = best.filter(|(r, _)| invalid == 0 || *r > current);
        match usable {
            Some((proposed, name)) => {
                conditions.retain(|c| c.0 != "ScalingActive");
                let msg = format!("the HPA was able to successfully calculate a replica count from {name}");
                conditions.push(condition("ScalingActive", true, "ValidMetricFound", msg));
                let history = ctx.recommendations(key);
                let (desired, able, limited) = normalize_desired_replicas(history, now, &spec, current, proposed);
                conditions[0] = condition("AbleToScale", true, able.0, able.1);
                conditions.push(condition("ScalingLimited", limited.0, limited.1, limited.2.to_string()));
                let reason = if desired > current {
                    format!("{name} above target")
                } else {
                    "All metrics below target".to_string()
                };
                (desired, reason)
            }
            _ => {
                let first = first_error.unwrap_or_default();
                let msg = format!(
                    "invalid metrics ({invalid} invalid out of {}), first error is: {first}",
                    metric_specs.len()
                );
                ctx.record(&hpa, EventType::Warning, "FailedComputeMetricsReplicas", &msg);
                write_status(ctx, key, Some(current), Some(current), current_metrics, conditions, false);
                return;
            }
        }
    };
    let mut rescaled = false;
    if desired != current && !(current == 0 && min != 0) {
        let body = json!({"spec": {"replicas": desired}});
        match ctx.patch(&target_kind, ns.as_deref(), &target_name, PatchType::Merge, &body) {
            Ok(_) => {
                rescaled = true;
                let msg = format!("New size: {desired}; reason: {reason}");
                ctx.record(&hpa, EventType::Normal, "SuccessfulRescale", &msg);
                let msg = format!("the HPA controller was able to update the target scale to {desired}");
                conditions[0] = condition("AbleToScale", true, "SucceededRescale", msg);
            }
            Err(e) => {
                let msg = format!("New size: {desired}; reason: {reason}; error: {}", e.message);
                ctx.record(&hpa, EventType::Warning, "FailedRescale", &msg);
                let msg = format!("the HPA controller was unable to update the target scale: {}", e.message);
                conditions[0] = condition("AbleToScale", false, "FailedUpdateScale", msg);
            }
        }
    }
    write_status(ctx, key, Some(current), Some(desired), current_metrics, conditions, rescaled);
}

fn write_status(
    ctx: &mut Ctx,
    key: &ObjectKey,
    current: Option<i64>,
    desired: Option<i64>,
    current_metrics: Option<Vec<Value>>,
    conditions: Vec<(String, bool, String, String)>,
    rescaled: bool,
) {
    let Some(mut hpa) = ctx.store().get_key(key).cloned() else { return };
    let now = ctx.now().to_rfc3339();
    let old = hpa.body.get("status").cloned().unwrap_or(json!({}));
    let mut status = json!({"currentReplicas": current.unwrap_or(0), "desiredReplicas": desired.unwrap_or(0)});
    let last_scale = if rescaled { Some(json!(now)) } else { old.get("lastScaleTime").cloned() };
    if let Some(t) = last_scale {
        status["lastScaleTime"] = t;
    }
    if hpa.api_version == "autoscaling/v1" {
        // SIM: v1 objects are stored as v1; upstream keeps conditions in an annotation then.
        let cpu = current_metrics.iter().flatten().find(|m| m["resource"]["name"] == "cpu");
        if let Some(u) = cpu.and_then(|m| m["resource"]["current"]["averageUtilization"].as_i64()) {
            status["currentCPUUtilizationPercentage"] = json!(u);
        }
    } else {
        if let Some(m) = current_metrics.filter(|m| !m.is_empty()) {
            status["currentMetrics"] = json!(m);
        }
        let old_conds = old["conditions"].as_array().cloned().unwrap_or_default();
        let conds: Vec<Value> = conditions
            .iter()
            .map(|(ty, st, reason, message)| {
                let st = if *st { "True" } else { "False" };
                let since = old_conds
                    .iter()
                    .find(|c| c["type"] == ty.as_str() && c["status"] == st)
                    .map_or(json!(now), |c| c["lastTransitionTime"].clone());
                json!({"type": ty, "status": st, "reason": reason, "message": message, "lastTransitionTime": since})
            })
            .collect();
        status["conditions"] = json!(conds);
    }
    if hpa.body.get("status") == Some(&status) {
        return;
    }
    hpa.body.insert("status".into(), status);
    hpa.metadata.resource_version = None;
    let _ = ctx.update_status(hpa);
}

#[cfg(test)]
mod tests;

//! How many replicas a metric asks for (upstream `replica_calculator.go`):
//! desired = ceil(current × currentMetric / target), nothing within the 10 % tolerance, and
//! upstream's care for pods without metrics or not yet ready — they never push a scaling the
//! wrong way. Pure functions over samples, so they can be tested with any numbers.

use std::collections::BTreeMap;

/// A change smaller than this fraction of the target is not acted on (upstream default
/// `--horizontal-pod-autoscaler-tolerance`).
pub const TOLERANCE: f64 = 0.1;

/// How one targeted pod counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodState {
    /// Ready: its metric counts as measured.
    Ready,
    /// Not ready yet (or only just ready, for CPU): counted as using nothing on a scale-up.
    Unready,
    /// Being deleted or failed: left out altogether.
    Ignored,
}

/// One targeted pod: its state, its measured usage (if metrics-server has any) and, for
/// utilization targets, the sum of its containers' requests — both in the same unit
/// (millicores, or bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodSample {
    pub name: String,
    pub state: PodState,
    pub usage: Option<i64>,
    pub request: i64,
}

/// What a metric came to: the replica count it asks for, and the current value
/// (utilization percent, or average value) as `status.currentMetrics` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proposal {
    pub replicas: i64,
    pub utilization: Option<i64>,
    pub average_value: i64,
}

/// The target: a utilization of the requests (percent) or an average value per pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Utilization(i64),
    AverageValue(i64),
}

/// (usage ratio, utilization, average value) of `metrics` against `target`
/// (`GetResourceUtilizationRatio`, `GetMetricUsageRatio`).
fn usage_ratio(
    metrics: &BTreeMap<&str, i64>,
    requests: &BTreeMap<&str, i64>,
    target: Target,
) -> (f64, Option<i64>, i64) {
    let total: i64 = metrics.values().sum();
    let average = if metrics.is_empty() { 0 } else { total / metrics.len() as i64 };
    match target {
        Target::Utilization(t) => {
            let requested: i64 = metrics.keys().filter_map(|k| requests.get(k)).sum();
            let utilization = if requested == 0 { 0 } else { total * 100 / requested };
            (utilization as f64 / t.max(1) as f64, Some(utilization), average)
        }
        Target::AverageValue(t) => (average as f64 / t.max(1) as f64, None, average),
    }
}

/// `GetResourceReplicas` / `calcPlainMetricReplicas`: the replicas `pods` ask for against
/// `target`, from `current` replicas. `cpu` says whether unready pods are held back (CPU
/// only). Errors read as upstream's.
pub fn calc_replicas(current: i64, target: Target, pods: &[PodSample]) -> Result<Proposal, String> {
    if pods.is_empty() {
        return Err("no pods returned by selector while calculating replica count".into());
    }
    let requests: BTreeMap<&str, i64> = pods.iter().map(|p| (p.name.as_str(), p.request)).collect();
    let mut metrics: BTreeMap<&str, i64> = BTreeMap::new();
    let (mut ready, mut unready, mut missing) = (0i64, Vec::new(), Vec::new());
    for p in pods {
        match (p.state, p.usage) {
            (PodState::Ignored, _) => {}
            (_, None) => missing.push(p.name.as_str()),
            (PodState::Unready, Some(_)) => unready.push(p.name.as_str()),
            (PodState::Ready, Some(u)) => {
                ready += 1;
                metrics.insert(p.name.as_str(), u);
            }
        }
    }
    if metrics.is_empty() {
        return Err("did not receive metrics for targeted pods (pods might be unready)".into());
    }
    let (ratio, utilization, average_value) = usage_ratio(&metrics, &requests, target);
    let scale_up_with_unready = !unready.is_empty() && ratio > 1.0;
    if !scale_up_with_unready && missing.is_empty() {
        if (1.0 - ratio).abs() <= TOLERANCE {
            return Ok(Proposal { replicas: current, utilization, average_value });
        }
        return Ok(Proposal { replicas: (ratio * ready as f64).ceil() as i64, utilization, average_value });
    }
    // Pods without metrics: on a scale-down assume they use all they asked for (at least the
    // target), on a scale-up that they use nothing; unready pods, on a scale-up, use nothing.
    for name in &missing {
        let fill = match target {
            Target::Utilization(t) if ratio < 1.0 => requests[name] * t.max(100) / 100,
            Target::AverageValue(t) if ratio < 1.0 => t,
            _ => 0,
        };
        metrics.insert(name, fill);
    }
    if scale_up_with_unready {
        for name in &unready {
            metrics.insert(name, 0);
        }
    }
    let (new_ratio, _, _) = usage_ratio(&metrics, &requests, target);
    let flipped = (ratio < 1.0 && new_ratio > 1.0) || (ratio > 1.0 && new_ratio < 1.0);
    if (1.0 - new_ratio).abs() <= TOLERANCE || flipped {
        return Ok(Proposal { replicas: current, utilization, average_value });
    }
    let replicas = (new_ratio * metrics.len() as f64).ceil() as i64;
    let against = (new_ratio < 1.0 && replicas > current) || (new_ratio > 1.0 && replicas < current);
    Ok(Proposal { replicas: if against { current } else { replicas }, utilization, average_value })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, state: PodState, usage: Option<i64>, request: i64) -> PodSample {
        PodSample { name: name.into(), state, usage, request }
    }

    fn ready(usages: &[i64], request: i64) -> Vec<PodSample> {
        usages.iter().enumerate().map(|(i, u)| pod(&format!("p{i}"), PodState::Ready, Some(*u), request)).collect()
    }

    #[test]
    fn desired_is_current_times_metric_over_target_rounded_up() {
        // Two pods at 150m of 100m requested: 150 % against a 50 % target: ceil(2 × 3) = 6.
        let p = calc_replicas(2, Target::Utilization(50), &ready(&[150, 150], 100)).unwrap();
        assert_eq!(p, Proposal { replicas: 6, utilization: Some(150), average_value: 150 });
        // 3 pods at 20 % of a 50 % target: ceil(3 × 0.4) = 2.
        assert_eq!(calc_replicas(3, Target::Utilization(50), &ready(&[20, 20, 20], 100)).unwrap().replicas, 2);
        // Average value: 3 pods averaging 300m against 200m: ceil(3 × 1.5) = 5.
        let p = calc_replicas(3, Target::AverageValue(200), &ready(&[300, 300, 300], 0)).unwrap();
        assert_eq!((p.replicas, p.average_value, p.utilization), (5, 300, None));
    }

    #[test]
    fn changes_within_the_tolerance_keep_the_current_count() {
        // 54 % of a 50 % target is a ratio of 1.08: within 10 %.
        assert_eq!(calc_replicas(4, Target::Utilization(50), &ready(&[54, 54, 54, 54], 100)).unwrap().replicas, 4);
        // 56 % is 1.12: ceil(4 × 1.12) = 5.
        assert_eq!(calc_replicas(4, Target::Utilization(50), &ready(&[56, 56, 56, 56], 100)).unwrap().replicas, 5);
    }

    #[test]
    fn unready_pods_count_as_idle_on_a_scale_up() {
        // Ready pods at 100 % of a 50 % target ask for 4; the unready two, counted at 0 %,
        // bring the ratio to (100+100+0+0)/4/50 = 1.0: no change.
        let mut pods = ready(&[100, 100], 100);
        pods.push(pod("u1", PodState::Unready, Some(90), 100));
        pods.push(pod("u2", PodState::Unready, Some(90), 100));
        assert_eq!(calc_replicas(4, Target::Utilization(50), &pods).unwrap().replicas, 4);
    }

    #[test]
    fn pods_without_metrics_never_push_a_scale_down_further() {
        // Two ready pods at 10 % of a 50 % target; a third without metrics is assumed at 100 %:
        // (10+10+100)/3 = 40 % → ratio 0.8 → ceil(3 × 0.8) = 3: no scale-down yet.
        let mut pods = ready(&[10, 10], 100);
        pods.push(pod("m", PodState::Ready, None, 100));
        assert_eq!(calc_replicas(3, Target::Utilization(50), &pods).unwrap().replicas, 3);
        // Ignored pods (being deleted) are left out altogether.
        let mut pods = ready(&[100, 100], 100);
        pods.push(pod("gone", PodState::Ignored, Some(0), 100));
        assert_eq!(calc_replicas(3, Target::Utilization(50), &pods).unwrap().replicas, 4);
    }

    #[test]
    fn no_metrics_at_all_is_an_error() {
        let pods = vec![pod("a", PodState::Ready, None, 100)];
        assert_eq!(
            calc_replicas(1, Target::Utilization(50), &pods).unwrap_err(),
            "did not receive metrics for targeted pods (pods might be unready)"
        );
    }
}

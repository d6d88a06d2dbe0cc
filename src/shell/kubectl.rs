//! `kubectl`: argv → a verb on the API → text exactly as kubectl prints it.

pub mod api_resources;
pub mod get;
pub mod pod_status;
pub mod table;

use super::Output;
use crate::sim::Sim;

/// Runs `kubectl ARGS…`.
pub fn run(sim: &mut Sim, args: &[String]) -> Output {
    let Some((verb, rest)) = args.split_first() else {
        return Output::err("error: a command is required: try \"kubectl get nodes\"\n", 1);
    };
    match verb.as_str() {
        "get" => get::run(sim, rest),
        "api-resources" => api_resources::run(sim, rest),
        "version" => Output::ok(format!(
            "Client Version: {v}\nKustomize Version: v5.7.1\nServer Version: {v}\n",
            v = crate::sim::KUBERNETES_VERSION
        )),
        other => {
            Output::err(format!("error: unknown command \"{other}\" for \"kubectl\"\n\nDid you mean this?\n\tget\n"), 1)
        }
    }
}

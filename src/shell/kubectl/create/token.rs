//! `kubectl create token SERVICEACCOUNT [--duration=D]`: a token from the TokenRequest API,
//! printed on one line; the API server takes it back as the ServiceAccount
//! (`sim::apiserver::authn`), so `curl -H "Authorization: Bearer $TOKEN" …` acts as it.
//!
//! SIM: `--audience` and `--bound-object-*` are not read; the token is bound to nothing but
//! the ServiceAccount.

use super::super::duration;
use super::super::flags::{self, value};
use crate::shell::Output;
use crate::sim::apiserver::authn;
use crate::sim::Sim;

const SPECS: &[flags::Spec] = &[
    value("duration"),
    value("audience"),
    value("bound-object-kind"),
    value("bound-object-name"),
    value("bound-object-uid"),
];

/// What the API server gives when a TokenRequest does not ask for a lifetime.
const DEFAULT_SECONDS: i64 = 3600;

/// Runs `kubectl create token …` (`args` after `token`); `tty`: the output is a terminal, where
/// kubectl ends the token with a newline (elsewhere it writes the token alone).
pub fn run(sim: &Sim, args: &[String], default_ns: &str, tty: bool) -> Output {
    let command = "kubectl create token";
    let flags = match flags::parse(args, SPECS, command) {
        Ok(f) => f,
        Err(e) => return Output::err(e, 1),
    };
    let name = match super::name_arg(&flags, command) {
        Ok(n) => n,
        Err(e) => return Output::err(e, 1),
    };
    let namespace = flags.get("namespace").unwrap_or(default_ns);
    let seconds = match flags.get("duration") {
        None => DEFAULT_SECONDS,
        Some(v) => match duration::parse_flag("duration", v) {
            Ok(d) if d.is_negative() => {
                return Output::err("error: --duration must be greater than or equal to 0\n", 1);
            }
            Ok(d) => i64::try_from(d.to_std().as_secs()).unwrap_or(i64::MAX),
            Err(e) => return Output::err(format!("error: {e}\nSee '{command} --help' for usage.\n"), 1),
        },
    };
    // kubectl sends no lifetime for --duration=0: the server's default applies.
    let seconds = if seconds == 0 { DEFAULT_SECONDS } else { seconds };
    let Some(sa) = sim.store().get("ServiceAccount", Some(namespace), &name) else {
        return Output::err(format!("error: failed to create token: serviceaccounts \"{name}\" not found\n"), 1);
    };
    if seconds < 600 {
        return Output::err(
            format!("error: failed to create token: TokenRequest.authentication.k8s.io \"{name}\" is invalid: spec.expirationSeconds: Invalid value: {seconds}: may not specify a duration less than 10 minutes\n"),
            1,
        );
    }
    let token = authn::request_token(sa, sim.now(), seconds.unsigned_abs());
    Output::ok(if tty { format!("{token}\n") } else { token })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn create_token_prints_a_token_the_api_server_takes_as_the_service_account() {
        let sim = Sim::new(SimConfig::default());
        let out = run(&sim, &args("default"), "default", false);
        assert_eq!(out.status, 0, "{}", out.stderr);
        assert!(!out.stdout.ends_with('\n'), "a pipe gets the token alone");
        let user = authn::token_user(sim.store(), sim.now(), &out.stdout).unwrap();
        assert_eq!(user.name, "system:serviceaccount:default:default");
        assert_eq!(
            run(&sim, &args("nobody"), "default", true).stderr,
            "error: failed to create token: serviceaccounts \"nobody\" not found\n"
        );
        assert!(run(&sim, &args("default --duration=1m"), "default", true).stderr.contains("less than 10 minutes"));
        assert!(run(&sim, &args(""), "default", true).stderr.starts_with("error: exactly one NAME is required, got 0"));
    }
}

//! kubectl's answer to a command it does not have: `Did you mean this?` and the commands it
//! might have meant, found as kubectl's command library finds them (a case-insensitive
//! Levenshtein distance of at most 2, or a command that starts with what was typed), in the
//! order `kubectl help` lists the commands.

/// kubectl 1.32's top-level commands, in the order it registers them (so suggestions come out in
/// its order). Hidden and unavailable ones (`alpha` with nothing in it, `help`) are not suggested.
const COMMANDS: &[&str] = &[
    "create",
    "expose",
    "run",
    "set",
    "explain",
    "get",
    "edit",
    "delete",
    "rollout",
    "scale",
    "autoscale",
    "certificate",
    "cluster-info",
    "top",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "describe",
    "logs",
    "attach",
    "exec",
    "port-forward",
    "proxy",
    "cp",
    "auth",
    "debug",
    "events",
    "diff",
    "apply",
    "patch",
    "replace",
    "wait",
    "kustomize",
    "label",
    "annotate",
    "completion",
    "api-versions",
    "api-resources",
    "config",
    "plugin",
    "version",
    "options",
];

/// The largest edit distance that still makes a suggestion.
const MAX_DISTANCE: usize = 2;

/// The commands kubectl suggests for `typed`, in its order.
pub fn suggestions(typed: &str) -> Vec<&'static str> {
    let lower = typed.to_lowercase();
    COMMANDS.iter().copied().filter(|c| c.starts_with(&lower) || levenshtein(&lower, c) <= MAX_DISTANCE).collect()
}

/// kubectl's whole message for an unknown command (its exit status is 1).
pub fn unknown_command(typed: &str) -> String {
    let mut text = format!("Error: unknown command \"{typed}\" for \"kubectl\"\n");
    let found = suggestions(typed);
    if !found.is_empty() {
        text.push_str("\nDid you mean this?\n");
        for s in found {
            text.push('\t');
            text.push_str(s);
            text.push('\n');
        }
        text.push('\n');
    }
    text
}

/// Edits (insertions, deletions, substitutions) between two strings, by characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb { diagonal } else { 1 + diagonal.min(above).min(row[j]) };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_of_describe_and_delete_suggest_them_and_not_get() {
        assert_eq!(suggestions("descibe"), ["describe"]);
        assert_eq!(suggestions("delte"), ["delete"]);
        assert_eq!(suggestions("gte"), ["get"]);
        assert_eq!(suggestions("lgos"), ["logs"]);
    }

    #[test]
    fn short_prefixes_suggest_every_close_command_in_kubectls_order() {
        assert_eq!(suggestions("ge"), ["set", "get", "cp"]);
        assert_eq!(suggestions("de"), ["set", "get", "delete", "describe", "cp", "debug"]);
        assert_eq!(suggestions("Get"), ["set", "get"], "case does not matter");
        assert_eq!(
            suggestions("a"),
            ["autoscale", "attach", "cp", "auth", "apply", "annotate", "api-versions", "api-resources"]
        );
    }

    #[test]
    fn the_message_puts_each_suggestion_on_its_own_tab_indented_line() {
        assert_eq!(
            unknown_command("descibe"),
            "Error: unknown command \"descibe\" for \"kubectl\"\n\nDid you mean this?\n\tdescribe\n\n"
        );
        assert_eq!(unknown_command("xyzzy"), "Error: unknown command \"xyzzy\" for \"kubectl\"\n", "nothing close");
    }
}

//! Running a script line by line and printing a transcript: each command after `$ `, then
//! what it printed, as a terminal shows it.

use super::{Output, Shell};
use crate::sim::Sim;

/// The transcript of running every line of `script` and the last command's exit status.
/// With `strict`, stops at the first failing command.
pub fn run_script(sim: &mut Sim, script: &str, strict: bool) -> (String, i32) {
    let mut shell = Shell;
    let mut transcript = String::new();
    let mut status = 0;
    for line in script.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        transcript.push_str("$ ");
        transcript.push_str(trimmed);
        transcript.push('\n');
        let Output { stdout, stderr, status: s } = shell.run_line(sim, trimmed);
        transcript.push_str(&stdout);
        transcript.push_str(&stderr);
        status = s;
        if strict && status != 0 {
            break;
        }
    }
    (transcript, status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;

    #[test]
    fn transcript_shows_commands_and_output_and_last_status() {
        let mut sim = Sim::new(SimConfig::default());
        let (t, status) = run_script(&mut sim, "# setup\necho hi\n\nnope\n", false);
        assert_eq!(t, "$ echo hi\nhi\n$ nope\nbash: nope: command not found\n");
        assert_eq!(status, 127);
    }

    #[test]
    fn strict_stops_at_first_failure() {
        let mut sim = Sim::new(SimConfig::default());
        let (t, status) = run_script(&mut sim, "nope\necho after\n", true);
        assert!(!t.contains("after"));
        assert_eq!(status, 127);
    }
}

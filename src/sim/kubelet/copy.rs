//! The files of a running container as `kubectl cp` reads and writes them (kubectl streams a
//! tar archive through an exec; here the kubelet hands the files over directly).

use super::{container_specs, volumes, Phase};
use crate::sim::process::Files;
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

/// Index of the running container `container` (the pod's first when `None`), or the API
/// server's words for why there is none.
fn running(sim: &Sim, key: &ObjectKey, container: Option<&str>) -> Result<usize, String> {
    let pod = sim.store().get_key(key).ok_or_else(|| format!("pods \"{}\" not found", key.name))?;
    let run = sim.kubelets.pods.get(key).ok_or_else(|| format!("pod {} does not have a host assigned", key.name))?;
    let first = container_specs(pod, "containers").iter().find_map(|c| c["name"].as_str().map(str::to_string));
    let name = container.map(str::to_string).or(first).unwrap_or_default();
    let (i, c) = run
        .containers
        .iter()
        .enumerate()
        .find(|(_, c)| c.name == name && !c.init)
        .ok_or_else(|| format!("container {name} is not valid for pod {}", key.name))?;
    match c.phase {
        Phase::Running { .. } => Ok(i),
        _ => Err(format!("unable to upgrade connection: container not found (\"{name}\")")),
    }
}

/// The container's files (its image's, then its volumes'), by absolute path.
pub fn read_files(sim: &Sim, key: &ObjectKey, container: Option<&str>) -> Result<Files, String> {
    let i = running(sim, key, container)?;
    let c = &sim.kubelets.pods[key].containers[i];
    let Phase::Running { proc, .. } = &c.phase else { unreachable!("checked by running()") };
    let mut files = proc.files().clone();
    volumes::refresh(&mut files, &c.mounts, &sim.kubelets.volumes);
    Ok(files)
}

/// Writes `writes` (path → content; directories end with `/`) into the container, and into its
/// volumes where they are mounted.
pub fn write_files(sim: &mut Sim, key: &ObjectKey, container: Option<&str>, writes: Files) -> Result<(), String> {
    let i = running(sim, key, container)?;
    let mut files = read_files(sim, key, container)?;
    files.extend(writes);
    let mounts = sim.kubelets.pods[key].containers[i].mounts.clone();
    volumes::save(&files, &mounts, &mut sim.kubelets.volumes);
    if let Some(Phase::Running { proc, .. }) =
        sim.kubelets.pods.get_mut(key).and_then(|r| r.containers.get_mut(i)).map(|c| &mut c.phase)
    {
        *proc.files_mut() = files;
    }
    Ok(())
}

//! Keeping the simulated tablets off the hub's cores. A thousand tablets
//! share this machine's two cores with the hub processes and PostgreSQL,
//! which in a county run on machines of their own, and filing everyone's
//! encounters a thousand times over is most of the machine's work. The hub's
//! own time (`Server-Timing`) should be the hub's work, not its wait for a
//! core the tablets hold.
//!
//! Per-thread priorities are not enough: a `SCHED_IDLE` thread weighs 3
//! against a normal thread's 1024, but a thousand runnable tablets weigh
//! 3000, so PostgreSQL's backends and the hub's threads still waited on the
//! run queue four times as long as they ran (their `schedstat`, measured on
//! this machine). Put together in one CPU group marked idle, the tablets
//! weigh as one idle thread, and the hub and its database get the cores
//! whenever they want them.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

/// The simulated tablets' CPU group, removed when dropped.
pub(super) struct TabletCpu {
    group: Option<PathBuf>,
    how: &'static str,
    /// A thread the group refused (it ran on thread priorities only), so
    /// the report does not claim the group for the whole run.
    refused: AtomicBool,
}

/// The tablets' `nice` value (also kept inside the group, which orders them
/// among themselves and is what is left where no group can be made).
pub(super) const TABLET_NICE: i32 = 10;

impl TabletCpu {
    /// Makes the group where the machine allows it (cgroup v1's `cpu`
    /// controller, as root); else the tablets get per-thread priorities only.
    pub fn new() -> TabletCpu {
        let base = PathBuf::from("/sys/fs/cgroup/cpu");
        let group = base.join(format!("samskap-tablets-{}", std::process::id()));
        if base.join("tasks").exists() && std::fs::create_dir(&group).is_ok() {
            if std::fs::write(group.join("cpu.idle"), "1").is_ok() {
                return TabletCpu { group: Some(group), how: "cpu group, idle", refused: AtomicBool::new(false) };
            }
            if std::fs::write(group.join("cpu.shares"), "2").is_ok() {
                return TabletCpu { group: Some(group), how: "cpu group, 2 shares", refused: AtomicBool::new(false) };
            }
            let _ = std::fs::remove_dir(&group);
        }
        TabletCpu { group: None, how: "threads at SCHED_IDLE", refused: AtomicBool::new(false) }
    }

    /// How the tablets were kept off the hub's cores, for the report.
    pub fn how(&self) -> &'static str {
        if self.refused.load(Relaxed) {
            "threads at SCHED_IDLE (the cpu group refused some)"
        } else {
            self.how
        }
    }

    /// Moves the calling thread into the group (threads it starts follow)
    /// and lowers its priority; `idle`: also `SCHED_IDLE` within it.
    pub fn enter(&self, idle: bool) {
        #[cfg(target_os = "linux")]
        if let Some(group) = &self.group {
            // SAFETY: gettid only returns the calling thread's id.
            let tid = unsafe { libc::gettid() };
            if std::fs::write(group.join("tasks"), tid.to_string()).is_err() {
                self.refused.store(true, Relaxed);
            }
        }
        #[cfg(target_os = "linux")]
        // SAFETY: setpriority and sched_setscheduler only read their
        // arguments and change the calling thread (0 names it).
        unsafe {
            libc::setpriority(libc::PRIO_PROCESS, 0, TABLET_NICE);
            if idle {
                let param = libc::sched_param { sched_priority: 0 };
                if libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) != 0 {
                    libc::setpriority(libc::PRIO_PROCESS, 0, 19);
                }
            }
        }
        #[cfg(not(target_os = "linux"))]
        let _ = idle;
    }
}

impl Drop for TabletCpu {
    /// A group goes once its threads have ended (they have, by now).
    fn drop(&mut self) {
        if let Some(group) = &self.group {
            for _ in 0..50 {
                if std::fs::remove_dir(group).is_ok() {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_tablet_thread_lands_in_the_group_at_a_low_priority() {
        let cpu = std::sync::Arc::new(TabletCpu::new());
        let group = cpu.group.clone();
        let c = cpu.clone();
        let (cgroups, nice) = std::thread::spawn(move || {
            c.enter(false);
            // SAFETY: getpriority only reads; 0 names the calling thread.
            let nice = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
            (std::fs::read_to_string("/proc/thread-self/cgroup").unwrap_or_default(), nice)
        })
        .join()
        .expect("thread");
        assert_eq!(nice, TABLET_NICE);
        if let Some(group) = &group {
            let name = group.file_name().and_then(|n| n.to_str()).expect("name");
            assert!(cgroups.lines().any(|l| l.contains(":cpu") && l.ends_with(name)), "{cgroups}");
            assert!(cpu.how().starts_with("cpu group"));
        } else {
            assert_eq!(cpu.how(), "threads at SCHED_IDLE");
        }
        drop(cpu);
        // The group is gone once its threads are.
        if let Some(group) = group {
            assert!(!group.exists());
        }
    }
}

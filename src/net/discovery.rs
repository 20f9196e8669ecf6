//! Finding LAN sessions with mDNS (where the network allows multicast;
//! a phone hotspot usually does). A typed address and invite code always
//! work as well.

use std::time::{Duration, Instant};

use mdns_sd::{ServiceDaemon, ServiceEvent, ServiceInfo};
use serde::Serialize;

use super::NetError;

pub const SERVICE: &str = "_samskap._tcp.local.";

fn mdns_error(e: mdns_sd::Error) -> NetError {
    NetError::BadRequest(format!("mDNS is not available here ({e}); type the session's address instead"))
}

/// A LAN session announced on the network while it lives.
pub struct Advert {
    daemon: ServiceDaemon,
}

impl Drop for Advert {
    fn drop(&mut self) {
        let _ = self.daemon.shutdown();
    }
}

/// Announces a LAN session on `port`. Only the workspace's name is
/// announced; joining still needs the invite code or membership.
pub fn advertise(port: u16, workspace_name: &str, device: uuid::Uuid) -> Result<Advert, NetError> {
    let daemon = ServiceDaemon::new().map_err(mdns_error)?;
    let instance = format!("samskap-{}", &device.simple().to_string()[..12]);
    let host = format!("{instance}.local.");
    let props = [("workspace", workspace_name), ("v", "1")];
    let info =
        ServiceInfo::new(SERVICE, &instance, &host, "", port, &props[..]).map_err(mdns_error)?.enable_addr_auto();
    daemon.register(info).map_err(mdns_error)?;
    Ok(Advert { daemon })
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Found {
    pub name: String,
    pub workspace: String,
    pub url: String,
}

/// Listens for LAN sessions for `wait`.
pub fn discover(wait: Duration) -> Result<Vec<Found>, NetError> {
    let daemon = ServiceDaemon::new().map_err(mdns_error)?;
    let events = daemon.browse(SERVICE).map_err(mdns_error)?;
    let deadline = Instant::now() + wait;
    let mut found: Vec<Found> = vec![];
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match events.recv_timeout(left) {
            Ok(ServiceEvent::ServiceResolved(s)) => {
                let workspace = s.txt_properties.get_property_val_str("workspace").unwrap_or_default().to_string();
                for ip in s.get_addresses_v4() {
                    let f = Found {
                        name: s.fullname.clone(),
                        workspace: workspace.clone(),
                        url: format!("http://{ip}:{}", s.port),
                    };
                    if !found.contains(&f) {
                        found.push(f);
                    }
                }
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    let _ = daemon.shutdown();
    Ok(found)
}

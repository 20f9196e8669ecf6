//! Samskap's desktop and tablet app. A shell: it opens the local store,
//! exposes typed commands over the core (`samskap`), and serves the web UI
//! in `ui/`. No business rules live here, and nothing leaves the device.

pub mod commands;
pub mod error;
pub mod ipc;
pub mod state;

#[macro_use]
mod command_table;

use std::path::PathBuf;
use std::time::Instant;

use tauri::{Manager, Runtime};

pub use command_table::{command_shapes, CommandShape, COMMANDS};
pub use error::ApiError;
pub use state::AppState;

/// Where a hosted LAN session listens: every interface, a free port.
pub const LAN_BIND: std::net::SocketAddr =
    std::net::SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), 0);

/// How the app was started: `--data DIR` (or `SAMSKAP_DATA`) picks the
/// store folder, `--window WxH` the window's size in logical pixels.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub data_dir: Option<PathBuf>,
    pub window: Option<(f64, f64)>,
    pub started: Option<Instant>,
}

impl Options {
    pub fn from_args(args: impl IntoIterator<Item = String>, env_data: Option<String>) -> Options {
        let mut o = Options { data_dir: env_data.filter(|d| !d.is_empty()).map(PathBuf::from), ..Default::default() };
        let mut args = args.into_iter();
        while let Some(a) = args.next() {
            match a.as_str() {
                "--data" => o.data_dir = args.next().map(PathBuf::from),
                "--window" => o.window = args.next().and_then(|s| parse_size(&s)),
                _ => {}
            }
        }
        o
    }
}

fn parse_size(s: &str) -> Option<(f64, f64)> {
    let (w, h) = s.split_once('x')?;
    Some((w.trim().parse().ok()?, h.trim().parse().ok()?))
}

/// Builds the app on any runtime; tests drive it with `tauri::test::mock_builder()`.
pub fn run_app<R: Runtime>(builder: tauri::Builder<R>, opts: Options) -> tauri::Builder<R> {
    let started = opts.started.unwrap_or_else(Instant::now);
    builder.plugin(tauri_plugin_dialog::init()).invoke_handler(handler!()).setup(move |app| {
        let dir = match opts.data_dir.clone() {
            Some(d) => d,
            None => app.path().app_data_dir()?,
        };
        app.manage(AppState::open(dir, started));
        if let Some(cfg) = app.config().app.windows.iter().find(|w| w.label == "main") {
            let mut window = tauri::WebviewWindowBuilder::from_config(app.handle(), cfg)?;
            if let Some((w, h)) = opts.window {
                window = window.inner_size(w, h);
            }
            window.build()?;
        }
        Ok(())
    })
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let started = Instant::now();
    let mut opts = Options::from_args(std::env::args().skip(1), std::env::var("SAMSKAP_DATA").ok());
    opts.started = Some(started);
    run_app(tauri::Builder::default(), opts)
        .build(tauri::generate_context!())
        .expect("Samskap could not start its window")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                if let Some(state) = app.try_state::<AppState>() {
                    state.close();
                }
            }
        });
}

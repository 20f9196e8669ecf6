// Only the names are needed here; the types are read by `src/command_table.rs`.
macro_rules! commands {
    ($($module:ident :: $name:ident { $($arg:ident : $ty:ty),* } -> $result:ty),+ $(,)?) => {
        const COMMANDS: &[&str] = &[$(stringify!($name)),+];
    };
}

include!("src/command_list.rs");

fn main() {
    println!("cargo:rerun-if-changed=src/command_list.rs");
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step");
}

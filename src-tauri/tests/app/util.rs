use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use tauri::test::{mock_builder, MockRuntime};
use tauri::{App, Manager, WebviewWindow};

pub struct TestApp {
    pub _app: App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
    pub dir: tempfile::TempDir,
}

/// The app as it ships (config, capability, handler), on the mock runtime.
pub fn app_in(dir: tempfile::TempDir) -> TestApp {
    let opts = samskap_app::Options { data_dir: Some(dir.path().to_path_buf()), ..Default::default() };
    let mut app = samskap_app::run_app(mock_builder(), opts).build(tauri::generate_context!()).expect("app builds");
    // Runs the setup hook (open the store, create the window) as `run` would.
    #[allow(deprecated)]
    app.run_iteration(|_, _| {});
    let window = app.get_webview_window("main").expect("the main window is created in setup");
    TestApp { _app: app, window, dir }
}

pub fn app() -> TestApp {
    app_in(tempfile::tempdir().unwrap())
}

impl TestApp {
    pub fn call_raw(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let res = tauri::test::get_ipc_response(
            &self.window,
            tauri::webview::InvokeRequest {
                cmd: cmd.into(),
                callback: tauri::ipc::CallbackFn(0),
                error: tauri::ipc::CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: tauri::ipc::InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: tauri::test::INVOKE_KEY.to_string(),
            },
        );
        res.map(|b| b.deserialize::<Value>().unwrap())
    }

    pub fn call<T: DeserializeOwned>(&self, cmd: &str, args: Value) -> T {
        let v = self.call_raw(cmd, args).unwrap_or_else(|e| panic!("{cmd} failed: {e}"));
        serde_json::from_value(v).unwrap_or_else(|e| panic!("{cmd} returned an unexpected shape: {e}"))
    }

    /// Quits (closing the store as the app does on exit) and starts again on the same folder.
    pub fn restart(self) -> TestApp {
        self._app.state::<samskap_app::AppState>().close();
        drop(self.window);
        drop(self._app);
        app_in(self.dir)
    }

    pub fn init(&self) -> Value {
        self.call(
            "init_store",
            json!({"input": {"staff": "Ingrid Haugen", "branch": "Vadsø", "workspace_name": "Finnmark"}}),
        )
    }
}

//! The application shell: header, side panel and the map, inside the worker provider.

use yew::prelude::*;
use yew_agent::worker::{WorkerProvider, use_worker_bridge};

use super::map::MapView;
use super::worker::{Engine, Request, Response};

/// The root component.
#[component]
pub fn App() -> Html {
    html! {
        <WorkerProvider<Engine> path="worker.js">
            <Shell />
        </WorkerProvider<Engine>>
    }
}

/// Whether the analysis worker has answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EngineStatus {
    Starting,
    Ready,
}

#[component]
fn Shell() -> Html {
    let status = use_state(|| EngineStatus::Starting);
    let bridge = {
        let status = status.clone();
        use_worker_bridge::<Engine, _>(move |out: Response| match out {
            Response::Pong(_) => status.set(EngineStatus::Ready),
        })
    };
    {
        let bridge = bridge.clone();
        use_effect_with((), move |()| bridge.send(Request::Ping(1)));
    }
    let status_text = match *status {
        EngineStatus::Starting => "计算引擎启动中…",
        EngineStatus::Ready => "计算引擎就绪",
    };
    html! {
        <div class="app">
            <header class="app-header">
                <h1>{ "双圈" }</h1>
                <span class="subtitle">{ "15分钟就业服务圈 + 一刻钟便民生活圈" }</span>
                <span class="spacer"></span>
            </header>
            <aside class="side-panel" id="side-panel" aria-label="面板">
                <h2>{ "面板" }</h2>
                <p id="engine-status" role="status" data-ready={(*status == EngineStatus::Ready).to_string()}>
                    { status_text }
                </p>
            </aside>
            <main class="map-wrap">
                <MapView center_wgs84={(121.475, 31.229)} zoom={14.0} label="地图" />
            </main>
        </div>
    }
}

//! The typed protocol between the page and the analysis worker ([`super::worker`]).
//!
//! Requests and answers are enums of typed values all the way down: no JSON inside strings.
//! Every request that computes carries a sequence number that its answer, its progress and its
//! failure carry back, so the page can drop what it no longer waits for. Failures are one
//! [`EngineError`] with its parameters; the page turns them into words
//! ([`super::i18n::Lang::engine_error`]).
//!
//! The encoding ([`encode`], [`decode`]) is postcard: one compact binary message in a
//! `Uint8Array` whose buffer is transferred, not copied. It is not self-describing, which keeps
//! the page's decoders small (no field names, no per-field calls into JavaScript). The few values
//! whose serde form needs a self-describing format (the network edits, internally tagged; the
//! resident query, whose hours are read through `try_from`) cross as JSON text inside the
//! message ([`as_json`]); their Rust types are the same on both sides.
//!
//! Lists the page only shows are sent in words, both languages at once ([`LoadShown`],
//! [`ImportShown`], [`NearbyShown`]: import problems and match reasons as
//! [`crate::web::i18n::Both`]), so the page carries neither their decoders nor their wording.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

use crate::plan::graph::{Compounds, NetworkEdits};

pub use crate::plan::engine::{
    AccessAnswer, CoverageAnswer, EngineError, ImportAnswer, IsoAnswer, LoadSummary, NearbyAnswer,
    PlaceAnswer, RouteAnswer, ScenarioFigures, SurfaceAnswer,
};

/// What the worker made of a package, its problems rendered in both languages.
pub type LoadShown = LoadSummary<crate::web::i18n::Both>;

/// What an imported file added, its problems rendered in both languages.
pub type ImportShown = ImportAnswer<crate::web::i18n::Both>;

/// A resident query's answer, the match reasons rendered in both languages.
pub type NearbyShown = NearbyAnswer<crate::web::i18n::Both>;

/// Which kind of request an answer, a progress report or a failure belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Task {
    /// [`Request::Load`].
    Load,
    /// [`Request::Isochrone`].
    Isochrone,
    /// [`Request::Nearby`].
    Nearby,
    /// [`Request::Coverage`].
    Coverage,
    /// [`Request::Place`].
    Place,
    /// [`Request::Figures`].
    Figures,
    /// [`Request::Access`].
    Access,
    /// [`Request::Surface`].
    Surface,
    /// [`Request::SetNetwork`].
    Network,
    /// [`Request::ReadEdits`].
    EditsFile,
    /// [`Request::ExportPackage`].
    Export,
}

/// A request from the page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    /// Liveness check: answered with [`Response::Pong`] carrying the same number.
    Ping(u32),
    /// Load a package: its manifest file and each layer file's bytes by layer id.
    Load {
        /// Package id.
        package_id: String,
        /// The text of `manifest.json` (a file, parsed by the engine with its own checks).
        manifest_json: String,
        /// (layer id, file bytes): text layers as UTF-8, the streets as OSM PBF.
        files: Vec<(String, serde_bytes::ByteBuf)>,
    },
    /// Import a user file (CSV, GeoJSON, OSM) into the loaded package.
    Import {
        /// File name (decides the format and, for CSV, the layer guess).
        file: String,
        /// File bytes.
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    /// Walking isochrones from one point.
    Isochrone {
        /// Request number (answers carry it back).
        seq: u64,
        /// The point (lon, lat), WGS-84.
        at_wgs84: (f64, f64),
        /// Budgets in minutes.
        minutes: Vec<f64>,
        /// Walking speed, metres per minute.
        speed_m_per_min: f64,
    },
    /// A resident query: postings and services within a walk of a home.
    Nearby {
        /// Request number.
        seq: u64,
        /// Home (lon, lat), WGS-84.
        home_wgs84: (f64, f64),
        /// Minutes, speed, filters and profile.
        #[serde(with = "as_json")]
        query: crate::plan::nearby::Query,
    },
    /// The walking route from the last resident query's home to a posting.
    Route {
        /// Request number.
        seq: u64,
        /// Posting index.
        posting: usize,
    },
    /// The dual-circle assessment of the loaded layers.
    Coverage {
        /// Request number.
        seq: u64,
        /// Thresholds, speed and model share.
        params: crate::plan::coverage::Params,
    },
    /// Station placement on the candidates.
    Place {
        /// Request number.
        seq: u64,
        /// What to place.
        params: crate::plan::engine::PlaceParams,
    },
    /// The scenario's accepted sites: every later analysis counts them as stations.
    SetScenario(Vec<crate::plan::scenario::Site>),
    /// The figures of the loaded data with these sites added (one side of a comparison).
    Figures {
        /// Request number.
        seq: u64,
        /// Which side (0 or 1).
        side: u8,
        /// The scenario's sites.
        sites: Vec<crate::plan::scenario::Site>,
        /// Thresholds and speed.
        params: crate::plan::coverage::Params,
        /// The scenario's compound setting (its side is computed on its own network).
        compounds: Compounds,
        /// The scenario's network edits.
        #[serde(with = "as_json")]
        edits: NetworkEdits,
    },
    /// The active scenario's network: every later analysis walks the package's graph with these
    /// edits (an overlay, no rebuild) and this compound setting.
    SetNetwork {
        /// Request number.
        seq: u64,
        /// Walk through residential compounds?
        compounds: Compounds,
        /// The edits.
        #[serde(with = "as_json")]
        edits: NetworkEdits,
    },
    /// The street piece nearest a point (within 30 m), to close it.
    EdgeAt {
        /// The point (lon, lat), WGS-84.
        at_wgs84: (f64, f64),
    },
    /// Read an edits GeoJSON the user imports and check it against the network.
    ReadEdits {
        /// Request number.
        seq: u64,
        /// File name.
        file: String,
        /// File bytes.
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    /// Supply–demand ratios (2SFCA / E2SFCA) of the loaded layers.
    Access {
        /// Request number.
        seq: u64,
        /// Method, standard, thresholds, speed, target ratios.
        params: crate::plan::access::Params,
    },
    /// The accessibility surface of the loaded network.
    Surface {
        /// Request number.
        seq: u64,
        /// Cell size, thresholds, speed.
        params: crate::plan::access::SurfaceParams,
    },
    /// The last surface as a file (written in the worker: the page carries no writer).
    SurfaceFile {
        /// Request number.
        seq: u64,
        /// GeoJSON grid (true) or CSV (false).
        geojson: bool,
    },
    /// Import a user file with its layer chosen by the planner (`None`: told from its name and
    /// columns). Answered with [`Response::Imported`] carrying `seq`.
    ImportAs {
        /// Request number.
        seq: u64,
        /// File name.
        file: String,
        /// File bytes.
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
        /// The layer, when the planner chose one.
        layer: Option<crate::plan::package::LayerKind>,
    },
    /// The loaded package with every imported file, as a package ZIP (the CLI's folder format).
    ExportPackage {
        /// Request number.
        seq: u64,
    },
    /// The community search: the loaded package's places whose names `text` finds, by
    /// characters or pinyin (the pinyin table lives in the worker, not in the page).
    FindPlaces {
        /// Request number.
        seq: u64,
        /// What the resident typed.
        text: String,
        /// Most places to return.
        limit: usize,
    },
    /// One map tile of a layer, cut in the worker on demand ([`crate::plan::tile`]); answered
    /// by [`Response::Tile`] with the same number.
    Tile {
        /// The request's number.
        seq: u64,
        /// Which layer.
        layer: crate::plan::tile::TileLayer,
        /// Whose records: the package's (`None`) or the `i`-th imported file's.
        import: Option<u32>,
        /// The tile.
        key: crate::plan::tile::TileKey,
    },
    /// Colours the demand points' tiles by the last coverage answer, counting the base
    /// categories of `mask` (`None`: plain symbols again); answered by [`Response::Painted`].
    /// Tiles asked after it are cut so (the worker reads its messages in order).
    PaintDemand {
        /// Base categories counted (bit mask over `Category::BASE_SIX`), or none.
        mask: Option<u8>,
    },
    /// The street `id` of a streets tile of `import` (a line id of [`Response::Tile`]'s
    /// bytes); answered by [`Response::Street`] with the same number.
    StreetAt {
        /// The request's number.
        seq: u64,
        /// Whose streets: the package's (`None`) or the `i`-th imported file's.
        import: Option<u32>,
        /// The line's id in its tiles.
        id: u32,
    },
    /// The demand tiles' painting by the page's last coverage answer (each demand record's
    /// code, [`crate::web::tiles::coverage_codes`]), for a worker that did not compute it: the
    /// standby, or the worker that took over after a cancel or a fault. No answer.
    SetPainting(Vec<u8>),
    /// Where the community search's pinyin table is served (an absolute URL beside the page's
    /// `app.js`: the worker runs from a blob, against which a relative URL means nothing).
    /// The first message to every worker; the worker fetches the table when the first
    /// [`Request::FindPlaces`] needs it. No answer.
    PinyinTable {
        /// The table's URL.
        url: String,
    },
    /// The per-point CSV of the coverage answer `answer` (its request number), for the export:
    /// written from the worker's last assessment when it is that answer, else assessed again
    /// with `params` (a worker that took over); answered by [`Response::CoveragePoints`].
    CoveragePoints {
        /// Request number.
        seq: u64,
        /// The number of the coverage answer shown.
        answer: u64,
        /// Its parameters.
        params: crate::plan::coverage::Params,
    },
}

/// An answer to the page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response {
    /// Answer to [`Request::Ping`].
    Pong(u32),
    /// Answer to [`Request::Load`] (the problems in words: the page has no decoder of the
    /// typed ones).
    Loaded(LoadShown),
    /// Answer to [`Request::Import`] (the problems in words).
    Imported(ImportShown),
    /// Answer to [`Request::Isochrone`] (its `seq` is the request's).
    Isochrone(IsoAnswer),
    /// Answer to [`Request::Nearby`] (its `seq` is the request's).
    Nearby(Box<NearbyShown>),
    /// Answer to [`Request::Route`] (None: no route).
    Route {
        /// The request's number.
        seq: u64,
        /// The route.
        route: Option<RouteAnswer>,
    },
    /// Answer to [`Request::Coverage`] (its `seq` is the request's).
    Coverage(Box<CoverageAnswer>),
    /// Answer to [`Request::Place`] (its `seq` is the request's).
    Place(Box<PlaceAnswer>),
    /// Answer to [`Request::Figures`].
    Figures {
        /// The request's number.
        seq: u64,
        /// Which side (0 or 1).
        side: u8,
        /// The figures.
        figures: ScenarioFigures,
    },
    /// Progress of a long request.
    Progress {
        /// Which request.
        task: Task,
        /// Its number.
        seq: u64,
        /// Steps done.
        done: usize,
        /// Steps in all.
        total: usize,
    },
    /// A request failed.
    Failed {
        /// Which request.
        task: Task,
        /// Its number (0 for requests without one: a load).
        seq: u64,
        /// Why.
        error: EngineError,
    },
    /// The worker's wasm runs: requests posted from now on are read (sent once, first).
    Ready,
    /// Answer to [`Request::Access`] (its `seq` is the request's).
    Access(Box<AccessAnswer>),
    /// Answer to [`Request::Surface`] (its `seq` is the request's).
    Surface(Box<SurfaceAnswer>),
    /// Answer to [`Request::SetNetwork`]: what the switch did and what it cost in the worker.
    NetworkSet {
        /// The request's number.
        seq: u64,
        /// Milliseconds the switch took in the worker.
        ms: f64,
        /// New path, metres.
        added_m: u64,
        /// Closed street, metres.
        closed_m: u64,
    },
    /// Answer to [`Request::EdgeAt`]: the street piece's line (lon, lat), if one is near.
    Edge(Option<Vec<(f64, f64)>>),
    /// Answer to [`Request::ReadEdits`]: the edits, checked against the network.
    EditsRead {
        /// The request's number.
        seq: u64,
        /// File name.
        file: String,
        /// The edits.
        #[serde(with = "as_json")]
        edits: NetworkEdits,
    },
    /// Answer to [`Request::SurfaceFile`].
    SurfaceFile {
        /// The request's number.
        seq: u64,
        /// GeoJSON grid (true) or CSV (false).
        geojson: bool,
        /// The file's text.
        text: String,
    },
    /// Answer to [`Request::ExportPackage`]: the ZIP.
    PackageZip {
        /// The request's number.
        seq: u64,
        /// The package id (the folder inside the ZIP).
        package_id: String,
        /// The ZIP's bytes.
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    /// Answer to [`Request::FindPlaces`]: positions in [`LoadSummary::places`], best first.
    PlacesFound {
        /// The request's number.
        seq: u64,
        /// The places found.
        found: Vec<usize>,
    },
    /// Answer to [`Request::Tile`]: the tile as bytes ([`crate::plan::tile::wire`]: a line
    /// tile for the streets, a point tile otherwise; empty when the layer has nothing there).
    /// The bytes cross as one `Uint8Array` whose buffer is transferred, not copied.
    Tile {
        /// The request's number.
        seq: u64,
        /// The tile's bytes.
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
        /// Time the worker took, milliseconds (a cached tile: the look-up).
        cut_ms: f64,
    },
    /// Answer to [`Request::PaintDemand`]: the painting's generation (tiles cut from now on).
    Painted(u32),
    /// Answer to [`Request::StreetAt`].
    Street {
        /// The request's number.
        seq: u64,
        /// The street, when it exists.
        info: Option<StreetInfo>,
    },
    /// The second answer to an import that added streets ([`Request::ImportAs`], after its
    /// [`Response::Imported`], whose streets layer has no text): the label points of the
    /// streets' names ([`crate::plan::engine::Engine::street_label_points`]). The network is
    /// ready before they are written.
    StreetLabels {
        /// The import's request number.
        seq: u64,
        /// The label points, each name once (read without a JSON parser).
        points: crate::plan::labels::LabelPoints,
    },
    /// The pinyin table could not be fetched (or was not this build's): the community search
    /// matches names by their characters only. Sent once per worker.
    PinyinUnavailable,
    /// Answer to [`Request::CoveragePoints`]: the per-point CSV.
    CoveragePoints {
        /// The request's number.
        seq: u64,
        /// The package id (names the file).
        package_id: String,
        /// The CSV's text.
        text: String,
    },
    /// The pinyin table arrived after [`Response::PinyinUnavailable`] (a later search fetched
    /// it again): the community search matches pinyin again.
    PinyinRestored,
}

impl Response {
    /// The answer of a worker handler given a request that is not its own (a routing mistake
    /// in the worker's dispatch, never the page's).
    pub fn misrouted() -> Self {
        Self::Failed {
            task: Task::Load,
            seq: 0,
            error: EngineError::Internal {
                what: "request routed to the wrong handler".to_owned(),
            },
        }
    }
}

/// A street as a click on the map tells it: name, class (the OSM `highway` value) and length.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreetInfo {
    /// Name, when known.
    pub name: Option<String>,
    /// The OSM `highway` value (empty when none).
    pub highway: String,
    /// Length along the line, metres.
    pub length_m: f64,
}

/// A value that crosses as JSON text inside the binary message: its serde form needs a
/// self-describing format (an internally tagged enum, a field read through `try_from`).
mod as_json {
    use serde::de::{DeserializeOwned, Error as _};
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&serde_json::to_string(value).map_err(S::Error::custom)?)
    }

    pub fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(
        d: D,
    ) -> Result<T, D::Error> {
        serde_json::from_str(&String::deserialize(d)?).map_err(D::Error::custom)
    }
}

/// Encodes a message for `postMessage` (postcard bytes; post it with [`transfer`]).
///
/// The bytes are written straight into the JS array at their counted size, a chunk at a time:
/// a city's import answer (tens of MB) is never copied whole into the wasm heap, whose
/// memory never shrinks. Counting and writing go through one serializer type ([`ToJs`]), so
/// each message's encoder is in the wasm once (postcard's own size flavor would be a second
/// copy of every encoder).
pub fn encode<T: Serialize>(value: &T) -> js_sys::Uint8Array {
    let written = postcard::serialize_with_flavor(value, ToJs::new(None)).and_then(|counted| {
        let out = js_sys::Uint8Array::new_with_length(counted.at);
        postcard::serialize_with_flavor(value, ToJs::new(Some(out)))
    });
    match written {
        Ok(ToJs { out: Some(out), .. }) => out,
        // Every protocol type serialises; a failure is a bug worth a loud console error.
        Ok(_) => wasm_bindgen::throw_str("worker message not encoded"),
        Err(e) => wasm_bindgen::throw_str(&format!("worker message not encoded: {e}")),
    }
}

/// A postcard output that counts the bytes (no array) or fills a JS array of the counted size
/// through a small buffer.
struct ToJs {
    out: Option<js_sys::Uint8Array>,
    at: u32,
    buf: Vec<u8>,
}

impl ToJs {
    /// Bytes gathered before each copy into the JS array.
    const CHUNK: usize = 64 * 1024;

    fn new(out: Option<js_sys::Uint8Array>) -> Self {
        let buf = if out.is_some() {
            Vec::with_capacity(Self::CHUNK)
        } else {
            Vec::new()
        };
        Self { out, at: 0, buf }
    }

    fn count(&mut self, n: usize) -> postcard::Result<()> {
        self.at = u32::try_from(n)
            .ok()
            .and_then(|n| self.at.checked_add(n))
            .ok_or(postcard::Error::SerializeBufferFull)?;
        Ok(())
    }

    fn flush(&mut self) -> postcard::Result<()> {
        let Some(out) = &self.out else {
            return Ok(());
        };
        let n = u32::try_from(self.buf.len()).unwrap_or(u32::MAX);
        let end = self.at.saturating_add(n);
        if end > out.length() {
            return Err(postcard::Error::SerializeBufferFull);
        }
        out.subarray(self.at, end).copy_from(&self.buf);
        self.at = end;
        self.buf.clear();
        Ok(())
    }
}

impl postcard::ser_flavors::Flavor for ToJs {
    type Output = ToJs;

    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        if self.out.is_none() {
            return self.count(1);
        }
        if self.buf.len() == Self::CHUNK {
            self.flush()?;
        }
        self.buf.push(data);
        Ok(())
    }

    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        if self.out.is_none() {
            return self.count(data.len());
        }
        for part in data.chunks(Self::CHUNK) {
            if self.buf.len() + part.len() > Self::CHUNK {
                self.flush()?;
            }
            self.buf.extend_from_slice(part);
        }
        Ok(())
    }

    fn finalize(mut self) -> postcard::Result<ToJs> {
        self.flush()?;
        Ok(self)
    }
}

/// The transfer list of an encoded message: its buffer moves to the other side, uncopied.
pub fn transfer(message: &js_sys::Uint8Array) -> js_sys::Array {
    js_sys::Array::of1(&message.buffer())
}

/// Decodes a message received from `postMessage` (Err: what did not decode).
pub fn decode<T: DeserializeOwned>(value: wasm_bindgen::JsValue) -> Result<T, String> {
    let bytes = value
        .dyn_into::<js_sys::Uint8Array>()
        .map_err(|_| "worker message not decoded: not bytes".to_owned())?
        .to_vec();
    postcard::from_bytes(&bytes).map_err(|e| format!("worker message not decoded: {e}"))
}

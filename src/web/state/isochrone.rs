//! The walking-circles feature: the chosen point and the worker's isochrones of it.

use std::rc::Rc;

use yew::prelude::*;

use crate::web::protocol::IsoAnswer;

/// The chosen point and its circles.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IsoState {
    /// The chosen point (lon, lat), WGS-84: also the resident's home.
    pub home: Option<(f64, f64)>,
    /// The last isochrone answer.
    pub answer: Option<Rc<IsoAnswer>>,
}

/// Changes of [`IsoState`].
#[derive(Debug, Clone)]
pub enum IsoAction {
    /// A point was chosen before a package was loaded.
    SetHome((f64, f64)),
    /// An answer arrived, with the point it was asked for: the chosen point from now on (a
    /// click is drawn once, with its answer: `web::engine::pick`).
    Answer(Rc<IsoAnswer>, Option<(f64, f64)>),
    /// Another package: no point, no circles.
    Reset,
}

impl Reducible for IsoState {
    type Action = IsoAction;

    fn reduce(self: Rc<Self>, action: IsoAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            IsoAction::SetHome(p) => s.home = Some(p),
            IsoAction::Answer(a, home) => {
                s.answer = Some(a);
                s.home = home.or(s.home);
            }
            IsoAction::Reset => s = IsoState::default(),
        }
        Rc::new(s)
    }
}

/// The context of [`IsoState`].
pub type IsoContext = UseReducerHandle<IsoState>;

/// The walking-circles state.
#[hook]
pub fn use_isochrone() -> IsoContext {
    super::use_feature::<IsoState>()
}

//! Small shared builders for markup that many views repeat (buttons,
//! options, table headers, text cells, swatches, SVG lines).
//!
//! Why: every `html!` element expands inline into a few hundred bytes of
//! wasm (boxing a `VTag`, its attributes, listeners and children). One
//! non-generic builder called from many places keeps one copy of that code.
//! Builders are `#[inline(never)]` so LLVM does not copy them back; the thin
//! generic wrappers only convert their arguments.

use yew::html::IntoPropValue;
use yew::prelude::*;
use yew::virtual_dom::{Attributes, AttributeOrProperty, Listeners, VList, VTag, VText};

use crate::i18n::{tr, Lang};
use crate::num::fixed;

/// An element, for markup `html!` would expand inline at every use:
///
/// ```ignore
/// tag!("p" "id": "catchup", "class": "catchup", "role": "status"; onclick: cb => child, other)
/// ```
///
/// is `<p id="catchup" class="catchup" role="status" onclick={cb}>{ child }{ other }</p>`.
/// Attribute values are anything `html!` takes (`&'static str`, `String`,
/// `AttrValue`, `Option`s of them; `None` leaves the attribute out; a
/// boolean attribute is `Some("disabled")` or `None`); an empty `class` is
/// left out, as `html!` does. Children are anything `html!` takes as a
/// `{ … }` block child (`Html`, `Option<Html>`, text), in order. Only the
/// boxes of values, listeners and children are built at the call site; the
/// element itself is one non-generic [`tag_`]. Not for `<input>` /
/// `<textarea>` (whose `value` is a property).
macro_rules! tag {
    // All values literals: a static attribute list, as `html!` makes.
    ($name:literal $($k:literal : $v:literal),* $(; $($ev:ident : $cb:expr),+)? => $($child:expr),* $(,)?) => {
        $crate::ui::widgets::tag_(
            $name,
            ::yew::virtual_dom::Attributes::Static(&[$(($k, ::yew::virtual_dom::AttributeOrProperty::Static($v))),*]),
            $crate::ui::widgets::tag!(@on $($($ev : $cb),+)?),
            ::std::vec![$(::yew::html::IntoPropValue::<::yew::Html>::into_prop_value($child)),*],
        )
    };
    ($name:literal $($k:literal : $v:expr),* $(; $($ev:ident : $cb:expr),+)? => $($child:expr),* $(,)?) => {
        $crate::ui::widgets::tag_(
            $name,
            ::yew::virtual_dom::Attributes::Dynamic {
                keys: &[$($k),*],
                values: ::std::boxed::Box::new([$($crate::ui::widgets::attr($v)),*]),
            },
            $crate::ui::widgets::tag!(@on $($($ev : $cb),+)?),
            ::std::vec![$(::yew::html::IntoPropValue::<::yew::Html>::into_prop_value($child)),*],
        )
    };
    (@on) => { ::yew::virtual_dom::Listeners::None };
    (@on $($ev:ident : $cb:expr),+) => {
        ::yew::virtual_dom::Listeners::Pending(::std::boxed::Box::new([$(::yew::html::$ev::Wrapper::__macro_new($cb)),+]))
    };
}
pub(crate) use tag;

/// An attribute value for [`tag!`]: `None` is no attribute.
#[inline]
pub fn attr(v: impl IntoPropValue<Option<AttrValue>>) -> Option<AttributeOrProperty> {
    v.into_prop_value().map(AttributeOrProperty::Attribute)
}

/// The element [`tag!`] builds.
#[inline(never)]
pub fn tag_(name: &'static str, mut attrs: Attributes, listeners: Listeners, mut children: Vec<Html>) -> Html {
    // `class={…}` in `html!` goes through `Classes`: its words, each once,
    // joined by single spaces; no attribute when there are none.
    if let Attributes::Dynamic { keys, values } = &mut attrs {
        for (k, v) in keys.iter().zip(values.iter_mut()) {
            if let (&"class", Some(AttributeOrProperty::Attribute(c))) = (k, &*v) {
                let mut words: Vec<&str> = Vec::new();
                for w in c.split_whitespace() {
                    if !words.contains(&w) {
                        words.push(w);
                    }
                }
                let joined = words.join(" ");
                if joined.is_empty() {
                    *v = None;
                } else if joined != c.as_str() {
                    *v = Some(AttributeOrProperty::Attribute(joined.into()));
                }
            }
        }
    }
    let children = match children.len() {
        0 => Html::default(),
        1 => children.pop().unwrap_or_default(),
        _ => Html::from(VList::with_children(children, None)),
    };
    Html::from(VTag::__new_other(AttrValue::Static(name), NodeRef::default(), None, attrs, listeners, children))
}

/// `node` with a `key` (as `<tag key=…>` in `html!`).
#[inline(never)]
pub fn keyed(key: u64, mut node: Html) -> Html {
    if let Html::VTag(t) = &mut node {
        if let Some(t) = std::rc::Rc::get_mut(t) {
            t.key = Some(key.into());
        }
    }
    node
}

/// A text node (no `ToString` copy, unlike `{ expr }` in `html!`).
pub fn text(t: impl IntoPropValue<AttrValue>) -> Html {
    Html::VText(VText::new(t.into_prop_value()))
}

/// `<tag class=…>text</tag>`: an element holding only text.
pub fn el(tag: &'static str, class: Option<&'static str>, content: impl IntoPropValue<AttrValue>) -> Html {
    el_(tag, class, content.into_prop_value())
}

#[inline(never)]
fn el_(tag: &'static str, class: Option<&'static str>, content: AttrValue) -> Html {
    // What `html!` builds for `<tag class={class}>{ content }</tag>`, with the
    // tag name as an argument (`<@{tag}>` would add a run-time tag check).
    // Empty content: no child at all (as `<tag class=…></tag>`).
    let children = if content.is_empty() { Vec::new() } else { vec![text(content)] };
    tag_(tag, Attributes::Dynamic { keys: &["class"], values: Box::new([attr(class)]) }, Listeners::None, children)
}

/// `<tag id=…>text</tag>`: a heading (or other text element) others point at.
/// (The cluster view's, which modules without `membership` leave out.)
#[cfg(feature = "membership")]
pub fn el_id(tag: &'static str, id: &'static str, content: impl IntoPropValue<AttrValue>) -> Html {
    el_id_(tag, id, content.into_prop_value())
}

#[cfg(feature = "membership")]
#[inline(never)]
fn el_id_(tag: &'static str, id: &'static str, content: AttrValue) -> Html {
    tag_(tag, Attributes::Dynamic { keys: &["id"], values: Box::new([attr(id)]) }, Listeners::None, vec![text(content)])
}

/// `<td class="num">text</td>`.
pub fn num_td(content: impl IntoPropValue<AttrValue>) -> Html {
    el_("td", Some("num"), content.into_prop_value())
}

/// A table head: one `<th scope="col">` per translated key.
#[inline(never)]
pub fn thead(l: Lang, keys: &[&'static str]) -> Html {
    tag!("thead" => tag!("tr" => keys.iter().map(|k| col(tr(l, k))).collect::<Html>()))
}

/// `<th scope="col">text</th>`.
pub fn col(label: impl IntoPropValue<AttrValue>) -> Html {
    col_(label.into_prop_value())
}

#[inline(never)]
fn col_(label: AttrValue) -> Html {
    tag!("th" "scope": "col" => text(label))
}

/// `<option value selected>label</option>`.
pub fn option(value: impl IntoPropValue<AttrValue>, label: impl IntoPropValue<AttrValue>, selected: bool) -> Html {
    option_(value.into_prop_value(), label.into_prop_value(), selected)
}

#[inline(never)]
fn option_(value: AttrValue, label: AttrValue, selected: bool) -> Html {
    tag!("option" "value": value, "selected": selected.then_some("selected") => text(label))
}

/// A colour swatch: `<span class="swatch" style="background:…">`.
#[inline(never)]
pub fn swatch(colour: &str, aria_hidden: bool) -> Html {
    tag!("span" "class": "swatch", "style": format!("background:{colour}"), "aria-hidden": aria_hidden.then_some("true") =>)
}

/// `<label>text <select id aria-label onchange>options</select></label>`.
/// `space`: a " " between the text and the select; `aria`: the text is
/// also the select's `aria-label`.
#[inline(never)]
pub fn labelled_select(label: &'static str, space: bool, id: &'static str, aria: bool, onchange: Callback<Event>, options: Html) -> Html {
    tag!("label" =>
        text(label),
        space.then(|| text(" ")),
        tag!("select" "id": id, "aria-label": aria.then_some(label); onchange: onchange => options),
    )
}

/// A `<button>`; fields left `None` / `false` are not rendered.
#[derive(Default)]
pub struct Button {
    pub id: Option<&'static str>,
    pub class: Option<&'static str>,
    pub title: Option<AttrValue>,
    pub aria_label: Option<AttrValue>,
    /// `aria-pressed="true|false"` when set.
    pub pressed: Option<bool>,
    pub disabled: bool,
    pub label: AttrValue,
    pub onclick: Callback<MouseEvent>,
}

impl Button {
    #[inline(never)]
    pub fn html(self) -> Html {
        let Button { id, class, title, aria_label, pressed, disabled, label, onclick } = self;
        tag!("button" "id": id, "class": class, "title": title, "aria-label": aria_label, "aria-pressed": pressed.map(bool_str),
            "disabled": disabled.then_some("disabled"); onclick: onclick => text(label))
    }
}

/// A translated text as an attribute value (static: no allocation).
pub fn tra(l: Lang, key: &'static str) -> AttrValue {
    AttrValue::Static(tr(l, key))
}

/// A `class` value: the non-empty parts joined by spaces; `None` (no
/// attribute) when all are empty. Like `classes!`, without building a set.
#[inline(never)]
pub fn cls(parts: &[&str]) -> Option<AttrValue> {
    let joined = parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then(|| joined.into())
}

/// `part` when `on`, else nothing (for [`cls`]).
pub fn when(on: bool, part: &str) -> &str {
    if on {
        part
    } else {
        ""
    }
}

/// "true" / "false", as `aria-*` and `data-*` attributes want them.
pub fn bool_str(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// `v` with one decimal (SVG coordinates, timings).
#[inline(never)]
pub fn f1(v: f64) -> String {
    fixed(v, 1)
}

/// `<line class x1 y1 x2 y2 />` with coordinates to one decimal.
#[inline(never)]
pub fn svg_line(class: Option<&'static str>, x1: f64, y1: f64, x2: f64, y2: f64) -> Html {
    tag!("line" "class": class, "x1": f1(x1), "y1": f1(y1), "x2": f1(x2), "y2": f1(y2) =>)
}

/// `<circle class cx cy r />` with coordinates to one decimal.
#[inline(never)]
pub fn svg_circle(class: Option<&'static str>, cx: f64, cy: f64, r: f64) -> Html {
    tag!("circle" "class": class, "cx": f1(cx), "cy": f1(cy), "r": f1(r) =>)
}

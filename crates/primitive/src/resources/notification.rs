//! `m2m:sgn` (TS-0004 7.5.1, 7.4.8.2.x): the content of a NOTIFY request sent for a
//! subscription: an event, a verification request or a subscription deletion.

use crate::error::Error;
use crate::value::{Map, Value};

use super::Resource;
use super::attribute_reader::AttributeReader;
use super::attribute_writer::AttributeWriter;
use super::notification_event_type::{self, NotificationEventType};

/// The XSD order of the notification's members.
const ORDER: &[&str] = &["nev", "vrq", "sud", "sur", "cr", "nfu"];

/// The XSD order of a notification event's members.
const EVENT_ORDER: &[&str] = &["rep", "om", "net"];

/// `nev`: what happened.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NotificationEvent {
    /// `rep` representation: the resource (or its ID) as the subscription's `nct` asks,
    /// e.g. `{"m2m:cin": {...}}`. See [`Notification::representation`].
    pub rep: Option<Value>,
    /// `net` notificationEventType.
    pub net: Option<NotificationEventType>,
    /// Other members (`om` operationMonitor, ...), kept as received.
    pub extra: Map,
}

/// A notification, the `pc` of a NOTIFY request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Notification {
    /// `nev` notificationEvent.
    pub nev: Option<NotificationEvent>,
    /// `vrq` verificationRequest: `true` when the CSE checks that the target accepts
    /// notifications before creating the subscription.
    pub vrq: Option<bool>,
    /// `sud` subscriptionDeletion: `true` when the subscription was deleted.
    pub sud: Option<bool>,
    /// `sur` subscriptionReference: the subscription's ID.
    pub sur: Option<String>,
    /// `cr` creator of the subscription (in a verification request).
    pub cr: Option<String>,
    /// Other members, kept as received.
    pub extra: Map,
}

impl Notification {
    /// The notification of an event of type `net` for subscription `sur`, carrying `rep`.
    pub fn event(sur: impl Into<String>, net: NotificationEventType, rep: Value) -> Self {
        Self {
            nev: Some(NotificationEvent {
                rep: Some(rep),
                net: Some(net),
                extra: Map::new(),
            }),
            sur: Some(sur.into()),
            ..Self::default()
        }
    }

    /// The representation as a typed resource, e.g. `sgn.representation::<ContentInstance>()`;
    /// `Ok(None)` when the notification carries none.
    pub fn representation<R: Resource>(&self) -> Result<Option<R>, Error> {
        self.nev
            .as_ref()
            .and_then(|nev| nev.rep.as_ref())
            .map(R::from_content)
            .transpose()
    }
}

impl NotificationEvent {
    fn to_map(&self) -> Map {
        let mut w = AttributeWriter::new();
        w.put("rep", self.rep.clone());
        w.put("net", self.net.map(|t| i64::from(t.code())));
        w.finish(&self.extra, &[EVENT_ORDER])
    }

    fn from_map(map: &Map) -> Result<Self, Error> {
        let mut r = AttributeReader::new("m2m:notificationEvent", map);
        Ok(Self {
            rep: r.take("rep"),
            net: notification_event_type::read_one(&mut r, "net")?,
            extra: r.finish(),
        })
    }
}

impl Resource for Notification {
    const SHORT_NAME: &'static str = "m2m:sgn";
    /// A notification is not a resource, but it travels like one.
    const TYPE: Option<crate::resource_type::ResourceType> = None;

    fn to_map(&self) -> Map {
        let mut w = AttributeWriter::new();
        w.put("nev", self.nev.as_ref().map(NotificationEvent::to_map));
        w.put("vrq", self.vrq);
        w.put("sud", self.sud);
        w.put("sur", self.sur.clone());
        w.put("cr", self.cr.clone());
        w.finish(&self.extra, &[ORDER])
    }

    fn from_map(map: &Map) -> Result<Self, Error> {
        let mut r = AttributeReader::new(Self::SHORT_NAME, map);
        let nev = r
            .map("nev")?
            .map(|m| NotificationEvent::from_map(&m))
            .transpose()?;
        Ok(Self {
            nev,
            vrq: r.boolean("vrq")?,
            sud: r.boolean("sud")?,
            sur: r.string("sur")?,
            cr: r.string("cr")?,
            extra: r.finish(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::resources::ContentInstance;
    use crate::resources::test_values::{keys, members, unordered, vmap};

    /// `pc` of ACME's notification in capture 10.
    fn acme_notification() -> Value {
        vmap! {"m2m:sgn" => vmap!{
            "nev" => vmap!{"net" => 3, "rep" => vmap!{"m2m:cin" => vmap!{
                "con" => "21.5", "cnf" => "text/plain:0", "lbl" => vec!["rig"], "cs" => 4,
                "pi" => "cnt74dSy0QGuX", "ri" => "cinU5c3VOC3Zl", "rn" => "cin_bJb4xdUzJx", "ty" => 4,
                "ct" => "20261124T215237,748702", "lt" => "20261124T215237,748702",
                "et" => "20311123T215237,115701", "st" => 1,
            }}},
            "sur" => "/id-in/subNPhwcTdRiL",
        }}
    }

    #[test]
    fn acme_notification_reads_event_and_typed_representation() {
        let sgn = Notification::from_content(&acme_notification()).unwrap();
        assert_eq!(sgn.sur.as_deref(), Some("/id-in/subNPhwcTdRiL"));
        let nev = sgn.nev.as_ref().unwrap();
        assert_eq!(nev.net, Some(NotificationEventType::CREATE_CHILD));
        let cin: ContentInstance = sgn.representation().unwrap().unwrap();
        assert_eq!(cin.con, Some(Value::from("21.5")));
        assert_eq!(cin.common.rn.as_deref(), Some("cin_bJb4xdUzJx"));
        assert!(sgn.representation::<crate::resources::Ae>().is_err());
    }

    #[test]
    fn acme_notification_round_trips_in_xsd_order() {
        let sgn = Notification::from_content(&acme_notification()).unwrap();
        let back = sgn.to_content();
        assert_eq!(unordered(&back), unordered(&acme_notification()));
        let body = members(&back).get("m2m:sgn").unwrap();
        assert_eq!(keys(body), ["nev", "sur"]);
        assert_eq!(keys(members(body).get("nev").unwrap()), ["rep", "net"]);
    }

    #[test]
    fn constructor_builds_the_same_notification() {
        let acme = Notification::from_content(&acme_notification()).unwrap();
        let rep = acme.nev.as_ref().unwrap().rep.clone().unwrap();
        let built = Notification::event(
            "/id-in/subNPhwcTdRiL",
            NotificationEventType::CREATE_CHILD,
            rep,
        );
        assert_eq!(built, acme);
    }

    #[test]
    fn verification_and_deletion_notifications() {
        let vrq =
            vmap! {"m2m:sgn" => vmap!{"vrq" => true, "sur" => "/id-in/sub1", "cr" => "CAE01"}};
        let sgn = Notification::from_content(&vrq).unwrap();
        assert_eq!((sgn.vrq, sgn.cr.as_deref()), (Some(true), Some("CAE01")));
        assert_eq!(sgn.representation::<ContentInstance>().unwrap(), None);
        assert_eq!(sgn.to_content(), vrq);
        let sud = vmap! {"m2m:sgn" => vmap!{"sud" => "true", "sur" => "/id-in/sub1"}};
        assert_eq!(Notification::from_content(&sud).unwrap().sud, Some(true));
    }
}

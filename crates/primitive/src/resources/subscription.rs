//! `<subscription>`, root `m2m:sub` (TS-0001 9.6.8, TS-0004 7.4.8): who is notified of
//! which changes to its parent resource.

use crate::error::Error;
use crate::resource_type::ResourceType;
use crate::value::{Map, Value};

use super::Resource;
use super::attribute_reader::AttributeReader;
use super::attribute_writer::{AttributeWriter, uint_value};
use super::common_attributes::{self, CommonAttributes};
use super::event_notification_criteria::EventNotificationCriteria;

/// The XSD order of the subscription's own attributes.
const ORDER: &[&str] = &[
    "enc", "exc", "nu", "gpi", "nfu", "bn", "rl", "psn", "pn", "nsp", "ln", "nct", "nec", "cr",
    "su",
];

/// A `<subscription>` resource.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Subscription {
    /// The universal and common attributes.
    pub common: CommonAttributes,
    /// `enc` eventNotificationCriteria.
    pub enc: Option<EventNotificationCriteria>,
    /// `exc` expirationCounter: the subscription is deleted after this many notifications.
    pub exc: Option<u64>,
    /// `nu` notificationURI: AE-IDs, CSE-IDs or URLs (`mqtt://host/topic`) to notify.
    pub nu: Option<Vec<String>>,
    /// `gpi` groupID.
    pub gpi: Option<String>,
    /// `nfu` notificationForwardingURI.
    pub nfu: Option<String>,
    /// `bn` batchNotify `{num, dur}`, kept as a tree.
    pub bn: Option<Value>,
    /// `rl` rateLimit `{mnn, tww}`, kept as a tree.
    pub rl: Option<Value>,
    /// `psn` preSubscriptionNotify.
    pub psn: Option<u64>,
    /// `pn` pendingNotification: 1 send latest, 2 send all pending.
    pub pn: Option<i64>,
    /// `nsp` notificationStoragePriority.
    pub nsp: Option<u64>,
    /// `ln` latestNotify.
    pub ln: Option<bool>,
    /// `nct` notificationContentType: 1 all attributes, 2 modified attributes, 3 resource
    /// ID, 4 trigger payload, ...
    pub nct: Option<i64>,
    /// `nec` notificationEventCat.
    pub nec: Option<i64>,
    /// `cr` creator.
    pub cr: Option<String>,
    /// `su` subscriberURI: where to send the deletion notification.
    pub su: Option<String>,
    /// Attributes this type does not model, kept as received.
    pub extra: Map,
}

impl Subscription {
    /// A subscription named `rn` that notifies `nu` of the events in `enc`.
    pub fn new(rn: impl Into<String>, nu: Vec<String>, enc: EventNotificationCriteria) -> Self {
        Self {
            common: CommonAttributes::named(rn),
            enc: Some(enc),
            nu: Some(nu),
            ..Self::default()
        }
    }
}

impl Resource for Subscription {
    const SHORT_NAME: &'static str = "m2m:sub";
    const TYPE: Option<ResourceType> = Some(ResourceType::SUBSCRIPTION);

    fn to_map(&self) -> Map {
        let mut w = AttributeWriter::new();
        self.common.write(&mut w);
        w.put(
            "enc",
            self.enc.as_ref().map(EventNotificationCriteria::to_map),
        );
        w.put("exc", self.exc.map(uint_value));
        w.put("nu", self.nu.clone());
        w.put("gpi", self.gpi.clone());
        w.put("nfu", self.nfu.clone());
        w.put("bn", self.bn.clone());
        w.put("rl", self.rl.clone());
        w.put("psn", self.psn.map(uint_value));
        w.put("pn", self.pn);
        w.put("nsp", self.nsp.map(uint_value));
        w.put("ln", self.ln);
        w.put("nct", self.nct);
        w.put("nec", self.nec);
        w.put("cr", self.cr.clone());
        w.put("su", self.su.clone());
        w.finish(&self.extra, &[common_attributes::ORDER, ORDER])
    }

    fn from_map(map: &Map) -> Result<Self, Error> {
        let mut r = AttributeReader::new(Self::SHORT_NAME, map);
        let common = CommonAttributes::read(&mut r, Self::TYPE)?;
        let enc = r
            .map("enc")?
            .map(|m| EventNotificationCriteria::from_map(&m))
            .transpose()?;
        Ok(Self {
            common,
            enc,
            exc: r.uint("exc")?,
            nu: r.strings("nu")?,
            gpi: r.string("gpi")?,
            nfu: r.string("nfu")?,
            bn: r.take("bn"),
            rl: r.take("rl"),
            psn: r.uint("psn")?,
            pn: r.int("pn")?,
            nsp: r.uint("nsp")?,
            ln: r.boolean("ln")?,
            nct: r.int("nct")?,
            nec: r.int("nec")?,
            cr: r.string("cr")?,
            su: r.string("su")?,
            extra: r.finish(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::resources::NotificationEventType;
    use crate::resources::test_values::{keys, members, unordered, vmap};

    #[test]
    fn acme_create_request_matches_the_constructor() {
        // Capture 08 (json-create-subscription-self-nu), request.
        let request = vmap! {"m2m:sub" => vmap!{
            "rn" => "sub1", "nu" => vec!["CrigJson"], "enc" => vmap!{"net" => vec![3]},
        }};
        let sub = Subscription::from_content(&request).unwrap();
        let expected = Subscription::new(
            "sub1",
            vec!["CrigJson".into()],
            EventNotificationCriteria::events([NotificationEventType::CREATE_CHILD]),
        );
        assert_eq!(sub, expected);
        // enc comes before nu in the XSD.
        assert_eq!(
            keys(members(&sub.to_content()).get("m2m:sub").unwrap()),
            ["rn", "enc", "nu"]
        );
        assert_eq!(unordered(&sub.to_content()), unordered(&request));
    }

    #[test]
    fn acme_create_response_round_trips() {
        let response = vmap! {"m2m:sub" => vmap!{
            "rn" => "sub1", "nu" => vec!["CrigJson"], "enc" => vmap!{"net" => vec![3]},
            "pi" => "cnt74dSy0QGuX", "ri" => "subNPhwcTdRiL", "ty" => 23,
            "ct" => "20261124T215237,132931", "lt" => "20261124T215237,132931",
            "et" => "20311123T215237,115701", "nct" => 1,
        }};
        let sub = Subscription::from_content(&response).unwrap();
        assert_eq!(sub.nct, Some(1));
        assert_eq!(sub.common.ri.as_deref(), Some("subNPhwcTdRiL"));
        assert_eq!(unordered(&sub.to_content()), unordered(&response));
    }

    #[test]
    fn other_criteria_and_complex_attributes_are_kept_in_place() {
        let pc = vmap! {"m2m:sub" => vmap!{
            "enc" => vmap!{"net" => vec![1, 3], "chty" => vec![4], "crb" => "20261124T000000"},
            "bn" => vmap!{"num" => 5, "dur" => "PT10S"},
            "nu" => "mqtt://broker/topic/a /id-in/CAE01",
            "ln" => "true",
        }};
        let sub = Subscription::from_content(&pc).unwrap();
        let enc = sub.enc.as_ref().unwrap();
        assert_eq!(
            enc.net,
            Some(vec![
                NotificationEventType::UPDATE,
                NotificationEventType::CREATE_CHILD
            ])
        );
        assert_eq!(sub.nu.as_ref().unwrap().len(), 2, "xs:list text is split");
        assert_eq!(sub.ln, Some(true));
        let back = sub.to_content();
        let body = members(&back).get("m2m:sub").unwrap();
        assert_eq!(keys(body), ["enc", "nu", "bn", "ln"]);
        assert_eq!(
            keys(members(body).get("enc").unwrap()),
            ["crb", "net", "chty"]
        );
    }

    #[test]
    fn bad_event_types_are_refused() {
        let pc = vmap! {"m2m:sub" => vmap!{"enc" => vmap!{"net" => vec![0]}}};
        assert!(Subscription::from_content(&pc).is_err());
        let pc = vmap! {"m2m:sub" => vmap!{"enc" => "x"}};
        assert!(Subscription::from_content(&pc).is_err());
    }
}

//! Resource types `ty` (TS-0004 6.3.4.2.1), their names and the short names of their
//! serialized roots (TS-0004 8.2.4), announced variants and `<mgmtObj>` specializations.

use std::fmt;

/// A oneM2M resource type.
///
/// A newtype over the wire integer: announced variants are `10000 + n` and `<mgmtObj>`
/// specializations (`mgd`) are 1001 and up, so a closed enum would either be huge or
/// lose values a peer may legitimately send. Constants name the base types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceType(pub u32);

/// Offset TS-0004 adds to a resource type to get its announced variant.
const ANNOUNCED_OFFSET: u32 = 10_000;

/// One row of the resource type table: code, TS-0004 name, short name of the root.
type Row = (u32, &'static str, &'static str);

/// The base resource types, in code order.
const BASE: &[Row] = &[
    (1, "accessControlPolicy", "acp"),
    (2, "AE", "ae"),
    (3, "container", "cnt"),
    (4, "contentInstance", "cin"),
    (5, "CSEBase", "cb"),
    (6, "delivery", "dlv"),
    (7, "eventConfig", "evcg"),
    (8, "execInstance", "exin"),
    (9, "group", "grp"),
    (10, "locationPolicy", "lcp"),
    (11, "m2mServiceSubscriptionProfile", "mssp"),
    (12, "mgmtCmd", "mgc"),
    (13, "mgmtObj", "mgo"),
    (14, "node", "nod"),
    (15, "pollingChannel", "pch"),
    (16, "remoteCSE", "csr"),
    (17, "request", "req"),
    (18, "schedule", "sch"),
    (19, "serviceSubscribedAppRule", "asar"),
    (20, "serviceSubscribedNode", "svsn"),
    (21, "statsCollect", "stcl"),
    (22, "statsConfig", "stcg"),
    (23, "subscription", "sub"),
    (24, "semanticDescriptor", "smd"),
    (25, "notificationTargetMgmtPolicyRef", "ntpr"),
    (26, "notificationTargetPolicy", "ntp"),
    (27, "policyDeletionRules", "pdr"),
    (28, "flexContainer", "fcnt"),
    (29, "timeSeries", "ts"),
    (30, "timeSeriesInstance", "tsi"),
    (31, "role", "rol"),
    (32, "token", "tk"),
    (33, "trafficPattern", "trpt"),
    (34, "dynamicAuthorizationConsultation", "dac"),
    (35, "authorizationDecision", "audc"),
    (36, "authorizationPolicy", "aupc"),
    (37, "authorizationInformation", "auin"),
    (38, "ontologyRepository", "ontr"),
    (39, "ontology", "ont"),
    (40, "semanticMashupJobProfile", "smjp"),
    (41, "semanticMashupInstance", "smi"),
    (42, "semanticMashupResult", "smr"),
    (43, "AEContactList", "aecl"),
    (44, "AEContactListPerCSE", "aeclp"),
    (45, "localMulticastGroup", "lmg"),
    (46, "softwareCampaign", "swc"),
    (47, "triggerRequest", "trqt"),
    (48, "crossResourceSubscription", "crs"),
    (49, "backgroundDataTransfer", "bdt"),
    (50, "transactionMgmt", "tm"),
    (51, "transaction", "tr"),
    (58, "flexContainerInstance", "fci"),
    (60, "timeSyncBeacon", "tsb"),
    (62, "primitiveProfile", "prp"),
    (63, "processManagement", "prmr"),
    (64, "state", "stte"),
    (65, "action", "actr"),
    (66, "dependency", "depr"),
];

/// The `<mgmtObj>` specializations (`mgd`), in code order.
const MGMT_OBJ_SPECIALIZATIONS: &[Row] = &[
    (1001, "firmware", "fwr"),
    (1002, "software", "swr"),
    (1003, "memory", "mem"),
    (1004, "areaNwkInfo", "ani"),
    (1005, "areaNwkDeviceInfo", "andi"),
    (1006, "battery", "bat"),
    (1007, "deviceInfo", "dvi"),
    (1008, "deviceCapability", "dvc"),
    (1009, "reboot", "rbo"),
    (1010, "eventLog", "evl"),
    (1011, "cmdhPolicy", "cmp"),
    (1012, "activeCmdhPolicy", "acmp"),
    (1013, "cmdhDefaults", "cmdf"),
    (1014, "cmdhDefEcValue", "cmdv"),
    (1015, "cmdhEcDefParamValues", "cmpv"),
    (1016, "cmdhLimits", "cml"),
    (1017, "cmdhNetworkAccessRules", "cmnr"),
    (1018, "cmdhNwAccessRule", "cmwr"),
    (1019, "cmdhBuffer", "cmbf"),
    (1020, "registration", "rgn"),
    (1021, "dataCollection", "datc"),
    (1022, "authenticationProfile", "autp"),
    (1023, "myCertFileCred", "nycfc"),
    (1024, "trustAnchorCred", "tac"),
    (1025, "MAFClientRegCfg", "mcrc"),
    (1026, "MEFClientRegCfg", "mefr"),
    (1027, "OAuth2Authentication", "oaan"),
    (1028, "wifiClient", "wific"),
    (1029, "credentials", "crds"),
    (1030, "SIM", "sim"),
    (1031, "mobileNetwork", "mnwk"),
];

impl ResourceType {
    /// `1` accessControlPolicy (root `m2m:acp`).
    pub const ACCESS_CONTROL_POLICY: Self = Self(1);
    /// `2` AE (root `m2m:ae`).
    pub const AE: Self = Self(2);
    /// `3` container (root `m2m:cnt`).
    pub const CONTAINER: Self = Self(3);
    /// `4` contentInstance (root `m2m:cin`).
    pub const CONTENT_INSTANCE: Self = Self(4);
    /// `5` CSEBase (root `m2m:cb`).
    pub const CSE_BASE: Self = Self(5);
    /// `6` delivery (root `m2m:dlv`).
    pub const DELIVERY: Self = Self(6);
    /// `7` eventConfig (root `m2m:evcg`).
    pub const EVENT_CONFIG: Self = Self(7);
    /// `8` execInstance (root `m2m:exin`).
    pub const EXEC_INSTANCE: Self = Self(8);
    /// `9` group (root `m2m:grp`).
    pub const GROUP: Self = Self(9);
    /// `10` locationPolicy (root `m2m:lcp`).
    pub const LOCATION_POLICY: Self = Self(10);
    /// `11` m2mServiceSubscriptionProfile (root `m2m:mssp`).
    pub const M2M_SERVICE_SUBSCRIPTION_PROFILE: Self = Self(11);
    /// `12` mgmtCmd (root `m2m:mgc`).
    pub const MGMT_CMD: Self = Self(12);
    /// `13` mgmtObj (root `m2m:mgo`).
    pub const MGMT_OBJ: Self = Self(13);
    /// `14` node (root `m2m:nod`).
    pub const NODE: Self = Self(14);
    /// `15` pollingChannel (root `m2m:pch`).
    pub const POLLING_CHANNEL: Self = Self(15);
    /// `16` remoteCSE (root `m2m:csr`).
    pub const REMOTE_CSE: Self = Self(16);
    /// `17` request (root `m2m:req`).
    pub const REQUEST: Self = Self(17);
    /// `18` schedule (root `m2m:sch`).
    pub const SCHEDULE: Self = Self(18);
    /// `19` serviceSubscribedAppRule (root `m2m:asar`).
    pub const SERVICE_SUBSCRIBED_APP_RULE: Self = Self(19);
    /// `20` serviceSubscribedNode (root `m2m:svsn`).
    pub const SERVICE_SUBSCRIBED_NODE: Self = Self(20);
    /// `21` statsCollect (root `m2m:stcl`).
    pub const STATS_COLLECT: Self = Self(21);
    /// `22` statsConfig (root `m2m:stcg`).
    pub const STATS_CONFIG: Self = Self(22);
    /// `23` subscription (root `m2m:sub`).
    pub const SUBSCRIPTION: Self = Self(23);
    /// `24` semanticDescriptor (root `m2m:smd`).
    pub const SEMANTIC_DESCRIPTOR: Self = Self(24);
    /// `25` notificationTargetMgmtPolicyRef (root `m2m:ntpr`).
    pub const NOTIFICATION_TARGET_MGMT_POLICY_REF: Self = Self(25);
    /// `26` notificationTargetPolicy (root `m2m:ntp`).
    pub const NOTIFICATION_TARGET_POLICY: Self = Self(26);
    /// `27` policyDeletionRules (root `m2m:pdr`).
    pub const POLICY_DELETION_RULES: Self = Self(27);
    /// `28` flexContainer (root `m2m:fcnt`).
    pub const FLEX_CONTAINER: Self = Self(28);
    /// `29` timeSeries (root `m2m:ts`).
    pub const TIME_SERIES: Self = Self(29);
    /// `30` timeSeriesInstance (root `m2m:tsi`).
    pub const TIME_SERIES_INSTANCE: Self = Self(30);
    /// `31` role (root `m2m:rol`).
    pub const ROLE: Self = Self(31);
    /// `32` token (root `m2m:tk`).
    pub const TOKEN: Self = Self(32);
    /// `33` trafficPattern (root `m2m:trpt`).
    pub const TRAFFIC_PATTERN: Self = Self(33);
    /// `34` dynamicAuthorizationConsultation (root `m2m:dac`).
    pub const DYNAMIC_AUTHORIZATION_CONSULTATION: Self = Self(34);
    /// `35` authorizationDecision (root `m2m:audc`).
    pub const AUTHORIZATION_DECISION: Self = Self(35);
    /// `36` authorizationPolicy (root `m2m:aupc`).
    pub const AUTHORIZATION_POLICY: Self = Self(36);
    /// `37` authorizationInformation (root `m2m:auin`).
    pub const AUTHORIZATION_INFORMATION: Self = Self(37);
    /// `38` ontologyRepository (root `m2m:ontr`).
    pub const ONTOLOGY_REPOSITORY: Self = Self(38);
    /// `39` ontology (root `m2m:ont`).
    pub const ONTOLOGY: Self = Self(39);
    /// `40` semanticMashupJobProfile (root `m2m:smjp`).
    pub const SEMANTIC_MASHUP_JOB_PROFILE: Self = Self(40);
    /// `41` semanticMashupInstance (root `m2m:smi`).
    pub const SEMANTIC_MASHUP_INSTANCE: Self = Self(41);
    /// `42` semanticMashupResult (root `m2m:smr`).
    pub const SEMANTIC_MASHUP_RESULT: Self = Self(42);
    /// `43` AEContactList (root `m2m:aecl`).
    pub const AE_CONTACT_LIST: Self = Self(43);
    /// `44` AEContactListPerCSE (root `m2m:aeclp`).
    pub const AE_CONTACT_LIST_PER_CSE: Self = Self(44);
    /// `45` localMulticastGroup (root `m2m:lmg`).
    pub const LOCAL_MULTICAST_GROUP: Self = Self(45);
    /// `46` softwareCampaign (root `m2m:swc`).
    pub const SOFTWARE_CAMPAIGN: Self = Self(46);
    /// `47` triggerRequest (root `m2m:trqt`).
    pub const TRIGGER_REQUEST: Self = Self(47);
    /// `48` crossResourceSubscription (root `m2m:crs`).
    pub const CROSS_RESOURCE_SUBSCRIPTION: Self = Self(48);
    /// `49` backgroundDataTransfer (root `m2m:bdt`).
    pub const BACKGROUND_DATA_TRANSFER: Self = Self(49);
    /// `50` transactionMgmt (root `m2m:tm`).
    pub const TRANSACTION_MGMT: Self = Self(50);
    /// `51` transaction (root `m2m:tr`).
    pub const TRANSACTION: Self = Self(51);
    /// `58` flexContainerInstance (root `m2m:fci`).
    pub const FLEX_CONTAINER_INSTANCE: Self = Self(58);
    /// `60` timeSyncBeacon (root `m2m:tsb`).
    pub const TIME_SYNC_BEACON: Self = Self(60);
    /// `62` primitiveProfile (root `m2m:prp`).
    pub const PRIMITIVE_PROFILE: Self = Self(62);
    /// `63` processManagement (root `m2m:prmr`).
    pub const PROCESS_MANAGEMENT: Self = Self(63);
    /// `64` state (root `m2m:stte`).
    pub const STATE: Self = Self(64);
    /// `65` action (root `m2m:actr`).
    pub const ACTION: Self = Self(65);
    /// `66` dependency (root `m2m:depr`).
    pub const DEPENDENCY: Self = Self(66);

    /// The numeric code.
    pub const fn code(self) -> u32 {
        self.0
    }

    /// Whether this is the announced variant of another type (`10000 + n`).
    pub const fn is_announced(self) -> bool {
        self.0 > ANNOUNCED_OFFSET
    }

    /// The announced variant of this type (`10000 + n`), if it is a base type.
    pub fn announced(self) -> Option<Self> {
        lookup(BASE, self.0).map(|_| Self(self.0 + ANNOUNCED_OFFSET))
    }

    /// The type an announced variant stands for.
    pub fn original(self) -> Option<Self> {
        if self.is_announced() {
            lookup(BASE, self.0 - ANNOUNCED_OFFSET).map(|row| Self(row.0))
        } else {
            None
        }
    }

    /// Whether TS-0004 defines this code (base, announced or `<mgmtObj>` specialization).
    pub fn is_known(self) -> bool {
        self.row().is_some() || self.original().is_some()
    }

    /// The TS-0004 name (`contentInstance`), or `None` for an unknown code.
    /// Announced variants are named like `AEAnnc`.
    pub fn name(self) -> Option<String> {
        if let Some(orig) = self.original() {
            return orig.row().map(|r| format!("{}Annc", r.1));
        }
        self.row().map(|r| r.1.to_owned())
    }

    /// The short name of the serialized root without the `m2m:` prefix (`cin`; `aeA` for
    /// an announced AE), or `None` for an unknown code.
    pub fn short_name(self) -> Option<String> {
        if let Some(orig) = self.original() {
            return orig.row().map(|r| format!("{}A", r.2));
        }
        self.row().map(|r| r.2.to_owned())
    }

    /// The type whose serialized root is `m2m:<short>` (`"cnt"` gives [`Self::CONTAINER`]).
    pub fn from_short_name(short: &str) -> Option<Self> {
        let short = short.strip_prefix("m2m:").unwrap_or(short);
        let find = |s: &str| {
            BASE.iter()
                .chain(MGMT_OBJ_SPECIALIZATIONS)
                .find(|r| r.2 == s)
                .map(|r| Self(r.0))
        };
        find(short).or_else(|| {
            let base = short.strip_suffix('A')?;
            find(base).and_then(Self::announced)
        })
    }

    fn row(self) -> Option<&'static Row> {
        lookup(BASE, self.0).or_else(|| lookup(MGMT_OBJ_SPECIALIZATIONS, self.0))
    }
}

fn lookup(table: &'static [Row], code: u32) -> Option<&'static Row> {
    table
        .binary_search_by_key(&code, |r| r.0)
        .ok()
        .map(|i| &table[i])
}

impl fmt::Display for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{} ({})", name, self.0),
            None => write!(f, "unknown resource type ({})", self.0),
        }
    }
}

impl From<u32> for ResourceType {
    fn from(code: u32) -> Self {
        Self(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        assert!(BASE.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(MGMT_OBJ_SPECIALIZATIONS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn names_and_short_names() {
        assert_eq!(
            ResourceType::CONTENT_INSTANCE.short_name().as_deref(),
            Some("cin")
        );
        assert_eq!(ResourceType(10002).name().as_deref(), Some("AEAnnc"));
        assert_eq!(ResourceType(10002).short_name().as_deref(), Some("aeA"));
        assert_eq!(
            ResourceType::from_short_name("m2m:cnt"),
            Some(ResourceType::CONTAINER)
        );
        assert_eq!(
            ResourceType::from_short_name("aeA"),
            Some(ResourceType(10002))
        );
        assert_eq!(ResourceType(1007).short_name().as_deref(), Some("dvi"));
        assert!(!ResourceType(9999).is_known());
        assert_eq!(
            ResourceType::CONTAINER.announced(),
            Some(ResourceType(10003))
        );
    }
}

//! MQTT 3.1.1 topic-filter matching (MQTT 4.7), to check subscriptions against topics.

/// Whether the subscription `filter` matches the topic name `topic` (MQTT 3.1.1 4.7).
///
/// `+` matches exactly one level (also an empty one), `#` as the last level matches the
/// parent level and any number of levels below it, and a filter starting with a wildcard
/// does not match a topic starting with `$` (MQTT-4.7.2-1). An invalid filter (`a/#/b`,
/// `sport+`) or a topic name containing a wildcard matches nothing.
///
/// ```
/// use onem2m_binding::topic::filter_matches;
///
/// assert!(filter_matches("/oneM2M/resp/CAE01/#", "/oneM2M/resp/CAE01/id-in/json"));
/// assert!(filter_matches("/oneM2M/resp/CAE01/+", "/oneM2M/resp/CAE01/id-in"));
/// // The TS-0010 6.4.5 form misses the mandatory type level:
/// assert!(!filter_matches("/oneM2M/resp/CAE01/+", "/oneM2M/resp/CAE01/id-in/json"));
/// ```
pub fn filter_matches(filter: &str, topic: &str) -> bool {
    if filter.is_empty() || topic.is_empty() || topic.contains(['+', '#']) {
        return false;
    }
    if topic.starts_with('$') && filter.starts_with(['+', '#']) {
        return false;
    }
    let mut filter_levels = filter.split('/');
    let mut topic_levels = topic.split('/');
    loop {
        match (filter_levels.next(), topic_levels.next()) {
            (Some("#"), _) => return filter_levels.next().is_none(),
            (Some("+"), Some(_)) => {}
            (Some(wanted), Some(level)) => {
                if wanted.contains(['+', '#']) || wanted != level {
                    return false;
                }
            }
            (None, None) => return true,
            (Some(_), None) | (None, Some(_)) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn multi_level_wildcard_matches_the_parent_and_every_level_below() {
        for topic in [
            "sport/tennis/player1",
            "sport/tennis/player1/ranking",
            "sport/tennis/player1/score/wimbledon",
        ] {
            assert!(filter_matches("sport/tennis/player1/#", topic), "{topic}");
        }
        assert!(filter_matches("sport/#", "sport"));
        assert!(filter_matches("#", "sport/tennis"));
        assert!(filter_matches("#", "/oneM2M"));
        assert!(!filter_matches(
            "sport/tennis/player1/#",
            "sport/tennis/player2"
        ));
    }

    #[test]
    fn single_level_wildcard_matches_exactly_one_level() {
        assert!(filter_matches("sport/tennis/+", "sport/tennis/player1"));
        assert!(!filter_matches(
            "sport/tennis/+",
            "sport/tennis/player1/ranking"
        ));
        assert!(!filter_matches("sport/tennis/+", "sport/tennis"));
        assert!(filter_matches("sport/+", "sport/"));
        assert!(filter_matches("+/+", "/finance"));
        assert!(filter_matches("/+", "/finance"));
        assert!(!filter_matches("+", "/finance"));
        assert!(filter_matches("+/tennis/#", "sport/tennis/player1"));
    }

    #[test]
    fn levels_compare_exactly_and_case_sensitively() {
        assert!(filter_matches(
            "/oneM2M/req/a/b/json",
            "/oneM2M/req/a/b/json"
        ));
        assert!(!filter_matches(
            "/onem2m/req/a/b/json",
            "/oneM2M/req/a/b/json"
        ));
        assert!(!filter_matches("/oneM2M/req", "oneM2M/req"));
        assert!(!filter_matches("/oneM2M/req/a", "/oneM2M/req/a/b"));
    }

    #[test]
    fn system_topics_are_not_matched_by_leading_wildcards() {
        assert!(!filter_matches("#", "$SYS/broker/uptime"));
        assert!(!filter_matches("+/broker/uptime", "$SYS/broker/uptime"));
        assert!(filter_matches("$SYS/#", "$SYS/broker/uptime"));
    }

    #[test]
    fn invalid_filters_and_wildcard_topics_match_nothing() {
        for filter in ["sport/#/ranking", "sport+", "sport/ten#", "#/x", "+x/y", ""] {
            for topic in [
                "sport/tennis/ranking",
                "sport",
                "sport+",
                "x/y",
                "sport/ten#",
            ] {
                assert!(!filter_matches(filter, topic), "{filter} ~ {topic}");
            }
        }
        assert!(!filter_matches("#", "a/+/b"));
        assert!(!filter_matches("a/+/b", "a/+/b"));
        assert!(!filter_matches("#", ""));
    }

    proptest! {
        #[test]
        fn never_panics_and_a_topic_matches_itself_and_hash(
            filter in "[a-c/+#$]{0,12}",
            topic in "[a-c/$]{1,12}",
        ) {
            let _ = filter_matches(&filter, &topic);
            prop_assert!(filter_matches(&topic, &topic));
            prop_assert_eq!(filter_matches("#", &topic), !topic.starts_with('$'));
        }
    }
}

//! Both topic schemes' `parse` on arbitrary topics. None may panic, and a request
//! topic a broker could deliver (no wildcard, no NUL) must give a response topic that
//! parses back as the response between the same two ends: the receiver answers on
//! what it read, so a topic it accepts must be one it can answer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onem2m_binding::topic::{DraftScheme, RouteKind, TopicScheme, Ts0010Scheme};

fn deliverable(topic: &str) -> bool {
    !topic.is_empty() && !topic.contains(['+', '#', '\0'])
}

fuzz_target!(|data: &[u8]| {
    let Ok(topic) = std::str::from_utf8(data) else {
        return;
    };
    let ts0010 = Ts0010Scheme::new();
    if let Ok(route) = ts0010.parse(topic)
        && route.kind.is_request()
        && deliverable(topic)
    {
        let answer = ts0010
            .response_topic(&route, "json")
            .expect("a parsed request topic is answerable");
        let back = ts0010.parse(&answer).expect("the response topic parses");
        assert_eq!(Some(back.kind), route.kind.response_kind(), "{answer}");
        assert_eq!(back.originator, route.originator, "{answer}");
        assert_eq!(back.receiver, route.receiver, "{answer}");
    }
    if let Ok(route) = DraftScheme.parse(topic)
        && route.kind == RouteKind::Request
        && deliverable(topic)
    {
        let route = route.or_originator(Some("CAE01"));
        if let Ok(answer) = DraftScheme.response_topic(&route, "xml") {
            let back = DraftScheme
                .parse(&answer)
                .expect("the response topic parses");
            assert_eq!(back.kind, RouteKind::Response, "{answer}");
        }
    }
});

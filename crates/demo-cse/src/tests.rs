//! The tree's behaviour, without MQTT.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use onem2m_primitive::resources::{
    Ae, Container, ContentInstance, EventNotificationCriteria, Notification, NotificationEventType,
    Resource, Subscription,
};
use onem2m_primitive::{
    Map, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode, ResultContent,
    Timestamp, Value,
};

use crate::{DemoCse, DemoCseOptions, Executed, NotificationTarget, SteppingClock};

const START: i64 = 1_800_000_000;

fn cse() -> DemoCse {
    DemoCse::new(
        DemoCseOptions::default(),
        Arc::new(SteppingClock::starting_at(START)),
    )
}

fn run(cse: &mut DemoCse, request: RequestPrimitive) -> ResponsePrimitive {
    cse.execute(&request).response
}

fn register(cse: &mut DemoCse, fr: &str, rn: &str) -> ResponsePrimitive {
    let pc = Ae::registration(rn, "Ndemo", true).to_content();
    run(
        cse,
        RequestPrimitive::create("cse-in", fr, "reg", ResourceType::AE, pc),
    )
}

fn create_container(cse: &mut DemoCse, to: &str, rn: &str, mni: Option<u64>) -> ResponsePrimitive {
    let mut cnt = Container::named(rn);
    cnt.mni = mni;
    run(
        cse,
        RequestPrimitive::create(
            to,
            "CdemoAE",
            "c",
            ResourceType::CONTAINER,
            cnt.to_content(),
        ),
    )
}

fn post(cse: &mut DemoCse, to: &str, con: &str) -> Executed {
    let cin = ContentInstance::new("text/plain:0", con);
    cse.execute(&RequestPrimitive::create(
        to,
        "CdemoAE",
        "p",
        ResourceType::CONTENT_INSTANCE,
        cin.to_content(),
    ))
}

fn subscribe(cse: &mut DemoCse, to: &str, nu: &str) -> ResponsePrimitive {
    let sub = Subscription::new(
        "sub",
        vec![nu.to_owned()],
        EventNotificationCriteria::events([NotificationEventType::CREATE_CHILD]),
    );
    run(
        cse,
        RequestPrimitive::create(
            to,
            "CdemoAE",
            "s",
            ResourceType::SUBSCRIPTION,
            sub.to_content(),
        ),
    )
}

fn container(response: &ResponsePrimitive) -> Container {
    Container::from_content(response.pc.as_ref().unwrap()).unwrap()
}

fn instance(response: &ResponsePrimitive) -> ContentInstance {
    ContentInstance::from_content(response.pc.as_ref().unwrap()).unwrap()
}

#[test]
fn cse_base_is_retrievable_by_name_and_by_cse_id() {
    let mut cse = cse();
    for to in ["cse-in", "/id-in", "/id-in/cse-in", "id-in"] {
        let response = run(&mut cse, RequestPrimitive::retrieve(to, "CAdmin", "r"));
        assert_eq!(response.rsc, ResponseStatusCode::OK, "{to}");
        let pc = response.pc.unwrap();
        let cb = onem2m_primitive::resources::CseBase::from_content(&pc).unwrap();
        assert_eq!(cb.csi.as_deref(), Some("/id-in"));
        assert_eq!(cb.common.rn.as_deref(), Some("cse-in"));
        assert_eq!(cb.common.ri.as_deref(), Some("id-in"));
    }
}

#[test]
fn registration_takes_the_asked_ae_id_and_refuses_it_twice() {
    let mut cse = cse();
    let response = register(&mut cse, "CdemoAE", "demoAE");
    assert_eq!(response.rsc, ResponseStatusCode::CREATED);
    let ae = Ae::from_content(response.pc.as_ref().unwrap()).unwrap();
    assert_eq!(ae.aei.as_deref(), Some("CdemoAE"));
    assert_eq!(ae.common.ri.as_deref(), Some("CdemoAE"));
    assert_eq!(ae.common.pi.as_deref(), Some("id-in"));
    assert_eq!(ae.common.ty, Some(ResourceType::AE));
    assert_eq!(ae.common.ct, Some(Timestamp::from_unix_secs(START + 1)));
    assert_eq!(response.rqi.as_deref(), Some("reg"));

    let again = register(&mut cse, "CdemoAE", "other");
    assert_eq!(
        again.rsc,
        ResponseStatusCode::ORIGINATOR_HAS_ALREADY_REGISTERED
    );
}

#[test]
fn registration_without_an_id_gets_one_from_the_name() {
    let mut cse = cse();
    let first = register(&mut cse, "C", "lamp");
    let second = register(&mut cse, "", "lamp2");
    let aei = |r: &ResponsePrimitive| Ae::from_content(r.pc.as_ref().unwrap()).unwrap().aei;
    assert_eq!(aei(&first).as_deref(), Some("Clamp"));
    assert_eq!(aei(&second).as_deref(), Some("Clamp2"));
    assert_eq!(
        register(&mut cse, "xyz", "x").rsc,
        ResponseStatusCode::BAD_REQUEST
    );
}

#[test]
fn a_sibling_with_the_same_name_is_a_conflict() {
    let mut cse = cse();
    register(&mut cse, "CdemoAE", "demoAE");
    let created = create_container(&mut cse, "cse-in/demoAE", "data", None);
    assert_eq!(created.rsc, ResponseStatusCode::CREATED);
    let cnt = container(&created);
    assert_eq!((cnt.cni, cnt.cbs, cnt.st), (Some(0), Some(0), Some(0)));
    assert_eq!(
        create_container(&mut cse, "cse-in/demoAE", "data", None).rsc,
        ResponseStatusCode::CONFLICT
    );
}

#[test]
fn unknown_targets_are_4004_and_wrong_children_4108() {
    let mut cse = cse();
    assert_eq!(
        run(
            &mut cse,
            RequestPrimitive::retrieve("cse-in/nope", "C", "r")
        )
        .rsc,
        ResponseStatusCode::NOT_FOUND
    );
    assert_eq!(
        create_container(&mut cse, "cse-in/nope", "data", None).rsc,
        ResponseStatusCode::NOT_FOUND
    );
    register(&mut cse, "CdemoAE", "demoAE");
    let cin_under_ae = post(&mut cse, "cse-in/demoAE", "x").response;
    assert_eq!(
        cin_under_ae.rsc,
        ResponseStatusCode::INVALID_CHILD_RESOURCE_TYPE
    );
}

#[test]
fn latest_and_oldest_follow_the_instances_and_mni_removes_the_oldest() {
    let mut cse = cse();
    register(&mut cse, "CdemoAE", "demoAE");
    create_container(&mut cse, "cse-in/demoAE", "data", Some(2));
    for con in ["21.5", "22.0", "22.5"] {
        assert_eq!(
            post(&mut cse, "cse-in/demoAE/data", con).response.rsc,
            ResponseStatusCode::CREATED
        );
    }
    let la = run(
        &mut cse,
        RequestPrimitive::retrieve("cse-in/demoAE/data/la", "CdemoAE", "r"),
    );
    assert_eq!(la.rsc, ResponseStatusCode::OK);
    assert_eq!(instance(&la).con, Some(Value::from("22.5")));
    let ol = run(
        &mut cse,
        RequestPrimitive::retrieve("cse-in/demoAE/data/ol", "CdemoAE", "r"),
    );
    assert_eq!(
        instance(&ol).con,
        Some(Value::from("22.0")),
        "21.5 was removed"
    );
    let cnt = container(&run(
        &mut cse,
        RequestPrimitive::retrieve("cse-in/demoAE/data", "CdemoAE", "r"),
    ));
    assert_eq!(cnt.cni, Some(2));
    assert_eq!(cnt.cbs, Some(8));
}

#[test]
fn unstructured_and_sp_relative_ids_reach_the_same_resource() {
    let mut cse = cse();
    register(&mut cse, "CdemoAE", "demoAE");
    let ri = container(&create_container(&mut cse, "cse-in/demoAE", "data", None))
        .common
        .ri
        .unwrap();
    for to in [
        ri.clone(),
        format!("/id-in/{ri}"),
        "/id-in/cse-in/demoAE/data".into(),
    ] {
        let response = run(&mut cse, RequestPrimitive::retrieve(&to, "CdemoAE", "r"));
        assert_eq!(
            container(&response).common.ri.as_deref(),
            Some(ri.as_str()),
            "{to}"
        );
    }
    assert_eq!(
        run(
            &mut cse,
            RequestPrimitive::retrieve("/id-mn/cse-mn", "C", "r")
        )
        .rsc,
        ResponseStatusCode::NOT_FOUND
    );
}

#[test]
fn update_overlays_attributes_and_refuses_read_only_ones() {
    let mut cse = cse();
    register(&mut cse, "CdemoAE", "demoAE");
    create_container(&mut cse, "cse-in/demoAE", "data", None);
    let mut changes = Map::new();
    changes.insert("lbl", vec!["updated"]);
    changes.insert("mni", 5);
    let mut pc = Map::new();
    pc.insert("m2m:cnt", changes);
    let updated = run(
        &mut cse,
        RequestPrimitive::update("cse-in/demoAE/data", "CdemoAE", "u", Value::Map(pc)),
    );
    assert_eq!(updated.rsc, ResponseStatusCode::UPDATED);
    let cnt = container(&updated);
    assert_eq!(cnt.common.lbl, Some(vec!["updated".to_owned()]));
    assert_eq!(cnt.mni, Some(5));
    assert_ne!(cnt.common.lt, cnt.common.ct);

    let mut bad = Map::new();
    bad.insert("m2m:cnt", [("ri", "other")].into_iter().collect::<Map>());
    let refused = run(
        &mut cse,
        RequestPrimitive::update("cse-in/demoAE/data", "CdemoAE", "u", Value::Map(bad)),
    );
    assert_eq!(refused.rsc, ResponseStatusCode::BAD_REQUEST);
    assert!(refused.debug_message().unwrap().contains("ri"));
}

#[test]
fn delete_removes_the_subtree_and_the_cse_base_stays() {
    let mut cse = cse();
    register(&mut cse, "CdemoAE", "demoAE");
    create_container(&mut cse, "cse-in/demoAE", "data", None);
    post(&mut cse, "cse-in/demoAE/data", "1");
    let deleted = run(
        &mut cse,
        RequestPrimitive::delete("cse-in/demoAE", "CdemoAE", "d"),
    );
    assert_eq!(deleted.rsc, ResponseStatusCode::DELETED);
    assert!(deleted.pc.is_none());
    assert!(cse.resource("cse-in/demoAE/data").is_none());
    assert!(cse.resource("CdemoAE").is_none());
    assert_eq!(
        run(&mut cse, RequestPrimitive::delete("cse-in", "C", "d")).rsc,
        ResponseStatusCode::OPERATION_NOT_ALLOWED
    );
    assert_eq!(
        register(&mut cse, "CdemoAE", "demoAE").rsc,
        ResponseStatusCode::CREATED,
        "the AE-ID is free again"
    );
}

#[test]
fn a_new_instance_notifies_the_subscriber_with_the_instance() {
    let mut cse = cse();
    register(&mut cse, "CdemoAE", "demoAE");
    create_container(&mut cse, "cse-in/demoAE", "data", None);
    assert_eq!(
        subscribe(&mut cse, "cse-in/demoAE/data", "cse-in/demoAE").rsc,
        ResponseStatusCode::CREATED
    );
    let executed = post(&mut cse, "cse-in/demoAE/data", "23.0");
    assert_eq!(executed.notifications.len(), 1);
    let notice = &executed.notifications[0];
    assert_eq!(
        notice.target,
        NotificationTarget::Entity("/id-in/CdemoAE".into()),
        "the AE's address became its SP-relative AE-ID"
    );
    assert_eq!(notice.request.to, "/id-in/CdemoAE");
    assert_eq!(notice.request.fr.as_deref(), Some("/id-in"));
    let sgn = Notification::from_content(notice.request.pc.as_ref().unwrap()).unwrap();
    assert_eq!(sgn.sur.as_deref(), Some("cse-in/demoAE/data/sub"));
    let cin: ContentInstance = sgn.representation().unwrap().unwrap();
    assert_eq!(cin.con, Some(Value::from("23.0")));

    // An update of the container is not an event this subscription asked for.
    let mut pc = Map::new();
    pc.insert("m2m:cnt", [("lbl", vec!["x"])].into_iter().collect::<Map>());
    let update = cse.execute(&RequestPrimitive::update(
        "cse-in/demoAE/data",
        "CdemoAE",
        "u",
        Value::Map(pc),
    ));
    assert!(update.notifications.is_empty());
}

#[test]
fn an_mqtt_uri_notifies_on_its_topic_and_a_subscription_needs_nu() {
    let mut cse = cse();
    create_container(&mut cse, "cse-in", "data", None);
    subscribe(&mut cse, "cse-in/data", "mqtt://127.0.0.1:1883/demo/events");
    let executed = post(&mut cse, "cse-in/data", "1");
    assert_eq!(
        executed.notifications[0].target,
        NotificationTarget::Topic("demo/events".into())
    );
    let sub = Subscription {
        nu: Some(Vec::new()),
        ..Subscription::default()
    };
    let refused = run(
        &mut cse,
        RequestPrimitive::create(
            "cse-in/data",
            "C",
            "s",
            ResourceType::SUBSCRIPTION,
            sub.to_content(),
        ),
    );
    assert_eq!(refused.rsc, ResponseStatusCode::BAD_REQUEST);
}

#[test]
fn result_content_nothing_leaves_the_content_out_and_others_are_refused() {
    let mut cse = cse();
    let mut request = RequestPrimitive::retrieve("cse-in", "C", "r");
    request.rcn = Some(ResultContent::Nothing);
    let response = run(&mut cse, request.clone());
    assert_eq!(response.rsc, ResponseStatusCode::OK);
    assert!(response.pc.is_none());
    request.rcn = Some(ResultContent::AttributesAndChildResources);
    assert_eq!(run(&mut cse, request).rsc, ResponseStatusCode::BAD_REQUEST);
}

#[test]
fn content_of_the_wrong_type_is_a_bad_request() {
    let mut cse = cse();
    let pc = Container::named("data").to_content();
    let response = run(
        &mut cse,
        RequestPrimitive::create("cse-in", "C", "c", ResourceType::AE, pc),
    );
    assert_eq!(response.rsc, ResponseStatusCode::BAD_REQUEST);
}

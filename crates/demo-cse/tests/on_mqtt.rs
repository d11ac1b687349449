//! The demo CSE on the embedded broker: requests over the binding, and notifications
//! to an AE (a NOTIFY request it answers) and to an `mqtt://` topic.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use onem2m_binding::driver::{ClientConfig, MqttClient};
use onem2m_binding::{Binding, RequestContext};
use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_demo_cse::{DemoCse, DemoCseOptions, SystemClock, serve};
use onem2m_mqtt_proto::{ByteStr, QoS, SessionOptions, SubscribeFilter, TopicFilter};
use onem2m_primitive::resources::{
    Container, ContentInstance, EventNotificationCriteria, Notification, NotificationEventType,
    Resource, Subscription,
};
use onem2m_primitive::{
    Operation, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode, Value,
};
use onem2m_serialization::{JsonSerializer, Serializer, XmlSerializer};
use onem2m_transport::Tcp;
use tokio::sync::mpsc;
use tokio::time::timeout;

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_instance_reaches_the_subscribed_ae_and_the_mqtt_topic() {
    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(false))
        .await
        .unwrap();
    let url = broker.url();
    let cse = DemoCse::new(DemoCseOptions::default(), Arc::new(SystemClock));
    let builder = Binding::builder()
        .url(&url)
        .unwrap()
        .serializer(XmlSerializer::new());
    let (cse, handler) = serve(builder, cse).await.unwrap();

    let (tx, mut notified) = mpsc::unbounded_channel();
    let ae = Binding::builder()
        .url(&url)
        .unwrap()
        .serializer(JsonSerializer::new())
        .ae_id("CAE01")
        .registrar("/id-in")
        .handler(move |request: RequestPrimitive, _ctx: RequestContext| {
            let answer = ResponsePrimitive::answering(&request, ResponseStatusCode::OK);
            tx.send(request).unwrap();
            std::future::ready(answer)
        })
        .build()
        .await
        .unwrap();

    let addr = broker.tcp_addr();
    let mut options = SessionOptions::new(ByteStr::try_from("topic-watcher").unwrap());
    options.clean_session = true;
    let transport = Arc::new(Tcp::new(addr.ip().to_string(), addr.port()));
    let (watcher, mut incoming) = MqttClient::start(ClientConfig::new(transport, options)).unwrap();
    watcher.connected().await.unwrap();
    watcher
        .subscribe(vec![SubscribeFilter::new(
            TopicFilter::try_from("/demo/events").unwrap(),
            QoS::AtLeastOnce,
        )])
        .await
        .unwrap();

    let originator = ae.originator();
    let created = originator
        .request(RequestPrimitive::create(
            "cse-in",
            "CAE01",
            "c1",
            ResourceType::CONTAINER,
            Container::named("data").to_content(),
        ))
        .await
        .unwrap();
    assert_eq!(created.rsc, ResponseStatusCode::CREATED);
    let sub = Subscription::new(
        "sub",
        vec!["CAE01".into(), format!("{url}/%2Fdemo%2Fevents")],
        EventNotificationCriteria::events([NotificationEventType::CREATE_CHILD]),
    );
    let subscribed = originator
        .request(RequestPrimitive::create(
            "cse-in/data",
            "CAE01",
            "s1",
            ResourceType::SUBSCRIPTION,
            sub.to_content(),
        ))
        .await
        .unwrap();
    assert_eq!(subscribed.rsc, ResponseStatusCode::CREATED);
    let posted = originator
        .request(RequestPrimitive::create(
            "cse-in/data",
            "CAE01",
            "p1",
            ResourceType::CONTENT_INSTANCE,
            ContentInstance::new("text/plain:0", "7").to_content(),
        ))
        .await
        .unwrap();
    assert_eq!(posted.rsc, ResponseStatusCode::CREATED);

    let notify = timeout(WAIT, notified.recv()).await.unwrap().unwrap();
    assert_eq!(notify.op, Operation::Notify);
    assert_eq!(notify.fr.as_deref(), Some("/id-in"));
    let sgn = Notification::from_content(notify.pc.as_ref().unwrap()).unwrap();
    let cin: ContentInstance = sgn.representation().unwrap().unwrap();
    assert_eq!(cin.con, Some(Value::from("7")));

    let published = timeout(WAIT, incoming.next_message())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(published.topic.as_str(), "/demo/events");
    let on_topic = JsonSerializer::new()
        .decode_request(&published.payload)
        .unwrap();
    assert_eq!(on_topic.pc, notify.pc);

    let stored = handler.with_cse(|cse| cse.resource("cse-in/data/la").cloned());
    assert_eq!(stored.unwrap().to_content(), posted.pc.unwrap());
    watcher.shutdown().await;
    ae.shutdown().await;
    cse.shutdown().await;
    broker.shutdown().await.unwrap();
}

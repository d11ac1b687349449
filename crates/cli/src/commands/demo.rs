//! `m2m demo`, the quickstart: an embedded broker, the demo CSE and an AE that
//! registers, stores data, subscribes, is notified, reads the latest value and leaves,
//! with every MQTT message printed as the broker carried it.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use onem2m_binding::{Binding, Error as BindingError, RequestContext};
use onem2m_broker::{EmbeddedBroker, EmbeddedBrokerOptions};
use onem2m_demo_cse::{DemoCse, DemoCseOptions, SystemClock};
use onem2m_primitive::resources::{
    Ae, Container, ContentInstance, EventNotificationCriteria, Notification, NotificationEventType,
    Resource, Subscription,
};
use onem2m_primitive::{
    RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode, Value,
};
use tokio::sync::mpsc;

use crate::failure::{Context, Failure};
use crate::settings::{Scheme, Serialization, Settings};
use crate::wire::{WireFormat, WireObserver};

/// The AE's Credential-ID, which it also asks to get as its AE-ID.
const AE_ID: &str = "CdemoAE";
/// The AE's resource name, and so its structured address below `cse-in`.
const AE_NAME: &str = "demoAE";
const CONTAINER: &str = "cse-in/demoAE/temperature";
/// How long to wait for a message the demo expects on the wire.
const WIRE_WAIT: Duration = Duration::from_secs(5);

/// How the demo runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// The serialization every entity writes.
    pub serialization: Serialization,
    /// The topic scheme.
    pub scheme: Scheme,
    /// Characters of each payload to print (0: all).
    pub width: usize,
    /// How long to wait for the broker and each response.
    pub timeout: Duration,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self {
            serialization: Serialization::Json,
            scheme: Scheme::Ts0010,
            width: 160,
            timeout: Duration::from_secs(10),
        }
    }
}

/// One step of the demo and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepOutcome {
    /// What the step does.
    pub title: String,
    /// The status it expects.
    pub expected: ResponseStatusCode,
    /// The status it got, `None` when no response came.
    pub got: Option<ResponseStatusCode>,
    /// Why the step failed despite the right status (wrong content), if it did.
    pub problem: Option<String>,
}

impl StepOutcome {
    /// Whether the step got the expected status and content.
    pub fn passed(&self) -> bool {
        self.got == Some(self.expected) && self.problem.is_none()
    }
}

/// Every step of a demo run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DemoReport {
    /// The steps, in order.
    pub steps: Vec<StepOutcome>,
}

impl DemoReport {
    /// Whether every step passed.
    pub fn passed(&self) -> bool {
        !self.steps.is_empty() && self.steps.iter().all(StepOutcome::passed)
    }
}

/// Runs the quickstart, printing to `out`. An `Err` means the demo could not run at all
/// (no broker, no connection); a step with the wrong status is in the report.
pub async fn run<W: Write>(options: &DemoOptions, out: &mut W) -> Result<DemoReport, Failure> {
    let broker = EmbeddedBroker::start(EmbeddedBrokerOptions::new().websocket(false))
        .await
        .context("starting the embedded broker")?;
    let settings = Settings {
        url: broker.url(),
        serialization: options.serialization,
        scheme: options.scheme,
        timeout: options.timeout,
        ..Settings::default()
    };
    let _ = writeln!(
        out,
        "embedded broker on {}; {} over the {} topic scheme",
        settings.url,
        options.serialization.serializer().name(),
        options.scheme.name()
    );
    let observer = WireObserver::start(&settings.url, "m2m-demo-observer", options.timeout).await?;
    let cse = DemoCse::new(DemoCseOptions::default(), Arc::new(SystemClock));
    let (cse, _handler) = onem2m_demo_cse::serve(settings.builder()?, cse)
        .await
        .context("starting the demo CSE")?;
    let _ = writeln!(
        out,
        "demo CSE {} (CSEBase cse-in) is up: an example CSE, not a full one\n",
        settings.cse_id
    );
    let (notifications, received) = mpsc::unbounded_channel();
    // The draft has no registration topics: there an AE connects under the AE-ID it
    // asks for and registers with an ordinary create.
    let ae = if options.scheme.has_registration_topics() {
        settings.builder()?.registration(AE_ID)
    } else {
        settings.builder()?.ae_id(AE_ID)
    };
    let ae = ae
        .registrar(settings.cse_id.clone())
        .handler(move |request: RequestPrimitive, _ctx: RequestContext| {
            let answer = ResponsePrimitive::answering(&request, ResponseStatusCode::OK);
            let _ = notifications.send(request);
            std::future::ready(answer)
        })
        .build()
        .await
        .context("connecting the demo AE")?;

    let mut demo = Demo {
        out,
        observer,
        format: WireFormat::new(
            options.scheme.topic_scheme(),
            options.serialization,
            options.width,
        ),
        answered: HashMap::new(),
        report: DemoReport::default(),
        notifications: received,
    };
    demo.steps(&ae).await;
    ae.deregister().await;
    let _ = writeln!(
        demo.out,
        "AE left the broker for good (deregistered: reconnected with clean session, disconnected)"
    );
    let passed = demo.report.steps.iter().filter(|s| s.passed()).count();
    let _ = writeln!(
        demo.out,
        "\n{passed} of {} steps got the expected status",
        demo.report.steps.len()
    );
    cse.shutdown().await;
    demo.observer.shutdown().await;
    let _ = broker.shutdown().await;
    Ok(demo.report)
}

struct Demo<'a, W: Write> {
    out: &'a mut W,
    observer: WireObserver,
    format: WireFormat,
    /// The responses seen on the wire, by `rqi`.
    answered: HashMap<String, ResponseStatusCode>,
    report: DemoReport,
    notifications: mpsc::UnboundedReceiver<RequestPrimitive>,
}

impl<W: Write> Demo<'_, W> {
    async fn steps(&mut self, ae: &Binding) {
        let originator = ae.originator();

        let mut register = RequestPrimitive::create(
            "cse-in",
            AE_ID,
            "demo-1",
            ResourceType::AE,
            Ae::registration(AE_NAME, "Nm2m.demo", true).to_content(),
        );
        register.fr = Some(AE_ID.to_owned());
        let (title, registered) = if ae.entity().id.is_none() {
            let registered = match ae.register_ae(register).await {
                Ok(registration) => Ok(registration.response),
                Err(BindingError::RegistrationRefused { rsc, message }) => {
                    Err((Some(rsc), message))
                }
                Err(e) => Err((None, e.to_string())),
            };
            (
                "1. the AE registers (reg_req, Credential-ID CdemoAE)",
                registered,
            )
        } else {
            let registered = plain(originator.request(register).await);
            (
                "1. the AE registers (an AE create under its own AE-ID)",
                registered,
            )
        };
        self.record(
            title,
            ResponseStatusCode::CREATED,
            "demo-1",
            registered,
            |_| None,
        )
        .await;

        let mut cnt = Container::named("temperature");
        cnt.mni = Some(10);
        let request = RequestPrimitive::create(
            format!("cse-in/{AE_NAME}"),
            AE_ID,
            "demo-2",
            ResourceType::CONTAINER,
            cnt.to_content(),
        );
        let result = originator.request(request).await;
        self.record(
            "2. it creates a container",
            ResponseStatusCode::CREATED,
            "demo-2",
            plain(result),
            |_| None,
        )
        .await;

        for (n, value) in [(3, "21.5"), (4, "22.0")] {
            let rqi = format!("demo-{n}");
            let result = originator.request(post(value, &rqi)).await;
            self.record(
                &format!("{n}. it posts a contentInstance ({value})"),
                ResponseStatusCode::CREATED,
                &rqi,
                plain(result),
                |_| None,
            )
            .await;
        }

        let sub = Subscription::new(
            "sub",
            vec![AE_ID.to_owned()],
            EventNotificationCriteria::events([NotificationEventType::CREATE_CHILD]),
        );
        let request = RequestPrimitive::create(
            CONTAINER,
            AE_ID,
            "demo-5",
            ResourceType::SUBSCRIPTION,
            sub.to_content(),
        );
        let result = originator.request(request).await;
        self.record(
            "5. it subscribes to new contentInstances (nu: its AE-ID)",
            ResponseStatusCode::CREATED,
            "demo-5",
            plain(result),
            |_| None,
        )
        .await;

        let result = originator.request(post("22.5", "demo-6")).await;
        self.record(
            "6. it posts another contentInstance (22.5)",
            ResponseStatusCode::CREATED,
            "demo-6",
            plain(result),
            |_| None,
        )
        .await;
        self.notified().await;

        let request = RequestPrimitive::retrieve(format!("{CONTAINER}/la"), AE_ID, "demo-8");
        let result = originator.request(request).await;
        self.record(
            "8. it retrieves the latest contentInstance (<container>/la)",
            ResponseStatusCode::OK,
            "demo-8",
            plain(result),
            |response| expect_con(response.pc.as_ref(), "22.5"),
        )
        .await;

        let request = RequestPrimitive::delete(format!("cse-in/{AE_NAME}"), AE_ID, "demo-9");
        let result = originator.request(request).await;
        self.record(
            "9. it deletes its AE resource",
            ResponseStatusCode::DELETED,
            "demo-9",
            plain(result),
            |_| None,
        )
        .await;
    }

    /// Step 7: the notification of step 6 reaches the AE, which answers 2000.
    async fn notified(&mut self) {
        let title = "7. the CSE notifies the AE of the new contentInstance";
        let Ok(Some(notify)) = tokio::time::timeout(WIRE_WAIT, self.notifications.recv()).await
        else {
            self.heading(title);
            self.fail(
                title,
                ResponseStatusCode::OK,
                None,
                "no notification arrived",
            );
            return;
        };
        self.heading(title);
        self.print_wire_until(&notify.rqi).await;
        let got = self.answered.get(&notify.rqi).copied();
        let problem = notify
            .pc
            .as_ref()
            .ok_or_else(|| "the notification has no content".to_owned())
            .and_then(|pc| Notification::from_content(pc).map_err(|e| e.to_string()))
            .map(|sgn| {
                let rep = sgn.nev.and_then(|nev| nev.rep);
                expect_con(rep.as_ref(), "22.5")
            })
            .unwrap_or_else(Some);
        self.conclude(title, ResponseStatusCode::OK, got, problem);
    }

    /// Prints the step, the messages of its exchange and whether it got `expected`.
    async fn record(
        &mut self,
        title: &str,
        expected: ResponseStatusCode,
        rqi: &str,
        result: Sent,
        check: impl FnOnce(&ResponsePrimitive) -> Option<String>,
    ) {
        self.heading(title);
        match result {
            Ok(response) => {
                self.print_wire_until(rqi).await;
                let problem = if response.rsc == expected {
                    check(&response)
                } else {
                    response.debug_message().map(str::to_owned)
                };
                self.conclude(title, expected, Some(response.rsc), problem);
            }
            Err((rsc, text)) => {
                self.print_wire_until(rqi).await;
                self.fail(title, expected, rsc, &text);
            }
        }
    }

    fn heading(&mut self, title: &str) {
        let _ = writeln!(self.out, "{title}");
    }

    /// Prints messages from the wire until the response with `rqi` went by (or had).
    async fn print_wire_until(&mut self, rqi: &str) {
        while !self.answered.contains_key(rqi) {
            let Some(message) = self.observer.next(WIRE_WAIT).await else {
                let _ = writeln!(self.out, "  (no response {rqi} seen on the wire)");
                return;
            };
            let line = self.format.line(&message);
            let _ = writeln!(self.out, "  {}", line.text);
            if let Some((answered, rsc)) = line.response {
                self.answered.insert(answered, rsc);
            }
        }
    }

    fn conclude(
        &mut self,
        title: &str,
        expected: ResponseStatusCode,
        got: Option<ResponseStatusCode>,
        problem: Option<String>,
    ) {
        let outcome = StepOutcome {
            title: title.to_owned(),
            expected,
            got,
            problem,
        };
        let verdict = match (outcome.got, &outcome.problem) {
            _ if outcome.passed() => format!("  ok: {expected}"),
            (Some(rsc), Some(problem)) if rsc == expected => format!("  FAILED: {problem}"),
            (Some(rsc), Some(problem)) => {
                format!("  FAILED: expected {expected}, got {rsc}: {problem}")
            }
            (Some(rsc), None) => format!("  FAILED: expected {expected}, got {rsc}"),
            (None, problem) => format!(
                "  FAILED: expected {expected}, got no response: {}",
                problem.as_deref().unwrap_or("")
            ),
        };
        let _ = writeln!(self.out, "{verdict}\n");
        self.report.steps.push(outcome);
    }

    fn fail(
        &mut self,
        title: &str,
        expected: ResponseStatusCode,
        got: Option<ResponseStatusCode>,
        problem: &str,
    ) {
        self.conclude(title, expected, got, Some(problem.to_owned()));
    }
}

/// How a step's request went: its response, or the status (if any) and text of why
/// there is none.
type Sent = Result<ResponsePrimitive, (Option<ResponseStatusCode>, String)>;

fn plain(result: Result<ResponsePrimitive, BindingError>) -> Sent {
    result.map_err(|e| (None, e.to_string()))
}

fn post(value: &str, rqi: &str) -> RequestPrimitive {
    RequestPrimitive::create(
        CONTAINER,
        AE_ID,
        rqi,
        ResourceType::CONTENT_INSTANCE,
        ContentInstance::new("text/plain:0", value).to_content(),
    )
}

/// `None` when `pc` is a contentInstance whose `con` is `expected`, else what is wrong.
fn expect_con(pc: Option<&Value>, expected: &str) -> Option<String> {
    let cin = match pc.map(ContentInstance::from_content) {
        Some(Ok(cin)) => cin,
        Some(Err(e)) => return Some(e.to_string()),
        None => return Some("no content".to_owned()),
    };
    match cin.con {
        Some(Value::Text(con)) if con == expected => None,
        other => Some(format!("expected con {expected:?}, found {other:?}")),
    }
}

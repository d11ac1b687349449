//! The CSE's logic without any IO: a request in, its response and the notifications it
//! causes out.

use std::sync::Arc;

use onem2m_primitive::resources::{
    Ae, CommonAttributes, CseBase, Notification, NotificationEventType, Resource,
};
use onem2m_primitive::{
    Operation, Rejection, ReleaseVersion, RequestPrimitive, ResourceType, ResponsePrimitive,
    ResponseStatusCode, ResultContent, Timestamp, Value,
};

use crate::clock::Clock;
use crate::notice::{Notice, NotificationTarget};
use crate::stored::StoredResource;
use crate::tree::ResourceTree;

/// Who the CSE is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCseOptions {
    /// SP-relative CSE-ID (default `/id-in`); the CSEBase's `ri` is it without the slash.
    pub cse_id: String,
    /// The CSEBase's resource name (default `cse-in`), the first level of structured
    /// addresses.
    pub base_name: String,
}

impl Default for DemoCseOptions {
    fn default() -> Self {
        Self {
            cse_id: "/id-in".to_owned(),
            base_name: "cse-in".to_owned(),
        }
    }
}

/// What executing one request gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Executed {
    /// The response to send back.
    pub response: ResponsePrimitive,
    /// The notifications the request triggered, to send after it.
    pub notifications: Vec<Notice>,
}

/// The resource types the demo CSE hosts.
const SUPPORTED_TYPES: [ResourceType; 5] = [
    ResourceType::AE,
    ResourceType::CONTAINER,
    ResourceType::CONTENT_INSTANCE,
    ResourceType::CSE_BASE,
    ResourceType::SUBSCRIPTION,
];

/// The demo CSE's resource tree and the oneM2M operations on it, free of IO (the
/// [`DemoCseHandler`](crate::DemoCseHandler) puts it on MQTT).
///
/// What it does: CREATE, RETRIEVE, UPDATE and DELETE of `<AE>`, `<container>`,
/// `<contentInstance>` and `<subscription>` below the `<CSEBase>`; AE registration
/// (AE-ID from `fr`, or assigned `C<rn>`); `mni`/`mbs` of a container (oldest instances
/// are removed); `la`/`ol`; notifications to the `nu` of subscriptions for the event
/// types 1-4 (`nct` 3 sends the resource ID, anything else the whole resource).
///
/// What it does not: access control (every originator may do everything: no
/// `<accessControlPolicy>`, never 4103), expiration times, discovery, `rcn` other than
/// 0 (nothing) and 1 (attributes, the default), subscription verification requests,
/// batching and `exc`, announcements, other resource types (4108 as a child, 4000 as
/// content). It is an example of a CSE stack on the binding, not a conformant CSE.
pub struct DemoCse {
    options: DemoCseOptions,
    tree: ResourceTree,
    clock: Arc<dyn Clock>,
    next_id: u64,
}

impl std::fmt::Debug for DemoCse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoCse")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

type Outcome = Result<(ResponsePrimitive, Vec<Notice>), Rejection>;

impl DemoCse {
    /// A CSE with only its CSEBase, timestamps from `clock`.
    pub fn new(options: DemoCseOptions, clock: Arc<dyn Clock>) -> Self {
        let now = clock.now();
        let ri = options.cse_id.trim_start_matches('/').to_owned();
        let base = CseBase {
            common: CommonAttributes {
                rn: Some(options.base_name.clone()),
                ty: Some(ResourceType::CSE_BASE),
                ri: Some(ri),
                pi: Some(String::new()),
                ct: Some(now),
                lt: Some(now),
                ..CommonAttributes::default()
            },
            cst: Some(1),
            csi: Some(options.cse_id.clone()),
            srt: Some(SUPPORTED_TYPES.to_vec()),
            srv: Some(vec![ReleaseVersion::default()]),
            csz: Some(vec![
                "application/xml".into(),
                "application/json".into(),
                "application/cbor".into(),
            ]),
            ..CseBase::default()
        };
        Self {
            tree: ResourceTree::new(&options.cse_id, StoredResource::CseBase(base)),
            options,
            clock,
            next_id: 1,
        }
    }

    /// The CSE's settings.
    pub fn options(&self) -> &DemoCseOptions {
        &self.options
    }

    /// The resource `to` names (structured or unstructured, CSE- or SP-relative), if
    /// it exists.
    pub fn resource(&self, to: &str) -> Option<&StoredResource> {
        let ri = self.tree.resolve(to)?;
        self.tree.get(&ri).map(|n| &n.resource)
    }

    /// Executes `request`: the response, and the notifications to send for it.
    pub fn execute(&mut self, request: &RequestPrimitive) -> Executed {
        let now = self.clock.now();
        let outcome = check_result_content(request).and_then(|()| match request.op {
            Operation::Create => self.create(request, now),
            Operation::Retrieve => self.retrieve(request),
            Operation::Update => self.update(request, now),
            Operation::Delete => self.delete(request, now),
            Operation::Notify => Err(Rejection::new(
                ResponseStatusCode::OPERATION_NOT_ALLOWED,
                "the demo CSE takes no notifications",
            )),
        });
        match outcome {
            Ok((response, notifications)) => Executed {
                response,
                notifications,
            },
            Err(rejection) => Executed {
                response: rejection.into_response(request),
                notifications: Vec::new(),
            },
        }
    }

    fn target(&self, request: &RequestPrimitive) -> Result<String, Rejection> {
        self.tree.resolve(&request.to).ok_or_else(|| {
            Rejection::new(
                ResponseStatusCode::NOT_FOUND,
                format!("resource {} does not exist", request.to),
            )
        })
    }

    fn stored(&self, ri: &str) -> Result<&StoredResource, Rejection> {
        self.tree.get(ri).map(|n| &n.resource).ok_or_else(|| {
            Rejection::new(
                ResponseStatusCode::NOT_FOUND,
                format!("resource {ri} does not exist"),
            )
        })
    }

    fn create(&mut self, request: &RequestPrimitive, now: Timestamp) -> Outcome {
        let parent = self.target(request)?;
        let ty = request
            .ty
            .ok_or_else(|| bad_request("a create needs the resource type ty"))?;
        let pc = request
            .pc
            .as_ref()
            .ok_or_else(|| bad_request("a create needs content"))?;
        let parent_ty = self.stored(&parent)?.ty();
        if !may_contain(parent_ty, ty) {
            return Err(Rejection::new(
                ResponseStatusCode::INVALID_CHILD_RESOURCE_TYPE,
                format!("a {parent_ty} cannot have a {ty} child here"),
            ));
        }
        let mut resource = StoredResource::from_content(ty, pc).map_err(bad_request)?;
        let ri = match &mut resource {
            StoredResource::Ae(ae) => {
                let aei = self.assign_ae_id(request, ae)?;
                ae.aei = Some(aei.clone());
                aei
            }
            _ => self.new_resource_id(ty),
        };
        let rn = resource.common().rn.clone().unwrap_or_else(|| ri.clone());
        if self.tree.has_child_named(&parent, &rn) {
            return Err(Rejection::new(
                ResponseStatusCode::CONFLICT,
                format!("{} already has a child named {rn}", request.to),
            ));
        }
        initialise(&mut resource)?;
        let common = resource.common_mut();
        common.rn = Some(rn);
        common.ri = Some(ri.clone());
        common.pi = Some(parent.clone());
        common.ty = Some(ty);
        common.ct = Some(now);
        common.lt = Some(now);
        self.tree.insert(&parent, resource);
        if ty == ResourceType::CONTENT_INSTANCE {
            self.instances_changed(&parent, now);
        }
        let created = self.stored(&ri)?.clone();
        let notifications = self.notices(&parent, NotificationEventType::CREATE_CHILD, &created);
        Ok((
            respond(request, ResponseStatusCode::CREATED, &created),
            notifications,
        ))
    }

    fn retrieve(&self, request: &RequestPrimitive) -> Outcome {
        let ri = self.target(request)?;
        let resource = self.stored(&ri)?;
        Ok((
            respond(request, ResponseStatusCode::OK, resource),
            Vec::new(),
        ))
    }

    fn update(&mut self, request: &RequestPrimitive, now: Timestamp) -> Outcome {
        let ri = self.target(request)?;
        let current = self.stored(&ri)?;
        let ty = current.ty();
        if matches!(ty, ResourceType::CSE_BASE | ResourceType::CONTENT_INSTANCE) {
            return Err(Rejection::new(
                ResponseStatusCode::OPERATION_NOT_ALLOWED,
                format!("a {ty} cannot be updated"),
            ));
        }
        let short = ty.short_name().unwrap_or_default();
        let changes = request
            .pc
            .as_ref()
            .and_then(Value::as_map)
            .and_then(|root| {
                root.get(&format!("m2m:{short}"))
                    .or_else(|| root.get(&short))
            })
            .and_then(Value::as_map)
            .ok_or_else(|| bad_request(format!("an update of a {ty} needs m2m:{short} content")))?;
        let mut updated = current.updated_with(changes).map_err(bad_request)?;
        updated.common_mut().lt = Some(now);
        if let StoredResource::Container(cnt) = &mut updated {
            cnt.st = Some(cnt.st.unwrap_or(0) + 1);
        }
        if let Some(node) = self.tree.get_mut(&ri) {
            node.resource = updated;
        }
        if ty == ResourceType::CONTAINER {
            // A smaller mni or mbs takes effect at once.
            self.instances_changed(&ri, now);
        }
        let resource = self.stored(&ri)?.clone();
        let notifications = self.notices(&ri, NotificationEventType::UPDATE, &resource);
        Ok((
            respond(request, ResponseStatusCode::UPDATED, &resource),
            notifications,
        ))
    }

    fn delete(&mut self, request: &RequestPrimitive, now: Timestamp) -> Outcome {
        let ri = self.target(request)?;
        if ri == self.tree.base_ri() {
            return Err(Rejection::new(
                ResponseStatusCode::OPERATION_NOT_ALLOWED,
                "the CSEBase cannot be deleted",
            ));
        }
        let resource = self.stored(&ri)?.clone();
        let parent = self.tree.get(&ri).and_then(|n| n.parent.clone());
        let mut notifications = self.notices(&ri, NotificationEventType::DELETE, &resource);
        if let Some(parent) = &parent {
            notifications.extend(self.notices(
                parent,
                NotificationEventType::DELETE_CHILD,
                &resource,
            ));
        }
        self.tree.remove(&ri);
        if let Some(parent) = &parent
            && resource.ty() == ResourceType::CONTENT_INSTANCE
        {
            self.instances_changed(parent, now);
        }
        let mut response = ResponsePrimitive::answering(request, ResponseStatusCode::DELETED);
        if request.rcn == Some(ResultContent::Attributes) {
            response.pc = Some(resource.to_content());
        }
        Ok((response, notifications))
    }

    /// The AE-ID for a registration: the stem `fr` asks for, or `C<rn>` (made unique)
    /// when `fr` is absent, empty, `C` or `S`.
    fn assign_ae_id(&self, request: &RequestPrimitive, ae: &Ae) -> Result<String, Rejection> {
        let fr = request.fr.as_deref().unwrap_or("");
        let asked = fr.rsplit('/').next().unwrap_or("");
        if !matches!(asked, "" | "C" | "S") {
            if !(asked.starts_with('C') || asked.starts_with('S')) {
                return Err(bad_request(format!(
                    "an AE-ID starts with C or S, not {asked}"
                )));
            }
            if self.tree.ae_with_id(asked).is_some() || self.tree.contains(asked) {
                return Err(Rejection::new(
                    ResponseStatusCode::ORIGINATOR_HAS_ALREADY_REGISTERED,
                    format!("{asked} is already registered"),
                ));
            }
            return Ok(asked.to_owned());
        }
        let name: String = ae
            .common
            .rn
            .as_deref()
            .unwrap_or("AE")
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let base = format!("C{name}");
        let mut candidate = base.clone();
        let mut n = 2;
        while self.tree.contains(&candidate) || self.tree.ae_with_id(&candidate).is_some() {
            candidate = format!("{base}{n}");
            n += 1;
        }
        Ok(candidate)
    }

    /// A fresh resource ID: the type's short name and a counter (`cnt3`, `cin4`).
    fn new_resource_id(&mut self, ty: ResourceType) -> String {
        let short = ty.short_name().unwrap_or_else(|| "r".to_owned());
        loop {
            let candidate = format!("{short}{}", self.next_id);
            self.next_id += 1;
            if !self.tree.contains(&candidate) {
                return candidate;
            }
        }
    }

    /// After a content instance came or went below container `cnt`: removes the oldest
    /// instances beyond `mni` and `mbs`, and brings `cni`, `cbs`, `st` and `lt` up to
    /// date.
    fn instances_changed(&mut self, cnt: &str, now: Timestamp) {
        loop {
            let instances = self
                .tree
                .children_of_type(cnt, ResourceType::CONTENT_INSTANCE);
            let sizes: Vec<u64> = instances
                .iter()
                .map(|ri| match self.tree.get(ri).map(|n| &n.resource) {
                    Some(StoredResource::ContentInstance(cin)) => cin.cs.unwrap_or(0),
                    _ => 0,
                })
                .collect();
            let (count, bytes) = (sizes.len() as u64, sizes.iter().sum::<u64>());
            let Some(StoredResource::Container(container)) =
                self.tree.get_mut(cnt).map(|n| &mut n.resource)
            else {
                return;
            };
            let over = container.mni.is_some_and(|mni| count > mni)
                || container.mbs.is_some_and(|mbs| bytes > mbs);
            match instances.first() {
                Some(oldest) if over => {
                    let oldest = oldest.clone();
                    self.tree.remove(&oldest);
                }
                _ => {
                    container.cni = Some(count);
                    container.cbs = Some(bytes);
                    container.st = Some(container.st.unwrap_or(0) + 1);
                    container.common.lt = Some(now);
                    return;
                }
            }
        }
    }

    /// The notifications of the subscriptions below `subject` that ask for `event`,
    /// about `resource`.
    fn notices(
        &self,
        subject: &str,
        event: NotificationEventType,
        resource: &StoredResource,
    ) -> Vec<Notice> {
        let mut notices = Vec::new();
        for sub_ri in self
            .tree
            .children_of_type(subject, ResourceType::SUBSCRIPTION)
        {
            // A new subscription is not told of its own creation.
            if resource.common().ri.as_deref() == Some(sub_ri.as_str()) {
                continue;
            }
            let Some(StoredResource::Subscription(sub)) =
                self.tree.get(&sub_ri).map(|n| &n.resource)
            else {
                continue;
            };
            let events = sub
                .enc
                .as_ref()
                .and_then(|enc| enc.net.clone())
                .unwrap_or_else(|| vec![NotificationEventType::UPDATE]);
            if !events.contains(&event) {
                continue;
            }
            let representation = match sub.nct {
                Some(3) => Value::Text(resource.common().ri.clone().unwrap_or_default()),
                _ => resource.to_content(),
            };
            let sgn =
                Notification::event(self.tree.structured_address(&sub_ri), event, representation)
                    .to_content();
            for nu in sub.nu.iter().flatten() {
                let Some(target) = NotificationTarget::parse(nu) else {
                    tracing::warn!(%nu, "notification URI not supported by the demo CSE; skipped");
                    continue;
                };
                let to = match &target {
                    NotificationTarget::Entity(id) => self.entity_id(id),
                    NotificationTarget::Topic(_) => nu.clone(),
                };
                let target = match target {
                    NotificationTarget::Entity(_) => NotificationTarget::Entity(to.clone()),
                    topic => topic,
                };
                notices.push(Notice {
                    target,
                    request: RequestPrimitive::notify(
                        to,
                        self.options.cse_id.clone(),
                        "",
                        sgn.clone(),
                    ),
                });
            }
        }
        notices
    }

    /// The entity an `nu` entry names, SP-relative where it can be: an AE resource of
    /// this CSE (`cse-in/demoAE`) means that AE, and a C-type AE-ID without a CSE
    /// (`CdemoAE`) is one registered here (`/id-in/CdemoAE`). Anything else is taken
    /// as an entity ID as it is.
    fn entity_id(&self, nu: &str) -> String {
        let id = match self
            .tree
            .resolve(nu)
            .and_then(|ri| self.tree.get(&ri).map(|n| &n.resource))
        {
            Some(StoredResource::Ae(ae)) => ae.aei.clone().unwrap_or_else(|| nu.to_owned()),
            _ => nu.to_owned(),
        };
        if id.starts_with('C') && !id.contains('/') {
            format!("{}/{id}", self.options.cse_id)
        } else {
            id
        }
    }
}

/// Sets what the hosting CSE owns on a new resource of each type, and refuses what a
/// creator may not set.
fn initialise(resource: &mut StoredResource) -> Result<(), Rejection> {
    match resource {
        StoredResource::Container(cnt) => {
            cnt.cni = Some(0);
            cnt.cbs = Some(0);
            cnt.st = Some(0);
        }
        StoredResource::ContentInstance(cin) => {
            let size = match &cin.con {
                Some(Value::Text(text)) => text.len(),
                Some(other) => other.to_string().len(),
                None => return Err(bad_request("a contentInstance needs con")),
            };
            cin.cs = Some(size as u64);
            cin.st = Some(0);
        }
        StoredResource::Subscription(sub) => {
            if sub.nu.as_ref().is_none_or(Vec::is_empty) {
                return Err(bad_request("a subscription needs a notification URI (nu)"));
            }
        }
        StoredResource::Ae(_) | StoredResource::CseBase(_) => {}
    }
    Ok(())
}

/// Which child types each type takes in the demo CSE.
fn may_contain(parent: ResourceType, child: ResourceType) -> bool {
    match parent {
        ResourceType::CSE_BASE => matches!(
            child,
            ResourceType::AE | ResourceType::CONTAINER | ResourceType::SUBSCRIPTION
        ),
        ResourceType::AE => matches!(child, ResourceType::CONTAINER | ResourceType::SUBSCRIPTION),
        ResourceType::CONTAINER => matches!(
            child,
            ResourceType::CONTAINER | ResourceType::CONTENT_INSTANCE | ResourceType::SUBSCRIPTION
        ),
        _ => false,
    }
}

/// Only `rcn` 0 and 1 are served.
fn check_result_content(request: &RequestPrimitive) -> Result<(), Rejection> {
    match request.rcn {
        None | Some(ResultContent::Nothing) | Some(ResultContent::Attributes) => Ok(()),
        Some(other) => Err(bad_request(format!(
            "the demo CSE answers rcn 0 and 1 only, not {other}"
        ))),
    }
}

/// A success response carrying `resource` unless `rcn` is 0.
fn respond(
    request: &RequestPrimitive,
    rsc: ResponseStatusCode,
    resource: &StoredResource,
) -> ResponsePrimitive {
    let response = ResponsePrimitive::answering(request, rsc);
    match request.rcn {
        Some(ResultContent::Nothing) => response,
        _ => response.with_content(resource.to_content()),
    }
}

fn bad_request(reason: impl Into<String>) -> Rejection {
    Rejection::new(ResponseStatusCode::BAD_REQUEST, reason)
}

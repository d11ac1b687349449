//! A CSE in a hundred-odd lines: the [`Handler`] trait over an in-memory store of
//! resources. It hosts AEs, containers and contentInstances under one CSEBase and
//! knows the `la` (latest) virtual resource; that is enough for the `ae` and `cse`
//! examples, and nothing about it is MQTT-specific.

use std::collections::BTreeMap;
use std::sync::Mutex;

use async_trait::async_trait;
use onem2m_binding::{Handler, RequestContext};
use onem2m_primitive::{
    Map, Operation, RequestPrimitive, ResourceType, ResponsePrimitive, ResponseStatusCode,
    Timestamp, Value,
};

/// A CSE whose resources live in a map from structured address (`cse-in/lamp/readings`)
/// to attributes. Serve it with `Binding::builder().cse_id(..).handler(MemoryCse::new(..))`.
///
/// Supported: CREATE of AE (2), container (3) and contentInstance (4); RETRIEVE of any
/// resource and of `<container>/la`; UPDATE of an AE or container; DELETE of a
/// resource and its children. Anything else is 5001 NOT_IMPLEMENTED.
#[derive(Debug)]
pub struct MemoryCse {
    cse_id: String,
    resources: Mutex<Resources>,
}

#[derive(Debug, Default)]
struct Resources {
    /// Address → (type, attributes). A BTreeMap keeps children next to their parent.
    by_address: BTreeMap<String, (ResourceType, Map)>,
    next_id: u64,
}

/// A refusal: the status and the text of its `m2m:dbg`.
type Refusal = (ResponseStatusCode, String);

impl MemoryCse {
    /// A CSE with CSE-ID `cse_id` (`/id-in`) whose CSEBase is called `cse_name` (`cse-in`).
    pub fn new(cse_id: impl Into<String>, cse_name: impl Into<String>) -> Self {
        let cse_id = cse_id.into();
        let cse_name = cse_name.into();
        let mut base = Map::new();
        base.insert("rn", cse_name.as_str());
        base.insert("ri", cse_id.trim_start_matches('/'));
        base.insert("csi", cse_id.as_str());
        let mut resources = Resources::default();
        resources
            .by_address
            .insert(cse_name, (ResourceType::CSE_BASE, base));
        Self {
            cse_id,
            resources: Mutex::new(resources),
        }
    }

    /// How many resources it holds, the CSEBase included.
    pub fn len(&self) -> usize {
        self.lock().by_address.len()
    }

    /// Whether it holds nothing but its CSEBase (never entirely empty).
    pub fn is_empty(&self) -> bool {
        self.len() <= 1
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Resources> {
        // A handler that panicked while holding the lock left a consistent map behind
        // (every change is a single insert or remove), so keep serving.
        self.resources
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `to` as a structured CSE-relative address: `/id-in/cse-in/x` and `cse-in/x` both
    /// give `cse-in/x`.
    fn address<'a>(&self, to: &'a str) -> &'a str {
        to.strip_prefix(self.cse_id.as_str())
            .and_then(|rest| rest.strip_prefix('/'))
            .unwrap_or(to)
    }

    fn execute(&self, request: &RequestPrimitive) -> Result<ResponsePrimitive, Refusal> {
        let address = self.address(&request.to);
        let mut resources = self.lock();
        match request.op {
            Operation::Create => resources.create(address, request),
            Operation::Retrieve => resources.retrieve(address, request),
            Operation::Update => resources.update(address, request),
            Operation::Delete => resources.delete(address, request),
            other => Err((
                ResponseStatusCode::NOT_IMPLEMENTED,
                format!("{other:?} is not implemented"),
            )),
        }
    }
}

#[async_trait]
impl Handler for MemoryCse {
    async fn handle(&self, request: RequestPrimitive, _ctx: RequestContext) -> ResponsePrimitive {
        self.execute(&request)
            .unwrap_or_else(|(rsc, message)| ResponsePrimitive::error(&request, rsc, message))
    }
}

impl Resources {
    fn create(
        &mut self,
        parent: &str,
        request: &RequestPrimitive,
    ) -> Result<ResponsePrimitive, Refusal> {
        let (parent_type, _) = self.find(parent)?;
        let ty = request.ty.ok_or_else(|| bad("a create needs ty"))?;
        let allowed = match ty {
            ResourceType::AE => parent_type == ResourceType::CSE_BASE,
            ResourceType::CONTAINER => {
                matches!(parent_type, ResourceType::AE | ResourceType::CONTAINER)
            }
            ResourceType::CONTENT_INSTANCE => parent_type == ResourceType::CONTAINER,
            _ => {
                return Err((
                    ResponseStatusCode::NOT_IMPLEMENTED,
                    format!("cannot create resources of type {ty}"),
                ));
            }
        };
        if !allowed {
            return Err((
                ResponseStatusCode::INVALID_CHILD_RESOURCE_TYPE,
                format!("{parent} cannot hold a resource of type {ty}"),
            ));
        }
        let root = root_name(ty);
        let mut attributes = request
            .pc
            .as_ref()
            .and_then(Value::as_map)
            .and_then(|pc| pc.get(&root))
            .and_then(Value::as_map)
            .cloned()
            .ok_or_else(|| bad(format!("the content must be {{\"{root}\": {{...}}}}")))?;
        self.next_id += 1;
        let ri = format!("{}{}", short_name(ty), self.next_id);
        let rn = match attributes.get("rn").and_then(Value::as_str) {
            Some(rn) => rn.to_owned(),
            None => ri.clone(),
        };
        let address = format!("{parent}/{rn}");
        if self.by_address.contains_key(&address) {
            return Err((
                ResponseStatusCode::CONFLICT,
                format!("{address} exists already"),
            ));
        }
        let now = Timestamp::now().to_string();
        attributes.insert("rn", rn.as_str());
        attributes.insert("ri", ri.as_str());
        attributes.insert("ty", i64::from(ty.0));
        attributes.insert("ct", now.as_str());
        attributes.insert("lt", now);
        if ty == ResourceType::AE {
            attributes.insert("aei", assigned_ae_id(request.fr.as_deref(), &rn));
        }
        if ty == ResourceType::CONTENT_INSTANCE {
            let size = attributes
                .get("con")
                .and_then(Value::as_str)
                .map_or(0, str::len);
            attributes.insert("cs", i64::try_from(size).unwrap_or(i64::MAX));
        }
        let representation = wrap(ty, attributes.clone());
        self.by_address.insert(address, (ty, attributes));
        Ok(
            ResponsePrimitive::answering(request, ResponseStatusCode::CREATED)
                .with_content(representation),
        )
    }

    fn retrieve(
        &self,
        address: &str,
        request: &RequestPrimitive,
    ) -> Result<ResponsePrimitive, Refusal> {
        let (ty, attributes) = match address.strip_suffix("/la") {
            Some(container) => self.latest(container)?,
            None => self.find(address)?,
        };
        Ok(
            ResponsePrimitive::answering(request, ResponseStatusCode::OK)
                .with_content(wrap(ty, attributes.clone())),
        )
    }

    fn update(
        &mut self,
        address: &str,
        request: &RequestPrimitive,
    ) -> Result<ResponsePrimitive, Refusal> {
        let (ty, _) = self.find(address)?;
        if !matches!(ty, ResourceType::AE | ResourceType::CONTAINER) {
            return Err((
                ResponseStatusCode::OPERATION_NOT_ALLOWED,
                format!("a resource of type {ty} cannot be updated"),
            ));
        }
        let root = root_name(ty);
        let changes = request
            .pc
            .as_ref()
            .and_then(Value::as_map)
            .and_then(|pc| pc.get(&root))
            .and_then(Value::as_map)
            .ok_or_else(|| bad(format!("the content must be {{\"{root}\": {{...}}}}")))?;
        let Some((_, attributes)) = self.by_address.get_mut(address) else {
            return Err(not_found(address));
        };
        for (name, value) in changes.iter() {
            attributes.insert(name, value.clone());
        }
        attributes.insert("lt", Timestamp::now().to_string());
        Ok(
            ResponsePrimitive::answering(request, ResponseStatusCode::UPDATED)
                .with_content(wrap(ty, attributes.clone())),
        )
    }

    fn delete(
        &mut self,
        address: &str,
        request: &RequestPrimitive,
    ) -> Result<ResponsePrimitive, Refusal> {
        let (ty, _) = self.find(address)?;
        if ty == ResourceType::CSE_BASE {
            return Err((
                ResponseStatusCode::OPERATION_NOT_ALLOWED,
                "the CSEBase cannot be deleted".into(),
            ));
        }
        let children = format!("{address}/");
        self.by_address
            .retain(|a, _| a != address && !a.starts_with(&children));
        Ok(ResponsePrimitive::answering(
            request,
            ResponseStatusCode::DELETED,
        ))
    }

    fn find(&self, address: &str) -> Result<(ResourceType, &Map), Refusal> {
        self.by_address
            .get(address)
            .map(|(ty, attributes)| (*ty, attributes))
            .ok_or_else(|| not_found(address))
    }

    /// The newest contentInstance directly below `container`.
    fn latest(&self, container: &str) -> Result<(ResourceType, &Map), Refusal> {
        let prefix = format!("{container}/");
        self.by_address
            .iter()
            .filter(|(a, (ty, _))| {
                *ty == ResourceType::CONTENT_INSTANCE
                    && a.strip_prefix(&prefix).is_some_and(|rn| !rn.contains('/'))
            })
            .max_by_key(|(_, (_, attributes))| attributes.get("ri").and_then(id_number))
            .map(|(_, (ty, attributes))| (*ty, attributes))
            .ok_or_else(|| not_found(&format!("{container}/la")))
    }
}

/// The AE-ID for an AE create from `fr`: a stem the AE asks for is kept, otherwise
/// (`C`, `S`, absent) the CSE makes one from the resource name.
fn assigned_ae_id(fr: Option<&str>, rn: &str) -> String {
    match fr {
        Some(stem) if stem.len() > 1 && (stem.starts_with('C') || stem.starts_with('S')) => {
            stem.to_owned()
        }
        Some(prefix @ ("C" | "S")) => format!("{prefix}{rn}"),
        _ => format!("C{rn}"),
    }
}

/// The counter at the end of a resource ID made by [`Resources::create`] (`cin12` → 12).
fn id_number(ri: &Value) -> Option<u64> {
    let ri = ri.as_str()?;
    ri.trim_start_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .ok()
}

fn short_name(ty: ResourceType) -> String {
    ty.short_name().unwrap_or_else(|| ty.0.to_string())
}

fn root_name(ty: ResourceType) -> String {
    format!("m2m:{}", short_name(ty))
}

fn wrap(ty: ResourceType, attributes: Map) -> Value {
    let mut pc = Map::with_capacity(1);
    pc.insert(root_name(ty), attributes);
    Value::Map(pc)
}

fn bad(message: impl Into<String>) -> Refusal {
    (ResponseStatusCode::BAD_REQUEST, message.into())
}

fn not_found(address: &str) -> Refusal {
    (
        ResponseStatusCode::NOT_FOUND,
        format!("no resource at {address}"),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn content(root: &str, pairs: &[(&str, &str)]) -> Value {
        let mut inner = Map::new();
        for (k, v) in pairs {
            inner.insert(*k, *v);
        }
        let mut pc = Map::new();
        pc.insert(root, inner);
        Value::Map(pc)
    }

    fn create(cse: &MemoryCse, to: &str, ty: ResourceType, pc: Value) -> ResponsePrimitive {
        let request = RequestPrimitive::create(to, "Clamp", "r", ty, pc);
        cse.execute(&request)
            .unwrap_or_else(|(rsc, m)| ResponsePrimitive::error(&request, rsc, m))
    }

    fn retrieve(cse: &MemoryCse, to: &str) -> ResponsePrimitive {
        let request = RequestPrimitive::retrieve(to, "Clamp", "r");
        cse.execute(&request)
            .unwrap_or_else(|(rsc, m)| ResponsePrimitive::error(&request, rsc, m))
    }

    fn attribute<'a>(response: &'a ResponsePrimitive, root: &str, name: &str) -> Option<&'a str> {
        response
            .pc
            .as_ref()?
            .as_map()?
            .get(root)?
            .as_map()?
            .get(name)?
            .as_str()
    }

    #[test]
    fn la_is_the_newest_content_instance_of_the_container() {
        let cse = MemoryCse::new("/id-in", "cse-in");
        let ae = content("m2m:ae", &[("rn", "lamp"), ("api", "Nlamp")]);
        assert_eq!(
            create(&cse, "cse-in", ResourceType::AE, ae).rsc,
            ResponseStatusCode::CREATED
        );
        let cnt = content("m2m:cnt", &[("rn", "readings")]);
        create(&cse, "/id-in/cse-in/lamp", ResourceType::CONTAINER, cnt);
        for con in ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"] {
            let cin = content("m2m:cin", &[("con", con)]);
            let created = create(
                &cse,
                "cse-in/lamp/readings",
                ResourceType::CONTENT_INSTANCE,
                cin,
            );
            assert_eq!(created.rsc, ResponseStatusCode::CREATED);
        }
        let latest = retrieve(&cse, "cse-in/lamp/readings/la");
        assert_eq!(latest.rsc, ResponseStatusCode::OK);
        assert_eq!(attribute(&latest, "m2m:cin", "con"), Some("10"));
    }

    #[test]
    fn an_ae_gets_the_id_it_asks_for_or_one_made_from_its_name() {
        assert_eq!(assigned_ae_id(Some("Cmine"), "lamp"), "Cmine");
        assert_eq!(assigned_ae_id(Some("C"), "lamp"), "Clamp");
        assert_eq!(assigned_ae_id(Some("S"), "lamp"), "Slamp");
        assert_eq!(assigned_ae_id(None, "lamp"), "Clamp");
    }

    #[test]
    fn missing_parents_wrong_children_and_duplicates_are_refused() {
        let cse = MemoryCse::new("/id-in", "cse-in");
        let cnt = content("m2m:cnt", &[("rn", "x")]);
        assert_eq!(
            create(&cse, "cse-in/nobody", ResourceType::CONTAINER, cnt.clone()).rsc,
            ResponseStatusCode::NOT_FOUND
        );
        assert_eq!(
            create(&cse, "cse-in", ResourceType::CONTAINER, cnt).rsc,
            ResponseStatusCode::INVALID_CHILD_RESOURCE_TYPE
        );
        let ae = content("m2m:ae", &[("rn", "lamp")]);
        create(&cse, "cse-in", ResourceType::AE, ae.clone());
        assert_eq!(
            create(&cse, "cse-in", ResourceType::AE, ae).rsc,
            ResponseStatusCode::CONFLICT
        );
        assert_eq!(
            retrieve(&cse, "cse-in/lamp/la").rsc,
            ResponseStatusCode::NOT_FOUND
        );
    }

    #[test]
    fn delete_removes_the_resource_and_everything_below_it() {
        let cse = MemoryCse::new("/id-in", "cse-in");
        create(
            &cse,
            "cse-in",
            ResourceType::AE,
            content("m2m:ae", &[("rn", "lamp")]),
        );
        create(
            &cse,
            "cse-in/lamp",
            ResourceType::CONTAINER,
            content("m2m:cnt", &[("rn", "c")]),
        );
        create(
            &cse,
            "cse-in",
            ResourceType::AE,
            content("m2m:ae", &[("rn", "lamp2")]),
        );
        let delete = RequestPrimitive::delete("cse-in/lamp", "Clamp", "d");
        assert_eq!(
            cse.execute(&delete).map(|r| r.rsc),
            Ok(ResponseStatusCode::DELETED)
        );
        assert_eq!(cse.len(), 2, "the CSEBase and the AE lamp2 are left");
    }
}

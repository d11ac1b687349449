//! The resource tree: resources by `ri`, their parent and children, and how a request's
//! `to` finds one.

use std::collections::HashMap;

use onem2m_primitive::ResourceType;

use crate::stored::StoredResource;

/// One resource in the tree.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) resource: StoredResource,
    pub(crate) parent: Option<String>,
    /// In creation order, so the first content instance is the oldest.
    pub(crate) children: Vec<String>,
}

/// The resources of one CSE, by resource ID.
#[derive(Debug)]
pub(crate) struct ResourceTree {
    /// SP-relative CSE-ID, `/id-in`.
    cse_id: String,
    /// The CSEBase's `ri` (the CSE-ID without its slash) and `rn` (`cse-in`).
    base_ri: String,
    base_rn: String,
    nodes: HashMap<String, Node>,
}

impl ResourceTree {
    pub(crate) fn new(cse_id: &str, base: StoredResource) -> Self {
        let base_ri = base.common().ri.clone().unwrap_or_default();
        let base_rn = base.common().rn.clone().unwrap_or_default();
        let mut nodes = HashMap::new();
        nodes.insert(
            base_ri.clone(),
            Node {
                resource: base,
                parent: None,
                children: Vec::new(),
            },
        );
        Self {
            cse_id: cse_id.to_owned(),
            base_ri,
            base_rn,
            nodes,
        }
    }

    pub(crate) fn get(&self, ri: &str) -> Option<&Node> {
        self.nodes.get(ri)
    }

    pub(crate) fn get_mut(&mut self, ri: &str) -> Option<&mut Node> {
        self.nodes.get_mut(ri)
    }

    pub(crate) fn contains(&self, ri: &str) -> bool {
        self.nodes.contains_key(ri)
    }

    pub(crate) fn base_ri(&self) -> &str {
        &self.base_ri
    }

    /// The `ri` of the resource `to` names, or `None`. Understood forms: structured
    /// (`cse-in/CAE01/data`), unstructured (`cnt3`, `cnt3/sub`), either SP-relative
    /// (`/id-in/cse-in/...`, `/id-in/cnt3`), the CSE-ID itself, and the virtual
    /// children `la` (latest) and `ol` (oldest) of a container.
    pub(crate) fn resolve(&self, to: &str) -> Option<String> {
        let relative = if to == self.cse_id {
            return Some(self.base_ri.clone());
        } else if let Some(rest) = to
            .strip_prefix(self.cse_id.as_str())
            .and_then(|r| r.strip_prefix('/'))
        {
            rest
        } else if to.starts_with('/') {
            // Another CSE's resource, or an absolute ID: not hosted here.
            return None;
        } else {
            to
        };
        let mut segments = relative.split('/');
        let first = segments.next()?;
        let mut current = if first == self.base_rn {
            self.base_ri.clone()
        } else if self.nodes.contains_key(first) {
            first.to_owned()
        } else {
            return None;
        };
        for segment in segments {
            current = self.child(&current, segment)?;
        }
        Some(current)
    }

    /// The child of `parent` named `segment`, or its latest/oldest content instance.
    fn child(&self, parent: &str, segment: &str) -> Option<String> {
        let node = self.nodes.get(parent)?;
        let is_container = node.resource.ty() == ResourceType::CONTAINER;
        let mut instances = node.children.iter().filter(|ri| {
            self.nodes
                .get(ri.as_str())
                .is_some_and(|n| n.resource.ty() == ResourceType::CONTENT_INSTANCE)
        });
        match segment {
            "la" if is_container => instances.next_back().cloned(),
            "ol" if is_container => instances.next().cloned(),
            name => self.named_child(parent, name),
        }
    }

    /// The child of `parent` whose `rn` is `name`.
    fn named_child(&self, parent: &str, name: &str) -> Option<String> {
        self.nodes
            .get(parent)?
            .children
            .iter()
            .find(|ri| {
                self.nodes
                    .get(ri.as_str())
                    .and_then(|n| n.resource.common().rn.as_deref())
                    == Some(name)
            })
            .cloned()
    }

    /// Whether `parent` has a child named `rn`.
    pub(crate) fn has_child_named(&self, parent: &str, rn: &str) -> bool {
        self.named_child(parent, rn).is_some()
    }

    /// The structured address of `ri` (`cse-in/CAE01/data`).
    pub(crate) fn structured_address(&self, ri: &str) -> String {
        let mut names = Vec::new();
        let mut current = Some(ri.to_owned());
        while let Some(id) = current {
            let Some(node) = self.nodes.get(&id) else {
                break;
            };
            names.push(node.resource.common().rn.clone().unwrap_or(id));
            current = node.parent.clone();
        }
        names.reverse();
        names.join("/")
    }

    /// Adds `resource` (whose `ri` is set) below `parent`.
    pub(crate) fn insert(&mut self, parent: &str, resource: StoredResource) {
        let ri = resource.common().ri.clone().unwrap_or_default();
        if let Some(p) = self.nodes.get_mut(parent) {
            p.children.push(ri.clone());
        }
        self.nodes.insert(
            ri,
            Node {
                resource,
                parent: Some(parent.to_owned()),
                children: Vec::new(),
            },
        );
    }

    /// Removes `ri` and everything below it; returns the removed resources.
    pub(crate) fn remove(&mut self, ri: &str) -> Vec<StoredResource> {
        if let Some(parent) = self.nodes.get(ri).and_then(|n| n.parent.clone())
            && let Some(p) = self.nodes.get_mut(&parent)
        {
            p.children.retain(|c| c != ri);
        }
        let mut removed = Vec::new();
        let mut stack = vec![ri.to_owned()];
        while let Some(id) = stack.pop() {
            if let Some(node) = self.nodes.remove(&id) {
                stack.extend(node.children);
                removed.push(node.resource);
            }
        }
        removed
    }

    /// The children of `ri` of type `ty`, in creation order.
    pub(crate) fn children_of_type(&self, ri: &str, ty: ResourceType) -> Vec<String> {
        self.nodes
            .get(ri)
            .map(|n| {
                n.children
                    .iter()
                    .filter(|c| {
                        self.nodes
                            .get(c.as_str())
                            .is_some_and(|c| c.resource.ty() == ty)
                    })
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The AE whose AE-ID is `aei`, if registered.
    pub(crate) fn ae_with_id(&self, aei: &str) -> Option<&str> {
        self.nodes.iter().find_map(|(ri, n)| match &n.resource {
            StoredResource::Ae(ae) if ae.aei.as_deref() == Some(aei) => Some(ri.as_str()),
            _ => None,
        })
    }
}

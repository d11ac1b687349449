//! Several RabbitMQ nodes joined into one cluster.

use std::time::Instant;

use crate::Error;

use super::epmd::Epmd;
use super::node::{START_TIMEOUT, new_cookie, one_free_port};
use super::{RabbitNode, RabbitStart, missing_installation};

/// RabbitMQ nodes `onem2m-r1@localhost` ... `onem2m-r<n>@localhost` in one cluster
/// on loopback, each a [`RabbitNode`] with its own MQTT port, all sharing one
/// Erlang cookie and one epmd of the cluster's own.
///
/// Start-up boots every node at once, then nodes 2 to n join node 1 (`stop_app`,
/// `join_cluster`, `start_app`), one at a time; three nodes are ready in about 25 s
/// on an idle 2-core machine. Dropping the cluster stops every node (`rabbitmqctl stop`, at
/// once), then its epmd.
#[derive(Debug)]
pub struct RabbitCluster {
    nodes: Vec<RabbitNode>,
    /// Dropped after the nodes (fields drop after [`Drop::drop`]).
    _epmd: Epmd,
}

impl RabbitCluster {
    /// Starts `size` nodes and joins them into one cluster; waits until each
    /// node's MQTT listener accepts a CONNECT.
    ///
    /// Returns [`RabbitStart::Skip`] when `rabbitmq-server` is not installed, and an
    /// error when it is but the cluster does not come up. It blocks the calling
    /// thread (about 20 s for three nodes), which is fine in a test, also an async
    /// one.
    pub fn start(size: usize) -> Result<RabbitStart<Self>, Error> {
        Self::start_with(size, "")
    }

    /// Like [`start`](Self::start), with `extra_config` lines (new-style `key =
    /// value`, such as `mqtt.durable_queue_type = quorum`) added to every node's
    /// `rabbitmq.conf`.
    pub fn start_with(size: usize, extra_config: &str) -> Result<RabbitStart<Self>, Error> {
        if let Some(reason) = missing_installation() {
            return Ok(RabbitStart::Skip { reason });
        }
        let epmd = Epmd::start(one_free_port()?)?;
        let cookie = new_cookie();
        let nodes = (1..=size)
            .map(|index| RabbitNode::prepare(index, &cookie, epmd.port(), extra_config))
            .collect::<Result<Vec<_>, _>>()?;
        // Should anything below fail, dropping `cluster` stops what was started,
        // the nodes before their epmd.
        let mut cluster = Self { nodes, _epmd: epmd };
        for node in &mut cluster.nodes {
            node.spawn()?;
        }
        let deadline = Instant::now() + START_TIMEOUT;
        cluster.each_node(|_, node| node.wait_ready(deadline))?;
        let first = cluster.nodes.first().map(|n| n.name().to_owned());
        if let Some(first) = first {
            // Two nodes joining at once can break each other's Mnesia start
            // (`start_app` fails with `{mnesia_app, start}`): one joins at a time.
            let joining = std::sync::Mutex::new(());
            cluster.each_node(|index, node| {
                if index == 0 {
                    return Ok(());
                }
                node.stop_app()?;
                let _turn = joining.lock().unwrap_or_else(|e| e.into_inner());
                node.ctl(&["join_cluster", &first])?;
                node.start_app_until(deadline)
            })?;
        }
        Ok(RabbitStart::Running(cluster))
    }

    /// Node `index`, counted from 0 (`onem2m-r<index + 1>@localhost`).
    ///
    /// # Panics
    ///
    /// When there is no such node.
    pub fn node(&self, index: usize) -> &RabbitNode {
        &self.nodes[index]
    }

    /// Node `index` to stop or restart, counted from 0.
    ///
    /// # Panics
    ///
    /// When there is no such node.
    pub fn node_mut(&mut self, index: usize) -> &mut RabbitNode {
        &mut self.nodes[index]
    }

    /// How many nodes the cluster was started with.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the cluster has no node.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The nodes that node `index` sees running in its cluster (`cluster_status`),
    /// sorted.
    pub fn running_nodes(&self, index: usize) -> Result<Vec<String>, Error> {
        let status = self
            .node(index)
            .ctl(&["cluster_status", "--formatter", "json"])?;
        Ok(running_nodes_in(&status))
    }

    /// Runs `f` on every node at once, each in a thread of its own; the first
    /// error, if any.
    fn each_node(
        &mut self,
        f: impl Fn(usize, &mut RabbitNode) -> Result<(), Error> + Sync,
    ) -> Result<(), Error> {
        let f = &f;
        std::thread::scope(|scope| {
            let handles: Vec<_> = self
                .nodes
                .iter_mut()
                .enumerate()
                .map(|(index, node)| scope.spawn(move || f(index, node)))
                .collect();
            let mut outcome = Ok(());
            for handle in handles {
                let result = handle.join().unwrap_or_else(|_| {
                    Err(Error::io("a RabbitMQ start-up thread panicked")(
                        std::io::Error::other("panic"),
                    ))
                });
                if outcome.is_ok() {
                    outcome = result;
                }
            }
            outcome
        })
    }
}

impl Drop for RabbitCluster {
    fn drop(&mut self) {
        // Each node's own drop stops it; at once rather than one after the other.
        let _ = self.each_node(|_, node| node.stop());
    }
}

/// The `running_nodes` of `rabbitmqctl cluster_status --formatter json`, sorted.
fn running_nodes_in(json: &str) -> Vec<String> {
    let Some(start) = json.find("\"running_nodes\":[") else {
        return Vec::new();
    };
    let list = &json[start + "\"running_nodes\":[".len()..];
    let list = &list[..list.find(']').unwrap_or(list.len())];
    let mut nodes: Vec<String> = list
        .split(',')
        .map(|n| n.trim().trim_matches('"').to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    nodes.sort();
    nodes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_nodes_are_read_from_the_json_status() {
        let json = r#"{"alarms":[],"disk_nodes":["a@x","b@x"],"running_nodes":["b@x","a@x"],"versions":{}}"#;
        assert_eq!(running_nodes_in(json), ["a@x", "b@x"]);
        assert!(running_nodes_in("{}").is_empty());
    }
}

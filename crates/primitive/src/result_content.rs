//! The result content `rcn` a request asks for (TS-0004 6.3.4.2.7).

use crate::code_enum::code_enum;

code_enum! {
    /// Which representation the response content carries.
    pub enum ResultContent: "result content" {
        /// Nothing.
        Nothing = 0 => "nothing",
        /// The resource's attributes.
        Attributes = 1 => "attributes",
        /// The hierarchical address.
        HierarchicalAddress = 2 => "hierarchical-address",
        /// The hierarchical address and the attributes.
        HierarchicalAddressAndAttributes = 3 => "hierarchical-address+attributes",
        /// The attributes and the child resources.
        AttributesAndChildResources = 4 => "attributes+child-resources",
        /// The attributes and references to the child resources.
        AttributesAndChildResourceReferences = 5 => "attributes+child-resource-references",
        /// References to the child resources.
        ChildResourceReferences = 6 => "child-resource-references",
        /// The original resource (for announced resources).
        OriginalResource = 7 => "original-resource",
        /// The child resources.
        ChildResources = 8 => "child-resources",
        /// The modified attributes.
        ModifiedAttributes = 9 => "modified-attributes",
        /// The semantic content.
        SemanticContent = 10 => "semantic-content",
        /// Discovery result references (Rel-4).
        DiscoveryResultReferences = 11 => "discovery-result-references",
    }
}

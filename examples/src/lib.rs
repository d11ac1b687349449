//! Runnable examples of the onem2m-mqtt framework; see the `[[example]]` targets.

/**
 * Several instances behaving as one: each instance's identity and heartbeat row, and the
 * recorded versions of the configuration files (routing, on-call, runbooks, heartbeats)
 * that every instance converges on, with drift reported when an instance's own files
 * differ. Catalogs take part by implementing
 * {@link dev.warden.cluster.SharedConfiguration}; this module knows none of them.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Cluster",
		allowedDependencies = { "access", "metrics", "yaml" })
package dev.warden.cluster;

/**
 * Where Warden keeps its state: the data directory, the embedded PostgreSQL started when
 * no external database is configured, and secrets generated on first start.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Storage", allowedDependencies = {})
package dev.warden.storage;

/**
 * HTTP plumbing every API shares: RFC 9457 problem details for every error, request body
 * limits, and the rule that transient trouble answers 503 (which Alertmanager retries)
 * while bad input answers 4xx (which it does not).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Web", allowedDependencies = {})
package dev.warden.web;

/**
 * Label matching in Alertmanager's syntax ({@link dev.warden.matching.LabelMatcher}, RE2
 * regular expressions through RE2/J), the one language that routes, silences, runbook
 * triggers and heartbeats use to pick alerts by their labels.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Label matching", allowedDependencies = {})
package dev.warden.matching;
